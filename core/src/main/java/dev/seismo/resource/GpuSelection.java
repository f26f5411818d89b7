package dev.seismo.resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Which GPUs a {@link GpuSampler} reads, named as {@code nvidia-smi -i} names them: by NVML index ({@code 3}) or by
 * UUID ({@code GPU-5e0c...}). The syntax is checked when the selection is made; whether each selector names a GPU
 * can only be checked against the GPUs the driver lists, when the sampler opens its reader.
 *
 * <p>UUIDs must be given in full: CUDA accepts a unique prefix in {@code CUDA_VISIBLE_DEVICES}, but a prefix that
 * is unique today can become ambiguous when a GPU is added, silently moving the charge to another GPU.
 *
 * <p>Internal: not for use outside this package. Thread-safe: immutable.
 */
final class GpuSelection {

    /** No selection: every GPU the driver lists. */
    static final GpuSelection ALL = new GpuSelection(List.of());

    private static final String HOW = "nvidia-smi -L lists each GPU's index and UUID";

    /** One selector as given, and the GPU index or UUID it names (the other is -1 or null). */
    private record Selector(String text, int index, String uuid) {
        boolean matches(GpuDevice d) {
            return uuid != null ? uuid.equals(d.uuid()) : index == d.index();
        }
    }

    private final List<Selector> selectors;

    private GpuSelection(List<Selector> selectors) {
        this.selectors = List.copyOf(selectors);
    }

    /**
     * Parses {@code selectors}, each stripped of surrounding spaces.
     *
     * @throws IllegalArgumentException if there are none, or one is blank, a negative index, not an index or a
     *                                  UUID, a MIG instance, or names the same index or UUID as another
     */
    static GpuSelection of(String... selectors) {
        Objects.requireNonNull(selectors, "selectors");
        if (selectors.length == 0) {
            throw new IllegalArgumentException("GPU selection needs at least one GPU index or UUID; to read every"
                    + " GPU, do not select any");
        }
        List<Selector> parsed = new ArrayList<>(selectors.length);
        for (int i = 0; i < selectors.length; i++) {
            Selector s = parse(Objects.requireNonNull(selectors[i], "GPU selector #" + (i + 1) + " is null"), i + 1);
            for (Selector earlier : parsed) {
                if (s.index == earlier.index && Objects.equals(s.uuid, earlier.uuid)) {
                    throw new IllegalArgumentException("GPU selector '" + s.text + "' names the same GPU as '"
                            + earlier.text + "'; name each GPU once");
                }
            }
            parsed.add(s);
        }
        return new GpuSelection(parsed);
    }

    private static Selector parse(String given, int number) {
        String text = given.strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("GPU selector #" + number + " is blank; give an NVML"
                    + " index such as 0 or a UUID such as GPU-5e0c1a2b-..., as " + HOW);
        }
        if (text.startsWith("-") && text.length() > 1 && digits(text.substring(1))) {
            throw new IllegalArgumentException("GPU index must be >= 0, was '" + text + "'; NVML numbers GPUs from 0"
                    + " and " + HOW);
        }
        if (digits(text)) {
            try {
                return new Selector(text, Integer.parseInt(text), null);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("GPU index '" + text + "' is too large; " + HOW, e);
            }
        }
        if (text.startsWith("MIG-")) {
            throw new IllegalArgumentException("GPU selector '" + text + "' names a MIG instance, but GPUs are read"
                    + " whole (NVML gives no utilization per MIG instance); select the parent GPU's UUID, which "
                    + "nvidia-smi -L lists above its MIG devices, knowing its readings cover all its instances");
        }
        if (text.startsWith("GPU-") && text.length() > "GPU-".length()) {
            return new Selector(text, -1, text);
        }
        throw new IllegalArgumentException("GPU selector '" + text + "' is neither an NVML index (0, 1, ...) nor a"
                + " GPU UUID (GPU-...); " + HOW);
    }

    private static boolean digits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Whether every GPU is read. */
    boolean isAll() {
        return selectors.isEmpty();
    }

    /**
     * Why this selection does not fit the GPUs {@code source} lists, in one line that lists them; {@code null} when
     * every selector names one of them and no two name the same.
     */
    String mismatch(List<GpuDevice> found, String source) {
        List<String> unmatched = new ArrayList<>();
        for (int i = 0; i < selectors.size(); i++) {
            Selector s = selectors.get(i);
            GpuDevice d = find(s, found);
            if (d == null) {
                unmatched.add("'" + s.text + "'");
                continue;
            }
            for (int j = 0; j < i; j++) {
                if (selectors.get(j).matches(d)) {
                    return "GPU selectors '" + selectors.get(j).text + "' and '" + s.text + "' both name "
                            + describe(d) + "; name each GPU once";
                }
            }
        }
        if (unmatched.isEmpty()) {
            return null;
        }
        return (unmatched.size() == 1 ? "GPU selector " + unmatched.get(0) + " matches"
                : "GPU selectors " + String.join(", ", unmatched) + " match")
                + " no GPU " + source + " opened (" + found.stream().map(GpuSelection::describe)
                .collect(Collectors.joining(", ")) + "); select GPUs by an index or a full UUID from this list (a GPU"
                + " this process may not open is left out of it, and named in the reader's own line)";
    }

    /** The selected GPUs among {@code found}, in the order found; all of them without a selection. */
    List<GpuDevice> select(List<GpuDevice> found) {
        if (isAll()) {
            return found;
        }
        List<GpuDevice> out = new ArrayList<>(selectors.size());
        for (GpuDevice d : found) {
            for (Selector s : selectors) {
                if (s.matches(d)) {
                    out.add(d);
                    break;
                }
            }
        }
        return out;
    }

    private static GpuDevice find(Selector s, List<GpuDevice> found) {
        for (GpuDevice d : found) {
            if (s.matches(d)) {
                return d;
            }
        }
        return null;
    }

    /** As {@code nvidia-smi -L} prints a GPU. */
    private static String describe(GpuDevice d) {
        return "GPU " + d.index() + ": " + d.name() + " (UUID: " + d.uuid() + ")";
    }
}
