package dev.seismo.resource;

import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/**
 * Where the resource readers' one-line notices go: to a consumer when one was given (tests, {@link GpuProbe}),
 * else to the source's logger, looked up only then, so that a probe that prints its own lines never starts SLF4J.
 *
 * <p>Internal: not for use outside this package.
 */
final class Notices {

    private Notices() {
    }

    static void tell(Consumer<String> notices, Class<?> source, boolean warn, String line) {
        if (notices != null) {
            notices.accept(line);
        } else if (warn) {
            LoggerFactory.getLogger(source).warn(line);
        } else {
            LoggerFactory.getLogger(source).info(line);
        }
    }
}
