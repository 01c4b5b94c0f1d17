package dev.stoic.http;

import dev.stoic.Backoff;
import dev.stoic.RetryEvent;
import dev.stoic.RetryPolicy;

import static dev.stoic.http.FailureKind.AFTER_SEND;
import static dev.stoic.http.FailureKind.CANCELLED;
import static dev.stoic.http.FailureKind.CONNECT;
import static dev.stoic.http.FailureKind.INTERRUPTED;
import static dev.stoic.http.FailureKind.NOT_IO;
import static dev.stoic.http.FailureKind.TLS;
import static dev.stoic.http.FailureKind.UNKNOWN_HOST;
import static dev.stoic.Decision.Action.GIVE_UP;
import static dev.stoic.Decision.Action.RETRY;
import static dev.stoic.testing.MethodClass.GET;
import static dev.stoic.testing.MethodClass.POST_WITHOUT_KEY;
import static dev.stoic.testing.MethodClass.POST_WITH_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.stoic.Decision.Action;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.MethodClass;
import dev.stoic.testing.RecordingListener;
import dev.stoic.testing.ScriptedTransport;
import dev.stoic.testing.ScriptedTransport.Mode;
import dev.stoic.testing.VirtualClock;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How each transport failure is classified, and what the executor then does with it for each
 * kind of request, synchronously and asynchronously.
 */
class FailureClassifierTest {
  /** One failure: how to make a fresh one, and the kind the classifier must give it. */
  record Failure(String name, Supplier<Throwable> make, FailureKind kind) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final List<Failure> FAILURES = List.of(
      failure("ConnectException", () -> new ConnectException("Connection refused"), CONNECT),
      failure("NoRouteToHostException", () -> new NoRouteToHostException("No route"), CONNECT),
      failure("PortUnreachableException", () -> new PortUnreachableException("ICMP"), CONNECT),
      failure("SocketTimeoutException \"connect timed out\"",
          () -> new SocketTimeoutException("connect timed out"), CONNECT),
      failure("SocketTimeoutException \"Connect timed out\"",
          () -> new SocketTimeoutException("Connect timed out"), CONNECT),
      failure("SocketTimeoutException \"Read timed out\"",
          () -> new SocketTimeoutException("Read timed out"), AFTER_SEND),
      failure("SocketTimeoutException \"timeout\"",
          () -> new SocketTimeoutException("timeout"), AFTER_SEND),
      failure("SocketTimeoutException without message", SocketTimeoutException::new, AFTER_SEND),
      failure("HttpConnectTimeoutException",
          () -> new HttpConnectTimeoutException("HTTP connect timed out"), CONNECT),
      failure("HttpTimeoutException", () -> new HttpTimeoutException("request timed out"),
          AFTER_SEND),
      failure("UnknownHostException", () -> new UnknownHostException("nowhere.invalid"),
          UNKNOWN_HOST),
      failure("SSLHandshakeException", () -> new SSLHandshakeException("handshake"), TLS),
      failure("SSLPeerUnverifiedException", () -> new SSLPeerUnverifiedException("peer"), TLS),
      failure("IOException caused by CertificateException",
          () -> new IOException("tls", new CertificateException("expired")), TLS),
      failure("SSLHandshakeException caused by CertificateException",
          () -> new SSLHandshakeException("PKIX").initCause(
              new CertificateException("untrusted")), TLS),
      failure("InterruptedIOException", () -> new InterruptedIOException("interrupted"),
          INTERRUPTED),
      failure("ClosedByInterruptException", ClosedByInterruptException::new, INTERRUPTED),
      failure("CancellationException", () -> new CancellationException("cancelled"), CANCELLED),
      failure("InterruptedException", () -> new InterruptedException("interrupted"), INTERRUPTED),
      failure("EOFException", () -> new EOFException("unexpected end of stream"), AFTER_SEND),
      failure("IOException \"unexpected end of stream\"",
          () -> new IOException("unexpected end of stream"), AFTER_SEND),
      failure("SocketException \"Connection reset\"",
          () -> new SocketException("Connection reset"), AFTER_SEND),
      failure("IOException caused by ConnectException",
          () -> new IOException("wrapped", new ConnectException("Connection refused")), CONNECT),
      failure("ConnectException caused by ConnectException (the JDK client)",
          () -> new ConnectException("outer").initCause(
              new ConnectException("Connection refused")), CONNECT),
      failure("IOException caused by UnknownHostException",
          () -> new IOException("wrapped", new UnknownHostException("x.invalid")), UNKNOWN_HOST),
      failure("IOException caused by InterruptedException",
          () -> new IOException("wrapped", new InterruptedException()), INTERRUPTED),
      failure("IOException caused by CancellationException",
          () -> new IOException("wrapped", new CancellationException()), CANCELLED),
      failure("IOException caused by a RuntimeException",
          () -> new IOException("wrapped", new IllegalStateException("bug")), AFTER_SEND),
      failure("IOException that is its own cause", SelfCaused::new, AFTER_SEND),
      failure("two IOExceptions causing each other", FailureClassifierTest::causeCycle,
          AFTER_SEND),
      failure("ConnectException as the 8th throwable of a chain",
          () -> wrapped(7, new ConnectException("deep")), CONNECT),
      failure("ConnectException as the 9th throwable of a chain",
          () -> wrapped(8, new ConnectException("too deep")), AFTER_SEND),
      failure("RuntimeException", () -> new RuntimeException("bug"), NOT_IO),
      failure("IllegalStateException", () -> new IllegalStateException("bug"), NOT_IO),
      failure("AssertionError", () -> new AssertionError("bug"), NOT_IO));

