package io.hotaru.agent.link;

/**
 * What the transmitter reveals of its pulses so that the receiver can find its time offset: whether
 * a slot carried the vacuum level, for a training range of slots that is then never used for key.
 * Detections fall into vacuum slots only as dark counts, so at the right offset almost none of the
 * receiver's detections land on a revealed vacuum slot, and at any wrong offset about the vacuum
 * share of them do.
 */
@FunctionalInterface
public interface SyncPattern {

    /** Whether {@code slot} was sent at the vacuum level; false for slots outside the training range. */
    boolean isVacuum(long slot);
}
