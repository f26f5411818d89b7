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

    /** ISO 4217's code for "no currency": no price list may use it; it marks the cost of calls nobody priced. */
    public static final String NO_CURRENCY = "XXX";

    /** The cost of a call of a model without prices: {@code NaN} parts, which exporters leave out. */
    public static final Cost UNPRICED = new Cost(NO_CURRENCY, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN);

    /** The sum of the parts. */
    public double total() {
        return tokens + calls + instance + gpu + energy;
    }
}