  /**
   * What the executor does with each kind, for each kind of request: written out from the
   * "Exceptions" and "When is a retry safe" sections of the product design.
   */
  static final Map<FailureKind, Map<MethodClass, Action>> EXPECTED_ACTION = Map.of(
      CONNECT, Map.of(GET, RETRY, POST_WITHOUT_KEY, RETRY, POST_WITH_KEY, RETRY),
      AFTER_SEND, Map.of(GET, RETRY, POST_WITHOUT_KEY, GIVE_UP, POST_WITH_KEY, RETRY),
      UNKNOWN_HOST, Map.of(GET, GIVE_UP, POST_WITHOUT_KEY, GIVE_UP, POST_WITH_KEY, GIVE_UP),
      TLS, Map.of(GET, GIVE_UP, POST_WITHOUT_KEY, GIVE_UP, POST_WITH_KEY, GIVE_UP),
      CANCELLED, Map.of(GET, GIVE_UP, POST_WITHOUT_KEY, GIVE_UP, POST_WITH_KEY, GIVE_UP),
      INTERRUPTED, Map.of(GET, GIVE_UP, POST_WITHOUT_KEY, GIVE_UP, POST_WITH_KEY, GIVE_UP),
      NOT_IO, Map.of(GET, GIVE_UP, POST_WITHOUT_KEY, GIVE_UP, POST_WITH_KEY, GIVE_UP));

  /** Equal jitter from 1 s with a draw of 0.25: 500 ms + 0.25 * 500 ms. */
  static final Duration FIRST_RETRY_WAIT = Duration.ofMillis(625);

  final VirtualClock clock = new VirtualClock();
  final RecordingListener events = new RecordingListener();

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted(); // the sync executor restores the flag after an InterruptedException
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void classifierGivesEachFailureItsKind(Failure failure) {
    assertEquals(failure.kind(), FailureClassifier.classify(failure.make().get()));
  }

  static Stream<Failure> failures() {
    return FAILURES.stream();
  }

  @Test
  void aConnectTimeoutIsToldFromAReadTimeoutOnlyByItsMessage() {
    // The known gap the classifier documents: a read timeout whose message says "connect" would
    // be taken for a connect timeout. These are the messages OkHttp, sockets and the JDK use.
    assertEquals(CONNECT, FailureClassifier.classify(
        new SocketTimeoutException("failed to connect to /10.0.0.1 (port 80) after 10000ms")));
    assertEquals(AFTER_SEND,
        FailureClassifier.classify(new SocketTimeoutException("Read timed out")));
  }

  @Test
  void classifyingADeepCauseChainStopsAfterEightThrowables() {
    // 10,000 wrappers: the walk is bounded, so this neither overflows nor loops.
    assertEquals(AFTER_SEND, FailureClassifier.classify(wrapped(10_000, new ConnectException())));
  }

