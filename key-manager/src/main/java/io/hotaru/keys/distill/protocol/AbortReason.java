package io.hotaru.keys.distill.protocol;

/** Why a block produced no key. Expected outcomes of the protocol, not errors. */
public enum AbortReason {
    /** Too few sifted bits to estimate the parameters or to form a key. */
    TOO_FEW_BITS,
    /** The estimated signal QBER exceeds the configured threshold. */
    QBER_TOO_HIGH,
    /** The decoy bounds or the leakage leave no secret bits (ℓ ≤ 0). */
    NO_SECRET_KEY,
    /** The verification hashes after error correction differ. */
    VERIFICATION_FAILED,
    /** The peer sent something the protocol does not allow at this point, or inconsistent data. */
    PROTOCOL_ERROR,
    /** The local inputs were inconsistent (e.g. emissions not matching the detections). */
    INVALID_INPUT,
    /**
     * A message failed Wegman–Carter verification (tampered, replayed, reordered or cut) at this
     * end or at the peer; the authenticated channel is closed for good.
     */
    AUTHENTICATION_FAILED
}
