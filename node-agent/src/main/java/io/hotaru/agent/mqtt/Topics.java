package io.hotaru.agent.mqtt;

import java.util.regex.Pattern;

/** The topic tree under {@code hotaru/v1/<node>/}; see docs/mqtt.md. */
public final class Topics {

    public static final String ROOT = "hotaru/v1";
    /** Where operators should ask for command responses: {@code hotaru/v1/reply/<sender>/...}. */
    public static final String REPLY_ROOT = ROOT + "/reply/";

    /** Node ids, link ids and alarm kinds become topic levels: no wildcards, separators or spaces. */
    private static final Pattern LEVEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final String node;

    public Topics(String node) {
        this.node = level("node id", node);
    }

    public String node() {
        return node;
    }

    public String status() {
        return ROOT + "/" + node + "/status";
    }

    public String telemetry(String link) {
        return ROOT + "/" + node + "/telemetry/" + level("link id", link);
    }

    public String alarm(String kind) {
        return ROOT + "/" + node + "/alarm/" + level("alarm kind", kind);
    }

    public String event(String kind) {
        return ROOT + "/" + node + "/event/" + level("event kind", kind);
    }

    /** The filter the node subscribes to for commands. */
    public String commands() {
        return ROOT + "/" + node + "/cmd/+";
    }

    public String command(String verb) {
        return ROOT + "/" + node + "/cmd/" + level("verb", verb);
    }

    /** The verb of a command topic of this node, or null if {@code topic} is not one. */
    public String verbOf(String topic) {
        String prefix = ROOT + "/" + node + "/cmd/";
        if (topic == null || !topic.startsWith(prefix)) {
            return null;
        }
        String verb = topic.substring(prefix.length());
        return isLevel(verb) ? verb : null;
    }

    public static boolean isLevel(String s) {
        return s != null && LEVEL.matcher(s).matches();
    }

    static String level(String what, String s) {
        if (!isLevel(s)) {
            throw new IllegalArgumentException(
                    what + " '" + s + "' must be 1-64 characters of A-Z a-z 0-9 . _ - (a single topic level)");
        }
        return s;
    }
}
