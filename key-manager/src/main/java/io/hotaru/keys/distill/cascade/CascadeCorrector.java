package io.hotaru.keys.distill.cascade;

import io.hotaru.keys.distill.bits.PackedBits;
import io.hotaru.keys.distill.protocol.DistillMessage.ParityRequest;
import io.hotaru.keys.distill.protocol.DistillMessage.ParityResponse;
import io.hotaru.keys.distill.protocol.DistillMessage.ReconcileMessage;
import io.hotaru.keys.distill.reconcile.ReconcileContext;
import io.hotaru.keys.distill.reconcile.ReconcileEndpoint;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Bob's end of Cascade. Work is batched as in brunorijsman/cascade-cpp: all pending binary-search
 * steps run until each one needs a parity it does not know, then one request carries all those
 * questions. A corrected bit flips the error parity of the block that holds it in every other
 * pass; those blocks are searched again (the cascade effect). After the normal passes come the
 * variant's BICONF rounds, if any: the parity of a random half of the key, searched when odd,
 * corrected without the cascade effect, until enough rounds in a row correct nothing.
 */
final class CascadeCorrector implements ReconcileEndpoint {
    private record Pending(CascadeBlock block, boolean thenRightSibling) {}

    private final long[] key;
    private final int length;
    private final CascadeParameters parameters;
    private final ReconcileContext context;
    private final List<Pass> passes = new ArrayList<>();
    private final ArrayDeque<Pending> toTry = new ArrayDeque<>();
    private List<Pending> toAsk = new ArrayList<>();
    private List<Pending> inFlight = List.of();
    private final long[] flipped;
    /** The key one bit per byte, kept in step with it, for fast shuffles. */
    private byte[] unpacked;

    private long leaked;
    private int rounds;
    private boolean finished;
    private int cleanBiconfRounds;
    private int correctionsThisPass;

    private static final class Pass {
        final int blockSize;
        final boolean biconf;
        final Permutation permutation;
        final long[] bits;
        final CascadeBlock[] top;

        /** A normal pass: top blocks of {@code blockSize} covering the key. */
        Pass(int number, int blockSize, Permutation permutation, long[] bits, int length) {
            this.blockSize = blockSize;
            this.biconf = false;
            this.permutation = permutation;
            this.bits = bits;
            this.top = new CascadeBlock[(length + blockSize - 1) / blockSize];
            for (int b = 0; b < top.length; b++) {
                top[b] = new CascadeBlock(number, b * blockSize, Math.min(length, (b + 1) * blockSize), null);
            }
        }

        /** A BICONF round: one block, the first half of the shuffled key. */
        Pass(int number, Permutation permutation, long[] bits, int length) {
            this.blockSize = Math.max(1, length / 2);
            this.biconf = true;
            this.permutation = permutation;
            this.bits = bits;
            this.top = new CascadeBlock[] {new CascadeBlock(number, 0, blockSize, null)};
        }
    }

    private final PermutationCache permutations;

    CascadeCorrector(
            long[] key,
            int length,
            CascadeParameters parameters,
            ReconcileContext context,
            PermutationCache permutations) {
        this.permutations = permutations;
        this.key = key;
        this.length = length;
        this.parameters = parameters;
        this.context = context;
        this.flipped = new long[PackedBits.words(length)];
    }

    @Override
    public List<ReconcileMessage> start() {
        return next();
    }

    @Override
    public List<ReconcileMessage> onMessage(ReconcileMessage message) {
        if (!(message instanceof ParityResponse response)
                || finished
                || response.round() != rounds - 1
                || response.count() != inFlight.size()
                || response.parities().length != PackedBits.words(inFlight.size())) {
            throw new IllegalArgumentException("unexpected Cascade message");
        }
        leaked += inFlight.size();
        for (int i = 0; i < inFlight.size(); i++) {
            Pending p = inFlight.get(i);
            p.block().correctParity = PackedBits.get(response.parities(), i);
            toTry.add(p);
        }
        inFlight = List.of();
        return next();
    }

