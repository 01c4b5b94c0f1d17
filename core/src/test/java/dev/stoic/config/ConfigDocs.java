package dev.stoic.config;

import dev.stoic.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the configuration schema page, {@code docs/configuration.md}, from the settings in code
 * ({@link Setting}) and the defaults' {@link RetryPolicy#describe()}, so the page, the loader and
 * describe() cannot disagree.
 *
 * <p>Not part of the API. Run it from the repository root after changing a setting:
 *
 * <pre>
 * mvn -q -B -ntp -pl testing,core -am test-compile &amp;&amp; java -cp \
 *     core/target/classes:core/target/test-classes dev.stoic.ConfigDocs docs/configuration.md
 * </pre>
 *
 * <p>{@code ConfigDocsTest} fails while the checked-in page differs. Stateless.
 */
public final class ConfigDocs {
  static final String REGENERATE_COMMAND = "mvn -q -B -ntp -pl testing,core -am test-compile && "
      + "java -cp core/target/classes:core/target/test-classes dev.stoic.ConfigDocs"
      + " docs/configuration.md";

  /** How each setting that only code can make is made. */
  static final Map<Setting, String> IN_CODE = new LinkedHashMap<>();

  static {
    IN_CODE.put(Setting.STATUS_CLASSIFIER, "`statusClassifier(code -> ...)`");
    IN_CODE.put(Setting.IDEMPOTENCY_KEY_GENERATOR,
        "`idempotencyKey(IdempotencyKey.header(name).autoGenerate(generator))`");
    IN_CODE.put(Setting.THROTTLE, "`throttle(...)`, e.g. a `StoicRateLimiter`");
    IN_CODE.put(Setting.CREDENTIAL_REFRESHER, "`credentialRefresher(...)`");
    IN_CODE.put(Setting.LISTENERS, "`listener(...)`");
    IN_CODE.put(Setting.OBSERVERS, "`observer(...)`");
    IN_CODE.put(Setting.DELAY_HINT_HEADERS, "`delayHintHeaders(...)`");
    IN_CODE.put(Setting.SHOULD_RETRY_HEADERS, "`shouldRetryHeaders(...)`");
    IN_CODE.put(Setting.ATTEMPT_COUNT_HEADER, "`attemptCountHeader(name, first)`");
    IN_CODE.put(Setting.HEDGING,
        "`hedging(Hedging.after(delay))` or `hedging(Hedging.atPercentile(p))`");
    IN_CODE.put(Setting.CLOCK, "`clock(...)`");
    IN_CODE.put(Setting.RANDOM, "`random(...)`");
  }

