package io.hotaru.bench.etsi;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/** Garbage collections of this JVM and the time they took, summed over its collectors. */
record GcTotals(long count, long millis) {
    static GcTotals now() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new GcTotals(count, millis);
    }

    GcTotals minus(GcTotals earlier) {
        return new GcTotals(count - earlier.count, millis - earlier.millis);
    }
}
