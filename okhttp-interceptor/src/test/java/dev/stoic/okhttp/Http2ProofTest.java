package dev.stoic.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stoic.http.FailureKind;
import okhttp3.internal.http2.ConnectionShutdownException;
import okhttp3.internal.http2.ErrorCode;
import okhttp3.internal.http2.StreamResetException;
import org.junit.jupiter.api.Test;

/**
 * OkHttp's own exceptions for HTTP/2's proofs that a request was not processed, as the OkHttp on
 * the class path makes them (5.x here, 4.12 in the okhttp4 profile): a refused stream, which is
 * also how OkHttp fails a stream above a GOAWAY's last stream id, and a new stream asked of a
 * connection that was shut down. A reset with any other code proves nothing.
 */
class Http2ProofTest {
  @Test
  void aRefusedStreamAndAShutDownConnectionProveTheRequestWasNotProcessed() {
    assertEquals(FailureKind.UNPROCESSED,
        FailureKind.of(new StreamResetException(ErrorCode.REFUSED_STREAM)));
    assertEquals(FailureKind.UNPROCESSED, FailureKind.of(new ConnectionShutdownException()));
  }

  @Test
  void aResetWithAnyOtherCodeMayHaveBeenProcessed() {
    for (ErrorCode code : ErrorCode.values()) {
      if (code == ErrorCode.REFUSED_STREAM) continue;
      assertEquals(FailureKind.AFTER_SEND, FailureKind.of(new StreamResetException(code)),
          code::toString);
    }
  }
}
