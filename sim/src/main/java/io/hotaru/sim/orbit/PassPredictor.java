package io.hotaru.sim.orbit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Finds the passes of a satellite over a ground station and samples their geometry.
 *
 * <p>The elevation is scanned at a step of 1/400 of the orbital period (between 1 and 60 s; about
 * 14 s for the ISS). Mask crossings are refined by bisection to 1 ms; a pass that rises above the
 * mask between two samples without a sample above it is found from the local maximum of
 * elevation. Highest elevation and shortest range are refined by golden-section search to 10 ms.
 *
 * <p>Pure and deterministic; not thread-safe (it holds an {@link Sgp4Propagator}).
 */
public final class PassPredictor {

    /** The default elevation mask, degrees. */
    public static final double DEFAULT_MIN_ELEVATION_DEG = 0.0;

    /** The longest search window accepted. */
    public static final Duration MAX_WINDOW = Duration.ofDays(31);

    private static final long CROSSING_TOLERANCE_MS = 1;
    private static final long EXTREMUM_TOLERANCE_MS = 10;
    /** Local elevation maxima this far below the mask are not examined for short passes. */
    private static final double GRAZING_MARGIN_DEG = 5.0;

    private static final double INVERSE_GOLDEN_RATIO = (Math.sqrt(5.0) - 1.0) / 2.0;

    private final SatelliteView view;
    private final long stepMillis;

    public PassPredictor(Tle tle, GroundStation station) {
        this.view = new SatelliteView(tle, station);
        double stepSeconds = Math.max(1.0, Math.min(60.0, tle.periodMinutes() * 60.0 / 400.0));
        this.stepMillis = Math.round(stepSeconds * 1000.0);
    }

    /** Look angles at {@code time}. */
    public LookAngles lookAngles(UtcTime time) {
        return view.lookAngles(time);
    }

    /** Passes above 0° elevation in [{@code start}, {@code start + duration}]. */
    public List<SatellitePass> predict(UtcTime start, Duration duration) {
        return predict(start, duration, DEFAULT_MIN_ELEVATION_DEG);
    }

    /**
     * Passes above {@code minElevationDeg} in [{@code start}, {@code start + duration}], in time
     * order. A pass in progress at either end of the window is cut at the window and flagged.
     *
     * @throws IllegalArgumentException if the duration is not positive or longer than {@link
     *     #MAX_WINDOW}, or the mask is outside [-90, 90)
     * @throws PropagationException if SGP4 fails inside the window (e.g. the satellite decayed)
     */
    public List<SatellitePass> predict(UtcTime start, Duration duration, double minElevationDeg) {
        if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException(
                    "duration must be positive and at most " + MAX_WINDOW + ", was " + duration);
        }
        if (!(minElevationDeg >= -90.0 && minElevationDeg < 90.0)) {
            throw new IllegalArgumentException(
                    "minimum elevation must be in [-90, 90) degrees, was " + minElevationDeg);
        }
        long t0 = start.epochMillis();
        long tEnd = t0 + duration.toMillis();
        List<SatellitePass> passes = new ArrayList<>();

        long previous = t0;
        double previousHeight = height(previous, minElevationDeg);
        long beforePrevious = previous;
        double beforePreviousHeight = Double.NEGATIVE_INFINITY;
        Long aos = previousHeight > 0.0 ? previous : null;
        boolean startsBeforeWindow = aos != null;

