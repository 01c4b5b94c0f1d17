package dev.stoic.okhttp.internal;

import dev.stoic.spi.Attempt;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

/**
 * A request body that tells its attempt when it starts to go out, and that OkHttp must treat as
 * one-shot. It wraps a body that is one-shot already, so that Stoic never sends it a second time,
 * and the body of any request that is not safe to repeat, so that OkHttp's own recovery never does
 * (see {@link Translation#attemptRequest}). Content type, length, duplex and the bytes written are
 * the caller's body's own, so nothing changes on the wire. Whether Stoic may retry is still
 * decided from the caller's body: a replayable body stays replayable for the policy.
 */
final class WriteTrackingBody extends RequestBody {
  private final RequestBody delegate;
  private final Attempt context;

  WriteTrackingBody(RequestBody delegate, Attempt context) {
    this.delegate = delegate;
    this.context = context;
  }

  @Override
  public MediaType contentType() {
    return delegate.contentType();
  }

  @Override
  public long contentLength() throws IOException {
    return delegate.contentLength();
  }

  /** Always true: the point of this wrapper. See {@link Translation#attemptRequest}. */
  @Override
  public boolean isOneShot() {
    return true;
  }

  @Override
  public boolean isDuplex() {
    return delegate.isDuplex();
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    // Marked before the first byte: once writeTo starts, some of the body may be on the wire.
    context.markBodyWritten();
    delegate.writeTo(sink);
  }
}
