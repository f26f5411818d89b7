package dev.seismo.snapshot;

import dev.seismo.monitor.ModelMonitor;
import dev.seismo.monitor.MonitorObserver;
import dev.seismo.monitor.Window;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Publishes the profile of every window that a registry's monitors close to a {@link SnapshotSink}, so that the
 * windows of many replicas can be merged and compared centrally, without ever making a recording or aggregating
 * thread wait for the sink.
 *
 * <pre>{@code
 * registry.addObserver(SnapshotPublisher.to(SnapshotSink.directory(dir)).replicaId("pod-7").build());
 * ...
 * registry.close();   // closes the open windows, which the publisher takes, then closes the publisher:
 *                     // it delivers what it still holds, for up to closeTimeout
 * }</pre>
 *
 * <p><b>Design notes.</b> It is a {@link MonitorObserver} rather than a {@code WindowListener}: one registration
 * covers every monitor of the registry, present and future, as it does for exporters, where a listener would have to
 * be added to each monitor's builder and a model added later would be missed.
 *
 * <p>{@link #onWindowClosed} runs wherever a window closes: on the aggregation thread, or on a caller's thread inside
 * {@code ModelMonitor.flush()}, {@code snapshot()} or {@code MonitorRegistry.close()}. It appends the snapshot to a
 * bounded buffer and returns. The buffer's lock is held by the delivery thread only for a few instructions at a time,
 * never across a sink call, a wait or a log line, so the closing thread never waits on the sink. When the buffer is
 * full the oldest snapshot is dropped: for drift the newest windows matter most.
 *
 * <p>One daemon thread, {@code seismo-snapshots}, delivers the snapshots in the order their windows closed. A failed
 * write is retried after an exponential back-off with jitter, later windows waiting behind it, until it succeeds or
 * {@code maxAttempts} writes have failed and it is dropped. A sink that throws a {@code RuntimeException} is treated
 * as failing, not allowed to end the thread. Failures are logged once as the sink starts failing and once as it
 * recovers, not per attempt; {@link #stats()} counts every outcome.
 *
 * <p>Thread-safe.
 */
public final class SnapshotPublisher implements MonitorObserver, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SnapshotPublisher.class);
    /** How long close() waits for the thread after interrupting a sink that outlived the close timeout. */
    private static final long STOP_GRACE_MILLIS = 200;

    private final SnapshotSink sink;
    private final String replicaId;
    private final int bufferSize;
    private final int maxAttempts;
    private final long closeTimeoutNanos;
    private final Backoff backoff;
    private final Thread thread;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a snapshot is buffered and when closing or stopping begins. */
    private final Condition changed = lock.newCondition();
    // Guarded by lock:
    private final ArrayDeque<ProfileSnapshot> buffer;
    private boolean inFlight;
    private boolean closing;
    private boolean stopping;
    private boolean warnedClosed;
    private long delivered;
    private long retries;
    private long droppedOverflow;
    private long droppedFailing;
    private long droppedClosed;
    private long overflowAtLastEmpty;
    private boolean overflowReported;

    // Delivery thread only: failed writes since the last success (0 while the sink is healthy), and how many windows
    // had been dropped for failing when this spell began, for the one line logged at recovery.
    private long failedWrites;
    private long droppedFailingAtFirstFailure;

    private SnapshotPublisher(Builder builder) {
        this.sink = builder.sink;
        this.replicaId = builder.replicaId;
        this.bufferSize = builder.bufferSize;
        this.maxAttempts = builder.maxAttempts;
        this.closeTimeoutNanos = builder.closeTimeout.toNanos();
        this.backoff = new Backoff(builder.initialBackoff.toNanos(), builder.maxBackoff.toNanos(), new Random());
        this.buffer = new ArrayDeque<>(builder.bufferSize);
        this.thread = new Thread(this::deliverLoop, "seismo-snapshots");
        thread.setDaemon(true);
    }

    /** A builder for a publisher delivering to {@code sink}. */
    public static Builder to(SnapshotSink sink) {
        return new Builder(sink);
    }

    /** The replica id written with every snapshot. */
    public String replicaId() {
        return replicaId;
    }

    /** Buffers the window's profile for delivery and returns at once; after {@link #close()} it is counted dropped. */
    @Override
    public void onWindowClosed(ModelMonitor monitor, Window window) {
        ProfileSnapshot snapshot = new ProfileSnapshot(replicaId, window.sequence(), window.profile());
        boolean warn = false;
        lock.lock();
        try {
            if (closing) {
                droppedClosed++;
                warn = !warnedClosed;
                warnedClosed = true;
            } else {
                if (buffer.size() == bufferSize) {
                    buffer.pollFirst();
                    droppedOverflow++;
                }
                buffer.addLast(snapshot);
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
        if (warn) {
            log.warn("Snapshot publisher to {} is closed; window {} of model {}:{} and later ones are dropped."
                    + " Close the registry before the publisher", sink, window.sequence(), monitor.name(),
                    monitor.version());
        }
    }

    /** What has happened to the snapshots so far. */
    public Stats stats() {
        lock.lock();
        try {
            return new Stats(delivered, retries, droppedOverflow, droppedFailing, droppedClosed,
                    buffer.size() + (inFlight ? 1 : 0));
        } finally {
            lock.unlock();
        }
    }

    /** The registry closed, after its last windows: this publisher closes too. */
    @Override
    public void onRegistryClosed() {
        close();
    }

    /**
     * Stops taking snapshots, delivers those buffered (retrying as usual) for up to the close timeout, then drops
     * the rest and stops the thread, interrupting a sink still writing. Closing the registry closes its publishers
     * after its last windows; close one by hand only to stop publishing earlier. Idempotent.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            changed.signal();
        } finally {
            lock.unlock();
        }
        boolean interrupted = join(TimeUnit.NANOSECONDS.toMillis(closeTimeoutNanos));
        if (thread.isAlive()) {
            int abandoned;
            lock.lock();
            try {
                stopping = true;
                abandoned = buffer.size() + (inFlight ? 1 : 0);
                droppedClosed += buffer.size();
                buffer.clear();
                changed.signal();
            } finally {
                lock.unlock();
            }
            thread.interrupt();
            interrupted |= join(STOP_GRACE_MILLIS);
            log.warn("Snapshot publisher to {} stopped after its close timeout of {} ms with {} windows undelivered",
                    sink, TimeUnit.NANOSECONDS.toMillis(closeTimeoutNanos), abandoned);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Joins the delivery thread for up to {@code millis}; true if this thread was interrupted meanwhile. */
    private boolean join(long millis) {
        try {
            // join(0) would wait forever
            thread.join(Math.max(1, millis));
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    @Override
    public String toString() {
        return "SnapshotPublisher{" + sink + ", replica " + replicaId + '}';
    }

    // ---- the delivery thread ----

    private void deliverLoop() {
        try {
            ProfileSnapshot next;
            while ((next = take()) != null) {
                deliver(next);
            }
        } catch (InterruptedException e) {
            // Only close() interrupts this thread, once past its deadline, and it counted what was left.
        }
    }

    /** The next snapshot to deliver; null once closing with nothing left, or stopping. */
    private ProfileSnapshot take() throws InterruptedException {
        ProfileSnapshot next;
        long overflowed = 0;
        lock.lock();
        try {
            while (buffer.isEmpty() && !closing) {
                overflowAtLastEmpty = droppedOverflow;
                overflowReported = false;
                changed.await();
            }
            if (stopping || buffer.isEmpty()) {
                return null;
            }
            if (!overflowReported && droppedOverflow > overflowAtLastEmpty) {
                overflowReported = true;
                overflowed = droppedOverflow - overflowAtLastEmpty;
            }
            inFlight = true;
            next = buffer.pollFirst();
        } finally {
            lock.unlock();
        }
        if (overflowed > 0) {
            log.warn("Snapshot buffer of {} windows is full: the sink {} is slower than windows close, so the oldest"
                    + " are dropped ({} since it was last empty); stats().droppedOverflow() counts them", bufferSize, sink,
                    overflowed);
        }
        return next;
    }

    private void deliver(ProfileSnapshot snapshot) {
        for (int attempt = 1; ; attempt++) {
            Throwable failure;
            try {
                sink.write(snapshot);
                succeeded();
                return;
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) { // a sink's Error (a missing class, say) is a failure too, not the thread's end
                failure = e;
            }
            if (!failed(snapshot, failure, attempt) || !pause(backoff.delayNanos(attempt))) {
                return;
            }
        }
    }

    private void succeeded() {
        long droppedWhileFailing;
        lock.lock();
        try {
            delivered++;
            inFlight = false;
            droppedWhileFailing = droppedFailing - droppedFailingAtFirstFailure;
        } finally {
            lock.unlock();
        }
        if (failedWrites > 0) {
            log.info("Snapshot sink {} recovered after {} failed writes; {} windows were dropped meanwhile", sink,
                    failedWrites, droppedWhileFailing);
            failedWrites = 0;
        }
    }

    /** Counts a failed write; true if it is to be retried. */
    private boolean failed(ProfileSnapshot snapshot, Throwable failure, int attempt) {
        boolean stopped;
        boolean retry;
        lock.lock();
        try {
            stopped = stopping;
            if (failedWrites == 0) {
                droppedFailingAtFirstFailure = droppedFailing;
            }
            retry = !stopped && attempt < maxAttempts;
            if (retry) {
                retries++;
            } else if (stopped) {
                dropInFlight();
            } else {
                droppedFailing++;
                inFlight = false;
            }
        } finally {
            lock.unlock();
        }
        if (!stopped && failedWrites++ == 0) {
            log.warn("Snapshot sink {} failed on window {} of model {}:{}; each window is tried up to {} times with"
                    + " back-off, then dropped. Further failures are counted in stats(), not logged, until it recovers",
                    sink, snapshot.sequence(), snapshot.profile().model(), snapshot.profile().version(), maxAttempts,
                    failure);
        }
        return retry;
    }

    /** Waits before a retry; false, with the snapshot counted dropped, if close() gave up meanwhile. */
    private boolean pause(long nanos) {
        lock.lock();
        try {
            long left = nanos;
            while (left > 0 && !stopping) {
                left = changed.awaitNanos(left);
            }
            if (stopping) {
                dropInFlight();
                return false;
            }
            return true;
        } catch (InterruptedException e) {
            // Only close() interrupts this thread, and it set stopping first.
            dropInFlight();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Counts the snapshot being written as dropped by close(). Called under lock. */
    private void dropInFlight() {
        droppedClosed++;
        inFlight = false;
    }

    /**
     * The counts of a publisher: each snapshot taken is, or will be, counted exactly once as delivered or dropped
     * (for one of three reasons), unless still pending.
     *
     * <p>Thread-safe: immutable.
     *
     * @param delivered       snapshots the sink accepted
     * @param retries         writes that repeated a failed one
     * @param droppedOverflow snapshots dropped, oldest first, because the buffer was full
     * @param droppedFailing  snapshots dropped after {@code maxAttempts} failed writes
     * @param droppedClosed   snapshots not delivered because the publisher was closed: still buffered or failing at
     *                        the close timeout, or closed by a monitor after {@code close()}
     * @param pending         snapshots buffered or being written now
     */
    public record Stats(long delivered, long retries, long droppedOverflow, long droppedFailing, long droppedClosed,
                        int pending) {

        /** All snapshots dropped, for whatever reason. */
        public long dropped() {
            return droppedOverflow + droppedFailing + droppedClosed;
        }
    }

    /** Builds a {@link SnapshotPublisher}; every setting is checked when set. Not thread-safe. */
    public static final class Builder {
        private final SnapshotSink sink;
        private String replicaId = UUID.randomUUID().toString();
        private int bufferSize = 64;
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofMinutes(1);
        private int maxAttempts = 8;
        private Duration closeTimeout = Duration.ofSeconds(10);

        private Builder(SnapshotSink sink) {
            this.sink = Objects.requireNonNull(sink, "sink");
        }

        /**
         * Names this process in every snapshot, such as its pod or host name: 1 to 128 of {@code A-Z a-z 0-9 . _ -},
         * not starting with {@code .}. Default a random UUID, new at each start, as OpenTelemetry does for
         * {@code service.instance.id}. Two processes publishing at the same time must not share one.
         */
        public Builder replicaId(String replicaId) {
            this.replicaId = ProfileSnapshot.checkReplicaId(replicaId);
            return this;
        }

        /** How many snapshots wait for the sink at most (default 64); past that the oldest is dropped. */
        public Builder bufferSize(int windows) {
            if (windows < 1 || windows > 10_000) {
                throw new IllegalArgumentException("bufferSize must be in 1..10000 windows, was " + windows);
            }
            this.bufferSize = windows;
            return this;
        }

        /**
         * The wait before the first retry of a window (default 1 second). It doubles at each retry up to
         * {@link #maxBackoff(Duration)}; each wait is drawn between half and all of that, so that replicas which failed
         * together do not retry together.
         */
        public Builder initialBackoff(Duration backoff) {
            this.initialBackoff = positiveMillis("initialBackoff", backoff);
            return this;
        }

        /** The longest wait between two writes of a window (default 1 minute). */
        public Builder maxBackoff(Duration backoff) {
            this.maxBackoff = positiveMillis("maxBackoff", backoff);
            return this;
        }

        /** How many times a window is written before it is dropped, the first included (default 8). */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1 || attempts > 1_000) {
                throw new IllegalArgumentException("maxAttempts must be in 1..1000, was " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /** How long {@link SnapshotPublisher#close()} keeps delivering what is buffered (default 10 seconds). */
        public Builder closeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "closeTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("closeTimeout must not be negative, was " + timeout);
            }
            this.closeTimeout = timeout;
            return this;
        }

        private static Duration positiveMillis(String setting, Duration value) {
            Objects.requireNonNull(value, setting);
            if (value.toMillis() < 1) {
                throw new IllegalArgumentException(setting + " must be at least 1 ms, was " + value);
            }
            return value;
        }

        /**
         * The publisher, with its delivery thread started.
         *
         * @throws IllegalStateException if maxBackoff is less than initialBackoff
         */
        public SnapshotPublisher build() {
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalStateException("maxBackoff (" + maxBackoff + ") must not be less than initialBackoff ("
                        + initialBackoff + ")");
            }
            SnapshotPublisher publisher = new SnapshotPublisher(this);
            publisher.thread.start();
            return publisher;
        }
    }
}
