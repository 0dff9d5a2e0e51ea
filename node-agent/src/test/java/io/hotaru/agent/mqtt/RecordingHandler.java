package io.hotaru.agent.mqtt;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link CommandHandler} that records every call. */
class RecordingHandler implements CommandHandler {

    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public CommandResult startLink(String link) {
        calls.add("start " + link);
        return CommandResult.ok("started " + link);
    }

    @Override
    public CommandResult stopLink(String link) {
        calls.add("stop " + link);
        return CommandResult.ok("stopped " + link);
    }

    @Override
    public CommandResult setParameter(String link, String name, double value) {
        calls.add("set " + link + " " + name + "=" + value);
        return CommandResult.ok(name + " set");
    }

    @Override
    public CommandResult runSelfTest(String link) {
        calls.add("selftest " + link);
        return CommandResult.failed("self-test failed: detector 2 dark");
    }
}
