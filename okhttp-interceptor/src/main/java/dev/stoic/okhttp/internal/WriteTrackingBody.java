package dev.stoic.okhttp.internal;

import dev.stoic.engine.AttemptContext;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

/**
 * A one-shot request body that tells its attempt when it starts to go out, so that Stoic never
 * sends it a second time. Everything else is the caller's body's own.
 */
final class WriteTrackingBody extends RequestBody {
  private final RequestBody delegate;
  private final AttemptContext context;

  WriteTrackingBody(RequestBody delegate, AttemptContext context) {
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

  @Override
  public boolean isOneShot() {
    return delegate.isOneShot();
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