        while (previous < tEnd) {
            long now = Math.min(previous + stepMillis, tEnd);
            double nowHeight = height(now, minElevationDeg);
            if (aos == null && nowHeight > 0.0) {
                aos = crossing(previous, now, minElevationDeg);
            } else if (aos != null && nowHeight <= 0.0) {
                long los = crossing(now, previous, minElevationDeg);
                passes.add(pass(aos, los, minElevationDeg, startsBeforeWindow, false));
                aos = null;
                startsBeforeWindow = false;
            } else if (aos == null
                    && previousHeight > beforePreviousHeight
                    && previousHeight >= nowHeight
                    && previousHeight > -GRAZING_MARGIN_DEG) {
                long peak = maximise(beforePrevious, now, t -> height(t, minElevationDeg));
                if (height(peak, minElevationDeg) > 0.0) {
                    long rise = crossing(beforePrevious, peak, minElevationDeg);
                    long set = crossing(now, peak, minElevationDeg);
                    passes.add(pass(rise, set, minElevationDeg, false, false));
                }
            }
            beforePrevious = previous;
            beforePreviousHeight = previousHeight;
            previous = now;
            previousHeight = nowHeight;
        }
        if (aos != null) {
            passes.add(pass(aos, tEnd, minElevationDeg, startsBeforeWindow, true));
        }
        return passes;
    }

    /**
     * The geometry from AOS to LOS every {@code step}, LOS included.
     *
     * @throws IllegalArgumentException if {@code step} is not positive
     */
    public List<PassSample> sample(SatellitePass pass, Duration step) {
        return sample(pass.aos(), pass.los(), step);
    }

    /** The geometry from {@code from} to {@code to} every {@code step}, {@code to} included. */
    public List<PassSample> sample(UtcTime from, UtcTime to, Duration step) {
        long stepMs = step.toMillis();
        if (stepMs <= 0) {
            throw new IllegalArgumentException("sample step must be at least 1 ms, was " + step);
        }
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("sample end " + to + " is before its start " + from);
        }
        List<PassSample> samples = new ArrayList<>();
        for (long t = from.epochMillis(); t < to.epochMillis(); t += stepMs) {
            UtcTime time = new UtcTime(t);
            samples.add(PassSample.of(time, view.lookAngles(time)));
        }
        samples.add(PassSample.of(to, view.lookAngles(to)));
        return samples;
    }

    private SatellitePass pass(long aos, long los, double minElevationDeg, boolean startsBefore, boolean endsAfter) {
        long best = bestSample(aos, los, t -> view.lookAngles(new UtcTime(t)).elevationDeg());
        long maxTime = maximise(
                Math.max(aos, best - stepMillis),
                Math.min(los, best + stepMillis),
                t -> view.lookAngles(new UtcTime(t)).elevationDeg());
        long closest =
                bestSample(aos, los, t -> -view.lookAngles(new UtcTime(t)).rangeM());
        long minRangeTime = maximise(
                Math.max(aos, closest - stepMillis),
                Math.min(los, closest + stepMillis),
                t -> -view.lookAngles(new UtcTime(t)).rangeM());
        LookAngles atAos = view.lookAngles(new UtcTime(aos));
        LookAngles atLos = view.lookAngles(new UtcTime(los));
        LookAngles atMax = view.lookAngles(new UtcTime(maxTime));
        LookAngles atMinRange = view.lookAngles(new UtcTime(minRangeTime));
        return new SatellitePass(
                new UtcTime(aos),
                new UtcTime(los),
                new UtcTime(maxTime),
                atMax.elevationDeg(),
                atAos.azimuthDeg(),
                atLos.azimuthDeg(),
                atMinRange.rangeM(),
                new UtcTime(minRangeTime),
                minElevationDeg,
                startsBefore,
                endsAfter);
    }

    /** Elevation above the mask at {@code millis}, degrees. */
    private double height(long millis, double minElevationDeg) {
        return view.lookAngles(new UtcTime(millis)).elevationDeg() - minElevationDeg;
    }

    /**
     * The first time above the mask between {@code below} (at or below the mask) and {@code above}
     * (above it); either order.
     */
    private long crossing(long below, long above, double minElevationDeg) {
        while (Math.abs(above - below) > CROSSING_TOLERANCE_MS) {
            long middle = below + (above - below) / 2;
            if (height(middle, minElevationDeg) > 0.0) {
                above = middle;
            } else {
                below = middle;
            }
        }
        return above;
    }

    /** The scan sample in [from, to] where {@code f} is largest. */
    private long bestSample(long from, long to, ToDoubleFunction<Long> f) {
        long best = from;
        double bestValue = f.applyAsDouble(from);
        for (long t = from + stepMillis; t <= to + stepMillis; t += stepMillis) {
            long clipped = Math.min(t, to);
            double value = f.applyAsDouble(clipped);
            if (value > bestValue) {
                best = clipped;
                bestValue = value;
            }
        }
        return best;
    }

    /** Golden-section search for the maximum of a unimodal {@code f} on [from, to]. */
    private static long maximise(long from, long to, ToDoubleFunction<Long> f) {
        double a = from;
        double b = to;
        double c = b - INVERSE_GOLDEN_RATIO * (b - a);
        double d = a + INVERSE_GOLDEN_RATIO * (b - a);
        double fc = f.applyAsDouble(Math.round(c));
        double fd = f.applyAsDouble(Math.round(d));
        while (b - a > EXTREMUM_TOLERANCE_MS) {
            if (fc > fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - INVERSE_GOLDEN_RATIO * (b - a);
                fc = f.applyAsDouble(Math.round(c));
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + INVERSE_GOLDEN_RATIO * (b - a);
                fd = f.applyAsDouble(Math.round(d));
            }
        }
        long middle = Math.round((a + b) / 2.0);
        long[] candidates = {from, middle, to};
        long best = middle;
        double bestValue = f.applyAsDouble(middle);
        for (long candidate : candidates) {
            double value = f.applyAsDouble(candidate);
            if (value > bestValue) {
                best = candidate;
                bestValue = value;
            }
        }
        return best;
    }
}
