package dev.seismo.monitor;

/**
 * The model call that {@link ModelMonitor#observe} times. Whatever it throws is recorded as the call's error and
 * rethrown unchanged, checked exceptions included.
 *
 * @param <T> the result
 * @param <E> what the call may throw
 */
@FunctionalInterface
public interface ModelCall<T, E extends Throwable> {

    /** Calls the model. */
    T call() throws E;
}
