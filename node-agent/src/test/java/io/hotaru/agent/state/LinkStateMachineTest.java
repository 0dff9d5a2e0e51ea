package io.hotaru.agent.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class LinkStateMachineTest {

    private final List<LinkStateMachine.Transition> audit = new ArrayList<>();

    @Test
    void theNormalPathReachesKeyGeneration() {
        LinkStateMachine m = new LinkStateMachine("ab", audit::add);
        m.fire(LinkEvent.START);
        m.fire(LinkEvent.SELFTEST_PASSED);
        m.fire(LinkEvent.ALIGN);
        assertThat(m.outputsKey()).isFalse();
        m.fire(LinkEvent.ALIGNED);
        assertThat(m.state()).isEqualTo(LinkState.KEYGEN);
        assertThat(m.outputsKey()).isTrue();
        assertThat(audit)
                .extracting(LinkStateMachine.Transition::to)
                .containsExactly(LinkState.SELFTEST, LinkState.READY, LinkState.ALIGN, LinkState.KEYGEN);
    }

    @Test
    void anAlarmStopsKeyOutputAndClearingItNeedsAPassedSelfTest() {
        LinkStateMachine m = keygen();
        m.fire(LinkEvent.ALARM_RAISED);
        assertThat(m.outputsKey()).isFalse();
        assertThat(m.fire(LinkEvent.ALIGNED).accepted()).isFalse();
        assertThat(m.fire(LinkEvent.ALIGN).accepted()).isFalse();
        m.fire(LinkEvent.ALARMS_CLEARED);
        assertThat(m.state()).isEqualTo(LinkState.SELFTEST);
        m.fire(LinkEvent.SELFTEST_FAILED);
        assertThat(m.state()).isEqualTo(LinkState.ALARM);
        m.fire(LinkEvent.ALARMS_CLEARED);
        m.fire(LinkEvent.SELFTEST_PASSED);
        assertThat(m.state()).isEqualTo(LinkState.READY);
    }

    @Test
    void refusedEventsChangeNothingAndAreReported() {
        LinkStateMachine m = new LinkStateMachine("ab", audit::add);
        LinkStateMachine.Transition t = m.fire(LinkEvent.ALIGNED);
        assertThat(t.accepted()).isFalse();
        assertThat(t.to()).isEqualTo(LinkState.INIT);
        assertThat(m.state()).isEqualTo(LinkState.INIT);
        assertThat(audit).containsExactly(t);
    }

    /**
     * Model-based: for any sequence of events, key output happens only in KEYGEN, KEYGEN is never
     * reached after an alarm without a self-test that passed after it, and STOPPED is final.
     */
    @Property(tries = 2000)
    void keyOutputOnlyInKeygenAndNeverStraightFromAlarm(@ForAll @Size(max = 60) List<LinkEvent> events) {
        LinkStateMachine m = new LinkStateMachine("ab", t -> {});
        boolean needSelfTest = false;
        boolean stopped = false;
        for (LinkEvent e : events) {
            LinkStateMachine.Transition t = m.fire(e);
            if (t.accepted() && t.to() == LinkState.ALARM) {
                needSelfTest = true;
            }
            if (t.accepted() && e == LinkEvent.SELFTEST_PASSED) {
                needSelfTest = false;
            }
            assertThat(m.outputsKey()).isEqualTo(m.state() == LinkState.KEYGEN);
            if (m.state() == LinkState.KEYGEN) {
                assertThat(needSelfTest)
                        .as("KEYGEN after an alarm without a passed self-test: %s", events)
                        .isFalse();
            }
            if (stopped) {
                assertThat(m.state()).isEqualTo(LinkState.STOPPED);
                assertThat(t.accepted()).isFalse();
            }
            stopped = m.state() == LinkState.STOPPED;
        }
    }

    private LinkStateMachine keygen() {
        LinkStateMachine m = new LinkStateMachine("ab", audit::add);
        for (LinkEvent e : List.of(LinkEvent.START, LinkEvent.SELFTEST_PASSED, LinkEvent.ALIGN, LinkEvent.ALIGNED)) {
            m.fire(e);
        }
        return m;
    }
}
