package dev.seismo.resource;

/**
 * How much of one GPU one process used, as the driver samples it.
 *
 * <p>Thread-safe: immutable.
 *
 * @param pid               the operating system's process id
 * @param smUtilization     share of time the process had kernels running on the streaming multiprocessors, 0..1
 * @param memoryUtilization share of time the process was reading or writing device memory, 0..1
 */
public record ProcessUtilization(long pid, double smUtilization, double memoryUtilization) {
}
