package io.hotaru.bench.footprint;

import io.hotaru.agent.link.BlockGate;
import io.hotaru.agent.link.LinkStats;
import io.hotaru.agent.link.QrngRandomSource;
import io.hotaru.agent.link.ReceiverLink;
import io.hotaru.agent.link.TransmitterLink;
import io.hotaru.drivers.Drivers;
import io.hotaru.drivers.PhotonSource;
import io.hotaru.drivers.Qrng;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.keys.distill.AliceSession;
import io.hotaru.keys.distill.BobSession;
import io.hotaru.keys.distill.DistillConfig;
import io.hotaru.keys.distill.SourceSettings;
import io.hotaru.keys.distill.auth.AuthConfig;
import io.hotaru.keys.distill.auth.AuthKeyPool;
import io.hotaru.keys.distill.auth.AuthenticatedTransport;
import io.hotaru.keys.distill.cascade.CascadeReconciler;
import io.hotaru.keys.peer.NettyPeerTransport;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * One end of a simulated link as a node's {@code LinkRunner} runs it in KEYGEN: its {@code sim:}
 * devices, its own reconciler, Wegman–Carter authentication over the Netty peer channel (pools
 * topped up from each block's key) and the daemon's {@link TransmitterLink} or {@link
 * ReceiverLink}. Keys are counted and zeroed instead of stored.
 */
final class NetworkedLinkEnd implements AutoCloseable {
    /** Bootstrap secret of the benchmark's link, 64 KiB, the same at both ends (not a real secret). */
    private static final int BOOTSTRAP_BYTES = 1 << 16;

    private static final long BOOTSTRAP_SEED = 0x5EED_F007L;

    private final boolean transmitter;
    private final AuthenticatedTransport auth;
    private final AuthKeyPool pool;
    private final ReplenishingCounter sink;
    private final AutoCloseable[] devices;
    private final TransmitterLink alice;
    private final ReceiverLink bob;

    /**
     * Opens the devices and agrees the authentication positions with the peer (which must do the
     * same at the same time); {@link #start()} then starts key generation.
     */
    NetworkedLinkEnd(String role, String simLink, int blockDetections, NettyPeerTransport transport) {
        this.transmitter = switch (role) {
            case "alice" -> true;
            case "bob" -> false;
            default -> throw new IllegalArgumentException("role must be alice or bob, got " + role);
        };
        this.pool = AuthKeyPool.bootstrap(bootstrapSecret());
        this.auth = transmitter
                ? AuthenticatedTransport.alice(transport, pool, AuthConfig.defaults())
                : AuthenticatedTransport.bob(transport, pool, AuthConfig.defaults());
        auth.synchronize(1 << 16);
        this.sink = new ReplenishingCounter(pool);
        Drivers drivers = Drivers.discover();
        // Either end knows the source's settings from the parameter set (a receiver from its config).
        PhotonSource source = drivers.open("sim:alice?" + simLink, PhotonSource.class);
        io.hotaru.drivers.SourceSettings s = source.settings();
        double[] mu = s.intensities();
        double[] p = s.intensityProbabilities();
        SourceSettings settings = SourceSettings.of(mu[0], mu[1], p[0], p[1], p[2], s.zBasisProbability());
        DistillConfig config = DistillConfig.defaults();
        if (transmitter) {
            Qrng qrng = drivers.open("sim:qrng?seed=99", Qrng.class);
            this.devices = new AutoCloseable[] {source, qrng};
            this.alice = new TransmitterLink(
                    "footprint",
                    source,
                    new AliceSession(config, settings, CascadeReconciler.original(), new QrngRandomSource(qrng), auth),
                    sink,
                    BlockGate.OPEN,
                    0);
            this.bob = null;
        } else {
            source.close();
            TimeTagger tagger = drivers.open("sim:bob?" + simLink, TimeTagger.class);
            this.devices = new AutoCloseable[] {tagger};
            this.alice = null;
            this.bob = new ReceiverLink(
                    "footprint",
                    tagger,
                    new BobSession(config, settings, CascadeReconciler.original(), auth),
                    sink,
                    s.slotPeriodPs(),
                    blockDetections,
                    new SplittableRandom().nextLong(),
                    BlockGate.OPEN,
                    0,
                    0);
        }
    }

    private static byte[] bootstrapSecret() {
        byte[] secret = new byte[BOOTSTRAP_BYTES];
        new SplittableRandom(BOOTSTRAP_SEED).nextBytes(secret);
        return secret;
    }

    void start() {
        if (transmitter) {
            alice.start();
        } else {
            bob.start();
        }
    }

    String role() {
        return transmitter ? "alice" : "bob";
    }

    LinkStats stats() {
        return transmitter ? alice.stats() : bob.stats();
    }

    /** The receiver's distiller's idle time so far ({@link ReceiverLink#distillerIdleNanos}); 0 at the transmitter. */
    long distillerIdleNanos() {
        return transmitter ? 0 : bob.distillerIdleNanos();
    }

    boolean isRunning() {
        return transmitter ? alice.isRunning() : bob.isRunning();
    }

    long keyBytes() {
        return sink.keyBytes();
    }

    /**
     * Stops this end: a receiver after the block in progress, a transmitter at once; then the
     * channel, which ends the peer's session too.
     */
    @Override
    public void close() {
        if (transmitter) {
            alice.stopAfter(0, Duration.ZERO);
        } else {
            bob.close();
        }
        auth.close();
        for (AutoCloseable d : devices) {
            try {
                d.close();
            } catch (Exception e) {
                // closing a simulated device cannot fail in a way that matters here
            }
        }
        pool.close();
    }
}
