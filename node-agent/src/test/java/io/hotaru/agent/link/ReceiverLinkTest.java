package io.hotaru.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.drivers.DeviceIdentity;
import io.hotaru.drivers.SelfTestResult;
import io.hotaru.drivers.TagBatch;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.keys.distill.BlockReport;
import io.hotaru.keys.distill.BobSession;
import io.hotaru.keys.distill.DistillConfig;
import io.hotaru.keys.distill.SourceSettings;
import io.hotaru.keys.distill.cascade.CascadeReconciler;
import io.hotaru.keys.distill.protocol.AbortReason;
import io.hotaru.keys.distill.protocol.DistillMessage;
import io.hotaru.keys.distill.protocol.DistillMessage.Abort;
import io.hotaru.keys.distill.protocol.DistillMessage.Detections;
import io.hotaru.keys.distill.protocol.InMemoryTransport;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReceiverLinkTest {
    private static final int BLOCK = 1000;
    private static final double PERIOD_PS = 1000;

    @Test
    void framesTheNextBlockWhileItWaitsForTheTransmitter() throws Exception {
        StepTagger tagger = new StepTagger();
        InMemoryTransport.Pair channel = InMemoryTransport.pair();
        ReceiverLink link = receiver(tagger, channel);
        link.start();
        try {
            Detections first = (Detections) channel.alice().receive();
            assertThat(first.blockId()).isZero();
            long idleWhileBlock0 = link.distillerIdleNanos();
            // Block 0 waits for the transmitter's answer; meanwhile the front end reads on and
            // frames block 1 (the tagger gives 100 events a read, so that takes ten reads).
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (tagger.delivered.get() < 2 * BLOCK + 100 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(tagger.delivered.get())
                    .as("events read while block 0 waited for the transmitter")
                    .isGreaterThanOrEqualTo(2 * BLOCK + 100);
            assertThat(link.distillerIdleNanos())
                    .as("a distiller with a block in progress is not idle")
                    .isEqualTo(idleWhileBlock0);
            channel.alice().send(new Abort(0, AbortReason.PROTOCOL_ERROR));
            Detections second = (Detections) channel.alice().receive();
            assertThat(second.blockId()).isEqualTo(1);
            assertThat(second.slots()).hasSize(BLOCK);
            assertThat(second.firstSlot()).isEqualTo(first.endSlot());
            channel.alice().send(new Abort(1, AbortReason.PROTOCOL_ERROR));
        } finally {
            link.close();
        }
        assertThat(link.stats().blocks()).isGreaterThanOrEqualTo(2);
        assertThat(link.stats().abortedBlocks()).isEqualTo(link.stats().blocks());
    }

    @Test
    void theDistillerIdlesWhileNoBlockIsFramed() throws Exception {
        TimeTagger silent = new StepTagger() {
            @Override
            public int read(TagBatch batch) {
                batch.fill(0, false, 0);
                return 0;
            }
        };
        ReceiverLink link = receiver(silent, InMemoryTransport.pair());
        long started = System.nanoTime();
        link.start();
        try {
            Thread.sleep(300);
        } finally {
            link.close();
        }
        long wall = System.nanoTime() - started;
        assertThat(link.distillerIdleNanos()).isBetween(200_000_000L, wall);
    }

    @Test
    void controlLoopsRunOnTheFrontEndOnlyAndHearOfEveryBlock() throws Exception {
        StepTagger tagger = new StepTagger();
        InMemoryTransport.Pair channel = InMemoryTransport.pair();
        ReceiverLink link = receiver(tagger, channel);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        AtomicLong finished = new AtomicLong();
        link.addLoop(new ReceiverLoop() {
            @Override
            public void blockFinished(BlockReport report) {
                threads.add(Thread.currentThread().getName());
                finished.incrementAndGet();
            }

            @Override
            public int doWork(long blockInProgress) {
                threads.add(Thread.currentThread().getName());
                return 0;
            }

            @Override
            public String name() {
                return "recorder";
            }
        });
        link.start();
        try {
            for (long block = 0; block < 3; block++) {
                DistillMessage m = channel.alice().receive();
                assertThat(m.blockId()).isEqualTo(block);
                channel.alice().send(new Abort(block, AbortReason.PROTOCOL_ERROR));
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (finished.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        } finally {
            link.close();
        }
        assertThat(finished.get()).isGreaterThanOrEqualTo(2);
        assertThat(threads).containsExactly("link-t-receiver");
    }

    private static ReceiverLink receiver(TimeTagger tagger, InMemoryTransport.Pair channel) {
        BobSession session = new BobSession(
                DistillConfig.defaults(),
                SourceSettings.of(0.5, 0.1, 0.3, 0.4, 0.3, 0.8),
                CascadeReconciler.original(),
                channel.bob());
        return new ReceiverLink("t", tagger, session, (id, block, key) -> 0, PERIOD_PS, BLOCK, 1);
    }

    /** One event per slot on channel 0, 100 a read, time complete up to the last one. */
    private static class StepTagger implements TimeTagger {
        final AtomicLong delivered = new AtomicLong();

        @Override
        public int read(TagBatch batch) {
            int n = 100;
            long first = delivered.get();
            for (int i = 0; i < n; i++) {
                batch.timestampsPs()[i] = (long) ((first + i) * PERIOD_PS);
                batch.channels()[i] = 0;
            }
            delivered.addAndGet(n);
            batch.fill(n, false, (long) ((first + n) * PERIOD_PS));
            return n;
        }

        @Override
        public int channelCount() {
            return 4;
        }

        @Override
        public void start() {}

        @Override
        public void stop() {}

        @Override
        public DeviceIdentity identity() {
            throw new UnsupportedOperationException("not a device under test");
        }

        @Override
        public SelfTestResult selfTest() {
            throw new UnsupportedOperationException("not a device under test");
        }

        @Override
        public void close() {}
    }
}
