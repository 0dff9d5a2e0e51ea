package io.hotaru.keys.distill.reconcile;

import io.hotaru.keys.distill.protocol.DistillMessage.ReconcileMessage;
import java.util.List;

/**
 * One end of a running reconciliation. The pipeline sends what {@link #start()} returns, then
 * feeds every reconciliation message it receives to {@link #onMessage} and sends the replies,
 * until Bob's end is {@link #finished()}. Malformed messages raise {@link
 * IllegalArgumentException}, which the pipeline turns into a protocol abort.
 */
public interface ReconcileEndpoint {
    List<ReconcileMessage> start();

    List<ReconcileMessage> onMessage(ReconcileMessage message);

    /** Bob's end: no more messages to send or expect. Alice's end learns this from the pipeline. */
    boolean finished();

    /** Bits disclosed about Alice's key so far (one per parity for Cascade). */
    long leakedBits();

    /** Request/response rounds so far. */
    int roundTrips();

    /** Bob's end: bits flipped net (positions where the key now differs from the input). */
    int correctedBits();

    /** Zeroes every internal copy of key bits. The caller's key array is left alone. */
    void close();
}
