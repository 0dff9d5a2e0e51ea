package io.hotaru.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hotaru.drivers.DeviceUri;
import io.hotaru.drivers.PhotonSource;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.keys.distill.protocol.DistillMessage;
import io.hotaru.keys.distill.protocol.InMemoryTransport;
import io.hotaru.sim.devices.SimDriverProvider;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The time-offset exchange between the two ends over an in-memory channel, on a simulated link whose
 * receiver clock is offset and fast; link time moves 1 ms per read of the clock, so nothing waits
 * on the wall clock.
 */
class SlotClockTrainingTest {

    private static final long OFFSET_PS = -12_345_678;
    private static final double DRIFT_PPM = -7;
    private static final String LINK =
            "link=t&seed=3&params=metro&distance_km=25&clock_offset_ps=" + OFFSET_PS + "&clock_drift_ppm=" + DRIFT_PPM;
    private static final double PERIOD_PS = 10_000;
    private static final SlotClockTraining.Settings SETTINGS =
            new SlotClockTraining.Settings(20e6, 20e-6, 1_000_000_000L, 50_000_000_000L, 3);

    private final AtomicLong nowNs = new AtomicLong();
    private final SimDriverProvider sim = new SimDriverProvider(() -> nowNs.addAndGet(1_000_000));

    @Test
    void theReceiverFindsItsOffsetAndDriftFromTheRevealedVacuumSlots() throws Exception {
        TimeTagger tagger = sim.open(DeviceUri.parse("sim:bob?" + LINK), TimeTagger.class);
        PhotonSource source = sim.open(DeviceUri.parse("sim:alice?" + LINK), PhotonSource.class);
        InMemoryTransport.Pair channel = InMemoryTransport.pair();
        CompletableFuture<Long> alice =
                CompletableFuture.supplyAsync(() -> SlotRevealServer.serve(channel.alice(), source));

        SlotClockTraining.Result r = new SlotClockTraining(tagger, channel.bob(), PERIOD_PS, SETTINGS).acquire(null);

        System.out.printf("first %s%nsecond %s%n", r.first(), r.second());
        assertThat(r.clock()).isNotNull();
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(r.clock().offsetPs()).isCloseTo(OFFSET_PS, within(200.0));
        assertThat(r.clock().rateError() * 1e6).isCloseTo(DRIFT_PPM, within(0.1));
        assertThat(alice.get(10, TimeUnit.SECONDS)).isEqualTo(r.firstKeySlot());
        // every tag read so far lies below the first key slot, on the link's clock
        assertThat(r.firstKeySlot() * PERIOD_PS).isGreaterThan(51e9);

        // a new connection 3 s later, with a backlog of tags: around the earlier clock's prediction
        nowNs.addAndGet(3_000_000_000L);
        CompletableFuture<Long> again =
                CompletableFuture.supplyAsync(() -> SlotRevealServer.serve(channel.alice(), source));
        SlotClockTraining.Result next =
                new SlotClockTraining(tagger, channel.bob(), PERIOD_PS, SETTINGS).acquire(r.clock());
        assertThat(next.clock()).isNotNull();
        assertThat(next.clock().offsetPs()).isCloseTo(OFFSET_PS, within(500.0));
        assertThat(next.clock().rateError() * 1e6).isCloseTo(DRIFT_PPM, within(0.1));
        assertThat(again.get(10, TimeUnit.SECONDS)).isEqualTo(next.firstKeySlot());
    }

    @Test
    void aReceiverThatCannotAcquireStillEndsTheExchange() throws Exception {
        TimeTagger tagger = sim.open(DeviceUri.parse("sim:bob?" + LINK), TimeTagger.class);
        PhotonSource source = sim.open(DeviceUri.parse("sim:alice?" + LINK), PhotonSource.class);
        InMemoryTransport.Pair channel = InMemoryTransport.pair();
        CompletableFuture<Long> alice =
                CompletableFuture.supplyAsync(() -> SlotRevealServer.serve(channel.alice(), source));
        // searching ±1 µs cannot reach an offset of 12 µs: every attempt is ambiguous
        SlotClockTraining.Settings narrow =
                new SlotClockTraining.Settings(1e6, 20e-6, 1_000_000_000L, 50_000_000_000L, 2);

        SlotClockTraining.Result r = new SlotClockTraining(tagger, channel.bob(), PERIOD_PS, narrow).acquire(null);

        assertThat(r.clock()).isNull();
        assertThat(r.attempts()).isEqualTo(2);
        assertThat(alice.get(10, TimeUnit.SECONDS)).isEqualTo(r.firstKeySlot());
    }

    @Test
    void theTransmitterRefusesAnythingButRevealRequestsAndOversizedRanges() {
        PhotonSource source = sim.open(DeviceUri.parse("sim:alice?" + LINK), PhotonSource.class);
        InMemoryTransport.Pair channel = InMemoryTransport.pair();
        channel.bob().send(new DistillMessage.Confirm(0));
        assertThatThrownBy(() -> SlotRevealServer.serve(channel.alice(), source))
                .isInstanceOf(TimeSyncException.class)
                .hasMessageContaining("Confirm");
        channel.bob().send(new DistillMessage.SlotRevealRequest(0, 0, SlotRevealServer.MAX_SLOTS_PER_REQUEST + 1));
        assertThatThrownBy(() -> SlotRevealServer.serve(channel.alice(), source))
                .isInstanceOf(TimeSyncException.class);
        channel.bob().send(new DistillMessage.SlotRevealRequest(0, -5, 10));
        assertThatThrownBy(() -> SlotRevealServer.serve(channel.alice(), source))
                .isInstanceOf(TimeSyncException.class);
    }

    @Test
    void theRevealMarksExactlyTheVacuumSlots() {
        PhotonSource source = sim.open(DeviceUri.parse("sim:alice?" + LINK), PhotonSource.class);
        InMemoryTransport.Pair channel = InMemoryTransport.pair();
        channel.bob().send(new DistillMessage.SlotRevealRequest(0, 1000, 1130));
        channel.bob().send(new DistillMessage.SlotRevealRequest(0, 0, 0));
        assertThat(SlotRevealServer.serve(channel.alice(), source)).isEqualTo(1130);
        DistillMessage.SlotReveal reveal =
                (DistillMessage.SlotReveal) channel.bob().receive();
        assertThat(reveal.vacuumMask()).hasSize(3);
        long[] slot = new long[1];
        byte[] level = new byte[1];
        byte[] basis = new byte[1];
        byte[] bit = new byte[1];
        int vacuum = 0;
        for (int i = 0; i < 130; i++) {
            slot[0] = 1000 + i;
            source.statesFor(slot, 1, level, basis, bit);
            boolean marked = (reveal.vacuumMask()[i >>> 6] & (1L << (i & 63))) != 0;
            assertThat(marked).as("slot %d", slot[0]).isEqualTo(level[0] == 2);
            vacuum += marked ? 1 : 0;
        }
        assertThat(vacuum).isBetween(20, 60); // metro sends vacuum 30 % of the time
    }
}
