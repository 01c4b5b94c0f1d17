package dev.stoic.apache;

import dev.stoic.testing.ApiDump;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The module's public API is the one recorded in api/stoic-apache.api: a change to it shows as a diff. */
class PublicApiTest {
  @Test
  void thePublicApiIsTheRecordedOne() throws IOException {
    ApiDump.assertRecorded(Path.of("api/stoic-apache.api"));
  }
}
