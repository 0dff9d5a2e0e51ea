package io.hotaru.agent.demo;

import java.nio.file.Path;
import java.time.Duration;

/** Validated settings of one demo run. */
public record DemoSettings(
        Path workDir, int port, double distanceKm, long seed, Duration duration, Duration progressInterval) {}
