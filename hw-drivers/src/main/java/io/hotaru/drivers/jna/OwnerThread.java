package io.hotaru.drivers.jna;

import io.hotaru.drivers.DeviceException;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The one thread that touches a device handle (vendor calls are not assumed thread-safe). Other
 * threads hand it calls; between calls it runs the acquisition poll, which never waits for
 * consumers. A failing poll is counted and reported to the poll itself, never kills the thread.
 */
public final class OwnerThread implements AutoCloseable {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final Queue<FutureTask<?>> calls = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong pollErrors = new AtomicLong();
    private volatile BooleanSupplier poll = () -> false;
    private volatile long pollIntervalNanos;
    private volatile boolean stopped;

    /**
     * @param name thread name, e.g. the device URI
     * @param pollInterval pause between polls that found nothing more to read
     */
    public OwnerThread(String name, Duration pollInterval) {
        this.pollIntervalNanos = pollInterval.toNanos();
        this.thread = new Thread(this::run, "hotaru-device " + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Sets the acquisition poll; it returns true when more data is likely waiting (poll again now). */
    public void poll(BooleanSupplier poll) {
        this.poll = poll;
        LockSupport.unpark(thread);
    }

    public void pollInterval(Duration interval) {
        this.pollIntervalNanos = interval.toNanos();
    }

    /** Runs {@code call} on the owner thread and returns its result; exceptions pass through. */
    public <V> V call(Callable<V> call) {
        if (Thread.currentThread() == thread) {
            try {
                return call.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new DeviceException(DeviceException.Code.DEVICE_ERROR, e.toString(), e);
            }
        }
        if (stopped) {
            throw new DeviceException(DeviceException.Code.CLOSED, "device closed");
        }
        FutureTask<V> task = new FutureTask<>(call);
        calls.add(task);
        LockSupport.unpark(thread);
        try {
            return task.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new DeviceException(DeviceException.Code.DEVICE_ERROR, String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new DeviceException(
                    DeviceException.Code.DEVICE_ERROR, "device did not answer within " + CALL_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceException(DeviceException.Code.DEVICE_ERROR, "interrupted", e);
        }
    }

    /** Runs {@code call} on the owner thread. */
    public void run(Runnable call) {
        call(() -> {
            call.run();
            return null;
        });
    }

    /** Waits until the poll has run at least {@code n} more times (for tests and probes). */
    public void awaitPolls(int n, Duration timeout) {
        long target = polls.get() + n;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (polls.get() < target && System.nanoTime() < deadline && !stopped) {
            LockSupport.parkNanos(100_000);
        }
    }

    public long polls() {
        return polls.get();
    }

    public long pollErrors() {
        return pollErrors.get();
    }

    private void run() {
        while (!stopped) {
            FutureTask<?> task;
            while ((task = calls.poll()) != null) {
                task.run();
            }
            boolean more = false;
            try {
                more = poll.getAsBoolean();
            } catch (RuntimeException e) {
                pollErrors.incrementAndGet();
            }
            polls.incrementAndGet();
            if (!more && calls.isEmpty() && !stopped) {
                LockSupport.parkNanos(this, pollIntervalNanos);
            }
        }
        FutureTask<?> task;
        while ((task = calls.poll()) != null) {
            task.cancel(false);
        }
    }

    /** Runs {@code last} on the owner thread, then stops it. Idempotent. */
    public void close(Runnable last) {
        if (stopped) {
            return;
        }
        try {
            run(last);
        } finally {
            stopped = true;
            LockSupport.unpark(thread);
            try {
                thread.join(CALL_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        close(() -> {});
    }

    public boolean isClosed() {
        return stopped;
    }
}
