package dev.seismo.monitor;

import dev.seismo.cost.CostBudget;
import dev.seismo.cost.CostModel;
import dev.seismo.drift.DriftConfig;
import dev.seismo.profile.Profile;
import dev.seismo.privacy.HashKey;
import dev.seismo.privacy.Protection;
import dev.seismo.profile.ProfileOptions;
import dev.seismo.quality.LabelOutcome;
import dev.seismo.quality.QualityConfig;
import dev.seismo.quality.QualitySnapshot;
import dev.seismo.resource.ThreadCpuTime;
import dev.seismo.schema.Feature;
import dev.seismo.schema.Schema;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Watches one model (name and version): times its calls, counts outcomes and usage, and profiles its inputs and
 * outputs into tumbling {@link Window windows}.
 *
 * <pre>{@code
 * ModelMonitor monitor = ModelMonitor.builder("fraud").version("3")
 *         .numericFeature("amount").categoricalFeature("country").numericOutput("score")
 *         .register(registry);
 * double score = monitor.observe(Map.of("amount", 12.5, "country", "DE"), () -> model.score(tx));
 * }</pre>
 *
 * <p>Recording ({@link #observe}, {@link #start()}, {@link #record}) runs on the caller's thread and is built for
 * it: it never throws (bad values are counted), never takes a lock another thread holds, and allocates nothing in
 * steady state. Sketching happens on the registry's aggregation thread. Thread-safe.
 */
public interface ModelMonitor {

    /** The resource signal holding each call's cost, in the cost model's currency (with a cost model). */
    String COST = "seismo.cost";
    /** The resource signal holding each call's emissions, grams CO2e (with a cost model). */
    String EMISSIONS = "seismo.emissions_g";
    /** The resource signal holding each call's CPU seconds (measured per thread, or allocated from the process). */
    String CPU_TIME = "seismo.cpu_seconds";

    /** A builder for a monitor of the named model. */
    static Builder builder(String name) {
        return new Builder(name);
    }

    /** The model's name. */
    String name();

    /** The model's version. */
    String version();

    /** The signals profiled, in index order. */
    Schema schema();

    /**
     * Starts timing a call and returns its scope; closing the scope records it. The scope is reused by the
     * calling thread, so it must be closed on that thread and not kept.
     */
    Inference start();

    /** A new inference the caller owns and reuses for the indexed fast path; see {@link #record(Inference)}. */
    Inference newInference();

    /**
     * Records an inference and empties it for reuse. Its latency is the one set, else the time since it was
     * started, else 0.
     */
    void record(Inference inference);

    /**
     * Times {@code call}, recording its features and outcome. What the call throws is recorded as an error and
     * rethrown unchanged.
     */
    <T, E extends Throwable> T observe(Map<String, ?> features, ModelCall<T, E> call) throws E;

    /**
     * Like {@link #observe(Map, ModelCall)}, and hands the result to {@code outputs} to set output values (a
     * score, a label) on the inference. If {@code outputs} throws, that is counted, not thrown.
     */
    <T, E extends Throwable> T observe(Map<String, ?> features, ModelCall<T, E> call,
                                       BiConsumer<? super T, Inference> outputs) throws E;

    /**
     * Aggregates what has been recorded so far and returns the windows. Waits for the aggregation (never for a
     * recording thread); recording threads do not wait for it.
     */
    MonitorSnapshot snapshot();

    /**
     * The most recently closed window, with its drift report if the monitor has a reference: what exporters show
     * as the model's current drift. Cheap: nothing is aggregated or copied.
     */
    Optional<Window> latestWindow();

    /**
     * Aggregates what has been recorded so far and closes the windows that are due, as the registry's thread does
     * at each interval, without copying anything out. Waits for the aggregation, never for a recording thread.
     */
    void flush();

    /**
     * Joins the actual outcome of an earlier call that carried {@code key} ({@link Inference#key(CharSequence)}) to its
     * prediction, in the realized metrics of that call's window, however long ago it closed (up to the label horizon,
     * docs/QUALITY.md). {@code actual} is the class index (0 or 1 for a binary classifier) or the actual value.
     * Callable from any thread; never waits for a recording thread. Without {@link Builder#quality} it returns
     * {@link LabelOutcome#NOT_TRACKED}.
     */
    default LabelOutcome label(CharSequence key, double actual) {
        return LabelOutcome.NOT_TRACKED;
    }

    /** Like {@link #label(CharSequence, double)}, for a call keyed by {@link Inference#key(long)}. */
    default LabelOutcome label(long key, double actual) {
        return LabelOutcome.NOT_TRACKED;
    }

    /** Like {@link #label(CharSequence, double)}, with the actual class by name. */
    default LabelOutcome label(CharSequence key, String actualClass) {
        return LabelOutcome.NOT_TRACKED;
    }

    /** The monitor's quality: windows with realized and estimated metrics, and the join's counters. */
    default Optional<QualitySnapshot> quality() {
        return Optional.empty();
    }

    /**
     * Builds a {@link ModelMonitor}; every setting is checked when set. Not thread-safe.
     */
    final class Builder {
        /** Version used when none is set. */
        public static final String DEFAULT_VERSION = "unversioned";

        final String name;
        String version = DEFAULT_VERSION;
        final List<Feature> features = new ArrayList<>();
        Schema schema;
        Duration windowDuration = Duration.ofMinutes(1);
        long windowMaxRecords;
        int windowHistory = 60;
        int featureSampling = 1;
        ProfileOptions profileOptions = ProfileOptions.defaults();
        final List<WindowListener> listeners = new ArrayList<>();
        Profile reference;
        int bootstrapWindows;
        DriftConfig driftConfig;
        final List<DriftListener> driftListeners = new ArrayList<>();
        CostModel costModel;
        ThreadCpuTime cpuTime;
        CostBudget budget;
        final Map<String, Protection> protection = new LinkedHashMap<>();
        HashKey hashKey;
        QualityConfig quality;

        Builder(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("model name must not be blank");
            }
            this.name = name;
        }

        /** The model's version (default {@value #DEFAULT_VERSION}). */
        public Builder version(String version) {
            Objects.requireNonNull(version, "version");
            if (version.isBlank()) {
                throw new IllegalArgumentException("model version must not be blank; leave it unset for '"
                        + DEFAULT_VERSION + "'");
            }
            this.version = version;
            return this;
        }

        /** Declares a numeric input feature. */
        public Builder numericFeature(String name) {
            return feature(Schema.builder().numericInput(name));
        }

        /** Declares a categorical input feature. */
        public Builder categoricalFeature(String name) {
            return feature(Schema.builder().categoricalInput(name));
        }

        /**
         * Declares a categorical input feature whose values may be personal data: {@link Protection#HASHED} (a keyed
         * hash replaces each value before any sketch sees it) or {@link Protection#COUNTS_ONLY} (no value kept).
         * Either needs a hash key: {@link #hashKey}, the registry's, or {@value HashKey#ENVIRONMENT_VARIABLE}.
         */
        public Builder categoricalFeature(String name, Protection protection) {
            return feature(Schema.builder().categoricalInput(name, protection));
        }

        /** Declares a numeric output, such as a score: profiled like a feature, for prediction drift. */
        public Builder numericOutput(String name) {
            return feature(Schema.builder().numericOutput(name));
        }

        /** Declares a categorical output, such as a class label. */
        public Builder categoricalOutput(String name) {
            return feature(Schema.builder().categoricalOutput(name));
        }

        /** Declares a categorical output whose values are protected, as {@link #categoricalFeature(String, Protection)}. */
        public Builder categoricalOutput(String name, Protection protection) {
            return feature(Schema.builder().categoricalOutput(name, protection));
        }

        /**
         * Sets the protection of a categorical signal declared by name here or in {@link #schema(Schema)}, replacing
         * the one declared: configuration by name ({@code seismo.models.<model>.features.<name>.protection}).
         * {@link #register} fails if the schema has no categorical signal of that name.
         */
        public Builder protection(String feature, Protection protection) {
            Objects.requireNonNull(feature, "feature");
            this.protection.put(feature, Objects.requireNonNull(protection, "protection"));
            return this;
        }

        /**
         * The key this monitor's protected features are hashed with, instead of the registry's
         * ({@link MonitorRegistry.Builder#hashKey}) or, without one, {@value HashKey#ENVIRONMENT_VARIABLE}.
         */
        public Builder hashKey(HashKey key) {
            this.hashKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /** Declares every signal at once, instead of one by one. */
        public Builder schema(Schema schema) {
            Objects.requireNonNull(schema, "schema");
            if (!features.isEmpty()) {
                throw new IllegalStateException("features were already declared one by one; use either schema(..)"
                        + " or the feature methods");
            }
            this.schema = schema;
            return this;
        }

        private Builder feature(Schema.Builder one) {
            if (schema != null) {
                throw new IllegalStateException("a schema was already set; use either schema(..) or the feature methods");
            }
            features.addAll(one.build().features());
            Schema.of(features); // fails now, naming the feature, if it is declared twice
            return this;
        }

        /** Closes a window after this much time (default 1 minute); windows align on multiples of it. */
        public Builder windowDuration(Duration duration) {
            Objects.requireNonNull(duration, "duration");
            if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("windowDuration must be at least 1 second, was " + duration);
            }
            this.windowDuration = duration;
            return this;
        }

        /** Closes windows on record count only (see {@link #windowMaxRecords(long)}), never on time. */
        public Builder noWindowDuration() {
            this.windowDuration = null;
            return this;
        }

        /** Also closes a window once it holds this many calls (default 0: no limit). */
        public Builder windowMaxRecords(long maxRecords) {
            if (maxRecords < 0) {
                throw new IllegalArgumentException("windowMaxRecords must be >= 0 (0 = no limit), was " + maxRecords);
            }
            this.windowMaxRecords = maxRecords;
            return this;
        }

        /** How many closed windows to keep (default 60); older ones are dropped. */
        public Builder windowHistory(int windows) {
            if (windows < 1 || windows > 10_000) {
                throw new IllegalArgumentException("windowHistory must be in 1..10000, was " + windows);
            }
            this.windowHistory = windows;
            return this;
        }

        /**
         * Profiles the features of 1 call in {@code n} (default 1: every call). Latency, outcomes and usage are
         * still recorded for every call.
         */
        public Builder featureSampling(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("featureSampling must be >= 1 (1 in n calls profiled), was " + n);
            }
            this.featureSampling = n;
            return this;
        }

        /** Sketch sizes for the windows' profiles. */
        public Builder profileOptions(ProfileOptions options) {
            this.profileOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Adds a listener told of each closed window. */
        public Builder listener(WindowListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Compares each closed window that profiled calls with this reference profile (from {@code seismo profile}
         * or a {@code ProfileBuilder}), off the request path; see {@link Window#drift()}.
         */
        public Builder reference(Profile reference) {
            Objects.requireNonNull(reference, "reference");
            if (bootstrapWindows > 0) {
                throw new IllegalStateException("bootstrapReference was already set; a monitor takes a reference"
                        + " profile or bootstraps one, not both");
            }
            this.reference = reference;
            return this;
        }

        /**
         * With no reference profile at hand, takes the first {@code windows} closed windows that profiled calls,
         * merged, as the reference, and compares every later such window with it. Each report names the reference's period.
         */
        public Builder bootstrapReference(int windows) {
            if (reference != null) {
                throw new IllegalStateException("a reference profile was already set; a monitor takes a reference"
                        + " profile or bootstraps one, not both");
            }
            if (windows < 1 || windows > 1_000) {
                throw new IllegalArgumentException("bootstrapReference must be in 1..1000 windows, was " + windows);
            }
            this.bootstrapWindows = windows;
            return this;
        }

        /** How drift is decided (default {@link DriftConfig#defaults()}: the calibrated policy). */
        public Builder drift(DriftConfig config) {
            this.driftConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Adds a listener told when a feature, an output or the dataset starts or stops drifting. */
        public Builder driftListener(DriftListener listener) {
            driftListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Prices this model's calls: tokens (input, cached input, output) and the price per call, instead of the
         * registry's. Hardware (instance and GPU time, energy, carbon) is priced by the registry's cost model when
         * it has one: this model must then be in the registry's currency and set no hardware prices other than the
         * registry's, or {@link #register} fails. Without a registry cost model this model prices everything. Each call's cost
         * and emissions become the resource signals {@link #COST} and {@link #EMISSIONS} of the window open when
         * its resources are settled (docs/RESOURCES.md).
         */
        public Builder costModel(CostModel model) {
            this.costModel = Objects.requireNonNull(model, "model");
            return this;
        }

        /**
         * Measures the CPU time of the calling thread around each call (all calls, or 1 in n: a read costs about
         * 0.3-0.6 us) into the resource signal {@link #CPU_TIME}, for scopes ({@link #start()}, {@link #observe}):
         * one value per measured call. Work the model does on other threads is not in it. In a registry that
         * attributes resources, process CPU time is spread over the calls in flight instead, until a monitor
         * measures per thread: from then on, calls not measured have no CPU value (docs/RESOURCES.md).
         */
        public Builder cpuTime(ThreadCpuTime cpuTime) {
            this.cpuTime = Objects.requireNonNull(cpuTime, "cpuTime");
            return this;
        }

        /**
         * Tells the budget's listeners when a window's cost crosses its limit, and when it is back under. A budget
         * keeps one monitor's state: registering a second monitor with the same budget fails.
         */
        public Builder budget(CostBudget budget) {
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /**
         * Tracks the model's quality: calls that carry a key and a prediction ({@link Inference#key(CharSequence)},
         * {@link Inference#prediction(double)}) wait for {@link ModelMonitor#label labels}; see docs/QUALITY.md.
         */
        public Builder quality(QualityConfig config) {
            this.quality = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Builds the monitor and registers it, so the registry's thread aggregates it and exporters find it.
         *
         * @throws IllegalStateException if the registry already holds this model name and version, or is closed; if
         *                               the cost model does not layer on the registry's ({@link #costModel}); if
         *                               the budget is another monitor's; if a protection names no categorical
         *                               signal, or protected signals have no hash key; if the reference's
         *                               protections or key differ from this monitor's
         */
        public ModelMonitor register(MonitorRegistry registry) {
            Objects.requireNonNull(registry, "registry");
            if (windowDuration == null && windowMaxRecords == 0) {
                throw new IllegalStateException("windows would never close: set windowDuration or windowMaxRecords");
            }
            if ((driftConfig != null || !driftListeners.isEmpty()) && reference == null && bootstrapWindows == 0) {
                throw new IllegalStateException("drift needs a reference: set reference(profile) or"
                        + " bootstrapReference(windows)");
            }
            CostModel prices = registry.callPrices(name, costModel);
            if (budget != null && prices == null) {
                throw new IllegalStateException("a budget needs a cost model: set costModel(..) here or on the"
                        + " registry");
            }
            Schema declared = protect(schema != null ? schema : Schema.of(features));
            HashKey key = null;
            if (declared.hasProtectedFeatures()) {
                key = hashKey != null ? hashKey : registry.hashKey()
                        .or(HashKey::fromEnvironment)
                        .orElseThrow(() -> new IllegalStateException("model '" + name + "' protects "
                                + declared.categorical().stream().filter(f -> f.protection().needsKey())
                                        .map(Feature::name).toList()
                                + ", which needs a hash key: set hashKey(..) here or on the registry, or the"
                                + " environment variable " + HashKey.ENVIRONMENT_VARIABLE));
            }
            return registry.register(this, declared, prices, key);
        }

        private Schema protect(Schema declared) {
            if (protection.isEmpty()) {
                return declared;
            }
            List<Feature> signals = new ArrayList<>(declared.features());
            for (Map.Entry<String, Protection> p : protection.entrySet()) {
                int i = declared.categoricalIndex(p.getKey());
                if (i < 0) {
                    throw new IllegalStateException("protection is set for '" + p.getKey() + "', which is not a"
                            + " categorical signal of model '" + name + "'; its categorical signals are "
                            + declared.categorical().stream().map(Feature::name).toList());
                }
                Feature f = declared.categorical().get(i);
                signals.set(signals.indexOf(f), f.withProtection(p.getValue()));
            }
            return Schema.of(signals);
        }
    }
}
