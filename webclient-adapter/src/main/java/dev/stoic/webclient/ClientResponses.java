package dev.stoic.webclient;

import dev.stoic.spi.ResponseAccess;
import java.util.List;
import org.springframework.web.reactive.function.client.ClientResponse;

/** How the engine reads a WebClient response, and lets go of one the caller will not get. */
enum ClientResponses implements ResponseAccess<ClientResponse> {
  INSTANCE;

  @Override
  public int status(ClientResponse response) {
    return response.statusCode().value();
  }

  @Override
  public List<String> headers(ClientResponse response, String name) {
    return response.headers().header(name);
  }

  /** Drains and frees the body, returning the connection to the pool; starts at once, never blocks. */
  @Override
  public void discard(ClientResponse response) {
    response.releaseBody().subscribe(null, failure -> { });
  }
}
