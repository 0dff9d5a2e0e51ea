package io.hotaru.agent.mqtt;

/**
 * Carries out commands that arrived over MQTT. Implemented by the node. Called only for commands that
 * were signed by an allow-listed sender, are fresh, are seen for the first time, name a known link and
 * carry values within range; one call at a time, never on Paho's network thread.
 *
 * <p>A refusal the node expects (link already stopped, self-test failed) is a {@link
 * CommandResult#failed} value, not an exception; an exception is reported as a failure too.
 */
public interface CommandHandler {

    CommandResult startLink(String link);

    CommandResult stopLink(String link);

    /** {@code value} is within the configured {@link ParameterRange} of {@code name}. */
    CommandResult setParameter(String link, String name, double value);

    CommandResult runSelfTest(String link);
}
