package dev.seismo.snapshot;

import dev.seismo.profile.ProfileJson;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link SnapshotSink} that POSTs each snapshot's profile JSON ({@code ProfileJson}) to one URI. The request carries
 * {@code Content-Type: application/json} and the headers {@value #REPLICA_HEADER} and {@value #SEQUENCE_HEADER};
 * together with the model, version and start in the body they identify the window, so a receiver can drop the
 * duplicate that a retry after a lost response sends. Any 2xx answer is success; any other answer, a timeout or a
 * connection failure is an {@link IOException}.
 *
 * <p>Thread-safe: immutable; the JDK's {@link HttpClient} is thread-safe.
 */
public final class HttpSnapshotSink implements SnapshotSink {

    /** The header naming the replica that recorded the window. */
    public static final String REPLICA_HEADER = "Seismo-Replica";
    /** The header holding the window's sequence number within its monitor. */
    public static final String SEQUENCE_HEADER = "Seismo-Sequence";

    private final URI uri;
    private final Duration timeout;
    private final Map<String, String> headers;
    private final HttpClient client;

    private HttpSnapshotSink(Builder builder) {
        this.uri = builder.uri;
        this.timeout = builder.timeout;
        this.headers = Map.copyOf(builder.headers);
        this.client = builder.client != null ? builder.client
                : HttpClient.newBuilder().connectTimeout(builder.timeout).build();
    }

    /**
     * A builder for a sink posting to {@code uri}: a 10 second timeout, no extra headers, a client of its own.
     *
     * @throws IllegalArgumentException if {@code uri} is not an absolute http or https URI
     */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    @Override
    public void write(ProfileSnapshot snapshot) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header(REPLICA_HEADER, snapshot.replicaId())
                .header(SEQUENCE_HEADER, Long.toString(snapshot.sequence()))
                .POST(HttpRequest.BodyPublishers.ofString(ProfileJson.toJson(snapshot.profile()),
                        StandardCharsets.UTF_8));
        headers.forEach(request::setHeader);
        HttpResponse<Void> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException e) {
            // The publisher interrupts its thread only to stop it; keep the flag so it sees why.
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while posting a snapshot to " + uri);
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw new IOException("POST " + uri + " answered HTTP " + status);
        }
    }

    @Override
    public String toString() {
        return "POST " + uri;
    }

    /** Builds an {@link HttpSnapshotSink}; every setting is checked when set. Not thread-safe. */
    public static final class Builder {
        private final URI uri;
        private Duration timeout = Duration.ofSeconds(10);
        private final Map<String, String> headers = new LinkedHashMap<>();
        private HttpClient client;

        private Builder(URI uri) {
            Objects.requireNonNull(uri, "uri");
            String scheme = uri.getScheme();
            if (!uri.isAbsolute() || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                throw new IllegalArgumentException("snapshot URI must be an absolute http or https URI, was " + uri);
            }
            this.uri = uri;
        }

        /** How long one POST may take, connecting included (default 10 seconds). */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Sets a header on every request, such as {@code Authorization}. It replaces a value set before for the same
         * name, and the sink's own headers of that name.
         *
         * @throws IllegalArgumentException if the JDK's client does not let callers set this header (such as
         *                                  {@code Host} or {@code Content-Length}) or the value is not a legal one
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            // Validated by the JDK now rather than at the first POST, on the delivery thread, with nobody to tell.
            HttpRequest.newBuilder(uri).header(name, value);
            headers.put(name, value);
            return this;
        }

        /**
         * Sends with this client (for a proxy, TLS settings or an executor of your own) instead of a new one; its
         * connect timeout is its own.
         */
        public Builder client(HttpClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /** The sink. */
        public HttpSnapshotSink build() {
            return new HttpSnapshotSink(this);
        }
    }
}
