package io.hotaru.agent.cli;

import picocli.CommandLine;

/** Reports the version from the jar manifest. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String v = HotaruCli.class.getPackage().getImplementationVersion();
        return new String[] {"hotaru " + (v == null ? "(development build)" : v)};
    }
}
