package dev.seismo.schema;

/**
 * What a profiled signal is to the model: an input it was given, or an output it produced (a score, a label).
 * Outputs are profiled exactly like inputs, so prediction drift is watched like feature drift.
 */
public enum Role {
    INPUT,
    OUTPUT
}
