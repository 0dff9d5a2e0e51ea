package io.hotaru.keys.distill.auth;

import io.hotaru.keys.distill.protocol.DistillMessage;
import io.hotaru.keys.distill.protocol.DistillMessage.Authenticated;
import io.hotaru.keys.distill.protocol.PeerTransport;
import java.util.ArrayDeque;
import java.util.Deque;

/** A transport the test is the adversary on: it keeps what is sent and delivers what it is given. */
final class Wire implements PeerTransport {
    final Deque<DistillMessage> sent = new ArrayDeque<>();
    final Deque<DistillMessage> inbox = new ArrayDeque<>();

    @Override
    public void send(DistillMessage message) {
        sent.add(message);
    }

    @Override
    public DistillMessage receive() {
        DistillMessage m = inbox.poll();
        if (m == null) {
            throw new IllegalStateException("nothing delivered");
        }
        return m;
    }

    Authenticated takeSent() {
        return (Authenticated) sent.remove();
    }

    void deliver(DistillMessage m) {
        inbox.add(m);
    }
}
