package dev.seismo.quality;

import java.io.IOException;

/**
 * A quality reference file that cannot be read. The message says what is wrong, where (the source and the JSON
 * pointer of the key, or the line and column) and how to fix it.
 */
public final class QualityFormatException extends IOException {

    QualityFormatException(String source, String jsonPointer, String problem, String fix, Throwable cause) {
        super(source + (jsonPointer == null ? "" : " at " + jsonPointer) + ": " + problem + ". " + fix, cause);
    }
}
