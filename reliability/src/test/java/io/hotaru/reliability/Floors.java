package io.hotaru.reliability;

import java.util.Map;

/** The least each figure must reach in a run of a profile (the full profile's are the issue's). */
record Floors(Map<String, Long> minimum) {

    static Floors of(String profile) {
        if (profile.equals("full")) {
            return new Floors(Map.of(
                    "sigkills", 1_000L,
                    "link_faults", 500L,
                    "broker_restarts", 100L,
                    "fuzz_executions", 10_000_000L,
                    "forgery_attempts", 1_000_000L,
                    "sigstops", 1L,
                    "etsi_requests_under_faults", 1L,
                    "telemetry_messages_scanned", 1L));
        }
        // the CI run: every kind of campaign ran (the residue scan and the load included)
        return new Floors(Map.of(
                "sigkills",
                1L,
                "fuzz_executions",
                1L,
                "forgery_attempts",
                1L,
                "sigstops",
                1L,
                "etsi_requests_under_faults",
                1L,
                "telemetry_messages_scanned",
                1L));
    }
}
