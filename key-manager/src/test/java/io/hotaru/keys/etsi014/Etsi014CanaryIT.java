package io.hotaru.keys.etsi014;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotaru.keys.pki.Pki;
import io.hotaru.keys.pki.PkiFiles;
import io.hotaru.keys.pki.TlsContexts;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.LocalPeerReservations;
import io.hotaru.keys.store.MasterKey;
import io.hotaru.reliability.figures.ReliabilityFigures;
import io.hotaru.reliability.figures.ResidueScan;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Canary keys with known bytes go through the whole KME, ingest to delivery over mutual TLS, with
 * every Hotaru logger at TRACE and Netty at DEBUG captured. Neither the store files, their WALs nor
 * the log output may hold any of the canary, raw, in Base64 or in hex.
 */
class Etsi014CanaryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int UNITS = 16;

    @TempDir
    Path dir;

    @Test
    @Tag("reliability")
    void canaryKeysReachTheSaesButNeitherDiskNorLogs() throws Exception {
        byte[] canary = new byte[UNITS * KeyStore.KEY_BYTES];
        for (int i = 0; i < canary.length; i++) {
            canary[i] = (byte) (0xA5 ^ (i * 13) ^ (i >> 8));
        }
        ResidueScan scan = new ResidueScan(canary, KeyStore.KEY_BYTES);
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        List<Path> files =
                List.of(dir.resolve("a.db"), dir.resolve("a.db-wal"), dir.resolve("b.db"), dir.resolve("b.db-wal"));
        try (LogCapture capture = LogCapture.start(logs)) {
            PkiFiles pki = Pki.create(dir.resolve("pki"), List.of("kme-a", "kme-b"), List.of("sae-a", "sae-b"));
            Map<String, String> kmeOfSae = Map.of("sae-a", "kme-a", "sae-b", "kme-b");
            Map<SaePair, String> acl = Map.of(new SaePair("sae-a", "sae-b"), "ab");
            try (KeyStore a = KeyStore.open(files.get(0), MasterKey.loadOrCreate(dir.resolve("a.key")));
                    KeyStore b = KeyStore.open(files.get(2), MasterKey.loadOrCreate(dir.resolve("b.key")))) {
                a.ingest("ab", 1, canary.clone());
                b.ingest("ab", 1, canary.clone());
                try (Etsi014Server kmeA = Etsi014Server.start(
                                Etsi014Config.of("kme-a", 0, kmeOfSae, acl),
                                TlsContexts.kmeServer(pki, "kme-a"),
                                a,
                                new LocalPeerReservations(Map.of("ab", b)));
                        Etsi014Server kmeB = Etsi014Server.start(
                                Etsi014Config.of("kme-b", 0, kmeOfSae, acl),
                                TlsContexts.kmeServer(pki, "kme-b"),
                                b,
                                new LocalPeerReservations(Map.of("ab", a)))) {
                    Etsi014ServerIT.Sae master = sae(pki, "sae-a");
                    Etsi014ServerIT.Sae slave = sae(pki, "sae-b");
                    HttpResponse<String> enc = master.get(kmeA, "sae-b/enc_keys?number=4&size=512");
                    assertThat(enc.statusCode()).isEqualTo(200);
                    JsonNode first = JSON.readTree(enc.body()).get("keys").get(0);
                    byte[] key = Base64.getDecoder().decode(first.get("key").asText());
                    assertThat(key).as("the canary itself is delivered").startsWith(canary[0], canary[1]);

                    String decPath =
                            "sae-a/dec_keys?key_ID=" + first.get("key_ID").asText();
                    assertThat(slave.get(kmeB, decPath).statusCode()).isEqualTo(200);
                    assertThat(slave.get(kmeB, decPath).statusCode()).isEqualTo(400); // already delivered
                    assertThat(master.post(kmeA, "sae-b/enc_keys", "{\"number\":2,\"size\":256}")
                                    .statusCode())
                            .isEqualTo(200);
                    assertThat(master.post(kmeA, "sae-b/enc_keys", "{\"extension_mandatory\":[{\"x\":1}]}")
                                    .statusCode())
                            .isEqualTo(400);
                    for (Path file : files) {
                        assertThat(file).exists();
                        assertThat(scan.find(Files.readAllBytes(file)))
                                .as("canary in %s", file)
                                .isEmpty();
                    }
                }
            }
        }
        for (Path file : files) {
            if (Files.exists(file)) {
                assertThat(scan.find(Files.readAllBytes(file)))
                        .as("canary in %s after close", file)
                        .isEmpty();
            }
        }
        String text = logs.toString(StandardCharsets.UTF_8);
        assertThat(text)
                .as("the log capture saw the store and the server")
                .contains("Ingested block 1 of link ab")
                .contains("enc_keys sae-a")
                .contains("dec_keys sae-b");
        assertThat(scan.find(logs.toByteArray())).as("canary in the logs").isEmpty();
        ReliabilityFigures.record("clear_residue_hits", "etsi-store-wal-logs", 0);
    }

    @Test
    void theScanFindsCanaryTextInLogs() throws Exception {
        byte[] canary = new byte[2 * KeyStore.KEY_BYTES];
        for (int i = 0; i < canary.length; i++) {
            canary[i] = (byte) (i * 31 + 7);
        }
        ResidueScan scan = new ResidueScan(canary, KeyStore.KEY_BYTES);
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        try (LogCapture capture = LogCapture.start(logs)) {
            byte[] unit = Arrays.copyOfRange(canary, 32, 64);
            LoggerFactory.getLogger("io.hotaru.keys.leaky")
                    .debug("key {}", Base64.getEncoder().encodeToString(unit));
        }
        assertThat(scan.find(logs.toByteArray())).startsWith("Base64 of canary unit 1");
        assertThat(scan.find(new byte[] {1, 2, 3})).isEmpty();
    }

    private static Etsi014ServerIT.Sae sae(PkiFiles pki, String id) {
        return new Etsi014ServerIT.Sae(
                TlsContexts.jdkClient(pki.sae(id), pki.readPkcs12Password(), pki.caCertificate()));
    }

    /** Every Hotaru log event at TRACE and Netty's at DEBUG, formatted as a log file would be. */
    private static final class LogCapture implements AutoCloseable {
        private final OutputStreamAppender<ILoggingEvent> appender;
        private final Logger hotaru;
        private final Logger netty;
        private final Level hotaruLevel;
        private final Level nettyLevel;

        private LogCapture(OutputStreamAppender<ILoggingEvent> appender, Logger hotaru, Logger netty) {
            this.appender = appender;
            this.hotaru = hotaru;
            this.netty = netty;
            this.hotaruLevel = hotaru.getLevel();
            this.nettyLevel = netty.getLevel();
        }

        static LogCapture start(ByteArrayOutputStream sink) {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            PatternLayoutEncoder encoder = new PatternLayoutEncoder();
            encoder.setContext(context);
            encoder.setPattern("%d %-5level [%thread] %logger - %msg%n%ex");
            encoder.start();
            OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
            appender.setContext(context);
            appender.setEncoder(encoder);
            appender.setOutputStream(sink);
            appender.start();
            Logger hotaru = context.getLogger("io.hotaru");
            Logger netty = context.getLogger("io.netty");
            LogCapture capture = new LogCapture(appender, hotaru, netty);
            hotaru.setLevel(Level.TRACE);
            netty.setLevel(Level.DEBUG);
            hotaru.setAdditive(false); // into the capture only, not the console as well
            netty.setAdditive(false);
            hotaru.addAppender(appender);
            netty.addAppender(appender);
            return capture;
        }

        @Override
        public void close() {
            hotaru.detachAppender(appender);
            netty.detachAppender(appender);
            hotaru.setLevel(hotaruLevel);
            netty.setLevel(nettyLevel);
            hotaru.setAdditive(true);
            netty.setAdditive(true);
            appender.stop();
        }
    }
}
