package io.hotaru.drivers.jna;

import io.hotaru.drivers.DeviceException;
import io.hotaru.drivers.DeviceHealth;
import io.hotaru.drivers.DeviceIdentity;
import io.hotaru.drivers.SelfTestResult;
import io.hotaru.drivers.TagBatch;
import io.hotaru.drivers.TimeTagger;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A time tagger whose vendor library is polled by one owner thread: the vendor binding supplies
 * {@link #acquire()}, which reads the device and decodes into the scratch arrays; this class hands
 * the events to the reader through a {@link TagRing} and keeps the loss counters.
 */
public abstract class PolledTimeTagger implements TimeTagger, LossReporting {

    protected final OwnerThread owner;
    protected final long[] scratchTimesPs;
    protected final byte[] scratchChannels;
    protected final AtomicLong recordsRead = new AtomicLong();
    protected final AtomicLong deviceLossReports = new AtomicLong();
    protected final AtomicLong decodeAnomalies = new AtomicLong();
    protected final AtomicLong vendorErrors = new AtomicLong();

    private final TagRing ring;
    private final AtomicLong eventsQueued = new AtomicLong();
    private volatile DeviceIdentity identity;
    private volatile boolean running;
    private volatile boolean closed;
    private volatile String alarm = "";
    private volatile DeviceException fatal;

    protected PolledTimeTagger(String name, int maxEventsPerRead, int ringCapacity, Duration pollInterval) {
        this.owner = new OwnerThread(name, pollInterval);
        this.scratchTimesPs = new long[maxEventsPerRead];
        this.scratchChannels = new byte[maxEventsPerRead];
        this.ring = new TagRing(ringCapacity);
        owner.poll(this::pollOnce);
    }

    /** Sets the identity once the device has been opened. */
    protected final void identity(DeviceIdentity identity) {
        this.identity = identity;
    }

    /** Owner thread: starts the device's measurement. */
    protected abstract void startAcquisition();

    /** Owner thread: stops the device's measurement. */
    protected abstract void stopAcquisition();

    /**
     * Owner thread: reads the device once, decodes into the scratch arrays and calls {@link
     * #deliver}; returns true when more data is probably waiting.
     */
    protected abstract boolean acquire();

    /** Owner thread: the vendor self-test, with acquisition stopped. */
    protected abstract SelfTestResult runSelfTest();

    /** Owner thread: releases the device and the library. */
    protected abstract void release();

    /** Owner thread: hands {@code n} scratch events, complete up to {@code upToPs}, to the reader. */
    protected final void deliver(int n, long upToPs) {
        ring.offer(scratchTimesPs, scratchChannels, n);
        eventsQueued.addAndGet(n);
        ring.producedUpTo(upToPs);
    }

    /** Owner thread: the device reported loss; the next batch is flagged and the alarm set. */
    protected final void deviceLoss(String why) {
        deviceLossReports.incrementAndGet();
        ring.markLoss();
        alarm = why;
    }

    /** Sets an alarm without loss (e.g. sync lost). */
    protected final void alarm(String why) {
        alarm = why;
    }

    @Override
    public DeviceIdentity identity() {
        return identity;
    }

    @Override
    public void start() {
        checkOpen();
        owner.run(() -> {
            alarm = "";
            startAcquisition();
            running = true;
        });
    }

    @Override
    public void stop() {
        checkOpen();
        owner.run(() -> {
            if (running) {
                running = false;
                stopAcquisition();
            }
        });
    }

    /** Safe for several reader threads; the ring itself has one consumer. */
    @Override
    public synchronized int read(TagBatch batch) {
        checkOpen();
        int n = ring.drainTo(batch);
        DeviceException f = fatal;
        if (n == 0 && f != null) {
            throw new DeviceException(f.code(), f.getMessage(), f);
        }
        return n;
    }

    @Override
    public SelfTestResult selfTest() {
        if (closed) {
            return SelfTestResult.fail("device closed");
        }
        if (fatal != null) {
            return SelfTestResult.fail(fatal.getMessage());
        }
        try {
            return owner.call(() -> {
                boolean was = running;
                if (was) {
                    running = false;
                    stopAcquisition();
                    ring.markLoss(); // events during the self-test are not delivered
                }
                try {
                    return runSelfTest();
                } finally {
                    if (was) {
                        startAcquisition();
                        running = true;
                    }
                }
            });
        } catch (DeviceException e) {
            vendorErrors.incrementAndGet();
            return SelfTestResult.fail(e.getMessage());
        }
    }

    @Override
    public DeviceHealth health() {
        if (closed) {
            return DeviceHealth.failed("device closed");
        }
        if (fatal != null) {
            return DeviceHealth.failed(fatal.getMessage());
        }
        String a = alarm;
        return a.isEmpty()
                ? DeviceHealth.ok("acquiring: " + running)
                : new DeviceHealth(DeviceHealth.State.DEGRADED, a);
    }

    @Override
    public AcquisitionStats acquisitionStats() {
        return new AcquisitionStats(
                recordsRead.get(),
                eventsQueued.get(),
                ring.dropped(),
                deviceLossReports.get(),
                decodeAnomalies.get(),
                vendorErrors.get(),
                fatal != null ? fatal.getMessage() : alarm);
    }

    /** Waits until the owner thread has polled {@code n} more times. */
    public void awaitPolls(int n, Duration timeout) {
        owner.awaitPolls(n, timeout);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        owner.close(() -> {
            running = false;
            release();
        });
    }

    protected final void checkOpen() {
        if (closed) {
            throw new DeviceException(DeviceException.Code.CLOSED, identity + " is closed");
        }
    }

    private boolean pollOnce() {
        if (!running || fatal != null) {
            return false;
        }
        try {
            return acquire();
        } catch (DeviceException e) {
            vendorErrors.incrementAndGet();
            fatal = e;
            running = false;
            ring.markLoss();
            return false;
        }
    }
}