  @ParameterizedTest(name = "{0} for {1} ({2})")
  @MethodSource("failuresByMethodAndMode")
  void executorTakesTheActionTheFailureKindGivesThisMethod(
      Failure failure, MethodClass method, Mode mode) throws Exception {
    FailureKind kind = executorKind(failure, mode);
    Action expected = EXPECTED_ACTION.get(kind).get(method);
    Throwable thrown = failure.make().get();
    FakeResponse ok = FakeResponse.of(200);
    ScriptedTransport transport = new ScriptedTransport(thrown, ok);
    RetryPolicy policy = RetryPolicy.builder()
        .clock(clock)
        .random(() -> 0.25)
        .backoff(Backoff.defaults())
        .listener(events)
        .build();

    Object outcome;
    try {
      outcome = transport.run(mode, policy, method.call());
    } catch (Throwable t) {
      outcome = t;
    }
    boolean interrupted = Thread.interrupted();

    RetryEvent first = events.events.get(0);
    assertEquals(expected, first.action(), first::toString);
    assertEquals(kind, first.failureKind(), first::toString);
    assertEquals(thrown.getClass().getName(), first.exceptionType());
    if (expected == RETRY) {
      assertEquals(FIRST_RETRY_WAIT, first.waitTime());
      assertEquals(2, transport.attempts.size());
      assertSame(ok, outcome);
    } else {
      assertEquals(Duration.ZERO, first.waitTime());
      assertEquals(1, transport.attempts.size());
      assertEquals(List.of(GIVE_UP), events.actions());
      assertSame(thrown, outcome, "a failure on the only attempt is rethrown unchanged");
    }
    assertEquals(mode == Mode.SYNC && thrown instanceof InterruptedException, interrupted,
        "the sync executor restores the interrupt flag when it rethrows InterruptedException");
  }

  static Stream<Arguments> failuresByMethodAndMode() {
    List<Arguments> all = new ArrayList<>();
    for (Failure failure : FAILURES) {
      for (MethodClass method : List.of(GET, POST_WITHOUT_KEY, POST_WITH_KEY)) {
        for (Mode mode : Mode.values()) all.add(Arguments.of(failure, method, mode));
      }
    }
    return all.stream();
  }

  /**
   * The kind the executor reports. Both executors classify only IOExceptions: anything else an
   * attempt throws is NOT_IO, except InterruptedException (INTERRUPTED) and CancellationException
   * (CANCELLED, in sync and async alike). A throwable that is not an IOException is never retried
   * either way, whatever its causes say.
   */
  static FailureKind executorKind(Failure failure, Mode mode) {
    Throwable t = failure.make().get();
    if (t instanceof IOException) return failure.kind();
    if (t instanceof InterruptedException) return INTERRUPTED;
    if (t instanceof CancellationException) return CANCELLED;
    return NOT_IO;
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRuntimeExceptionCausedByAConnectFailureIsNotRetriedAndItsEventSaysSo(Mode mode) {
    // Regression: the async executor classified the cause, emitted "RETRY in 625 ms" for an
    // UncheckedIOException wrapping a ConnectException, and then failed the call instead.
    UncheckedIOException unchecked =
        new UncheckedIOException(new ConnectException("Connection refused"));
    ScriptedTransport transport = new ScriptedTransport(unchecked, FakeResponse.of(200));
    RetryPolicy policy = RetryPolicy.builder().clock(clock).random(() -> 0.25).listener(events)
        .build();

    Throwable thrown = null;
    try {
      transport.run(mode, policy, GET.call());
    } catch (Throwable t) {
      thrown = t;
    }

    assertSame(unchecked, thrown);
    assertEquals(1, transport.attempts.size());
    assertEquals(List.of(GIVE_UP), events.actions());
    assertEquals(NOT_IO, events.last().failureKind());
    assertEquals("UncheckedIOException is not an I/O failure and is never retried",
        events.last().reason());
  }

  @Test
  void aThreadInterruptedDuringChannelIoIsNotRetried() {
    // Regression: ClosedByInterruptException (an IOException, not an InterruptedIOException) was
    // classified AFTER_SEND, so an interrupted GET was retried.
    assertEquals(INTERRUPTED, FailureClassifier.classify(new ClosedByInterruptException()));
    assertEquals(INTERRUPTED, FailureClassifier.classify(
        new IOException("wrapped", new ClosedByInterruptException())));
  }

  private static Failure failure(String name, Supplier<Throwable> make, FailureKind kind) {
    return new Failure(name, make, kind);
  }

  /** {@code cause} inside {@code wrappers} plain IOExceptions. */
  static IOException wrapped(int wrappers, IOException cause) {
    IOException t = cause;
    for (int i = 0; i < wrappers; i++) t = new IOException("wrapper " + i, t);
    return t;
  }

  /** An IOException whose getCause() returns itself, which initCause would refuse. */
  static final class SelfCaused extends IOException {
    private static final long serialVersionUID = 1L;

    @Override
    public synchronized Throwable getCause() {
      return this;
    }
  }

  /** A causes B causes A: initCause allows a cycle through another throwable. */
  static IOException causeCycle() {
    IOException a = new IOException("a");
    IOException b = new IOException("b", a);
    a.initCause(b);
    return a;
  }
}
