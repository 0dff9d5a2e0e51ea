package io.hotaru.keys.distill.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.distill.protocol.DistillMessage.Confirm;
import io.hotaru.keys.distill.protocol.DistillMessage.Detections;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class InMemoryTransportTest {

    @Test
    void thePeerGetsItsOwnCopyOfBobsDetections() {
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        long[] slots = {3, 8, 20};
        byte[] bases = {0, 1, 0};
        pair.bob().send(new Detections(5, 0, 32, slots, bases));
        // Bob reuses his block's arrays for the next block once he is done with this one.
        Arrays.fill(slots, 99);
        Arrays.fill(bases, (byte) 1);
        Detections received = (Detections) pair.alice().receive();
        assertThat(received.slots()).containsExactly(3, 8, 20);
        assertThat(received.bases()).containsExactly(0, 1, 0);
    }

    @Test
    void otherMessagesPassAsTheyAre() {
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        Confirm confirm = new Confirm(5);
        pair.alice().send(confirm);
        assertThat(pair.bob().receive()).isSameAs(confirm);
        assertThat(pair.alice().sentCount()).isEqualTo(1);
    }
}
