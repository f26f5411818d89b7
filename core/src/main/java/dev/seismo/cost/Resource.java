package dev.seismo.cost;

/**
 * A measured quantity that {@link ResourceAttributor} allocates to requests, with its base unit.
 *
 * <p>Thread-safe: immutable.
 */
public enum Resource {
    /** Wall-clock time of the instance (host, pod) serving the requests, seconds; priced per instance hour. */
    INSTANCE_TIME("s"),
    /** CPU time of the whole process, seconds; reported, not priced (the instance price covers it). */
    CPU_TIME("s"),
    /** GPU busy time summed over GPUs, seconds; priced per GPU hour. */
    GPU_TIME("s"),
    /** Energy the GPUs used, joules; priced per kWh and turned into emissions. */
    GPU_ENERGY("J");

    private final String unit;

    Resource(String unit) {
        this.unit = unit;
    }

    /** The unit, as UCUM spells it: {@code s} or {@code J}. */
    public String unit() {
        return unit;
    }
}
