package io.hotaru.keys.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.keys.distill.AliceSession;
import io.hotaru.keys.distill.BlockOutcome;
import io.hotaru.keys.distill.BlockOutcome.Distilled;
import io.hotaru.keys.distill.BobSession;
import io.hotaru.keys.distill.DistillConfig;
import io.hotaru.keys.distill.SeededRandom;
import io.hotaru.keys.distill.SourceSettings;
import io.hotaru.keys.distill.SyntheticBlocks;
import io.hotaru.keys.distill.auth.AuthAccount;
import io.hotaru.keys.distill.auth.AuthConfig;
import io.hotaru.keys.distill.auth.AuthKeyPool;
import io.hotaru.keys.distill.auth.AuthenticatedTransport;
import io.hotaru.keys.distill.cascade.CascadeReconciler;
import io.hotaru.keys.distill.protocol.DistillMessage.Confirm;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Whole blocks distilled between two key managers over loopback TCP, with and without mutual TLS. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PeerDistillationIT {
    private static final SourceSettings SOURCE = SourceSettings.of(0.4, 0.15, 0.4, 0.3, 0.3, 0.3);
    private static final ExecutorService ALICE = Executors.newSingleThreadExecutor();

    @TempDir
    Path dir;

    @AfterAll
    static void stop() {
        ALICE.shutdownNow();
    }

    @Test
    void distilsIdenticalKeysOverPlainTcp() throws Exception {
        distilOverLoopback(PeerConfig.defaults(), PeerConfig.defaults());
    }

    @Test
    void distilsIdenticalKeysOverMutualTls() throws Exception {
        TestPki pki = new TestPki(dir, "hotaru-test");
        PeerTls alice = pki.issue("kme-alice", "localhost", "127.0.0.1");
        PeerTls bob = pki.issue("kme-bob", "localhost", "127.0.0.1");
        distilOverLoopback(
                PeerConfig.defaults().withTls(alice), PeerConfig.defaults().withTls(bob));
    }

    /** Alice's node listens, Bob's connects; both wrap the connection in Wegman–Carter. */
    private void distilOverLoopback(PeerConfig aliceConfig, PeerConfig bobConfig) throws Exception {
        byte[] secret = new byte[1 << 14];
        new SplittableRandom(42).nextBytes(secret);
        try (PeerServer server = PeerServer.bind(new InetSocketAddress("127.0.0.1", 0), aliceConfig);
                PeerClient client = new PeerClient(bobConfig)) {
            NettyPeerTransport bobWire =
                    client.connect("127.0.0.1", server.localAddress().getPort());
            NettyPeerTransport aliceWire = server.accept(Duration.ofSeconds(10));
            AuthenticatedTransport alice =
                    AuthenticatedTransport.alice(aliceWire, AuthKeyPool.bootstrap(secret), AuthConfig.defaults());
            AuthenticatedTransport bob =
                    AuthenticatedTransport.bob(bobWire, AuthKeyPool.bootstrap(secret), AuthConfig.defaults());
            Future<Long> aliceSkipped = ALICE.submit(() -> alice.synchronize(1 << 20));
            assertThat(bob.synchronize(1 << 20)).isZero();
            assertThat(aliceSkipped.get(10, TimeUnit.SECONDS)).isZero();

            SyntheticBlocks.Block block = SyntheticBlocks.block(SOURCE, 300_000, 7);
            AliceSession aliceSession = new AliceSession(
                    DistillConfig.defaults(), SOURCE, CascadeReconciler.original(), new SeededRandom(7), alice);
            BobSession bobSession = new BobSession(DistillConfig.defaults(), SOURCE, CascadeReconciler.original(), bob);
            Future<BlockOutcome> a = ALICE.submit(() -> aliceSession.distill(7, block.lookup()));
            BlockOutcome b = bobSession.distill(block.bob());
            BlockOutcome aOutcome = a.get(30, TimeUnit.SECONDS);

            assertThat(aOutcome).isInstanceOf(Distilled.class);
            assertThat(b).isInstanceOf(Distilled.class);
            assertThat(((Distilled) aOutcome).key()).isEqualTo(((Distilled) b).key());
            assertThat(aOutcome.report()).isEqualTo(b.report());
            assertThat(alice.account().consumedBits())
                    .isEqualTo(bob.account().consumedBits())
                    .isPositive();
            if (aliceConfig.tls().isPresent()) {
                assertThat(aliceWire.peerPrincipal().orElseThrow().getName()).isEqualTo("CN=kme-bob");
                assertThat(bobWire.peerPrincipal().orElseThrow().getName()).isEqualTo("CN=kme-alice");
            }
            alice.close();
            bob.close();
        }
    }

    @Test
    void garbageOnTheWireClosesTheSessionWithoutTouchingTheAuthenticationState() throws Exception {
        try (PeerServer server = PeerServer.bind(new InetSocketAddress("127.0.0.1", 0), PeerConfig.defaults());
                Socket raw = new Socket("127.0.0.1", server.localAddress().getPort())) {
            AuthenticatedTransport alice = AuthenticatedTransport.alice(
                    server.accept(Duration.ofSeconds(10)), AuthKeyPool.bootstrap(new byte[64]), AuthConfig.defaults());
            OutputStream out = raw.getOutputStream();
            out.write(new byte[] {0, 0, 0, 8, 1, 99, 0, 0, 0, 2, 0, 0}); // unknown message type
            out.flush();
            assertThatThrownBy(alice::receive)
                    .isInstanceOfSatisfying(
                            PeerTransportException.class,
                            e -> assertThat(e.code()).isEqualTo(PeerTransportException.Code.MALFORMED_FRAME));
            assertThat(alice.account()).isEqualTo(AuthAccount.NONE);
            assertThat(raw.getInputStream().read()).isEqualTo(-1); // the server closed the connection
        }
    }

    @Test
    void anOversizedLengthClosesTheSessionBeforeTheBodyArrives() throws Exception {
        try (PeerServer server = PeerServer.bind(new InetSocketAddress("127.0.0.1", 0), PeerConfig.defaults());
                Socket raw = new Socket("127.0.0.1", server.localAddress().getPort())) {
            NettyPeerTransport wire = server.accept(Duration.ofSeconds(10));
            raw.getOutputStream().write(new byte[] {0x7F, 0, 0, 0, 1, 2, 3});
            raw.getOutputStream().flush();
            assertThatThrownBy(wire::receive)
                    .isInstanceOfSatisfying(
                            PeerTransportException.class,
                            e -> assertThat(e.code()).isEqualTo(PeerTransportException.Code.FRAME_TOO_LARGE));
            assertThat(raw.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void aClientWithACertificateFromAnotherCaIsNeverAccepted() throws Exception {
        TestPki ours = new TestPki(dir, "ours");
        TestPki theirs = new TestPki(dir, "theirs");
        PeerTls server = ours.issue("kme-server", "127.0.0.1");
        PeerTls stranger = theirs.issue("kme-stranger", "127.0.0.1");
        PeerTls strangerTrustingUs = new PeerTls(stranger.certificateChain(), stranger.privateKey(), ours.caFile());
        try (PeerServer s = PeerServer.bind(
                        new InetSocketAddress("127.0.0.1", 0),
                        PeerConfig.defaults().withTls(server));
                PeerClient c = new PeerClient(
                        PeerConfig.defaults().withTls(strangerTrustingUs).withReceiveTimeout(Duration.ofSeconds(5)))) {
            int port = s.localAddress().getPort();
            try {
                // TLS 1.3: the client may finish its side before the server refuses its certificate.
                NettyPeerTransport t = c.connect("127.0.0.1", port);
                assertThatThrownBy(t::receive).isInstanceOf(PeerTransportException.class);
            } catch (PeerTransportException refused) {
                assertThat(refused.code()).isEqualTo(PeerTransportException.Code.TLS_FAILED);
            }
            assertThatThrownBy(() -> s.accept(Duration.ofMillis(300)))
                    .isInstanceOfSatisfying(
                            PeerTransportException.class,
                            e -> assertThat(e.code()).isEqualTo(PeerTransportException.Code.TIMEOUT));
        }
    }

    @Test
    void aServerWhoseNameDoesNotMatchIsRefused() throws Exception {
        TestPki pki = new TestPki(dir, "names");
        PeerTls server = pki.issue("kme-elsewhere", "kme.example.org");
        PeerTls client = pki.issue("kme-client", "127.0.0.1");
        try (PeerServer s = PeerServer.bind(
                        new InetSocketAddress("127.0.0.1", 0),
                        PeerConfig.defaults().withTls(server));
                PeerClient c = new PeerClient(PeerConfig.defaults().withTls(client))) {
            assertThatThrownBy(() -> c.connect("127.0.0.1", s.localAddress().getPort()))
                    .isInstanceOfSatisfying(
                            PeerTransportException.class,
                            e -> assertThat(e.code()).isEqualTo(PeerTransportException.Code.TLS_FAILED));
        }
    }

    @Test
    void aPlainClientCannotTalkToATlsServer() throws Exception {
        TestPki pki = new TestPki(dir, "plain");
        try (PeerServer s = PeerServer.bind(
                        new InetSocketAddress("127.0.0.1", 0),
                        PeerConfig.defaults().withTls(pki.issue("kme-server", "127.0.0.1")));
                PeerClient c = new PeerClient(PeerConfig.defaults().withReceiveTimeout(Duration.ofSeconds(1)))) {
            NettyPeerTransport t = c.connect("127.0.0.1", s.localAddress().getPort());
            try {
                t.send(new Confirm(1));
            } catch (PeerTransportException closedAlready) {
                // fine either way
            }
            assertThatThrownBy(t::receive).isInstanceOf(PeerTransportException.class);
            assertThatThrownBy(() -> s.accept(Duration.ofMillis(300))).isInstanceOf(PeerTransportException.class);
        }
    }
}