  private ConfigDocs() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) throw new IllegalArgumentException("usage: ConfigDocs <output.md>");
    Path target = Path.of(args[0]).toAbsolutePath();
    if (target.getParent() != null) Files.createDirectories(target.getParent());
    Files.writeString(target, markdown(), StandardCharsets.UTF_8);
  }

  static String markdown() {
    Map<String, String> defaults = new LinkedHashMap<>();
    for (String line : RetryPolicy.defaults().describe().lines().toList()) {
      int eq = line.indexOf(" = ");
      defaults.put(line.substring(0, eq), line.substring(eq + 3, line.lastIndexOf(" (")));
    }
    StringBuilder out = new StringBuilder();
    out.append("<!-- Generated from dev.stoic.config.Setting by ConfigDocs (core tests); edit the code,"
        + " then regenerate:\n").append(REGENERATE_COMMAND).append("\n-->\n");
    out.append("""
        # Configuration keys

        `StoicConfig` reads a retry policy, and optionally routes, from flat keys and values.
        `RetryPolicy.describe()` and `RetryRoutes.describe()` name each setting by its key,
        without the `stoic.` prefix and followed by where the value came from (`(default)` or
        `(set)`), so a description tells you which key changes what. A description is not a
        properties file: it also lists the settings only code can hold (the last table below).

        ```java
        StoicConfig config = StoicConfig.from(properties);       // or from(map)
        StoicConfig env = StoicConfig.fromEnvironment("STOIC_"); // environment variables
        RetryPolicy policy = config.policy();                    // over RetryPolicy.defaults()
        RetryRoutes routes = config.routes(base);                // over a base policy of yours
        ```

        Everything is checked when the source is read. An unknown key, a bad value, or two
        settings that contradict each other fail with an `IllegalArgumentException` listing every
        problem, one per line, each naming its key as the source wrote it and what it accepts.
        Nothing is ignored silently; only keys outside the `stoic.` prefix (or the environment
        prefix) are left alone, as they belong to others.

        ## Sources

        - **Properties and maps:** every key that starts with `stoic.`.
        - **Environment variables** (`fromEnvironment(prefix)`): every variable that starts with
          the prefix (`STOIC_`). A key's variable is its name in upper case with each `.` and `-`
          written as `_` or, for `-`, left out, as Spring Boot binds them: `STOIC_MAX_ATTEMPTS` or
          `STOIC_MAXATTEMPTS` for `stoic.max-attempts`, `STOIC_ROUTES_PAYMENTS_HOST` for
          `stoic.routes.payments.host`. In a variable a route's name is one word.
        - **Code:** what text cannot hold (listeners, a clock, a credential refresher, a
          throttle) goes on a base policy; `policy(base)` and `routes(base)` apply the keys over it.

        ## Values

        - **duration:** a whole number and a unit, `ns`, `us`, `ms`, `s`, `m`, `h` or `d`
          (`500ms`, `30s`, `5m`), or ISO-8601 (`PT30S`). A bare number is refused: its unit would
          be a guess.
        - **decimal:** digits with an optional fraction (`20`, `0.1`); no sign, no exponent.
        - **list:** comma-separated, spaces around items ignored; `none` or an empty value is the
          empty list. A list adds to the base policy's rules; it does not remove any.
        - **boolean:** `true` or `false`. Words are compared ignoring case.

        ## Policy keys

        | key | type | accepted | default |
        |---|---|---|---|
        """);
    for (Setting setting : Setting.values()) {
      if (!setting.configurable()) continue;
      String def = setting == Setting.STATUS
          ? "the [status table](status-codes.md)"
          : "`" + defaults.get(setting.key) + "`";
      out.append("| `stoic.").append(setting.key).append("` | ").append(setting.type)
          .append(" | ").append(cell(setting.accepted)).append(" | ").append(def).append(" |\n");
    }
    out.append("""

        With `backoff.base = 0` there is no wait between attempts, and the other `backoff.*` keys
        are refused. `retry-budget.*` keys other than `retry-budget` are refused with
        `retry-budget = unlimited`; `idempotency-key.auto-generate` and `.format` with
        `idempotency-key.header = none`. `never-retry-on-exception` rules are checked before
        `retry-on-exception` rules, and a type may not be in both; a status code may have one
        rule only.

        ## Routes

        | key | type | accepted | default |
        |---|---|---|---|
        | `stoic.route-order` | list of route names | every route once; required with two routes or more | none |
        | `stoic.routes.<name>.host` | host name | exact, case-insensitive; no scheme, port or path; an IPv6 literal in brackets | none |
        | `stoic.routes.<name>.path-prefix` | path | starts with `/`; compared with the path as sent (percent-encoded), on every host | none |
        | `stoic.routes.<name>.<key>` | as above | every policy key above except `retry-budget` and `retry-budget.*` | the top-level value |

        A route name is lower-case letters, digits and dashes. Each route has exactly one of
        `host` and `path-prefix`; the first route in `route-order` that matches a request wins,
        and a request no route matches follows the top-level policy. A route starts from the
        top-level settings and overrides them. The retry budget is the client's, shared by every
        route, so routes cannot set it.

        ## Set in code only

        `describe()` prints these too, naming the class (or `lambda`); a key for them is refused.

        | key | set with | default |
        |---|---|---|
        """);
    for (Map.Entry<Setting, String> code : IN_CODE.entrySet()) {
      out.append("| `").append(code.getKey().key).append("` | ").append(code.getValue())
          .append(" | `").append(defaults.get(code.getKey().key)).append("` |\n");
    }
    return out.toString();
  }

  private static String cell(String text) {
    return text.replace("|", "\\|");
  }
}
