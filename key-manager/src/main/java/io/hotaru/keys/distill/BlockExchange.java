package io.hotaru.keys.distill;

import io.hotaru.keys.distill.auth.AuthenticationException;
import io.hotaru.keys.distill.protocol.AbortReason;
import io.hotaru.keys.distill.protocol.DistillMessage;
import io.hotaru.keys.distill.protocol.DistillMessage.Abort;
import io.hotaru.keys.distill.protocol.PeerTransport;
import java.util.List;

/**
 * The transport as one block's session sees it: typed receives, aborts as control flow. A
 * Wegman–Carter failure of the authenticated transport, at either end, aborts the block with
 * {@link AbortReason#AUTHENTICATION_FAILED}; the transport itself tells the peer.
 */
final class BlockExchange {
    private final PeerTransport transport;
    private final long blockId;
    private final PeerWait peerWait;

    BlockExchange(PeerTransport transport, long blockId) {
        this(transport, blockId, PeerWait.NONE);
    }

    BlockExchange(PeerTransport transport, long blockId, PeerWait peerWait) {
        this.transport = transport;
        this.blockId = blockId;
        this.peerWait = peerWait;
    }

    void send(DistillMessage message) {
        try {
            transport.send(message);
        } catch (AuthenticationException failed) {
            throw BlockAbort.agreed(AbortReason.AUTHENTICATION_FAILED);
        }
    }

    void sendAll(List<? extends DistillMessage> messages) {
        for (DistillMessage m : messages) {
            send(m);
        }
    }

    /**
     * The next message of this block; the peer's abort ends the session with its reason. A late
     * abort of another block (both ends gave up on it at once) is skipped; any other message for
     * another block is a protocol error, since blocks on one transport run one after the other.
     */
    DistillMessage receive() {
        DistillMessage message = receiveAny();
        while (message instanceof Abort stale && stale.blockId() != blockId) {
            message = receiveAny();
        }
        if (message.blockId() != blockId) {
            throw BlockAbort.local(AbortReason.PROTOCOL_ERROR);
        }
        if (message instanceof Abort abort) {
            throw BlockAbort.agreed(abort.reason());
        }
        return message;
    }

    private DistillMessage receiveAny() {
        peerWait.waiting();
        try {
            return transport.receive();
        } catch (AuthenticationException failed) {
            throw BlockAbort.agreed(AbortReason.AUTHENTICATION_FAILED);
        } finally {
            peerWait.resumed();
        }
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
            try {
                transport.send(new Abort(blockId, abort.reason));
            } catch (AuthenticationException closed) {
                // The authenticated channel is gone; the peer learns of it from the transport.
            }
        }
    }
}
