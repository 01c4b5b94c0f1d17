package dev.stoic.resilience4j;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Reads through another reader and records every response it was asked to close. */
final class RecordingReader<T> implements ResultReader<T> {
  private final ResultReader<T> delegate;
  final List<T> closed = new CopyOnWriteArrayList<>();

  RecordingReader(ResultReader<T> delegate) {
    this.delegate = delegate;
  }

  @Override
  public int status(T response) {
    return delegate.status(response);
  }

  @Override
  public List<String> headers(T response, String name) {
    return delegate.headers(response, name);
  }

  @Override
  public String method(T response) {
    return delegate.method(response);
  }

  @Override
  public String requestHeader(T response, String name) {
    return delegate.requestHeader(response, name);
  }

  @Override
  public void discard(T response) {
    closed.add(response);
    delegate.discard(response);
  }
}
