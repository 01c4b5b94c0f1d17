package dev.stoic.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link StoicConfigurationException}, however deep in bean creation it was thrown, into
 * Spring Boot's "APPLICATION FAILED TO START" report: each bad key with where it was set and what
 * it accepts, and where the reference is. Registered in {@code META-INF/spring.factories}.
 *
 * <pre>{@code
 * Description:
 * 1 problem in the Stoic configuration:
 * STOIC_MAX_ATEMPTS: unknown variable (did you mean STOIC_MAX_ATTEMPTS?); ...
 *     set in environment variable STOIC_MAX_ATEMPTS
 * }</pre>
 */
class StoicFailureAnalyzer extends AbstractFailureAnalyzer<StoicConfigurationException> {
  @Override
  protected FailureAnalysis analyze(Throwable root, StoicConfigurationException cause) {
    String action = "Correct or remove each stoic.* key (or STOIC_ environment variable) named"
        + " above, where it is set. Every key, what it accepts and its default: "
        + StoicConfigurationException.REFERENCE;
    return new FailureAnalysis(cause.getMessage(), action, cause);
  }
}
