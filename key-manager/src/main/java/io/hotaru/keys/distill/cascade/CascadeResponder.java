package io.hotaru.keys.distill.cascade;

import io.hotaru.keys.distill.bits.PackedBits;
import io.hotaru.keys.distill.protocol.DistillMessage.ParityRequest;
import io.hotaru.keys.distill.protocol.DistillMessage.ParityResponse;
import io.hotaru.keys.distill.protocol.DistillMessage.ReconcileMessage;
import io.hotaru.keys.distill.reconcile.ReconcileContext;
import io.hotaru.keys.distill.reconcile.ReconcileEndpoint;
import java.util.Arrays;
import java.util.List;

/** Alice's end of Cascade: answers each round's parity questions from her key. */
final class CascadeResponder implements ReconcileEndpoint {
    private final long[] key;
    private final int length;
    private final ReconcileContext context;
    private final long[][] shuffled;
    private final int normalPasses;
    /** The key one bit per byte, for fast shuffles. */
    private byte[] unpacked;

    private long leaked;
    private int rounds;

    private final PermutationCache permutations;

    CascadeResponder(
            long[] key,
            int length,
            CascadeParameters parameters,
            ReconcileContext context,
            PermutationCache permutations) {
        this.permutations = permutations;
        this.key = key;
        this.length = length;
        this.context = context;
        this.shuffled = new long[maxPasses(parameters)][];
        this.normalPasses = parameters.passes();
    }

    /**
     * Shuffles the key for every normal pass now: Alice waits for Bob's first request next, while
     * he shuffles his own key for the first pass, so her shuffles are off the exchange's path.
     */
    @Override
    public List<ReconcileMessage> start() {
        for (int p = 0; p < normalPasses; p++) {
            pass(p);
        }
        return List.of();
    }

    @Override
    public List<ReconcileMessage> onMessage(ReconcileMessage message) {
        if (!(message instanceof ParityRequest request) || request.round() != rounds) {
            throw new IllegalArgumentException("unexpected Cascade message");
        }
        int n = request.size();
        long[] parities = new long[PackedBits.words(n)];
        for (int i = 0; i < n; i++) {
            int pass = request.passes()[i];
            int start = request.starts()[i];
            int end = request.ends()[i];
            if (pass < 0 || pass >= shuffled.length || start < 0 || start >= end || end > length) {
                throw new IllegalArgumentException("parity range out of bounds");
            }
            if (PackedBits.rangeParity(pass(pass), start, end) != 0) {
                PackedBits.set(parities, i);
            }
        }
        leaked += n;
        rounds++;
        return List.of(new ParityResponse(context.blockId(), request.round(), n, parities));
    }

    /** Passes Bob may ask about: the normal ones, and with BICONF as many as pass numbers allow. */
    private static int maxPasses(CascadeParameters parameters) {
        return parameters.variant().biconfStreak() > 0 ? CascadeParameters.MAX_PASSES : parameters.passes();
    }

    private long[] pass(int pass) {
        if (shuffled[pass] == null) {
            if (unpacked == null) {
                unpacked = Permutation.unpack(key, length);
            }
            Permutation permutation = permutations.acquire(context.seed(), pass, length);
            try {
                shuffled[pass] = permutation.shuffle(unpacked);
            } finally {
                permutations.release(permutation);
            }
        }
        return shuffled[pass];
    }

    @Override
    public boolean finished() {
        return false;
    }

    @Override
    public long leakedBits() {
        return leaked;
    }

    @Override
    public int roundTrips() {
        return rounds;
    }

    @Override
    public int correctedBits() {
        return 0;
    }

    @Override
    public void close() {
        PackedBits.zero(shuffled);
        if (unpacked != null) {
            Arrays.fill(unpacked, (byte) 0);
        }
    }
}
