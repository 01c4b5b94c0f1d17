package dev.stoic.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** A short run of the observed demo: meters and a trace are printed, and the chart is drawn. */
class ObservedDemoTest {
  @Test
  void aShortRunRecordsCallsPrintsEveryMeterAndDrawsThePanels() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ObservedDemo.Run run = ObservedDemo.run(Duration.ofSeconds(3),
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String output = bytes.toString(StandardCharsets.UTF_8);

    long calls = ObservedDemo.timers(run.registry(), "stoic.calls");
    long attempts = ObservedDemo.timers(run.registry(), "stoic.attempts");
    assertTrue(calls > 20, output);
    assertTrue(attempts >= calls, output);
    assertTrue(run.serverRequests() >= attempts, "every attempt reached the server: " + output);
    assertEquals(run.serverRequests(), run.okHttpRequests() + run.jdkRequests());
    assertEquals(attempts, ObservedDemo.timers(run.registry(), "stoic.attempts", "127.0.0.1")
        + ObservedDemo.timers(run.registry(), "stoic.attempts", "localhost"), "two hosts");
    assertEquals(calls, run.spans().size(), "one span per call");
    for (String expected : List.of("stoic.calls{", "stoic.attempts{", "stoic.client.resends{",
        "stoic.budget.refusals{", "stoic.throttle.waits{", "stoic.waits.hinted{",
        ": span \"stoic ", "url.full = http://", "JDK client: ")) {
      assertTrue(output.contains(expected), expected + " missing from\n" + output);
    }

    assertEquals(3, run.samples().size());
    String svg = Chart.svg(run.samples(), run.incident());
    Document chart = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertEquals("svg", chart.getDocumentElement().getTagName());
    assertEquals(10, chart.getElementsByTagName("polyline").getLength(), "one line per series");
    for (String title : List.of("Calls per second", "Retries per second, by reason",
        "Time spent waiting, seconds per second")) {
      assertTrue(svg.contains(title), title);
    }
    assertEquals(4, Chart.csv(run.samples()).lines().count(), "a header and one row a second");
  }
}
