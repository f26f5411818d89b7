package dev.seismo.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostBudgetTest {

    private final List<BudgetEvent> events = new ArrayList<>();

    @Test
    void listenersHearOnceWhenExceededAndOnceWhenBackWithin() {
        CostBudget budget = CostBudget.builder().maxCostPerWindow(10).listener(events::add).build();

        assertThat(budget.check(5, 100)).isFalse();
        assertThat(budget.check(12, 100)).isTrue();
        assertThat(budget.check(15, 100)).isTrue();
        assertThat(budget.check(10, 100)).isFalse();
        assertThat(budget.check(9, 100)).isFalse();

        assertThat(events).containsExactly(
                new BudgetEvent(BudgetEvent.Type.EXCEEDED, CostBudget.Basis.PER_WINDOW, 12, 10, 100),
                new BudgetEvent(BudgetEvent.Type.WITHIN, CostBudget.Basis.PER_WINDOW, 10, 10, 100));
        assertThat(budget.isExceeded()).isFalse();
    }

    @Test
    void aPer1000RequestsLimitDividesByTheWindowsRequests() {
        CostBudget budget = CostBudget.builder().maxCostPer1000Requests(0.40).listener(events::add).build();

        budget.check(30, 100_000); // 0.30 per 1000
        budget.check(50, 100_000); // 0.50 per 1000

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(BudgetEvent.Type.EXCEEDED);
            assertThat(e.observed()).isEqualTo(0.5);
            assertThat(e.limit()).isEqualTo(0.4);
        });
        assertThat(budget.basis()).isEqualTo(CostBudget.Basis.PER_1000_REQUESTS);
    }

    @Test
    void aWindowWithoutRequestsLeavesAPerRequestBudgetAsItWas() {
        CostBudget budget = CostBudget.builder().maxCostPer1000Requests(1).listener(events::add).build();
        budget.check(5, 1_000);

        assertThat(budget.check(0.2, 0)).isTrue();
        assertThat(events).hasSize(1);
    }

    @Test
    void aThrowingListenerDoesNotStopTheOthers() {
        CostBudget budget = CostBudget.builder().maxCostPerWindow(1)
                .listener(e -> {
                    throw new IllegalStateException("pager down");
                })
                .listener(events::add).build();

        budget.check(2, 1);

        assertThat(events).hasSize(1);
        assertThat(budget.listenerFailures()).isEqualTo(1);
    }

    @Test
    void aBudgetHasExactlyOneLimit() {
        assertThatIllegalStateException().isThrownBy(() -> CostBudget.builder().build())
                .withMessage("a budget needs a limit: set maxCostPerWindow or maxCostPer1000Requests");
        assertThatIllegalStateException()
                .isThrownBy(() -> CostBudget.builder().maxCostPerWindow(1).maxCostPer1000Requests(1))
                .withMessage("a budget has one limit and maxCostPerWindow was already set; build another budget for"
                        + " maxCostPer1000Requests");
    }

    @Test
    void aNegativeLimitOrWindowIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> CostBudget.builder().maxCostPerWindow(-1))
                .withMessage("maxCostPerWindow must be a finite amount >= 0, was -1.0");
        CostBudget budget = CostBudget.builder().maxCostPerWindow(1).build();
        assertThatIllegalArgumentException().isThrownBy(() -> budget.check(-1, 0))
                .withMessage("a window's cost and requests must be >= 0, were -1.0 and 0");
        assertThat(budget.limit()).isEqualTo(1);
    }
}
