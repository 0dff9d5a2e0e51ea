package io.hotaru.keys.distill.protocol;

import io.hotaru.keys.distill.protocol.DistillMessage.Abort;
import io.hotaru.keys.distill.protocol.DistillMessage.AmplificationSeed;
import io.hotaru.keys.distill.protocol.DistillMessage.AuthSync;
import io.hotaru.keys.distill.protocol.DistillMessage.Authenticated;
import io.hotaru.keys.distill.protocol.DistillMessage.Confirm;
import io.hotaru.keys.distill.protocol.DistillMessage.Detections;
import io.hotaru.keys.distill.protocol.DistillMessage.EstimationBits;
import io.hotaru.keys.distill.protocol.DistillMessage.LinkResume;
import io.hotaru.keys.distill.protocol.DistillMessage.ParityRequest;
import io.hotaru.keys.distill.protocol.DistillMessage.ParityResponse;
import io.hotaru.keys.distill.protocol.DistillMessage.ReconciliationComplete;
import io.hotaru.keys.distill.protocol.DistillMessage.SiftAnnouncement;
import io.hotaru.keys.distill.protocol.DistillMessage.SlotReveal;
import io.hotaru.keys.distill.protocol.DistillMessage.SlotRevealRequest;
import io.hotaru.keys.distill.protocol.DistillMessage.VerificationResult;
import io.hotaru.keys.distill.protocol.DistillMessage.VerificationTag;
import java.util.List;
import java.util.SplittableRandom;

/** Random messages of every type, with edge values mixed in, for codec and transport tests. */
public final class MessageSamples {
    /** Every concrete message type, in wire-code order. */
    public static final List<Class<? extends DistillMessage>> TYPES = List.of(
            Detections.class,
            SiftAnnouncement.class,
            EstimationBits.class,
            ParityRequest.class,
            ParityResponse.class,
            ReconciliationComplete.class,
            VerificationTag.class,
            VerificationResult.class,
            AmplificationSeed.class,
            Confirm.class,
            Abort.class,
            Authenticated.class,
            AuthSync.class,
            SlotRevealRequest.class,
            SlotReveal.class,
            LinkResume.class);

    private final SplittableRandom random;
    private final int maxElements;

    public MessageSamples(long seed, int maxElements) {
        this.random = new SplittableRandom(seed);
        this.maxElements = maxElements;
    }

    public DistillMessage next() {
        return of(TYPES.get(random.nextInt(TYPES.size())));
    }

    public DistillMessage of(Class<? extends DistillMessage> type) {
        long blockId = anyLong();
        if (type == Detections.class) {
            int n = size();
            long first = random.nextInt(4) == 0 ? anyLong() : random.nextLong(1L << 40);
            long[] slots = new long[n];
            long s = first;
            for (int i = 0; i < n; i++) {
                s += random.nextInt(8) == 0 ? anyLong() : 1 + random.nextInt(300);
                slots[i] = s;
            }
            return new Detections(blockId, first, s + 1, slots, smallBytes(n, 1));
        } else if (type == SiftAnnouncement.class) {
            int n = size();
            return new SiftAnnouncement(blockId, longs(), smallBytes(n, 3), longs(), longs(), anyLong());
        } else if (type == EstimationBits.class) {
            return new EstimationBits(blockId, longs());
        } else if (type == ParityRequest.class) {
            int n = size();
            int[] starts = new int[n];
            int[] ends = new int[n];
            for (int i = 0; i < n; i++) {
                starts[i] = random.nextInt(8) == 0 ? random.nextInt() : random.nextInt(100_000);
                ends[i] = random.nextInt(8) == 0 ? random.nextInt() : starts[i] + random.nextInt(4096);
            }
            return new ParityRequest(blockId, anyInt(), smallBytes(n, 15), starts, ends);
        } else if (type == ParityResponse.class) {
            return new ParityResponse(blockId, anyInt(), anyInt(), longs());
        } else if (type == ReconciliationComplete.class) {
            return new ReconciliationComplete(blockId, anyLong(), anyInt(), anyInt());
        } else if (type == VerificationTag.class) {
            return new VerificationTag(blockId, anyInt(), longs(), longs());
        } else if (type == VerificationResult.class) {
            return new VerificationResult(blockId, random.nextBoolean());
        } else if (type == AmplificationSeed.class) {
            return new AmplificationSeed(blockId, anyInt(), longs());
        } else if (type == Confirm.class) {
            return new Confirm(blockId);
        } else if (type == Abort.class) {
            AbortReason[] reasons = AbortReason.values();
            return new Abort(blockId, reasons[random.nextInt(reasons.length)]);
        } else if (type == Authenticated.class) {
            byte[] frame = new byte[size() * 4];
            random.nextBytes(frame);
            return new Authenticated(
                    blockId, random.nextInt(4) == 0 ? anyLong() : random.nextInt(1000), frame, anyLong());
        }
        if (type == AuthSync.class) {
            return new AuthSync(blockId, anyLong(), anyLong());
        }
        if (type == LinkResume.class) {
            return new LinkResume(blockId, anyLong(), anyLong());
        }
        if (type == SlotRevealRequest.class) {
            return new SlotRevealRequest(blockId, anyLong(), anyLong());
        }
        if (type == SlotReveal.class) {
            return new SlotReveal(blockId, anyLong(), anyLong(), longs());
        }
        throw new IllegalArgumentException(type.getName());
    }

    private int size() {
        int r = random.nextInt(16);
        return r == 0 ? 0 : r < 12 ? random.nextInt(Math.min(16, maxElements) + 1) : random.nextInt(maxElements + 1);
    }

    private long anyLong() {
        return switch (random.nextInt(6)) {
            case 0 -> 0;
            case 1 -> Long.MIN_VALUE;
            case 2 -> Long.MAX_VALUE;
            case 3 -> -1;
            case 4 -> random.nextInt(1000);
            default -> random.nextLong();
        };
    }

    private int anyInt() {
        return switch (random.nextInt(6)) {
            case 0 -> 0;
            case 1 -> Integer.MIN_VALUE;
            case 2 -> Integer.MAX_VALUE;
            case 3 -> -1;
            case 4 -> random.nextInt(1000);
            default -> random.nextInt();
        };
    }

    private long[] longs() {
        long[] out = new long[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = random.nextLong();
        }
        return out;
    }

    private byte[] smallBytes(int n, int max) {
        byte[] out = new byte[n];
        boolean wide = random.nextInt(8) == 0;
        for (int i = 0; i < n; i++) {
            out[i] = (byte) (wide ? random.nextInt(256) : random.nextInt(max + 1));
        }
        return out;
    }
}
