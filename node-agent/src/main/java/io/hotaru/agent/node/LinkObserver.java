package io.hotaru.agent.node;

import io.hotaru.agent.monitor.AlarmBoard;
import io.hotaru.agent.state.LinkStateMachine;

/** Told of what happens to a link, for the operator (MQTT status and alarms). Must not block. */
interface LinkObserver {

    void transition(LinkStateMachine.Transition transition);

    void alarm(String linkId, AlarmBoard.AlarmChange change);

    LinkObserver NONE = new LinkObserver() {
        @Override
        public void transition(LinkStateMachine.Transition transition) {}

        @Override
        public void alarm(String linkId, AlarmBoard.AlarmChange change) {}
    };
}
