package io.hotaru.agent.demo;

import io.hotaru.agent.link.QrngRandomSource;
import io.hotaru.agent.link.ReceiverLink;
import io.hotaru.agent.link.TransmitterLink;
import io.hotaru.drivers.Drivers;
import io.hotaru.drivers.PhotonSource;
import io.hotaru.drivers.Qrng;
import io.hotaru.drivers.SourceSettings;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.keys.distill.AliceSession;
import io.hotaru.keys.distill.BobSession;
import io.hotaru.keys.distill.DistillConfig;
import io.hotaru.keys.distill.cascade.CascadeReconciler;
import io.hotaru.keys.distill.protocol.InMemoryTransport;
import io.hotaru.keys.etsi014.Etsi014Config;
import io.hotaru.keys.etsi014.Etsi014Server;
import io.hotaru.keys.etsi014.SaePair;
import io.hotaru.keys.pki.Pki;
import io.hotaru.keys.pki.PkiFiles;
import io.hotaru.keys.pki.TlsContexts;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.LocalPeerReservations;
import io.hotaru.keys.store.MasterKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Two nodes, A (transmitter) and B (receiver), in one JVM, joined by a simulated fibre link: each
 * node has its key store and ETSI GS QKD 014 server; the link's two ends distil keys over an
 * in-memory classical channel. Used by {@code ./hotaru demo} and by the end-to-end test.
 */
public final class TwoNodeNetwork implements AutoCloseable {

    public static final String LINK_ID = "A-B";
    public static final String KME_A = "kme-a";
    public static final String KME_B = "kme-b";
    public static final String SAE_A = "sae-a";
    public static final String SAE_B = "sae-b";

    /** What to build. */
    public record Options(
            Path workDir,
            int portA,
            int portB,
            double distanceKm,
            long seed,
            int blockDetections,
            double timeScale,
            Map<String, String> extraSaes,
            List<SaePair> extraPairs) {

        public static Options demo(Path workDir, int portA, int portB, double distanceKm, long seed) {
            return new Options(workDir, portA, portB, distanceKm, seed, 1 << 19, 1.0, Map.of(), List.of());
        }
    }

    private final Options options;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private PkiFiles pki;
    private KeyStore storeA;
    private KeyStore storeB;
    private Etsi014Server serverA;
    private Etsi014Server serverB;
    private TransmitterLink transmitter;
    private ReceiverLink receiver;
    private String linkUri;
    private boolean stopped;

    private TwoNodeNetwork(Options options) {
        this.options = options;
    }

