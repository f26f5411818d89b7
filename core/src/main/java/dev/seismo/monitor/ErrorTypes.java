package dev.seismo.monitor;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded, lock-free table that turns exception classes into small integers on the caller's thread, so a
 * record carries an {@code int} rather than a reference, and the number of distinct error types a monitor
 * reports stays bounded whatever the model throws.
 *
 * <p>Code 0 is success; codes 1..{@link #MAX_TYPES} are distinct classes in order of first sight; the last code,
 * {@link #OTHER}, stands for every class seen after the table filled. Thread-safe.
 */
final class ErrorTypes {

    /** Distinct exception classes tracked by name. */
    static final int MAX_TYPES = 31;
    static final int SUCCESS = 0;
    static final int OTHER = MAX_TYPES + 1;
    static final String OTHER_NAME = "other";

    private final AtomicReferenceArray<Class<?>> types = new AtomicReferenceArray<>(MAX_TYPES + 1);

    /** The code of this exception's class; never allocates once the class has been seen. */
    int codeOf(Throwable error) {
        Class<?> type = error.getClass();
        for (int i = 1; i <= MAX_TYPES; i++) {
            Class<?> seen = types.get(i);
            if (seen == type) {
                return i;
            }
            if (seen == null) {
                if (types.compareAndSet(i, null, type)) {
                    return i;
                }
                if (types.get(i) == type) {
                    return i;
                }
            }
        }
        return OTHER;
    }

    /** The name reported for a code: the exception's class name, or "other". */
    String nameOf(int code) {
        if (code == OTHER) {
            return OTHER_NAME;
        }
        Class<?> type = types.get(code);
        return type == null ? OTHER_NAME : type.getName();
    }
}
