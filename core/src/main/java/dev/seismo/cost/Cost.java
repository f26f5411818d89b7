package dev.seismo.cost;

/**
 * What something cost, by what it paid for, in the major unit of {@code currency} (dollars, not cents).
 *
 * <p>Thread-safe: immutable.
 *
 * @param currency ISO 4217 code
 * @param tokens   input, cached input and output tokens
 * @param calls    the fixed price per call
 * @param instance instance time
 * @param gpu      GPU busy time
 * @param energy   GPU energy
 */
public record Cost(String currency, double tokens, double calls, double instance, double gpu, double energy) {

    /** The sum of the parts. */
    public double total() {
        return tokens + calls + instance + gpu + energy;
    }
}
