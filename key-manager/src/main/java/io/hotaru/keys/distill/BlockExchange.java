package io.hotaru.keys.distill;

import io.hotaru.keys.distill.protocol.AbortReason;
import io.hotaru.keys.distill.protocol.DistillMessage;
import io.hotaru.keys.distill.protocol.DistillMessage.Abort;
import io.hotaru.keys.distill.protocol.PeerTransport;
import java.util.List;

/** The transport as one block's session sees it: typed receives, aborts as control flow. */
final class BlockExchange {
    private final PeerTransport transport;
    private final long blockId;

    BlockExchange(PeerTransport transport, long blockId) {
        this.transport = transport;
        this.blockId = blockId;
    }

    void send(DistillMessage message) {
        transport.send(message);
    }

    void sendAll(List<? extends DistillMessage> messages) {
        for (DistillMessage m : messages) {
            transport.send(m);
        }
    }

    /**
     * The next message of this block; the peer's abort ends the session with its reason. A late
     * abort of another block (both ends gave up on it at once) is skipped; any other message for
     * another block is a protocol error, since blocks on one transport run one after the other.
     */
    DistillMessage receive() {
        DistillMessage message = transport.receive();
        while (message instanceof Abort stale && stale.blockId() != blockId) {
            message = transport.receive();
        }
        if (message.blockId() != blockId) {
            throw BlockAbort.local(AbortReason.PROTOCOL_ERROR);
        }
        if (message instanceof Abort abort) {
            throw BlockAbort.agreed(abort.reason());
        }
        return message;
    }

    <T extends DistillMessage> T expect(Class<T> type) {
        DistillMessage message = receive();
        if (!type.isInstance(message)) {
            throw BlockAbort.local(AbortReason.PROTOCOL_ERROR);
        }
        return type.cast(message);
    }

    void abort(BlockAbort abort) {
        if (abort.notifyPeer) {
            transport.send(new Abort(blockId, abort.reason));
        }
    }
}
