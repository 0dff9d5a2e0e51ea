package io.hotaru.agent.link;

import io.hotaru.drivers.TagBatch;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.keys.distill.protocol.DistillMessage;
import io.hotaru.keys.distill.protocol.DistillMessage.SlotReveal;
import io.hotaru.keys.distill.protocol.DistillMessage.SlotRevealRequest;
import io.hotaru.keys.distill.protocol.PeerTransport;
import java.util.Arrays;

/**
 * The receiver's side of the time-offset exchange that opens every peer connection: reads two short
 * windows of raw time tags a gap apart, asks the transmitter which slots around them were vacuum
 * ({@link SlotRevealServer}), and finds the offset and rate of its clock with {@link
 * SlotClockAcquisition}; an ambiguous result is tried again, up to {@code attempts} times. It always
 * ends the exchange with the empty request, so the transmitter goes on to key generation either way.
 * No slot revealed is ever distilled: key generation starts at {@link Result#firstKeySlot()}.
 */
public final class SlotClockTraining {

    /**
     * @param maxOffsetPs the largest offset between the clocks at receiver time 0; without an earlier
     *     clock the first window searches it plus {@code maxRateError} times the receiver's time
     * @param maxRateError the largest rate error between the clocks (e.g. 20e-6)
     * @param windowPs length of each window of tags, receiver clock
     * @param gapPs from the start of the first window to the start of the second
     * @param attempts tries before giving up
     */
    public record Settings(double maxOffsetPs, double maxRateError, long windowPs, long gapPs, int attempts) {
        public Settings {
            if (!(maxOffsetPs > 0) || !(maxRateError >= 0) || windowPs <= 0 || gapPs <= windowPs || attempts < 1) {
                throw new IllegalArgumentException("time sync settings out of range: " + maxOffsetPs + " ps, rate "
                        + maxRateError + ", window " + windowPs + " ps, gap " + gapPs + " ps, attempts " + attempts);
            }
        }
    }

    /**
     * @param clock the acquired clock, null if every attempt was ambiguous
     * @param firstKeySlot link slot at which key generation may start: after every slot revealed
     * @param attempts attempts made
     * @param first the first window's offset estimate of the last attempt
     * @param second the second window's, null if the first was already ambiguous
     */
    public record Result(
            SlotClock clock,
            long firstKeySlot,
            int attempts,
            SlotClockAcquisition.Offset first,
            SlotClockAcquisition.Offset second) {}

    /** Slots added at each end of a reveal for the phase within a slot and the rounding. */
    private static final long MARGIN = 8;

    private static final long READ_TIMEOUT_NS = 30_000_000_000L;

    private final TimeTagger tagger;
    private final PeerTransport peer;
    private final double slotPeriodPs;
    private final Settings settings;
    private final TagBatch batch = new TagBatch(1 << 16);

    public SlotClockTraining(TimeTagger tagger, PeerTransport peer, double slotPeriodPs, Settings settings) {
        this.tagger = tagger;
        this.peer = peer;
        this.slotPeriodPs = slotPeriodPs;
        this.settings = settings;
    }

