package dev.seismo.cli;

import dev.seismo.privacy.HashKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where a command finds the key that protected columns are hashed with: {@code --hash-key-file}, else the environment
 * variable {@value HashKey#ENVIRONMENT_VARIABLE}. Never an option holding the key itself, which would show in the
 * process list and the shell's history.
 */
final class HashKeyOption {

    @Option(names = "--hash-key-file", paramLabel = "<file>",
            description = "File holding the key protected columns are hashed with (its text, a final line break"
                    + " dropped); default: the environment variable " + HashKey.ENVIRONMENT_VARIABLE + ".")
    private Path file;

    /** The key, if one is given; {@code why} says what needs it, for the error when there is none. */
    HashKey require(String why) throws InputException, IOException {
        return find().orElseThrow(() -> new InputException(why + " needs a hash key: set the environment variable "
                + HashKey.ENVIRONMENT_VARIABLE + " (at least 16 random bytes, such as the output of 'openssl rand"
                + " -base64 32') or pass --hash-key-file; use the key the reference was profiled with"));
    }

    Optional<HashKey> find() throws InputException, IOException {
        try {
            if (file != null) {
                FileChecks.input(file);
                String text = Files.readString(file, StandardCharsets.UTF_8);
                text = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                        : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
                try {
                    return Optional.of(HashKey.of(text));
                } catch (IllegalArgumentException e) {
                    throw new InputException(file + ": " + e.getMessage().replace("the hash key", "the key"));
                }
            }
            return HashKey.fromEnvironment();
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
    }
}
