package dev.seismo.resource;

/**
 * A GPU could not be read: no driver library, no GPU, or the driver failing a call. The message says which call
 * failed and why, with the driver's error name where it gives one.
 *
 * <p>Thread-safe: immutable.
 */
public final class GpuException extends Exception {

    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public GpuException(String message) {
        super(message);
    }

    /** A failure described by {@code message}, caused by {@code cause}. */
    public GpuException(String message, Throwable cause) {
        super(message, cause);
    }
}
