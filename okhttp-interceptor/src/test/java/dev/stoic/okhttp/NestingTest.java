package dev.stoic.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stoic.RetryPolicy;
import dev.stoic.okhttp.testing.Harness;
import dev.stoic.okhttp.testing.Mode;
import dev.stoic.okhttp.testing.Reply;
import java.io.IOException;
import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A Stoic layer inside another on the same call passes through: the server counts exactly the
 * outer layer's attempts, never their product. Each nesting, each way of calling.
 */
class NestingTest extends Harness {
  @BeforeEach
  void alwaysUnavailable() {
    server.respondWith(request -> Reply.status(503));
  }

  RetryPolicy attempts(int n) {
    return policy().maxAttempts(n).build();
  }

  int requestsFor(Mode mode, Call call) throws IOException {
    try (Response response = start(mode, call).await()) {
      assertEquals(503, response.code());
    }
    return server.requestCount();
  }

  @ParameterizedTest
  @CsvSource({"EXECUTE, 5, 2", "ENQUEUE, 5, 2", "EXECUTE, 2, 5", "ENQUEUE, 2, 5"})
  void twoInterceptorsOnOneClientMakeTheOuterOnesAttempts(Mode mode, int outer, int inner)
      throws IOException {
    OkHttpClient twice = client.newBuilder()
        .addInterceptor(StoicInterceptor.create(attempts(outer)))
        .addInterceptor(StoicInterceptor.create(attempts(inner)))
        .build();
    assertEquals(outer, requestsFor(mode, twice.newCall(get("/"))));
  }

  @ParameterizedTest
  @EnumSource(value = Mode.class, names = {"EXECUTE", "ENQUEUE"})
  void oneInterceptorAddedTwiceMakesItsAttemptsOnce(Mode mode) throws IOException {
    StoicInterceptor interceptor = StoicInterceptor.create(attempts(3));
    OkHttpClient twice = client.newBuilder()
        .addInterceptor(interceptor).addInterceptor(interceptor).build();
    assertEquals(3, requestsFor(mode, twice.newCall(get("/"))));
  }

  @ParameterizedTest
  @CsvSource({"FACTORY_EXECUTE, 5, 2", "FACTORY_ENQUEUE, 5, 2", "FACTORY_EXECUTE, 2, 5",
      "FACTORY_ENQUEUE, 2, 5"})
  void anInterceptorUnderTheCallFactoryMakesTheFactorysAttempts(Mode mode, int outer, int inner)
      throws IOException {
    OkHttpClient intercepted = client.newBuilder()
        .addInterceptor(StoicInterceptor.create(attempts(inner))).build();
    Call call = StoicCallFactory.wrap(intercepted, attempts(outer)).newCall(get("/"));
    assertEquals(outer, requestsFor(mode, call));
  }

  @ParameterizedTest
  @EnumSource(value = Mode.class, names = {"FACTORY_EXECUTE", "FACTORY_ENQUEUE"})
  void twoInterceptorsUnderTheCallFactoryMakeTheFactorysAttempts(Mode mode) throws IOException {
    OkHttpClient intercepted = client.newBuilder()
        .addInterceptor(StoicInterceptor.create(attempts(2)))
        .addInterceptor(StoicInterceptor.create(attempts(3)))
        .build();
    Call call = StoicCallFactory.wrap(intercepted, attempts(4)).newCall(get("/"));
    assertEquals(4, requestsFor(mode, call));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aPolicyTaggedOnTheRequestIsTheOuterLayersAndAttemptsStillDoNotMultiply(Mode mode)
      throws IOException {
    OkHttpClient intercepted = client.newBuilder()
        .addInterceptor(StoicInterceptor.create(attempts(5)))
        .addInterceptor(StoicInterceptor.create(attempts(5)))
        .build();
    var request = get("/").newBuilder().tag(RetryPolicy.class, attempts(3)).build();
    Call call = mode.usesFactory()
        ? StoicCallFactory.wrap(intercepted, attempts(5)).newCall(request)
        : intercepted.newCall(request);
    assertEquals(3, requestsFor(mode, call));
  }

  /**
   * Only a Stoic layer passes Stoic through: an interceptor before the Stoic one that proceeds
   * twice, as one that answers a 401 by asking again, gets Stoic's attempts both times.
   */
  @ParameterizedTest
  @EnumSource(value = Mode.class, names = {"EXECUTE", "ENQUEUE"})
  void anInterceptorBeforeStoicThatProceedsTwiceGetsStoicsAttemptsTwice(Mode mode)
      throws IOException {
    Interceptor asksAgain = chain -> {
      chain.proceed(chain.request()).close();
      return chain.proceed(chain.request());
    };
    OkHttpClient api = client.newBuilder()
        .addInterceptor(asksAgain)
        .addInterceptor(StoicInterceptor.create(attempts(3)))
        .build();
    assertEquals(2 * 3, requestsFor(mode, api.newCall(get("/"))));
  }

  /**
   * The mark is on the call, not the thread: a call an interceptor makes on its own, to another
   * client with a Stoic interceptor, is retried by that interceptor as usual.
   */
  @ParameterizedTest
  @EnumSource(value = Mode.class, names = {"EXECUTE", "ENQUEUE"})
  void aCallMadeInsideTheChainToAnotherStoicClientIsStillRetried(Mode mode) throws IOException {
    OkHttpClient tokens = client.newBuilder()
        .addInterceptor(StoicInterceptor.create(attempts(3))).build();
    Interceptor fetchesAToken = chain -> {
      try (Response token = tokens.newCall(get("/token")).execute()) {
        assertEquals(503, token.code());
      }
      return chain.proceed(chain.request());
    };
    OkHttpClient api = client.newBuilder()
        .addInterceptor(StoicInterceptor.create(attempts(2)))
        .addInterceptor(fetchesAToken)
        .build();
    assertEquals(2 * (3 + 1), requestsFor(mode, api.newCall(get("/items"))));
    assertEquals(6, server.received().stream().filter(r -> r.path.equals("/token")).count());
  }
}
