package dev.seismo.cost;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A cost limit checked once per window: on the window's total cost, or on its cost per 1000 requests. Listeners
 * hear when a window goes above the limit and when a later window is back within it; windows that stay on the same
 * side tell nobody.
 *
 * <pre>{@code
 * CostBudget budget = CostBudget.builder().maxCostPer1000Requests(0.40)
 *         .listener(e -> pager.notify(e.type() + ": " + e.observed() + " per 1000 requests"))
 *         .build();
 * budget.check(window.cost(), window.requests());   // at each window close
 * }</pre>
 *
 * <p>Amounts are in the currency of the cost model that priced the requests.
 *
 * <p>Thread-safe: checks are serialized, and listeners run inside the check, in order.
 */
public final class CostBudget {

    private static final Logger log = LoggerFactory.getLogger(CostBudget.class);

    /** What a budget's limit applies to. */
    public enum Basis {
        /** The total cost of a window. */
        PER_WINDOW,
        /** A window's cost divided by the requests that cost is for, times 1000. */
        PER_1000_REQUESTS
    }

    private final Basis basis;
    private final double limit;
    private final List<BudgetListener> listeners;
    private boolean exceeded;
    private long listenerFailures;

    private CostBudget(Builder b) {
        this.basis = b.basis;
        this.limit = b.limit;
        this.listeners = List.copyOf(b.listeners);
    }

    /** A builder; set exactly one limit. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks one window's cost and the number of requests it is for against the limit, telling the listeners if the
     * budget changed state. A window without requests leaves a per-1000-requests budget as it was, and so does a
     * {@code NaN} cost.
     *
     * @return whether the budget is exceeded after this window
     * @throws IllegalArgumentException if {@code cost} or {@code requests} is negative
     */
    public synchronized boolean check(double cost, long requests) {
        if (cost < 0 || requests < 0) {
            throw new IllegalArgumentException("a window's cost and requests must be >= 0, were " + cost + " and "
                    + requests);
        }
        if (Double.isNaN(cost) || basis == Basis.PER_1000_REQUESTS && requests == 0) {
            return exceeded;
        }
        double observed = basis == Basis.PER_WINDOW ? cost : cost / requests * 1000;
        boolean over = observed > limit;
        if (over != exceeded) {
            exceeded = over;
            notify(new BudgetEvent(over ? BudgetEvent.Type.EXCEEDED : BudgetEvent.Type.WITHIN, basis, observed,
                    limit, requests));
        }
        return exceeded;
    }

    private void notify(BudgetEvent event) {
        for (BudgetListener listener : listeners) {
            try {
                listener.onBudgetEvent(event);
            } catch (RuntimeException e) {
                listenerFailures++;
                log.warn("Budget listener {} failed on {}; other listeners still run", listener, event, e);
            }
        }
    }

    /** Whether the last window checked was over the limit. */
    public synchronized boolean isExceeded() {
        return exceeded;
    }

    /** How many times a listener threw. */
    public synchronized long listenerFailures() {
        return listenerFailures;
    }

    /** What the limit applies to. */
    public Basis basis() {
        return basis;
    }

    /** The limit, in the cost model's currency. */
    public double limit() {
        return limit;
    }

    /** Builds a {@link CostBudget}; every setting is checked when set. Not thread-safe. */
    public static final class Builder {
        private Basis basis;
        private double limit;
        private final List<BudgetListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /** Limits each window's total cost. */
        public Builder maxCostPerWindow(double max) {
            return limit(Basis.PER_WINDOW, "maxCostPerWindow", max);
        }

        /** Limits each window's cost per 1000 requests. */
        public Builder maxCostPer1000Requests(double max) {
            return limit(Basis.PER_1000_REQUESTS, "maxCostPer1000Requests", max);
        }

        private Builder limit(Basis b, String setting, double max) {
            if (basis != null) {
                throw new IllegalStateException("a budget has one limit and " + (basis == Basis.PER_WINDOW
                        ? "maxCostPerWindow" : "maxCostPer1000Requests") + " was already set; build another"
                        + " budget for " + setting);
            }
            if (!(max >= 0) || Double.isInfinite(max)) {
                throw new IllegalArgumentException(setting + " must be a finite amount >= 0, was " + max);
            }
            this.basis = b;
            this.limit = max;
            return this;
        }

        /** Adds a listener told of each change of state. */
        public Builder listener(BudgetListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * The budget.
         *
         * @throws IllegalStateException if no limit was set
         */
        public CostBudget build() {
            if (basis == null) {
                throw new IllegalStateException("a budget needs a limit: set maxCostPerWindow or"
                        + " maxCostPer1000Requests");
            }
            return new CostBudget(this);
        }
    }
}
