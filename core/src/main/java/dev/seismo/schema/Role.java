package dev.seismo.schema;

/**
 * What a profiled signal is to the model: an input it was given, an output it produced (a score, a label), or a
 * resource the call used as Seismo measured it (its cost, emissions, CPU time). All are profiled alike, so
 * prediction drift and cost drift are watched like feature drift.
 */
public enum Role {
    INPUT,
    OUTPUT,
    RESOURCE
}
