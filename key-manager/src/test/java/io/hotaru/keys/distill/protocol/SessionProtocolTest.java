package io.hotaru.keys.distill.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.distill.BlockOutcome;
import io.hotaru.keys.distill.BobBlock;
import io.hotaru.keys.distill.BobSession;
import io.hotaru.keys.distill.DistillConfig;
import io.hotaru.keys.distill.SourceSettings;
import io.hotaru.keys.distill.cascade.CascadeReconciler;
import io.hotaru.keys.distill.protocol.DistillMessage.Abort;
import io.hotaru.keys.distill.protocol.DistillMessage.Confirm;
import io.hotaru.keys.distill.protocol.DistillMessage.Detections;
import org.junit.jupiter.api.Test;

/** Bob's session against a scripted peer: out-of-order messages and peer aborts. */
class SessionProtocolTest {
    private static final SourceSettings SOURCE = SourceSettings.of(0.5, 0.1, 0.7, 0.2, 0.1, 0.5);

    private static BobBlock tinyBlock(long blockId) {
        return new BobBlock(blockId, 0, 10, new long[] {1, 4, 7}, new byte[] {0, 1, 0}, new byte[] {1, 1, 0});
    }

    @Test
    void unexpectedMessageAbortsAndTellsThePeer() {
        InMemoryTransport.Pair link = InMemoryTransport.pair();
        link.alice().send(new Confirm(5));
        BobSession bob = new BobSession(DistillConfig.defaults(), SOURCE, CascadeReconciler.original(), link.bob());

        BlockOutcome outcome = bob.distill(tinyBlock(5));

        assertThat(outcome).isInstanceOf(BlockOutcome.Aborted.class);
        assertThat(((BlockOutcome.Aborted) outcome).reason()).isEqualTo(AbortReason.PROTOCOL_ERROR);
        assertThat(link.alice().receive()).isInstanceOf(Detections.class);
        assertThat(link.alice().receive()).isEqualTo(new Abort(5, AbortReason.PROTOCOL_ERROR));
    }

    @Test
    void messageForAnotherBlockIsAProtocolError() {
        InMemoryTransport.Pair link = InMemoryTransport.pair();
        link.alice().send(new Confirm(6));
        BobSession bob = new BobSession(DistillConfig.defaults(), SOURCE, CascadeReconciler.original(), link.bob());

        BlockOutcome outcome = bob.distill(tinyBlock(5));

        assertThat(((BlockOutcome.Aborted) outcome).reason()).isEqualTo(AbortReason.PROTOCOL_ERROR);
    }

    @Test
    void lateAbortOfAnEarlierBlockIsSkipped() {
        InMemoryTransport.Pair link = InMemoryTransport.pair();
        link.alice().send(new Abort(4, AbortReason.PROTOCOL_ERROR));
        link.alice().send(new Abort(5, AbortReason.QBER_TOO_HIGH));
        BobSession bob = new BobSession(DistillConfig.defaults(), SOURCE, CascadeReconciler.original(), link.bob());

        BlockOutcome outcome = bob.distill(tinyBlock(5));

        assertThat(((BlockOutcome.Aborted) outcome).reason()).isEqualTo(AbortReason.QBER_TOO_HIGH);
        assertThat(link.bob().pending()).isZero();
    }

    @Test
    void peerAbortEndsTheBlockWithThePeersReasonAndNoReply() {
        InMemoryTransport.Pair link = InMemoryTransport.pair();
        link.alice().send(new Abort(5, AbortReason.INVALID_INPUT));
        BobSession bob = new BobSession(DistillConfig.defaults(), SOURCE, CascadeReconciler.original(), link.bob());

        BlockOutcome outcome = bob.distill(tinyBlock(5));

        assertThat(((BlockOutcome.Aborted) outcome).reason()).isEqualTo(AbortReason.INVALID_INPUT);
        assertThat(link.alice().receive()).isInstanceOf(Detections.class);
        assertThat(link.alice().pending()).isZero();
        assertThat(outcome.report().detections()).isEqualTo(3);
    }
}