    /**
     * Creates the PKI, the master keys and stores, starts both ETSI 014 servers and the link.
     *
     * @throws io.hotaru.keys.store.KeyManagerException if a port is busy or a file cannot be made
     */
    public static TwoNodeNetwork start(Options options) {
        TwoNodeNetwork network = new TwoNodeNetwork(options);
        try {
            network.build();
            return network;
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    private void build() {
        Path dir = options.workDir();
        Map<String, String> kmeOfSae = new LinkedHashMap<>();
        kmeOfSae.put(SAE_A, KME_A);
        kmeOfSae.put(SAE_B, KME_B);
        kmeOfSae.putAll(options.extraSaes());
        Map<SaePair, String> linkOfPair = new LinkedHashMap<>();
        linkOfPair.put(new SaePair(SAE_A, SAE_B), LINK_ID);
        options.extraPairs().forEach(p -> linkOfPair.put(p, LINK_ID));

        pki = Pki.create(dir.resolve("pki"), List.of(KME_A, KME_B), List.copyOf(kmeOfSae.keySet()));
        try (MasterKey masterA = MasterKey.loadOrCreate(dir.resolve("node-a").resolve("master.key"));
                MasterKey masterB = MasterKey.loadOrCreate(dir.resolve("node-b").resolve("master.key"))) {
            storeA = KeyStore.open(dir.resolve("node-a").resolve("keys.db"), masterA);
            resources.add(storeA);
            storeB = KeyStore.open(dir.resolve("node-b").resolve("keys.db"), masterB);
            resources.add(storeB);
        }
        serverA = Etsi014Server.start(
                Etsi014Config.of(KME_A, options.portA(), kmeOfSae, linkOfPair),
                TlsContexts.kmeServer(pki, KME_A),
                storeA,
                new LocalPeerReservations(Map.of(LINK_ID, storeB)));
        resources.add(serverA);
        serverB = Etsi014Server.start(
                Etsi014Config.of(KME_B, options.portB(), kmeOfSae, linkOfPair),
                TlsContexts.kmeServer(pki, KME_B),
                storeB,
                new LocalPeerReservations(Map.of(LINK_ID, storeA)));
        resources.add(serverB);
        startLink();
    }

    private void startLink() {
        Drivers drivers = Drivers.discover();
        String params = String.format(
                Locale.ROOT,
                "link=%s&seed=%d&params=metro&distance_km=%s&time_scale=%s",
                LINK_ID,
                options.seed(),
                Double.toString(options.distanceKm()),
                Double.toString(options.timeScale()));
        linkUri = "sim:bob?" + params;
        PhotonSource source = drivers.open("sim:alice?" + params, PhotonSource.class);
        resources.add(source);
        TimeTagger tagger = drivers.open("sim:bob?" + params, TimeTagger.class);
        resources.add(tagger);
        Qrng qrng = drivers.open("sim:qrng?seed=" + (options.seed() ^ 0x5DEECE66DL), Qrng.class);
        resources.add(qrng);

        SourceSettings settings = source.settings();
        var distillSettings = toDistillSettings(settings);
        DistillConfig config = DistillConfig.defaults();
        InMemoryTransport.Pair channel = InMemoryTransport.pair();
        transmitter = new TransmitterLink(
                LINK_ID,
                source,
                new AliceSession(
                        config,
                        distillSettings,
                        CascadeReconciler.original(),
                        new QrngRandomSource(qrng),
                        channel.alice()),
                storeA::ingest);
        receiver = new ReceiverLink(
                LINK_ID,
                tagger,
                new BobSession(config, distillSettings, CascadeReconciler.original(), channel.bob()),
                storeB::ingest,
                settings.slotPeriodPs(),
                options.blockDetections(),
                options.seed());
        transmitter.start();
        receiver.start();
    }

    static io.hotaru.keys.distill.SourceSettings toDistillSettings(SourceSettings s) {
        double[] mu = s.intensities();
        double[] p = s.intensityProbabilities();
        if (mu.length != 3) {
            throw new IllegalArgumentException("the distillation needs three intensity levels (signal, decoy,"
                    + " vacuum); the source has " + mu.length);
        }
        return io.hotaru.keys.distill.SourceSettings.of(mu[0], mu[1], p[0], p[1], p[2], s.zBasisProbability());
    }

    public PkiFiles pki() {
        return pki;
    }

    public KeyStore storeA() {
        return storeA;
    }

    public KeyStore storeB() {
        return storeB;
    }

    public int portA() {
        return serverA.port();
    }

    public int portB() {
        return serverB.port();
    }

    public TransmitterLink transmitter() {
        return transmitter;
    }

    public ReceiverLink receiver() {
        return receiver;
    }

    /** The device URI of the link's receiver, for display. */
    public String linkUri() {
        return linkUri;
    }

    /**
     * Stops key generation so that both ends hold the same blocks: the receiver finishes the
     * block in progress, then the transmitter finishes it too. The servers keep serving.
     */
    public void stopLink() {
        if (stopped || receiver == null) {
            return;
        }
        stopped = true;
        receiver.close();
        transmitter.stopAfter(receiver.startedBlocks(), Duration.ofSeconds(30));
    }

    @Override
    public void close() {
        if (receiver != null && transmitter != null) {
            stopLink();
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        resources.clear();
    }
}
