package io.hotaru.agent.state;

/** What can happen to a link. */
public enum LinkEvent {
    /** The operator or the configuration starts the link. */
    START,
    /** Devices and key manager passed their self-tests. */
    SELFTEST_PASSED,
    /** A self-test failed. */
    SELFTEST_FAILED,
    /** Enter service mode to align and synchronise. */
    ALIGN,
    /** Alignment and time synchronisation are good enough to make key. */
    ALIGNED,
    /** A monitor raised an alarm. */
    ALARM_RAISED,
    /** Every alarm has cleared; a self-test must still pass before key output resumes. */
    ALARMS_CLEARED,
    /** Stop the link. */
    STOP
}
