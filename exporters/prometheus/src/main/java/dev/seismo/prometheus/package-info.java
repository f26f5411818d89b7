/**
 * Seismo monitors in Prometheus, through client_java 1.x: {@link dev.seismo.prometheus.SeismoCollector} adds every
 * metric of {@link dev.seismo.export.Metric} to a {@code PrometheusRegistry}, and
 * {@link dev.seismo.prometheus.SeismoPrometheus} serves them on {@code /metrics} in one line.
 */
package dev.seismo.prometheus;
