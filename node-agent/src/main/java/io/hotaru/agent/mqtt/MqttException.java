package io.hotaru.agent.mqtt;

/** The control plane could not do what was asked (broker did not start, client could not be created). */
public final class MqttException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MqttException(String message) {
        super(message);
    }

    public MqttException(String message, Throwable cause) {
        super(message, cause);
    }
}
