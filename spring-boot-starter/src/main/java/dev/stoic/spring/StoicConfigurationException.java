package dev.stoic.spring;

import java.util.List;

/**
 * Startup failed on the {@code stoic.*} configuration: every problem found, each naming its key
 * (or environment variable), what the key accepts, and where it was set. Spring Boot prints it as
 * an "APPLICATION FAILED TO START" report through {@link StoicFailureAnalyzer}.
 *
 * <pre>{@code
 * stoic.max-attempts = "0": must be an integer: 1 to 100
 *     set in class path resource [application.properties], line 3
 * }</pre>
 */
public final class StoicConfigurationException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** Where every key, its type, range and default are listed, for anyone with only the jar. */
  public static final String REFERENCE =
      "https://github.com/stoic-http/stoic/blob/main/docs/configuration.md";

  /** The problems, in the order found. */
  private final transient List<Problem> problems;

  /**
   * One problem: core's message, starting with the key as written, and where the key was set.
   *
   * @param message what is wrong and what is allowed
   * @param origin the file and line, or environment variable, that set the key; null if none did
   */
  public record Problem(String message, String origin) {
    @Override
    public String toString() {
      return origin == null ? message : message + "\n    set in " + origin;
    }
  }

  StoicConfigurationException(List<Problem> problems) {
    super(text(problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found. */
  public List<Problem> problems() {
    return problems;
  }

  private static String text(List<Problem> problems) {
    StringBuilder out = new StringBuilder();
    out.append(problems.size() == 1 ? "1 problem" : problems.size() + " problems")
        .append(" in the Stoic configuration:");
    for (Problem problem : problems) out.append('\n').append(problem);
    return out.toString();
  }
}
