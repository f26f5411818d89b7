package dev.seismo.cost;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Currency;
import java.util.Locale;
import java.util.Objects;

/**
 * Prices: what a model's requests cost and how much carbon their energy emits. Token prices are per million tokens
 * (as providers quote them); the others per call, per hour, per kWh. Every amount is in the major unit of
 * {@link #currency()}, and every price defaults to 0, so a model states only what applies to it.
 *
 * <pre>{@code
 * CostModel prices = CostModel.builder().currency("USD")
 *         .inputPerMillionTokens(3.00).cachedInputPerMillionTokens(0.30).outputPerMillionTokens(15.00)
 *         .gpuPerHour(2.50).energyPerKwh(0.12).carbonGramsPerKwh(380)
 *         .build();
 * CostModel fromFile = CostModel.fromJson(Path.of("prices.json"));
 * }</pre>
 *
 * <p>A request costs its tokens, the price per call, and its share of instance time, GPU busy time and GPU energy
 * as {@link ResourceAttributor} allocates them. Emissions are computed from measured (GPU) energy only; the rest of
 * the host's draw is not measured. An instance price that already includes power (most cloud prices) and an energy
 * price would count power twice: set the energy price where power is billed apart (on premises).
 *
 * <p>The JSON price file holds the same settings under the builder's names; see {@link #fromJson(Path)}.
 *
 * <p>Thread-safe: immutable.
 */
public final class CostModel {

    private static final double TOKENS_PER_PRICE = 1_000_000.0;
    private static final double SECONDS_PER_HOUR = 3_600.0;
    private static final double JOULES_PER_KWH = 3_600_000.0;
    private static final CostModel FREE = builder().build();

    private final String currency;
    private final double inputPerMillionTokens;
    private final double outputPerMillionTokens;
    private final double cachedInputPerMillionTokens;
    private final double perCall;
    private final double instancePerHour;
    private final double gpuPerHour;
    private final double energyPerKwh;
    private final double carbonGramsPerKwh;

    private CostModel(Builder b) {
        this.currency = b.currency;
        this.inputPerMillionTokens = b.inputPerMillionTokens;
        this.outputPerMillionTokens = b.outputPerMillionTokens;
        this.cachedInputPerMillionTokens = Double.isNaN(b.cachedInputPerMillionTokens) ? b.inputPerMillionTokens
                : b.cachedInputPerMillionTokens;
        this.perCall = b.perCall;
        this.instancePerHour = b.instancePerHour;
        this.gpuPerHour = b.gpuPerHour;
        this.energyPerKwh = b.energyPerKwh;
        this.carbonGramsPerKwh = b.carbonGramsPerKwh;
    }

    /** A builder: USD, every price 0. */
    public static Builder builder() {
        return new Builder();
    }

    /** Every price 0, in USD: costs nothing, emits nothing. */
    public static CostModel free() {
        return FREE;
    }

