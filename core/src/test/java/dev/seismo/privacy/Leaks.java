package dev.seismo.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/**
 * Finds raw values in a document: in its text and inside every base64 string it holds (sketches are stored as
 * base64 of bytes in which strings are plain UTF-8, so a grep of the text alone would miss them).
 */
final class Leaks {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Leaks() {
    }

    /** The values found in the text, or in any decoded base64 string of the JSON document. */
    static List<String> in(String text, Collection<String> values) {
        StringBuilder haystack = new StringBuilder(text);
        try {
            if (text.stripLeading().startsWith("{")) {
                decoded(MAPPER.readTree(text), haystack);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String all = haystack.toString();
        List<String> found = new ArrayList<>();
        for (String v : values) {
            if (all.contains(v)) {
                found.add(v);
            }
        }
        return found;
    }

    private static void decoded(JsonNode node, StringBuilder out) {
        if (node.isTextual()) {
            try {
                out.append('\n').append(new String(Base64.getDecoder().decode(node.textValue()),
                        StandardCharsets.UTF_8));
            } catch (IllegalArgumentException notBase64) {
                // plain text, already in the haystack
            }
        }
        node.elements().forEachRemaining(child -> decoded(child, out));
    }
}
