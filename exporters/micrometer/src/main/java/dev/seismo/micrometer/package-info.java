/**
 * Seismo in Micrometer: {@link dev.seismo.micrometer.SeismoMetrics}, a {@code MeterBinder} that registers the meters
 * of {@code docs/metrics.md} for every monitor of a {@code MonitorRegistry} in any {@code MeterRegistry}. The other
 * types of this package are internal.
 */
package dev.seismo.micrometer;