    private List<ReconcileMessage> next() {
        while (true) {
            while (!toTry.isEmpty()) {
                Pending p = toTry.poll();
                tryCorrect(p.block(), p.thenRightSibling());
            }
            if (!toAsk.isEmpty()) {
                return List.of(request());
            }
            if (!passes.isEmpty() && passes.get(passes.size() - 1).biconf) {
                cleanBiconfRounds = correctionsThisPass == 0 ? cleanBiconfRounds + 1 : 0;
            }
            if (!morePasses()) {
                finished = true;
                return List.of();
            }
            startPass();
        }
    }

    private boolean morePasses() {
        if (length == 0 || passes.size() >= CascadeParameters.MAX_PASSES) {
            return false;
        }
        if (passes.size() < parameters.passes()) {
            return true;
        }
        return length >= 2 && cleanBiconfRounds < parameters.variant().biconfStreak();
    }

    private void startPass() {
        int number = passes.size();
        correctionsThisPass = 0;
        Permutation permutation = permutations.acquire(context.seed(), number, length);
        if (unpacked == null) {
            unpacked = Permutation.unpack(key, length);
        }
        long[] shuffled = permutation.shuffle(unpacked);
        Pass pass = number < parameters.passes()
                ? new Pass(
                        number,
                        parameters.blockSize(number, context.qberEstimate(), length),
                        permutation,
                        shuffled,
                        length)
                : new Pass(number, permutation, shuffled, length);
        passes.add(pass);
        for (CascadeBlock b : pass.top) {
            b.asked = true;
            toAsk.add(new Pending(b, false));
        }
    }

    private ParityRequest request() {
        int n = toAsk.size();
        byte[] passNumbers = new byte[n];
        int[] starts = new int[n];
        int[] ends = new int[n];
        for (int i = 0; i < n; i++) {
            CascadeBlock b = toAsk.get(i).block();
            passNumbers[i] = (byte) b.pass;
            starts[i] = b.start;
            ends[i] = b.end;
        }
        inFlight = toAsk;
        toAsk = new ArrayList<>();
        return new ParityRequest(context.blockId(), rounds++, passNumbers, starts, ends);
    }

    private void tryCorrect(CascadeBlock block, boolean thenRightSibling) {
        if (block.correctParity == CascadeBlock.UNKNOWN && !block.inferParity()) {
            // A block reached twice before its answer arrives is reached the same way (left halves
            // continue to their sibling, top blocks do not), so one question serves both. The
            // published figures were made asking it again; that mode exists to reproduce them.
            if (!block.asked || parameters.repeatQuestions()) {
                block.asked = true;
                toAsk.add(new Pending(block, thenRightSibling));
            }
            return;
        }
        Pass pass = passes.get(block.pass);
        int errorParity = block.correctParity ^ PackedBits.rangeParity(pass.bits, block.start, block.end);
        if (errorParity == 0) {
            if (thenRightSibling) {
                tryCorrect(block.parent.right(), false);
            }
            return;
        }
        if (block.size() == 1) {
            correct(pass.permutation.toOriginal(block.start), block.pass);
            return;
        }
        tryCorrect(block.left(), true);
    }

    private void correct(int original, int triggeringPass) {
        correctionsThisPass++;
        PackedBits.flip(key, original);
        PackedBits.flip(flipped, original);
        unpacked[original] ^= 1;
        for (Pass pass : passes) {
            PackedBits.flip(pass.bits, pass.permutation.toShuffled(original));
        }
        if (passes.get(triggeringPass).biconf) {
            return;
        }
        for (int p = 0; p < passes.size(); p++) {
            if (p != triggeringPass) {
                Pass pass = passes.get(p);
                toTry.add(new Pending(pass.top[pass.permutation.toShuffled(original) / pass.blockSize], false));
            }
        }
    }

    @Override
    public boolean finished() {
        return finished;
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
        return PackedBits.hammingDistance(flipped, new long[flipped.length], length);
    }

    @Override
    public void close() {
        for (Pass pass : passes) {
            PackedBits.zero(pass.bits);
            permutations.release(pass.permutation);
        }
        passes.clear();
        PackedBits.zero(flipped);
        if (unpacked != null) {
            Arrays.fill(unpacked, (byte) 0);
        }
    }
}
