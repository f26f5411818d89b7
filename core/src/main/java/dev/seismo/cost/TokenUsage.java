package dev.seismo.cost;

/**
 * The tokens one request used. Cached input tokens are a part of the input tokens, as OpenAI-style usage reports
 * them: they are charged at the cached price instead of the input price.
 *
 * <p>Thread-safe: immutable.
 *
 * @param input       input (prompt) tokens, cached ones included
 * @param output      output (completion) tokens
 * @param cachedInput the input tokens served from a prompt cache, at most {@code input}
 */
public record TokenUsage(long input, long output, long cachedInput) {

    /** No tokens: a request to a model that is not priced by token. */
    public static final TokenUsage NONE = new TokenUsage(0, 0, 0);

    /** Validates the counts. */
    public TokenUsage {
        if (input < 0 || output < 0 || cachedInput < 0) {
            throw new IllegalArgumentException("token counts must be >= 0, were input " + input + ", output " + output
                    + ", cached input " + cachedInput);
        }
        if (cachedInput > input) {
            throw new IllegalArgumentException("cached input tokens are a part of input tokens, so at most " + input
                    + ", were " + cachedInput);
        }
    }

    /** Input and output tokens, none cached. */
    public static TokenUsage of(long input, long output) {
        return input == 0 && output == 0 ? NONE : new TokenUsage(input, output, 0);
    }
}
