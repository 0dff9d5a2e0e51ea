package io.hotaru.keys.store;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the rows of units spent (delivered or erased) longer ago than the store's retention, so
 * that a store file stops growing with the units it ever held (about 250 bytes each). A pass looks
 * at the rows in order, {@value #ROWS_PER_OPERATION} to a store operation, so the writer runs other
 * operations between them; freed pages are reused, the file does not shrink.
 *
 * <p>A pass looks only at the rows stored before its cutoff (now minus the retention): a row stored
 * later cannot have been spent before it. Each pass notes the newest row at its start and when; the
 * next passes look up to the newest row noted at or before their cutoff. So a pass reads the units
 * held and the spent rows it deletes, not the whole retention window. The first pass after the store
 * opens has no such note and reads every row once.
 *
 * <p>What the deleted rows answered, the store answers from marks that the operation deleting them
 * raises first, in its own commit: per end-to-end link and side the highest relayed block deleted
 * ({@link KeyStore#mayHaveForgottenRelayed}), per distilled block whether rows of erased or of
 * delivered units of it went ({@link BlockWithdrawal}); and from the forgotten-before time, the cutoff
 * of the latest pass, raised before it deletes anything ({@link KeyStore#forgottenBefore}).
 */
final class SpentPurge {
    private static final Logger log = LoggerFactory.getLogger(SpentPurge.class);
    /**
     * Rows a store operation of a pass looks at, at most: an operation holds the writer for about
     * 1.7 ms (7 µs a row deleted); with 1,000 it held the writer for 8.5 ms, for a fifth more rows
     * deleted a second. Smaller operations, or a pause after each, did not keep up with a load that
     * spends 2,600 units a second ({@code SpentPurgeRun load=4}: 100 rows and a pause as long as the
     * operation, 3,100 rows/s; 50 rows, 1,600 rows/s and a growing file).
     */
    static final int ROWS_PER_OPERATION = 250;

    private final String name;
    private final KeyStore store;
    private final KeyTable table;
    private final Clock clock;
    private final Duration retention;
    /** {time, newest row} at the start of each pass since the store opened, oldest first. */
    private final Deque<long[]> passStarts = new ArrayDeque<>();

    private final AtomicLong deletedTotal = new AtomicLong();
    private boolean firstPassDone;
    private ScheduledExecutorService scheduler;
    private volatile boolean stopped;

    SpentPurge(String name, KeyStore store, KeyTable table, Clock clock, Duration retention) {
        this.name = name;
        this.store = store;
        this.table = table;
        this.clock = clock;
        this.retention = retention;
    }

    /** The time between passes: a 24th of the retention, from a minute to an hour. */
    static Duration period(Duration retention) {
        Duration p = retention.dividedBy(24);
        if (p.compareTo(Duration.ofMinutes(1)) < 0) {
            return Duration.ofMinutes(1);
        }
        return p.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : p;
    }

    /** Rows deleted since the store opened. */
    long deletedTotal() {
        return deletedTotal.get();
    }

    void start() {
        long every = period(retention).toMillis();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "key-store-purge-" + name);
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::passQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    /** Stops the passes; one under way ends after its current operation. */
    void stop() {
        stopped = true;
        if (scheduler != null) {
            scheduler.shutdown();
            try {
                scheduler.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void passQuietly() {
        try {
            long deleted = pass();
            if (deleted > 0) {
                log.info("Key store {}: deleted the rows of {} units spent over {} ago", name, deleted, retention);
            }
        } catch (RuntimeException e) {
            if (!stopped) {
                log.warn(
                        "Key store {}: the purge of spent units failed, tried again next period: {}",
                        name,
                        e.toString());
            }
        }
    }

    /**
     * One pass: deletes the rows of units spent before now minus the retention, among the rows stored
     * before then (see the class comment).
     *
     * @return the rows deleted
     */
    synchronized long pass() {
        long now = clock.millis();
        long cutoff = now - retention.toMillis();
        long newest = store.runOnWriter(table::lastSeq);
        long upTo = 0;
        while (!passStarts.isEmpty() && passStarts.peekFirst()[0] <= cutoff) {
            upTo = passStarts.pollFirst()[1];
        }
        if (upTo > 0) {
            passStarts.addFirst(new long[] {cutoff, upTo}); // still the bound for the next cutoffs
        }
        passStarts.addLast(new long[] {now, newest});
        if (!firstPassDone) {
            upTo = newest;
            firstPassDone = true;
        }
        // On the writer, before any row goes: a store operation sees the time change between operations only.
        store.runOnWriter(() -> {
            table.raiseForgottenBefore(cutoff);
            store.forgottenBeforeRaised(cutoff);
            table.expireBurnedAhead(cutoff);
            return null;
        });
        long deleted = 0;
        long after = 0;
        while (after < upTo && !stopped) {
            long from = after;
            long bound = upTo;
            KeyTable.PurgeSweep sweep = store.runOnWriter(
                    () -> table.purgeSpent(from, bound, ROWS_PER_OPERATION, cutoff, store::relayedMarkRaised));
            deleted += sweep.deleted();
            deletedTotal.addAndGet(sweep.deleted());
            if (sweep.looked() < ROWS_PER_OPERATION) {
                break;
            }
            after = sweep.lastSeq();
        }
        return deleted;
    }
}
