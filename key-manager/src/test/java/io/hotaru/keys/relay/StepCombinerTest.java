package io.hotaru.keys.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StepCombinerTest {
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void itemsQueuedWhileABatchRunsGoTogetherInTheNextAndEachGetsItsOwnResult() throws Exception {
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<List<Integer>> batches = new CopyOnWriteArrayList<>();
        StepCombiner<Integer, Integer> combiner = new StepCombiner<>(64, items -> {
            batches.add(items);
            if (batches.size() == 1) {
                firstRunning.countDown();
                await(releaseFirst);
            }
            return started(() -> items.stream().map(i -> i * 10).toList());
        });

        Future<List<Integer>> first = pool.submit(() -> combiner.runAll(List.of(0)));
        assertThat(firstRunning.await(10, TimeUnit.SECONDS)).isTrue();
        List<Future<List<Integer>>> queued = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            int item = i;
            queued.add(pool.submit(() -> combiner.runAll(List.of(item))));
        }
        Future<List<Integer>> pair = pool.submit(() -> combiner.runAll(List.of(100, 101)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (combiner.queued() < 11 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        releaseFirst.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).containsExactly(0);
        for (int i = 1; i <= 9; i++) {
            assertThat(queued.get(i - 1).get(10, TimeUnit.SECONDS)).containsExactly(i * 10);
        }
        assertThat(pair.get(10, TimeUnit.SECONDS)).containsExactly(1000, 1010);
        assertThat(batches).hasSize(2);
        assertThat(batches.get(1)).hasSize(11).containsSubsequence(100, 101);
    }

    @Test
    void theNextBatchStartsWhileTheFirstFinishes() throws Exception {
        CountDownLatch releaseFirst = new CountDownLatch(1);
        StepCombiner<Integer, Integer> combiner = new StepCombiner<>(
                64,
                items -> started(() -> {
                    if (items.contains(1)) {
                        await(releaseFirst); // the first batch's second phase: waiting for its commit
                    }
                    return items;
                }));
        Future<List<Integer>> first = pool.submit(() -> combiner.runAll(List.of(1)));
        Thread.sleep(50);
        assertThat(combiner.runAll(List.of(2))).as("not held up by the first").containsExactly(2);
        assertThat(first.isDone()).isFalse();
        releaseFirst.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).containsExactly(1);
    }

    @Test
    void anInterruptedWaiterStillGetsItsResultAndKeepsTheInterrupt() throws Exception {
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        StepCombiner<Integer, Integer> combiner = new StepCombiner<>(64, items -> {
            if (items.contains(1)) {
                firstRunning.countDown();
                await(releaseFirst);
            }
            return started(() -> items);
        });
        Future<List<Integer>> first = pool.submit(() -> combiner.runAll(List.of(1)));
        assertThat(firstRunning.await(10, TimeUnit.SECONDS)).isTrue();
        java.util.concurrent.atomic.AtomicReference<String> seen = new java.util.concurrent.atomic.AtomicReference<>();
        Thread waiter = new Thread(() -> {
            List<Integer> result = combiner.runAll(List.of(2));
            seen.set(result + " interrupted=" + Thread.currentThread().isInterrupted());
        });
        waiter.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (combiner.queued() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        waiter.interrupt();
        Thread.sleep(20);
        releaseFirst.countDown();
        waiter.join(10_000);
        assertThat(seen.get()).isEqualTo("[2] interrupted=true");
        assertThat(first.get(10, TimeUnit.SECONDS)).containsExactly(1);
    }

    @Test
    void aBatchLargerThanTheLimitRunsInSeveral() {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        StepCombiner<Integer, Integer> combiner = new StepCombiner<>(4, items -> {
            sizes.add(items.size());
            return started(() -> items);
        });
        assertThat(combiner.runAll(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)))
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(sizes).containsExactly(4, 4, 2);
    }

    @Test
    void aFailedBatchFailsEveryItemInIt() {
        StepCombiner<Integer, Integer> combiner = new StepCombiner<>(64, items -> {
            throw new IllegalStateException("store closed");
        });
        assertThatThrownBy(() -> combiner.runAll(List.of(1, 2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("store closed");
        assertThat(combiner.queued()).isZero();
    }

    /** A batch whose first phase is done at once; {@code finish} gives its results. */
    private static <R> StepCombiner.Started<R> started(java.util.function.Supplier<List<R>> finish) {
        return new StepCombiner.Started<>() {
            @Override
            public void awaitRun() {}

            @Override
            public List<R> finish() {
                return finish.get();
            }
        };
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
