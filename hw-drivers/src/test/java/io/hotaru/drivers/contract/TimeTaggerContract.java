package io.hotaru.drivers.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.drivers.TagBatch;
import io.hotaru.drivers.TimeTagger;
import org.junit.jupiter.api.Test;

/** The contract of a {@link TimeTagger}. */
public abstract class TimeTaggerContract extends DeviceContract<TimeTagger> {

    /** Lets the device acquire for a while (a simulated clock is moved; hardware waits). */
    protected abstract void letTimePass();

    @Override
    protected void operate(TimeTagger d) {
        d.read(new TagBatch(16));
    }

    @Test
    void batchesAreAscendingOnKnownChannelsAndNeverOverfilled() {
        device.start();
        TagBatch batch = new TagBatch(1024);
        long last = Long.MIN_VALUE;
        long total = 0;
        for (int round = 0; round < 5; round++) {
            letTimePass();
            int n = device.read(batch);
            assertThat(n).isEqualTo(batch.size()).isBetween(0, batch.capacity());
            for (int i = 0; i < n; i++) {
                assertThat(batch.timestampsPs()[i]).isGreaterThanOrEqualTo(last);
                last = batch.timestampsPs()[i];
                assertThat(batch.channels()[i]).isBetween((byte) 0, (byte) (device.channelCount() - 1));
            }
            total += n;
        }
        device.stop();
        assertThat(total).as("events after letting time pass").isPositive();
    }
}
