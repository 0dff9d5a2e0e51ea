package io.hotaru.agent.demo;

import java.io.PrintWriter;

/** One run of the demo: starts the network, prints progress, the curl commands and a summary. */
final class DemoRun {

    private final DemoSettings settings;
    private final PrintWriter out;

    DemoRun(DemoSettings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    void run() {
        out.println("work directory: " + settings.workDir());
    }
}
