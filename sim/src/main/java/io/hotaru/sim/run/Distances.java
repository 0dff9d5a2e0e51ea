package io.hotaru.sim.run;

import java.util.Arrays;

/** Distances for {@code ./hotaru keyrate --distance}: {@code start:stop:step} (inclusive) or {@code a,b,c}. */
public final class Distances {

    private Distances() {}

    /**
     * @throws IllegalArgumentException naming the bad part
     */
    public static double[] parse(String spec) {
        String s = spec.trim();
        try {
            if (s.contains(":")) {
                String[] parts = s.split(":");
                if (parts.length != 3) {
                    throw new IllegalArgumentException("distance '" + spec + "': expected start:stop:step");
                }
                double start = Double.parseDouble(parts[0]);
                double stop = Double.parseDouble(parts[1]);
                double step = Double.parseDouble(parts[2]);
                if (!(step > 0) || !(stop >= start) || start < 0) {
                    throw new IllegalArgumentException("distance '" + spec + "': need 0 <= start <= stop and step > 0");
                }
                int n = (int) Math.floor((stop - start) / step + 1e-9) + 1;
                double[] out = new double[n];
                for (int i = 0; i < n; i++) {
                    out[i] = start + i * step;
                }
                return out;
            }
            double[] out = Arrays.stream(s.split(","))
                    .mapToDouble(x -> Double.parseDouble(x.trim()))
                    .toArray();
            for (double d : out) {
                if (!(d >= 0)) {
                    throw new IllegalArgumentException("distance '" + spec + "': distances must be >= 0");
                }
            }
            return out;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("distance '" + spec + "': not a number (" + e.getMessage() + ")");
        }
    }
}
