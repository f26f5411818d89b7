package dev.seismo.cost;

/**
 * Amounts of each {@link Resource}: what one request was allocated, or what an interval measured.
 *
 * <p>Thread-safe: immutable.
 *
 * @param instanceSeconds  {@link Resource#INSTANCE_TIME}
 * @param cpuSeconds       {@link Resource#CPU_TIME}
 * @param gpuSeconds       {@link Resource#GPU_TIME}
 * @param gpuEnergyJoules  {@link Resource#GPU_ENERGY}
 */
public record ResourceUsage(double instanceSeconds, double cpuSeconds, double gpuSeconds, double gpuEnergyJoules) {

    /** Nothing used. */
    public static final ResourceUsage NONE = new ResourceUsage(0, 0, 0, 0);

    static ResourceUsage of(double[] byOrdinal) {
        return new ResourceUsage(byOrdinal[0], byOrdinal[1], byOrdinal[2], byOrdinal[3]);
    }

    /** The amount of one resource, in its {@link Resource#unit() unit}. */
    public double get(Resource resource) {
        return switch (resource) {
            case INSTANCE_TIME -> instanceSeconds;
            case CPU_TIME -> cpuSeconds;
            case GPU_TIME -> gpuSeconds;
            case GPU_ENERGY -> gpuEnergyJoules;
        };
    }
}
