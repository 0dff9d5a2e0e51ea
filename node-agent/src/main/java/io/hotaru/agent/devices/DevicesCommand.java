package io.hotaru.agent.devices;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotaru.agent.cli.CliFailure;
import io.hotaru.agent.cli.ExitCodes;
import io.hotaru.drivers.DeviceException;
import io.hotaru.drivers.DriverProvider;
import io.hotaru.drivers.Drivers;
import io.hotaru.drivers.jna.AcquisitionStats;
import io.hotaru.drivers.probe.DeviceProbe;
import io.hotaru.drivers.probe.ProbeReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./hotaru devices}: the device bindings on this machine, and a probe of one device. */
@Command(
        name = "devices",
        mixinStandardHelpOptions = true,
        description = "List the device bindings and whether their vendor libraries are installed, or probe a device.",
        subcommands = {DevicesCommand.ListDevices.class, DevicesCommand.Probe.class})
public final class DevicesCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required (list, probe)");
    }

    /** {@code ./hotaru devices list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the bindings found, their URI schemes and roles, and whether each can be used here.")
    static final class ListDevices implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Option(names = "--json", description = "Print one JSON object on stdout.")
        private boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ObjectNode root = new ObjectMapper().createObjectNode();
            ArrayNode list = root.putArray("bindings");
            for (DriverProvider p : Drivers.discover().providers()) {
                DriverProvider.Availability a = p.availability();
                String roles =
                        p.roles().stream().map(Class::getSimpleName).sorted().collect(Collectors.joining(","));
                if (json) {
                    ObjectNode n = list.addObject();
                    n.put("scheme", p.scheme());
                    n.put("description", p.description());
                    n.put("roles", roles);
                    n.put("available", a.available());
                    n.put("detail", a.detail());
                } else {
                    out.printf(
                            Locale.ROOT,
                            "%-10s %-9s %s%n           roles: %s%n           %s%n",
                            p.scheme() + ":",
                            a.available() ? "available" : "MISSING",
                            p.description(),
                            roles,
                            a.detail());
                }
            }
            if (json) {
                out.println(root);
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code ./hotaru devices probe URI}. */
    @Command(
            name = "probe",
            mixinStandardHelpOptions = true,
            description = "Open a device, run its self-test, acquire for a while, report identity, counts per"
                    + " channel and loss counters, and close it.")
    static final class Probe implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "URI", description = "Device URI, e.g. sim:bob?link=ab&seed=1 or qutag:0.")
        private String uri;

        @Option(
                names = "--seconds",
                defaultValue = "2",
                paramLabel = "N",
                description = "Acquisition time in seconds (default: ${DEFAULT-VALUE}).")
        private double seconds;

        @Option(names = "--json", description = "Print one JSON object on stdout.")
        private boolean json;

        @Override
        public Integer call() {
            if (!(seconds > 0 && seconds <= 3600)) {
                throw new ParameterException(spec.commandLine(), "--seconds must be in (0, 3600], got " + seconds);
            }
            ProbeReport r;
            try {
                r = DeviceProbe.run(uri, Duration.ofMillis(Math.round(seconds * 1000)));
            } catch (DeviceException e) {
                if (e.code() == DeviceException.Code.BAD_URI || e.code() == DeviceException.Code.NO_PROVIDER) {
                    throw new ParameterException(spec.commandLine(), e.getMessage());
                }
                throw CliFailure.runtime(e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ObjectNode o = new ObjectMapper().createObjectNode();
                o.put("uri", uri);
                o.put("vendor", r.identity().vendor());
                o.put("model", r.identity().model());
                o.put("serial", r.identity().serial());
                o.put("kind", r.identity().kind().name());
                o.put("role", r.role());
                o.put("self_test_passed", r.selfTest().passed());
                o.put("self_test", r.selfTest().detail());
                o.put("health", r.health().state().name());
                o.put("health_detail", r.health().detail());
                ArrayNode counts = o.putArray("counts_per_channel");
                Arrays.stream(r.countsPerChannel()).forEach(counts::add);
                o.put("batches_with_loss", r.batchesWithLoss());
                o.put("bytes_read", r.bytesRead());
                o.put("seconds", r.elapsed().toMillis() / 1000.0);
                r.stats().ifPresent(s -> stats(o.putObject("acquisition"), s));
                out.println(o);
            } else {
                out.printf(
                        "%s: %s %s (serial %s, %s)%n",
                        uri,
                        r.identity().vendor(),
                        r.identity().model(),
                        r.identity().serial(),
                        r.identity().kind());
                out.printf(
                        "  role %s; self-test %s: %s; health %s: %s%n",
                        r.role(),
                        r.selfTest().passed() ? "passed" : "FAILED",
                        r.selfTest().detail(),
                        r.health().state(),
                        r.health().detail());
                if (r.countsPerChannel().length > 0) {
                    out.printf(
                            Locale.ROOT,
                            "  %.1f s: counts per channel %s; batches with loss %d%n",
                            r.elapsed().toMillis() / 1000.0,
                            Arrays.toString(r.countsPerChannel()),
                            r.batchesWithLoss());
                }
                if (r.bytesRead() > 0) {
                    out.printf(
                            Locale.ROOT,
                            "  %.1f s: %,d random bytes read%n",
                            r.elapsed().toMillis() / 1000.0,
                            r.bytesRead());
                }
                r.stats()
                        .ifPresent(s -> out.printf(
                                "  acquisition: %d records read, %d dropped, %d device loss reports, %d decode"
                                        + " anomalies, %d vendor errors%s%n",
                                s.recordsRead(),
                                s.eventsDropped(),
                                s.deviceLossReports(),
                                s.decodeAnomalies(),
                                s.vendorErrors(),
                                s.alarm() == null || s.alarm().isEmpty() ? "" : "; alarm: " + s.alarm()));
            }
            out.flush();
            return r.selfTest().passed() ? ExitCodes.OK : ExitCodes.RUNTIME;
        }

        private static void stats(ObjectNode o, AcquisitionStats s) {
            o.put("records_read", s.recordsRead());
            o.put("events_queued", s.eventsQueued());
            o.put("events_dropped", s.eventsDropped());
            o.put("device_loss_reports", s.deviceLossReports());
            o.put("decode_anomalies", s.decodeAnomalies());
            o.put("vendor_errors", s.vendorErrors());
            o.put("alarm", s.alarm());
        }
    }
}
