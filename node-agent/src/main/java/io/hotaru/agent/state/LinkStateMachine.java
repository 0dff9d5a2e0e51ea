package io.hotaru.agent.state;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * The state machine of one link: INIT → SELFTEST → READY → ALIGN → KEYGEN ↔ ALARM → STOPPED.
 *
 * <p>Rules: key output only in KEYGEN; an alarm in any running state moves to ALARM; ALARM is left
 * only through a self-test (ALARMS_CLEARED starts one), so key output never resumes without a passed
 * self-test; STOPPED is final. An event that the current state does not accept changes nothing and
 * is reported as rejected. Every transition, accepted or rejected, goes to the listener (the audit
 * log). Thread-safe.
 */
public final class LinkStateMachine {

    /** One attempted transition. */
    public record Transition(String linkId, LinkState from, LinkEvent event, LinkState to, boolean accepted) {}

    private final String linkId;
    private final Consumer<Transition> listener;
    private LinkState state = LinkState.INIT;

    public LinkStateMachine(String linkId, Consumer<Transition> listener) {
        this.linkId = Objects.requireNonNull(linkId, "linkId");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    public synchronized LinkState state() {
        return state;
    }

    /** Whether a block finished now may be stored. */
    public synchronized boolean outputsKey() {
        return state.outputsKey();
    }

    /** Applies {@code event}; returns the transition (with {@code accepted == false} if refused). */
    public Transition fire(LinkEvent event) {
        Transition t;
        synchronized (this) {
            LinkState next = next(state, event);
            t = new Transition(linkId, state, event, next == null ? state : next, next != null);
            if (next != null) {
                state = next;
            }
        }
        listener.accept(t);
        return t;
    }

    private LinkState next(LinkState from, LinkEvent event) {
        if (event == LinkEvent.STOP) {
            return from == LinkState.STOPPED ? null : LinkState.STOPPED;
        }
        return switch (from) {
            case INIT -> event == LinkEvent.START ? LinkState.SELFTEST : null;
            case SELFTEST ->
                switch (event) {
                    case SELFTEST_PASSED -> LinkState.READY;
                    case SELFTEST_FAILED, ALARM_RAISED -> LinkState.ALARM;
                    default -> null;
                };
            case READY ->
                switch (event) {
                    case ALIGN -> LinkState.ALIGN;
                    case ALARM_RAISED -> LinkState.ALARM;
                    default -> null;
                };
            case ALIGN ->
                switch (event) {
                    case ALIGNED -> LinkState.KEYGEN;
                    case ALARM_RAISED -> LinkState.ALARM;
                    default -> null;
                };
            case KEYGEN ->
                switch (event) {
                    case ALIGN -> LinkState.ALIGN;
                    case ALARM_RAISED, SELFTEST_FAILED -> LinkState.ALARM;
                    default -> null;
                };
            case ALARM ->
                switch (event) {
                    // a cleared alarm only starts a self-test; key output needs it to pass
                    case ALARMS_CLEARED -> LinkState.SELFTEST;
                    default -> null;
                };
            case STOPPED -> null;
        };
    }
}
