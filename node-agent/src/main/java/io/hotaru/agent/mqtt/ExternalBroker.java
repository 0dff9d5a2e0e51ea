package io.hotaru.agent.mqtt;

import java.net.URI;
import java.util.Objects;
import java.util.Set;

/** A broker run by someone else; closing it does nothing. */
public record ExternalBroker(URI uri) implements MqttBroker {

    private static final Set<String> SCHEMES = Set.of("tcp", "ssl", "ws", "wss");

    public ExternalBroker {
        Objects.requireNonNull(uri, "uri");
        if (uri.getScheme() == null || !SCHEMES.contains(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "broker URI " + uri + " must look like tcp://HOST:PORT or ssl://HOST:PORT (also ws, wss)");
        }
    }

    /** Parses {@code tcp://host:port} and the like; throws {@link IllegalArgumentException} saying why not. */
    public static ExternalBroker parse(String uri) {
        try {
            return new ExternalBroker(URI.create(uri));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("broker URI " + uri + " is malformed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {}
}
