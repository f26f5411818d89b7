package dev.seismo.cost;

/**
 * A {@link CostBudget} crossing its limit, one way or the other.
 *
 * <p>Thread-safe: immutable.
 *
 * @param type     exceeded, or back within the limit
 * @param basis    what the limit is on
 * @param observed the value checked: the window's cost, or its cost per 1000 requests
 * @param limit    the budget's limit
 * @param requests the requests whose cost the window holds (for a monitor: the calls priced in the window)
 */
public record BudgetEvent(Type type, CostBudget.Basis basis, double observed, double limit, long requests) {

    /** Which way the budget was crossed. */
    public enum Type {
        /** The observed cost went above the limit. */
        EXCEEDED,
        /** The observed cost came back to the limit or below it. */
        WITHIN
    }
}
