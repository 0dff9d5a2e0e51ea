/** The node's Prometheus {@code /metrics} and {@code /health} endpoint (Micrometer, JDK HTTP server). */
package io.hotaru.agent.metrics;
