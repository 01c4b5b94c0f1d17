package dev.stoic.spring;

import dev.stoic.StoicConfig;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Reads the {@code stoic.*} keys of a Spring {@link Environment} with core's {@link StoicConfig},
 * so the keys, values and error messages are exactly those of {@code docs/configuration.md}.
 */
final class StoicEnvironment {
  /** The starter's own switches ({@link StoicProperties}); not retry settings. */
  static final String OWN_PREFIX = "stoic.spring.";

  private StoicEnvironment() {}

  /**
   * Every {@code stoic.*} key that a property source names, with its value as the environment
   * resolves it (highest-precedence source, placeholders resolved).
   *
   * @throws IllegalArgumentException as {@link StoicConfig#from(Map)}, naming each bad key
   */
  static StoicConfig read(Environment environment) {
    return StoicConfig.from(keys(environment));
  }

  static Map<String, String> keys(Environment environment) {
    Map<String, String> keys = new TreeMap<>();
    if (!(environment instanceof ConfigurableEnvironment configurable)) return keys;
    for (PropertySource<?> source : configurable.getPropertySources()) {
      if (!(source instanceof EnumerablePropertySource<?> names)) continue;
      for (String name : names.getPropertyNames()) {
        if (!name.startsWith(StoicConfig.PREFIX) || name.startsWith(OWN_PREFIX)) continue;
        if (keys.containsKey(name)) continue;
        String value = environment.getProperty(name);
        keys.put(name, value == null ? "" : value);
      }
    }
    return keys;
  }
}
