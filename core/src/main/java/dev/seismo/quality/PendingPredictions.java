package dev.seismo.quality;

import java.util.Arrays;

/**
 * The predictions waiting for their labels: an open-addressing hash table of primitive columns keyed by a 64-bit
 * key, with linear probing and backward-shift deletion (no tombstones, so a table that churns never degrades).
 *
 * <h2>Design notes</h2>
 * A slot is the key (8 bytes), a meta word (4 bytes: the window's sequence modulo 2^22, the predicted class in 8 bits,
 * -1 when empty) and the payload: {@code width} floats for a classifier (P(class 1) for a binary one, the class
 * probabilities for a multiclass one, or the predicted class), one double for a regression model. The table has a
 * power of two slots, at least twice {@code capacity}, so it is at most half full and probes stay short; a binary
 * classifier's pending prediction therefore takes 16 bytes per slot, 32 to 64 bytes per prediction at capacity
 * ({@link #bytesPerPrediction()}). Probabilities are kept as floats (24-bit mantissa) while pending.
 *
 * <p>Keys are the caller's 64-bit keys, or 64-bit hashes of its string keys ({@link #hash(CharSequence)}): two
 * distinct string keys share a hash with probability about n^2 / 2^65 among n pending (3e-8 at a million), and a
 * second prediction under a pending key is refused and counted, never merged with the first.
 *
 * <p>Not thread-safe: owned by whoever holds the quality lock.
 */
final class PendingPredictions {

    static final int EMPTY = -1;
    static final int WINDOW_BITS = 22;
    static final int WINDOW_MASK = (1 << WINDOW_BITS) - 1;

    private final int capacity;
    private final int mask;
    private final long[] keys;
    private final int[] meta;
    private final int width;
    private final float[] floats;
    private final double[] doubles;
    private int size;

    /**
     * @param width  floats per classifier prediction; 0 for a regression model (one double)
     */
    PendingPredictions(int capacity, int width) {
        this.capacity = capacity;
        int slots = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1; // power of two >= 2 * capacity
        this.mask = slots - 1;
        this.keys = new long[slots];
        this.meta = new int[slots];
        Arrays.fill(meta, EMPTY);
        this.width = width;
        this.floats = width > 0 ? new float[slots * width] : null;
        this.doubles = width == 0 ? new double[slots] : null;
    }

    /** The 64-bit hash of a string key: each char mixed in, then the splitmix64 finalizer. */
    static long hash(CharSequence key) {
        long h = 0x9E3779B97F4A7C15L ^ key.length();
        for (int i = 0; i < key.length(); i++) {
            h = (h ^ key.charAt(i)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 29;
        }
        return mix(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    int size() {
        return size;
    }

    int capacity() {
        return capacity;
    }

    /** The table's bytes divided by its capacity: what one pending prediction costs when the table is full. */
    double bytesPerPrediction() {
        long slots = keys.length;
        long bytes = slots * (8 + 4) + (floats != null ? 4L * floats.length : 8L * doubles.length);
        return (double) bytes / capacity;
    }

    long tableBytes() {
        return (long) keys.length * 12 + (floats != null ? 4L * floats.length : 8L * doubles.length);
    }

    enum Put { ADDED, DUPLICATE, FULL }

    /** Adds a classifier's prediction; {@code payload} holds {@code width} values from {@code offset}. */
    Put put(long key, int window, int predictedClass, double[] payload, int offset) {
        int slot = find(key);
        if (slot >= 0) {
            return Put.DUPLICATE;
        }
        if (size >= capacity) {
            return Put.FULL;
        }
        slot = ~slot;
        keys[slot] = key;
        meta[slot] = (window & WINDOW_MASK) | (predictedClass << WINDOW_BITS);
        for (int i = 0; i < width; i++) {
            floats[slot * width + i] = (float) payload[offset + i];
        }
        size++;
        return Put.ADDED;
    }

    /** Adds a regression model's prediction. */
    Put put(long key, int window, double value) {
        int slot = find(key);
        if (slot >= 0) {
            return Put.DUPLICATE;
        }
        if (size >= capacity) {
            return Put.FULL;
        }
        slot = ~slot;
        keys[slot] = key;
        meta[slot] = window & WINDOW_MASK;
        doubles[slot] = value;
        size++;
        return Put.ADDED;
    }

    /** The slot holding {@code key}, or the complement of the empty slot where it would go. */
    int find(long key) {
        int i = (int) mix(key) & mask;
        while (true) {
            if (meta[i] == EMPTY) {
                return ~i;
            }
            if (keys[i] == key) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    int window(int slot) {
        return meta[slot] & WINDOW_MASK;
    }

    int predictedClass(int slot) {
        return meta[slot] >>> WINDOW_BITS;
    }

    float floatAt(int slot, int i) {
        return floats[slot * width + i];
    }

    double doubleAt(int slot) {
        return doubles[slot];
    }

    /** Copies a classifier slot's floats into {@code into}. */
    void copyFloats(int slot, double[] into) {
        for (int i = 0; i < width; i++) {
            into[i] = floats[slot * width + i];
        }
    }

    /** Empties a slot, shifting back the entries after it whose probe passed through it. */
    void remove(int slot) {
        int hole = slot;
        int i = slot;
        while (true) {
            i = (i + 1) & mask;
            if (meta[i] == EMPTY) {
                break;
            }
            int home = (int) mix(keys[i]) & mask;
            // Move entry i into the hole unless its home lies cyclically in (hole, i].
            boolean stays = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
            if (!stays) {
                keys[hole] = keys[i];
                meta[hole] = meta[i];
                if (floats != null) {
                    System.arraycopy(floats, i * width, floats, hole * width, width);
                } else {
                    doubles[hole] = doubles[i];
                }
                hole = i;
            }
        }
        meta[hole] = EMPTY;
        size--;
    }

    /**
     * Removes every prediction of a window (by its sequence modulo 2^22) and returns how many. One pass over the
     * table, starting after an empty slot: a deletion only moves entries of the cluster being scanned back onto the
     * slot just examined, so re-examining that slot visits every entry exactly once.
     */
    long removeWindow(int window) {
        int w = window & WINDOW_MASK;
        int start = 0;
        while (meta[start] != EMPTY) { // the table is at most half full: an empty slot exists
            start++;
        }
        long removed = 0;
        int slots = mask + 1;
        for (int step = 1; step <= slots; step++) {
            int i = (start + step) & mask;
            while (meta[i] != EMPTY && (meta[i] & WINDOW_MASK) == w) {
                remove(i);
                removed++;
            }
        }
        return removed;
    }
}