    /**
     * Runs the exchange; starts the tagger (a receiver link started afterwards reads on).
     *
     * @param previous the clock of an earlier connection, whose prediction centres the search, or
     *     null
     */
    public Result acquire(SlotClock previous) {
        tagger.start();
        long revealedEnd = 0;
        Result result = null;
        try {
            for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
                result = attempt(previous, attempt);
                revealedEnd = Math.max(revealedEnd, result.firstKeySlot());
                if (result.clock() != null) {
                    break;
                }
            }
        } finally {
            peer.send(new SlotRevealRequest(0, 0, 0));
        }
        return new Result(result.clock(), revealedEnd, result.attempts(), result.first(), result.second());
    }

    private Result attempt(SlotClock previous, int attempt) {
        long start = readUntil(Long.MIN_VALUE, null);
        long secondStart = start + settings.gapPs();
        long[][] windows = windows(start, secondStart, settings.windowPs());
        long[] first = windows[0];
        long[] second = windows[1];

        // The offset seen now is O + d·t: without an earlier clock, search as far as the largest
        // offset plus the largest drift since the receiver's clock read 0; with one, around its
        // prediction.
        double centrePs = previous == null ? 0 : start - previous.linkTimePs(start);
        double searchPs = settings.maxOffsetPs() + (previous == null ? settings.maxRateError() * Math.abs(start) : 0);
        long centreShift = Math.round(centrePs / slotPeriodPs);
        // at most what one reveal request may ask for
        long windowSlots = (long) Math.ceil(settings.windowPs() / slotPeriodPs);
        long maxSpan = (SlotRevealServer.MAX_SLOTS_PER_REQUEST - windowSlots) / 2 - 4 * MARGIN;
        long span2 = (long) Math.ceil((settings.maxRateError() * settings.gapPs() + slotPeriodPs) / slotPeriodPs);
        long span1 = Math.min((long) Math.ceil(searchPs / slotPeriodPs), maxSpan - span2);
        searchPs = Math.min(searchPs, span1 * slotPeriodPs);
        // Every slot the search can look at: each tag's slot at shift 0 (± 2 for the phase and the
        // rounding, see MARGIN) less every shift searched. A slot outside the reveal would count as "not vacuum"
        // and could make a wrong shift look right, so the ranges cover all of them.
        long lo1 = (long) Math.floor(start / slotPeriodPs) - MARGIN - centreShift - span1;
        long hi1 = (long) Math.ceil((start + settings.windowPs()) / slotPeriodPs) + MARGIN - centreShift + span1;
        long lo2 = (long) Math.floor(secondStart / slotPeriodPs) - MARGIN - centreShift - span1 - span2;
        long hi2 = (long) Math.ceil((secondStart + settings.windowPs()) / slotPeriodPs)
                + MARGIN
                - centreShift
                + span1
                + span2;
        lo1 = Math.max(0, lo1);
        lo2 = Math.max(0, lo2);
        if (hi1 <= lo1 || hi2 <= lo2) { // the clock would be before the link's slot 0
            return new Result(null, Math.max(0, Math.max(hi1, hi2)), attempt, null, null);
        }
        peer.send(new SlotRevealRequest(0, lo1, hi1));
        peer.send(new SlotRevealRequest(0, lo2, hi2));
        SlotReveal r1 = reveal(lo1, hi1);
        SlotReveal r2 = reveal(lo2, hi2);
        SyncPattern pattern = slot -> isVacuum(r1, slot) || isVacuum(r2, slot);

        SlotClockAcquisition.Offset a =
                SlotClockAcquisition.offset(first, first.length, slotPeriodPs, 0, centrePs, searchPs, pattern);
        long firstKeySlot = Math.max(hi1, hi2);
        if (!a.unambiguous()) {
            return new Result(null, firstKeySlot, attempt, a, null);
        }
        SlotClockAcquisition.Offset b = SlotClockAcquisition.offset(
                second,
                second.length,
                slotPeriodPs,
                0,
                a.offsetPs(),
                settings.maxRateError() * (mean(second) - mean(first)) + slotPeriodPs,
                pattern);
        if (!b.unambiguous()) {
            return new Result(null, firstKeySlot, attempt, a, b);
        }
        return new Result(
                SlotClockAcquisition.clockFrom(a, mean(first), b, mean(second), slotPeriodPs),
                firstKeySlot,
                attempt,
                a,
                b);
    }

    private SlotReveal reveal(long lo, long hi) {
        DistillMessage m = peer.receive();
        if (!(m instanceof SlotReveal r)
                || r.firstSlot() != lo
                || r.endSlot() != hi
                || r.vacuumMask().length != (int) ((hi - lo + 63) >>> 6)) {
            throw new TimeSyncException("expected the reveal of slots [" + lo + ", " + hi + "), got "
                    + m.getClass().getSimpleName());
        }
        return r;
    }

    private static boolean isVacuum(SlotReveal r, long slot) {
        if (slot < r.firstSlot() || slot >= r.endSlot()) {
            return false;
        }
        long i = slot - r.firstSlot();
        return (r.vacuumMask()[(int) (i >>> 6)] & (1L << (i & 63))) != 0;
    }

    /**
     * The tags stamped in [first, first + length) and in [second, second + length), receiver clock,
     * in one pass: a read may return both windows at once when the tagger has a backlog.
     */
    private long[][] windows(long first, long second, long length) {
        long[][] tags = {new long[1024], new long[1024]};
        int[] n = {0, 0};
        readUntil(second + length, t -> {
            int w = t >= first && t < first + length ? 0 : t >= second && t < second + length ? 1 : -1;
            if (w >= 0) {
                if (n[w] == tags[w].length) {
                    tags[w] = Arrays.copyOf(tags[w], n[w] * 2);
                }
                tags[w][n[w]++] = t;
            }
        });
        return new long[][] {Arrays.copyOf(tags[0], n[0]), Arrays.copyOf(tags[1], n[1])};
    }

    /**
     * Reads (passing each tag to {@code sink}, if any) until the tagger is complete up to {@code
     * untilPs}, or once if {@code untilPs} is {@code Long.MIN_VALUE}.
     *
     * @return how far the tagger is complete, receiver clock
     */
    private long readUntil(long untilPs, java.util.function.LongConsumer sink) {
        long deadline = System.nanoTime() + READ_TIMEOUT_NS;
        while (true) {
            int n = tagger.read(batch);
            long[] t = batch.timestampsPs();
            if (sink != null) {
                for (int i = 0; i < n; i++) {
                    sink.accept(t[i]);
                }
            }
            long complete = batch.completeUpToPs();
            if (untilPs == Long.MIN_VALUE || complete >= untilPs) {
                return complete;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeSyncException("the time tagger did not advance to " + untilPs + " ps within 30 s");
            }
            if (n < batch.capacity()) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TimeSyncException("interrupted while reading the training tags");
                }
            }
        }
    }

    private static double mean(long[] values) {
        double sum = 0;
        for (long v : values) {
            sum += v;
        }
        return values.length == 0 ? 0 : sum / values.length;
    }
}
