/**
 * What requests cost: {@link dev.seismo.cost.CostModel} (prices, also from a JSON price file),
 * {@link dev.seismo.cost.ResourceAttributor} (measured instance, CPU and GPU time and GPU energy allocated to the
 * requests in flight, then priced), and {@link dev.seismo.cost.CostBudget} (a limit per window that tells
 * listeners when it is crossed). The measurements come from {@code dev.seismo.resource}; see
 * {@code docs/RESOURCES.md}.
 */
package dev.seismo.cost;
