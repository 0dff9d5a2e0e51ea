package io.hotaru.agent.sim;

import io.hotaru.sim.params.ParameterSets;
import io.hotaru.sim.physics.ParameterSet;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Loads {@code --params NAME|FILE}, turning every problem into a usage error that names it. */
final class ParameterSetOption {

    private ParameterSetOption() {}

    static ParameterSet load(CommandSpec spec, String nameOrPath) {
        try {
            return ParameterSets.load(nameOrPath);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--params " + nameOrPath + ": " + e.getMessage());
        }
    }

    static String names() {
        return String.join(", ", ParameterSets.NAMES);
    }
}
