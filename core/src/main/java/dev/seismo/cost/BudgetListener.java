package dev.seismo.cost;

/**
 * Told when a {@link CostBudget} is exceeded and when it is back within its limit: once each way, not every
 * window. Runs on the thread that calls {@link CostBudget#check}; a listener that throws is logged and counted, and
 * the other listeners still run.
 */
@FunctionalInterface
public interface BudgetListener {

    /** The budget changed state as {@code event} says. */
    void onBudgetEvent(BudgetEvent event);
}
