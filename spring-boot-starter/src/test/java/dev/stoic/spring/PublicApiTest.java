package dev.stoic.spring;

import dev.stoic.testing.ApiDump;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The starter's public API is the one recorded in api/stoic-spring-boot-starter.api: a change to
 * it shows as a diff. The starter is an automatic module (dev.stoic.spring), so its API is the
 * public types of its one package.
 */
class PublicApiTest {
  @Test
  void thePublicApiIsTheRecordedOne() throws IOException {
    ApiDump.assertRecorded(
        Path.of("api/stoic-spring-boot-starter.api"), "dev.stoic.spring", "dev.stoic.spring");
  }
}
