package io.hotaru.agent.demo;

import io.hotaru.agent.link.LinkStats;
import io.hotaru.agent.state.LinkState;
import io.hotaru.keys.distill.BlockReport;
import io.hotaru.keys.store.KeyStore;
import java.util.Map;

/**
 * A link of the demo's network as the terminal view, the telemetry and the summary see it: a fibre
 * link ({@link FibreLinkRun}), which keys all the time, or a satellite link ({@link
 * SatelliteLinkRun}), which keys during passes only.
 */
interface DemoLink {

    /** The link's id. */
    String id();

    /** The transmitter's node. */
    String a();

    /** The receiver's node. */
    String b();

    /** The transmitter's node's key store. */
    KeyStore transmitterStore();

    /** The receiver's node's key store. */
    KeyStore receiverStore();

    /** The state of the link's end at {@code node} (one of its two nodes). */
    LinkState stateAt(String node);

    /** The report of the last block the transmitter's monitors judged, null before the first. */
    BlockReport lastReport();

    /** The worse of the two ends' states: ALARM at either end is the link's state. */
    LinkState state();

    /** Secret key bits that reached the transmitter's store since the run began. */
    long storedKeyBits();

    /** Blocks the receiver started, over every (re)start. */
    long blocks();

    /** The attack on the link now, "none" without one. */
    String eve();

    /** Puts an eavesdropper ({@code sim:} {@code eve=} value) on the link from now on. */
    void attack(String eveSpec);

    /** The transmitter's figures since the link last (re)started. */
    LinkStats transmitterStats();

    /** The receiver's figures since the link last (re)started. */
    LinkStats receiverStats();

    /** Active alarms at either end, by kind. */
    Map<String, String> activeAlarms();

    /** Stops the link after the block in progress, for good. */
    void stop();
}
