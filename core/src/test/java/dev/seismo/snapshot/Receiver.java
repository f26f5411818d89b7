package dev.seismo.snapshot;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A snapshot receiver for tests: the JDK's HTTP server on a loopback ephemeral port, answering 503 to the first
 * {@link #failFirst} requests and 204 after, or holding every answer while {@link #hold} is set.
 */
final class Receiver implements AutoCloseable {

    record Request(String method, Headers headers, String body, long receivedNanos) {
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger failFirst = new AtomicInteger();
    final CountDownLatch released = new CountDownLatch(1);
    volatile boolean hold;
    private final HttpServer server;

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/snapshots", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestHeaders(), body,
                    System.nanoTime()));
            try {
                if (hold) {
                    released.await(10, TimeUnit.SECONDS);
                }
                exchange.sendResponseHeaders(failFirst.getAndDecrement() > 0 ? 503 : 204, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/snapshots");
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
