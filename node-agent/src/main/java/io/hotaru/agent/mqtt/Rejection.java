package io.hotaru.agent.mqtt;

import java.util.Locale;

/** Why a command was refused without reaching the {@link CommandHandler}; the wire code is lower case. */
public enum Rejection {
    /** Not JSON, wrong fields or types, too large, bad characters. */
    MALFORMED,
    /** The signed node id is not this node. */
    WRONG_NODE,
    /** The topic's verb and the signed verb differ. */
    VERB_MISMATCH,
    /** The sender is not on this node's allow-list. */
    UNKNOWN_SENDER,
    /** The sender is listed but may not use this verb. */
    VERB_NOT_ALLOWED,
    /** The signature does not verify with the sender's listed key. */
    BAD_SIGNATURE,
    /** Issued longer ago than the maximum age: a replay or a stuck queue. */
    EXPIRED,
    /** Issued further in the future than the allowed clock skew. */
    NOT_YET_VALID,
    /** Issued before this node started, so it may have been executed by an earlier run. */
    BEFORE_START,
    /** The link is not one of this node's. */
    UNKNOWN_LINK,
    /** The parameter cannot be set remotely. */
    UNKNOWN_PARAMETER,
    /** The value is outside the parameter's range. */
    OUT_OF_RANGE,
    /** Too many command ids remembered; refuse rather than forget one. */
    LEDGER_FULL;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
