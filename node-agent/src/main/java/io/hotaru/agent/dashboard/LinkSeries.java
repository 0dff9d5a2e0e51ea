package io.hotaru.agent.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayDeque;

/**
 * The most recent points of one link's time series: wall-clock time, QBER, secret rate and key pool,
 * at most {@link #CAPACITY}; the oldest are dropped first. Not thread-safe.
 */
final class LinkSeries {

    static final int CAPACITY = 1200;

    private final ArrayDeque<double[]> points = new ArrayDeque<>();

    /** Adds a point; NaN for a figure the telemetry did not carry. */
    void add(long atMillis, double qber, double secretBps, double keyPoolBits) {
        if (points.size() == CAPACITY) {
            points.removeFirst();
        }
        points.addLast(new double[] {atMillis, qber, secretBps, keyPoolBits});
    }

    int size() {
        return points.size();
    }

    /** {@code [[t, qber, secret_bps, key_pool_bits], ...]}, unknown figures as null. */
    ArrayNode toJson() {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        points.forEach(p -> a.add(point(p)));
        return a;
    }

    static ArrayNode point(double[] p) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        a.add((long) p[0]);
        for (int i = 1; i < p.length; i++) {
            if (Double.isFinite(p[i])) {
                a.add(p[i]);
            } else {
                a.addNull();
            }
        }
        return a;
    }
}
