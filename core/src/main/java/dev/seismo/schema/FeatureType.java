package dev.seismo.schema;

/** How a signal's values are profiled: as numbers (quantile sketch, moments) or as categories (frequent items, distinct count). */
public enum FeatureType {
    NUMERIC,
    CATEGORICAL
}
