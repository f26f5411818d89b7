package dev.seismo.quality;

/** Told when a window's quality crosses an alert threshold ({@link QualityConfig.Builder#alertBelow}). */
@FunctionalInterface
public interface QualityListener {

    /** Called on the registry's aggregation thread; keep it short and hand slow work elsewhere. */
    void onAlert(QualityAlert alert);
}
