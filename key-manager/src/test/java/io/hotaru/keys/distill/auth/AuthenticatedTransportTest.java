package io.hotaru.keys.distill.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.keys.distill.auth.AuthenticationException.Code;
import io.hotaru.keys.distill.protocol.AbortReason;
import io.hotaru.keys.distill.protocol.DistillMessage;
import io.hotaru.keys.distill.protocol.DistillMessage.Abort;
import io.hotaru.keys.distill.protocol.DistillMessage.Authenticated;
import io.hotaru.keys.distill.protocol.DistillMessage.Confirm;
import io.hotaru.keys.distill.protocol.DistillMessage.EstimationBits;
import io.hotaru.keys.distill.protocol.DistillMessage.ParityRequest;
import io.hotaru.keys.distill.protocol.DistillMessage.ParityResponse;
import io.hotaru.keys.distill.protocol.MessageSamples;
import io.hotaru.keys.distill.protocol.codec.CodecLimits;
import io.hotaru.keys.distill.protocol.codec.MessageCodec;
import io.hotaru.reliability.figures.ReliabilityFigures;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class AuthenticatedTransportTest {
    static final int FORGERY_ATTEMPTS = ReliabilityFigures.count("hotaru.forgery.attempts", 100_000);
    static final int DEFERRED_ATTEMPTS = 20_000;

    /** Both ends of one link over two adversary-controlled wires, keyed from one shared secret. */
    static final class Link {
        final Wire aliceWire = new Wire();
        final Wire bobWire = new Wire();
        final AuthKeyPool alicePool;
        final AuthKeyPool bobPool;
        final AuthenticatedTransport alice;
        final AuthenticatedTransport bob;

        Link(long seed, int rotateAfterRounds) {
            this(seed, rotateAfterRounds, 4096);
        }

        Link(long seed, int rotateAfterRounds, int secretBytes) {
            this(seed, rotateAfterRounds, secretBytes, false);
        }

        Link(long seed, int rotateAfterRounds, int secretBytes, boolean deferReconcileTags) {
            byte[] secret = new byte[secretBytes];
            new SplittableRandom(seed).nextBytes(secret);
            alicePool = AuthKeyPool.bootstrap(secret);
            bobPool = AuthKeyPool.bootstrap(secret);
            AuthConfig config = new AuthConfig(rotateAfterRounds, deferReconcileTags, CodecLimits.DEFAULT);
            alice = AuthenticatedTransport.alice(aliceWire, alicePool, config);
            bob = AuthenticatedTransport.bob(bobWire, bobPool, config);
        }

        /** Alice sends, the wire carries it unchanged, Bob receives. */
        DistillMessage toBob(DistillMessage m) {
            alice.send(m);
            bobWire.deliver(aliceWire.takeSent());
            return bob.receive();
        }

        DistillMessage toAlice(DistillMessage m) {
            bob.send(m);
            aliceWire.deliver(bobWire.takeSent());
            return alice.receive();
        }
    }

    @Test
    void messagesOfEveryTypeArriveAsSentAndBothEndsSpendTheSameKey() {
        long seed = 11;
        Link link = new Link(seed, 2);
        MessageSamples samples = new MessageSamples(seed, 50);
        for (int i = 0; i < 200; i++) {
            DistillMessage m = samples.next();
            if (m instanceof Authenticated
                    || m instanceof DistillMessage.AuthSync
                    || (m instanceof Abort a && a.reason() == AbortReason.AUTHENTICATION_FAILED)) {
                continue;
            }
            DistillMessage received = i % 3 == 0 ? link.toAlice(m) : link.toBob(m);
            assertThat(received).usingRecursiveComparison().isEqualTo(m);
        }
        AuthAccount alice = link.alice.account();
        AuthAccount bob = link.bob.account();
        assertMirrored(alice, bob);
        assertThat(alice.tagsSent() + alice.tagsVerified()).isGreaterThan(150);
        assertThat(alice.padBits()).isEqualTo(64 * (alice.tagsSent() + alice.tagsVerified()));
        assertThat(alice.consumedBits())
                .isEqualTo(link.alicePool.consumedBits(Direction.ALICE_TO_BOB)
                        + link.alicePool.consumedBits(Direction.BOB_TO_ALICE));
        assertThat(link.alicePool.toString()).isEqualTo(link.bobPool.toString());
    }

    @Test
    void hashKeyRotatesAfterTheConfiguredNumberOfBlocks() {
        Link link = new Link(3, 3);
        for (long block = 1; block <= 10; block++) {
            for (int i = 0; i < 4; i++) {
                link.toBob(new Confirm(block));
            }
        }
        // One key for blocks 1–3 (and block 4's first message), then one every three blocks: 4 keys.
        assertThat(link.bob.account().hashKeyBits()).isEqualTo(4 * 64);
        assertMirrored(link.alice.account(), link.bob.account());
        assertThat(link.alice.account().padBits()).isEqualTo(40 * 64);

        Link everyBlock = new Link(3, 1);
        for (long block = 1; block <= 10; block++) {
            everyBlock.toBob(new Confirm(block));
            everyBlock.toBob(new Confirm(block));
        }
        assertThat(everyBlock.bob.account().hashKeyBits()).isEqualTo(10 * 64);
    }

    @Test
    void aRejectedMessageClosesBothEnds() {
        Link link = new Link(5, 1);
        link.toBob(new Confirm(1));
        link.alice.send(new Confirm(1));
        Authenticated e = link.aliceWire.takeSent();
        link.bobWire.deliver(new Authenticated(e.blockId(), e.sequence(), e.frame(), e.tag() ^ 1));
        assertThatThrownBy(link.bob::receive)
                .isInstanceOfSatisfying(
                        AuthenticationException.class, x -> assertThat(x.code()).isEqualTo(Code.TAG_MISMATCH));
        assertThat(link.bob.isClosed()).isTrue();
        assertThatThrownBy(() -> link.bob.send(new Confirm(1)))
                .isInstanceOfSatisfying(
                        AuthenticationException.class, x -> assertThat(x.code()).isEqualTo(Code.CLOSED));

        // Bob's notice is authentic, so Alice believes it and closes too.
        link.aliceWire.deliver(link.bobWire.takeSent());
        assertThatThrownBy(link.alice::receive)
                .isInstanceOfSatisfying(
                        AuthenticationException.class, x -> assertThat(x.code()).isEqualTo(Code.PEER_REJECTED));
        assertThat(link.alice.isClosed()).isTrue();
        assertMirrored(link.alice.account(), link.bob.account());
    }

    @Test
    void plainMessagesAndMalformedEnvelopesAreRejected() {
        Link link = new Link(6, 1);
        link.bobWire.deliver(new Confirm(1));
        assertRejected(link, Code.NOT_AUTHENTICATED);

        // An authentic frame that is no message: sealed by hand with Alice's keys.
        Link other = new Link(7, 1);
        AuthKeyPool keys = AuthKeyPool.bootstrap(secret(7));
        TagChannel channel = new TagChannel(Direction.ALICE_TO_BOB, keys, 1);
        byte[] garbage = {1, 10, 0, 0, 0, 1, 0};
        other.bobWire.deliver(new Authenticated(0, 0, garbage, channel.seal(0, garbage)));
        assertRejected(other, Code.MALFORMED);

        // An authentic message in an envelope that names another block.
        Link third = new Link(8, 1);
        third.alice.send(new Confirm(4));
        Authenticated e = third.aliceWire.takeSent();
        third.bobWire.deliver(new Authenticated(5, e.sequence(), e.frame(), e.tag()));
        assertRejected(third, Code.MALFORMED);
    }

    @Test
    void flippingAnyBitOfAnEnvelopeIsRejected() {
        Link probe = new Link(9, 1);
        probe.alice.send(new EstimationBits(77, new long[] {0x0123456789ABCDEFL, -1L}));
        Authenticated e = probe.aliceWire.takeSent();
        int bits = 8 * e.frame().length + 64 + 64 + 64;
        for (int bit = 0; bit < bits; bit++) {
            Link link = new Link(9, 1);
            link.alice.send(new EstimationBits(77, new long[] {0x0123456789ABCDEFL, -1L}));
            link.bobWire.deliver(flip(link.aliceWire.takeSent(), bit));
            int b = bit;
            assertThatThrownBy(link.bob::receive).as("bit %d", b).isInstanceOf(AuthenticationException.class);
        }
    }

    /**
     * The adversary's moves on a live link: flip bits, truncate or extend the frame, replay,
     * reorder, drop, reflect, or rewrite the sequence number to fit. Every one is rejected.
     */
    @Test
    @Tag("reliability")
    void forgeriesReplaysAndReorderingsAreAllRejected() {
        long seed = 0xF0_2CE2L;
        SplittableRandom random = new SplittableRandom(seed);
        MessageSamples samples = new MessageSamples(seed, 24);
        int[] byMove = new int[8];
        for (int attempt = 0; attempt < FORGERY_ATTEMPTS; attempt++) {
            Link link = new Link(random.nextLong(), 1 + random.nextInt(3), 256);
            int before = random.nextInt(3);
            for (int i = 0; i < before; i++) {
                link.toBob(plain(samples));
            }
            DistillMessage m1 = plain(samples);
            DistillMessage m2 = plain(samples);
            link.alice.send(m1);
            link.alice.send(m2);
            Authenticated e1 = link.aliceWire.takeSent();
            Authenticated e2 = link.aliceWire.takeSent();
            int move = random.nextInt(8);
            byMove[move]++;
            Function<AuthenticatedTransport, DistillMessage> victim = AuthenticatedTransport::receive;
            AuthenticatedTransport target = link.bob;
            switch (move) {
                case 0 -> link.bobWire.deliver(flip(e1, random.nextInt(8 * e1.frame().length + 128)));
                case 1 ->
                    link.bobWire.deliver(new Authenticated(
                            e1.blockId(),
                            e1.sequence(),
                            Arrays.copyOf(e1.frame(), random.nextInt(e1.frame().length)),
                            e1.tag()));
                case 2 -> {
                    byte[] longer = Arrays.copyOf(e1.frame(), e1.frame().length + 1 + random.nextInt(8));
                    link.bobWire.deliver(new Authenticated(e1.blockId(), e1.sequence(), longer, e1.tag()));
                }
                case 3 -> { // replay e1 after delivering it
                    link.bobWire.deliver(e1);
                    link.bob.receive();
                    link.bobWire.deliver(random.nextBoolean() ? e1 : withSequence(e1, e1.sequence() + 1));
                }
                case 4 -> link.bobWire.deliver(e2); // reorder / drop e1
                case 5 -> link.bobWire.deliver(withSequence(e2, e1.sequence())); // reorder, sequence rewritten
                case 6 -> { // reflect Alice's message back to her, sequence fitted to her inbound side
                    target = link.alice;
                    link.aliceWire.deliver(withSequence(e1, 0));
                }
                default -> { // a message sealed for another link's keys
                    Link other = new Link(random.nextLong(), 1, 256);
                    for (int i = 0; i < before; i++) {
                        other.alice.send(new DistillMessage.Confirm(0));
                        other.aliceWire.takeSent();
                    }
                    other.alice.send(m1);
                    link.bobWire.deliver(other.aliceWire.takeSent());
                }
            }
            AuthenticatedTransport t = target;
            try {
                DistillMessage accepted = victim.apply(t);
                throw new AssertionError(
                        "seed " + seed + " attempt " + attempt + " move " + move + ": accepted " + accepted);
            } catch (AuthenticationException rejected) {
                if (!t.isClosed()) {
                    throw new AssertionError("seed " + seed + " attempt " + attempt + ": still open");
                }
            }
        }
        System.out.printf(
                "forgery seed %d: %d attempts, all rejected; by move %s%n",
                seed, FORGERY_ATTEMPTS, Arrays.toString(byMove));
        assertThat(Arrays.stream(byMove).min().orElseThrow()).isGreaterThan(FORGERY_ATTEMPTS / 10);
        ReliabilityFigures.record("forgery_attempts", "peer-wegman-carter", FORGERY_ATTEMPTS);
    }

    @Test
    void deferredReconcileMessagesAreCoveredByTheNextTag() {
        Link link = new Link(12, 1, 4096, true);
        for (int round = 0; round < 3; round++) {
            link.toAlice(new ParityRequest(1, round, new byte[] {0}, new int[] {0}, new int[] {8}));
            link.toBob(new ParityResponse(1, round, 1, new long[] {1}));
        }
        assertThat(link.alice.account().tagsSent()).isZero();
        link.toAlice(new Confirm(1));
        link.toBob(new Confirm(1));
        assertThat(link.alice.account().tagsSent()).isEqualTo(1);
        assertThat(link.alice.account().tagsVerified()).isEqualTo(1);
        assertMirrored(link.alice.account(), link.bob.account());
    }

    /**
     * Deferred tags: the adversary changes, drops, replays or reorders an untagged Cascade message;
     * the untagged message may be delivered, but the tagged one that follows never is.
     */
    @Test
    void tamperingWithDeferredMessagesIsCaughtByTheNextTag() {
        long seed = 0xDEFE22EDL;
        SplittableRandom random = new SplittableRandom(seed);
        for (int attempt = 0; attempt < DEFERRED_ATTEMPTS; attempt++) {
            Link link = new Link(random.nextLong(), 1, 256, true);
            link.alice.send(new ParityResponse(1, 0, 64, new long[] {random.nextLong()}));
            link.alice.send(new ParityResponse(1, 1, 64, new long[] {random.nextLong()}));
            link.alice.send(new Confirm(1));
            Authenticated r1 = link.aliceWire.takeSent();
            Authenticated r2 = link.aliceWire.takeSent();
            Authenticated t = link.aliceWire.takeSent();
            assertThat(r1.tag()).isZero();
            int move = random.nextInt(6);
            switch (move) {
                case 0 -> deliverAll(link, flip(r1, random.nextInt(8 * r1.frame().length + 64 + 64)), r2, t);
                case 1 -> deliverAll(link, r1, flip(r2, random.nextInt(8 * r2.frame().length + 64 + 64)), t);
                case 2 -> deliverAll(link, r2, r1, t);
                case 3 -> deliverAll(link, r1, withSequence(r1, 1), t);
                case 4 -> deliverAll(link, withSequence(r2, 0), t);
                default ->
                    deliverAll(
                            link,
                            r1,
                            new Authenticated(
                                    r2.blockId(),
                                    r2.sequence(),
                                    Arrays.copyOf(r2.frame(), random.nextInt(r2.frame().length)),
                                    0),
                            t);
            }
            boolean confirmed = false;
            try {
                while (!link.bobWire.inbox.isEmpty()) {
                    confirmed |= link.bob.receive() instanceof Confirm;
                }
            } catch (AuthenticationException rejected) {
                assertThat(link.bob.isClosed()).isTrue();
            }
            if (confirmed) {
                throw new AssertionError("seed " + seed + " attempt " + attempt + " move " + move + ": accepted");
            }
        }
    }

    private static void deliverAll(Link link, Authenticated... envelopes) {
        for (Authenticated e : envelopes) {
            link.bobWire.deliver(e);
        }
    }

    @Test
    void framesOverTheLimitAreRefusedBeforeSealing() {
        AuthConfig small = new AuthConfig(1, false, CodecLimits.ofFrameBytes(1024));
        AuthenticatedTransport alice =
                AuthenticatedTransport.alice(new Wire(), AuthKeyPool.bootstrap(secret(1)), small);
        assertThatThrownBy(() -> alice.send(new EstimationBits(1, new long[120])))
                .isInstanceOf(io.hotaru.keys.distill.protocol.codec.CodecException.class);
        assertThat(alice.account()).isEqualTo(AuthAccount.NONE);
        assertThat(new MessageCodec(small.limits())
                        .encode(new Authenticated(1, Long.MAX_VALUE, new byte[1024 - AuthConfig.ENVELOPE_BYTES], -1L))
                        .length)
                .isLessThanOrEqualTo(1024);
    }

    @Test
    void exhaustedKeyClosesNothingButFailsTheSend() {
        AuthenticatedTransport alice =
                AuthenticatedTransport.alice(new Wire(), AuthKeyPool.bootstrap(new byte[32]), AuthConfig.defaults());
        alice.send(new Confirm(1)); // hash key + pad: both Alice → Bob words
        assertThatThrownBy(() -> alice.send(new Confirm(1)))
                .isInstanceOfSatisfying(
                        AuthenticationException.class, x -> assertThat(x.code()).isEqualTo(Code.KEY_EXHAUSTED));
    }

    /** What one end sent, the other verified; both spent the same bits. */
    static void assertMirrored(AuthAccount alice, AuthAccount bob) {
        assertThat(alice.tagsSent()).isEqualTo(bob.tagsVerified());
        assertThat(alice.tagsVerified()).isEqualTo(bob.tagsSent());
        assertThat(alice.consumedBits()).isEqualTo(bob.consumedBits());
        assertThat(alice.hashKeyBits()).isEqualTo(bob.hashKeyBits());
    }

    private static void assertRejected(Link link, Code code) {
        assertThatThrownBy(link.bob::receive)
                .isInstanceOfSatisfying(
                        AuthenticationException.class, x -> assertThat(x.code()).isEqualTo(code));
        assertThat(link.bob.isClosed()).isTrue();
    }

    private static byte[] secret(long seed) {
        byte[] s = new byte[4096];
        new SplittableRandom(seed).nextBytes(s);
        return s;
    }

    /** A sample message the sessions could send (no envelopes, no transport-level notices). */
    private static DistillMessage plain(MessageSamples samples) {
        while (true) {
            DistillMessage m = samples.next();
            if (!(m instanceof Authenticated)
                    && !(m instanceof DistillMessage.AuthSync)
                    && !(m instanceof Abort a && a.reason() == AbortReason.AUTHENTICATION_FAILED)) {
                return m;
            }
        }
    }

    /** Flips bit {@code bit} of the frame, then of the tag, the sequence number and the block id. */
    static Authenticated flip(Authenticated e, int bit) {
        int frameBits = 8 * e.frame().length;
        if (bit < frameBits) {
            byte[] f = e.frame().clone();
            f[bit >>> 3] ^= (byte) (1 << (bit & 7));
            return new Authenticated(e.blockId(), e.sequence(), f, e.tag());
        }
        bit -= frameBits;
        if (bit < 64) {
            return new Authenticated(e.blockId(), e.sequence(), e.frame(), e.tag() ^ (1L << bit));
        }
        bit -= 64;
        if (bit < 64) {
            return new Authenticated(e.blockId(), e.sequence() ^ (1L << bit), e.frame(), e.tag());
        }
        return new Authenticated(e.blockId() ^ (1L << (bit - 64)), e.sequence(), e.frame(), e.tag());
    }

    static Authenticated withSequence(Authenticated e, long sequence) {
        return new Authenticated(e.blockId(), sequence, e.frame(), e.tag());
    }
}