    /**
     * Reads a JSON price file (UTF-8, a leading byte order mark ignored): one object whose keys are the builder's
     * setting names, {@code currency} required, the prices optional (default 0).
     *
     * <pre>{@code
     * { "currency": "EUR", "inputPerMillionTokens": 2.5, "outputPerMillionTokens": 10,
     *   "gpuPerHour": 2.2, "energyPerKwh": 0.21, "carbonGramsPerKwh": 250 }
     * }</pre>
     *
     * @throws PriceFileException if the file is not such an object: the message names the file, the JSON pointer
     *                            and line of the offending key, what is wrong and how to fix it; an unknown key is
     *                            reported with the list of known ones
     * @throws IOException        if the file cannot be read
     */
    public static CostModel fromJson(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return PriceFile.read(reader, file.toString());
        }
    }

    /** Reads a JSON price file from {@code reader}; {@code source} names it in error messages. */
    public static CostModel fromJson(Reader reader, String source) throws IOException {
        return PriceFile.read(Objects.requireNonNull(reader, "reader"), Objects.requireNonNull(source, "source"));
    }

    /** A request's cost: its tokens, one call, and its allocated resources. */
    public Cost cost(TokenUsage tokens, ResourceUsage resources) {
        double tokenCost = ((tokens.input() - tokens.cachedInput()) * inputPerMillionTokens
                + tokens.cachedInput() * cachedInputPerMillionTokens
                + tokens.output() * outputPerMillionTokens) / TOKENS_PER_PRICE;
        return new Cost(currency, tokenCost, perCall, instanceCost(resources), gpuCost(resources),
                energyCost(resources));
    }

    /** What resources cost with no request attached (idle time): no tokens, no call. */
    public Cost resourceCost(ResourceUsage resources) {
        return new Cost(currency, 0, 0, instanceCost(resources), gpuCost(resources), energyCost(resources));
    }

    /** Grams of CO2-equivalent emitted for the GPU energy in {@code resources}. */
    public double emissionsGrams(ResourceUsage resources) {
        return resources.gpuEnergyJoules() / JOULES_PER_KWH * carbonGramsPerKwh;
    }

    private double instanceCost(ResourceUsage r) {
        return r.instanceSeconds() / SECONDS_PER_HOUR * instancePerHour;
    }

    private double gpuCost(ResourceUsage r) {
        return r.gpuSeconds() / SECONDS_PER_HOUR * gpuPerHour;
    }

    private double energyCost(ResourceUsage r) {
        return r.gpuEnergyJoules() / JOULES_PER_KWH * energyPerKwh;
    }

    /** The ISO 4217 code every amount is in. */
    public String currency() {
        return currency;
    }

    /** Price of a million input tokens that were not cached. */
    public double inputPerMillionTokens() {
        return inputPerMillionTokens;
    }

    /** Price of a million output tokens. */
    public double outputPerMillionTokens() {
        return outputPerMillionTokens;
    }

    /** Price of a million cached input tokens; the input price unless set. */
    public double cachedInputPerMillionTokens() {
        return cachedInputPerMillionTokens;
    }

    /** Fixed price of each call. */
    public double perCall() {
        return perCall;
    }

    /** Price of an instance hour, allocated to requests by their wall-clock overlap. */
    public double instancePerHour() {
        return instancePerHour;
    }

    /** Price of a GPU hour, allocated to requests by GPU busy time. */
    public double gpuPerHour() {
        return gpuPerHour;
    }

    /** Price of a kWh of GPU energy. */
    public double energyPerKwh() {
        return energyPerKwh;
    }

    /** Carbon intensity of the electricity, grams of CO2-equivalent per kWh. */
    public double carbonGramsPerKwh() {
        return carbonGramsPerKwh;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CostModel m
                && m.currency.equals(currency)
                && m.inputPerMillionTokens == inputPerMillionTokens
                && m.outputPerMillionTokens == outputPerMillionTokens
                && m.cachedInputPerMillionTokens == cachedInputPerMillionTokens
                && m.perCall == perCall
                && m.instancePerHour == instancePerHour
                && m.gpuPerHour == gpuPerHour
                && m.energyPerKwh == energyPerKwh
                && m.carbonGramsPerKwh == carbonGramsPerKwh;
    }

    @Override
    public int hashCode() {
        return Objects.hash(currency, inputPerMillionTokens, outputPerMillionTokens, cachedInputPerMillionTokens,
                perCall, instancePerHour, gpuPerHour, energyPerKwh, carbonGramsPerKwh);
    }

    @Override
    public String toString() {
        return "CostModel[currency=" + currency + ", inputPerMillionTokens=" + inputPerMillionTokens
                + ", outputPerMillionTokens=" + outputPerMillionTokens + ", cachedInputPerMillionTokens="
                + cachedInputPerMillionTokens + ", perCall=" + perCall + ", instancePerHour=" + instancePerHour
                + ", gpuPerHour=" + gpuPerHour + ", energyPerKwh=" + energyPerKwh + ", carbonGramsPerKwh="
                + carbonGramsPerKwh + "]";
    }

    /** Builds a {@link CostModel}; every setter rejects a bad value at once, naming the setting. Not thread-safe. */
    public static final class Builder {
        private String currency = "USD";
        private double inputPerMillionTokens;
        private double outputPerMillionTokens;
        private double cachedInputPerMillionTokens = Double.NaN;
        private double perCall;
        private double instancePerHour;
        private double gpuPerHour;
        private double energyPerKwh;
        private double carbonGramsPerKwh;

        private Builder() {
        }

        /** The ISO 4217 code of every amount, in upper case (default USD); not {@link Cost#NO_CURRENCY}. */
        public Builder currency(String code) {
            Objects.requireNonNull(code, "currency");
            boolean known;
            try {
                known = code.equals(code.toUpperCase(Locale.ROOT)) && Currency.getInstance(code) != null;
            } catch (IllegalArgumentException e) {
                known = false;
            }
            if (!known) {
                throw new IllegalArgumentException("currency must be an ISO 4217 code in upper case, such as USD or"
                        + " EUR, was '" + code + "'");
            }
            if (code.equals(Cost.NO_CURRENCY)) { // a real ISO code, and Java knows it, but it says "no money"
                throw new IllegalArgumentException("currency must be the currency the prices are in, such as USD or"
                        + " EUR, was '" + code + "' (ISO 4217's code for no currency)");
            }
            this.currency = code;
            return this;
        }

        /** Price of a million input tokens (default 0). */
        public Builder inputPerMillionTokens(double price) {
            this.inputPerMillionTokens = price("inputPerMillionTokens", price);
            return this;
        }

        /** Price of a million output tokens (default 0). */
        public Builder outputPerMillionTokens(double price) {
            this.outputPerMillionTokens = price("outputPerMillionTokens", price);
            return this;
        }

        /** Price of a million cached input tokens (default: the input price, no discount). */
        public Builder cachedInputPerMillionTokens(double price) {
            this.cachedInputPerMillionTokens = price("cachedInputPerMillionTokens", price);
            return this;
        }

        /** Fixed price of each call (default 0). */
        public Builder perCall(double price) {
            this.perCall = price("perCall", price);
            return this;
        }

        /** Price of an instance hour (default 0). */
        public Builder instancePerHour(double price) {
            this.instancePerHour = price("instancePerHour", price);
            return this;
        }

        /** Price of a GPU hour, per GPU (default 0). */
        public Builder gpuPerHour(double price) {
            this.gpuPerHour = price("gpuPerHour", price);
            return this;
        }

        /** Price of a kWh (default 0). */
        public Builder energyPerKwh(double price) {
            this.energyPerKwh = price("energyPerKwh", price);
            return this;
        }

        /** Grams of CO2-equivalent per kWh of the electricity used (default 0). */
        public Builder carbonGramsPerKwh(double grams) {
            this.carbonGramsPerKwh = price("carbonGramsPerKwh", grams);
            return this;
        }

        private static double price(String setting, double value) {
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException(setting + " must be a finite amount >= 0, was " + value);
            }
            return value;
        }

        /** The cost model. */
        public CostModel build() {
            return new CostModel(this);
        }
    }
}
