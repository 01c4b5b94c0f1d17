package dev.stoic;

import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Where a request's idempotency key lives, and whether Stoic adds one when the caller did not.
 *
 * <p>A non-idempotent request (POST, PATCH) is retried after an ambiguous failure only when it
 * carries a key the server can use to recognise a repeat. A caller's own key is always kept.
 * With {@link #autoGenerate()}, a keyless non-idempotent request gets one random key per logical
 * call, sent unchanged on every attempt.
 *
 * <pre>{@code
 * IdempotencyKey.header("Idempotency-Key").autoGenerate();               // 8e03978e-40d5-...
 * IdempotencyKey.header("Idempotency-Key").autoGenerate().structured();  // "8e03978e-40d5-..."
 * }</pre>
 *
 * <p><b>Format of a generated key.</b> By default ({@link Format#PLAIN}) it is sent as a bare
 * token, {@code Idempotency-Key: 8e03978e-40d5-43e8-bc93-6894a57f9324}, which is what Stripe,
 * Adyen and most payment APIs document. {@link #structured()} sends it as a Structured Field
 * string instead, quoted, {@code Idempotency-Key: "8e03978e-40d5-43e8-bc93-6894a57f9324"}, as the
 * IETF httpapi draft "The Idempotency-Key HTTP Header Field" defines it: choose it for servers
 * that follow the draft. Only generated keys are formatted; a caller's own key is sent as written.
 *
 * <p>Auto-generation is off by default: a key only makes a retry safe if the server honours it,
 * and only the caller knows that. Instances are immutable and thread-safe.
 */
public final class IdempotencyKey {
  /** The header name of the IETF httpapi draft "The Idempotency-Key HTTP Header Field". */
  public static final String DEFAULT_HEADER = "Idempotency-Key";

  /** How a generated key is written. */
  public enum Format {
    /** A structured-field string, quoted: {@code "8e03978e-..."}, as the IETF draft defines. */
    STRUCTURED,
    /** The bare value: {@code 8e03978e-...}, as Stripe and Adyen document. The default. */
    PLAIN
  }

  private static final IdempotencyKey NONE = new IdempotencyKey(null, false, Format.PLAIN, null);
  private static final IdempotencyKey DEFAULT =
      new IdempotencyKey(DEFAULT_HEADER, false, Format.PLAIN, null);

  private final String headerName;
  private final boolean autoGenerate;
  private final Format format;
  private final Supplier<String> generator;

  private IdempotencyKey(
      String headerName, boolean autoGenerate, Format format, Supplier<String> generator) {
    this.headerName = headerName;
    this.autoGenerate = autoGenerate;
    this.format = format;
    this.generator = generator;
  }

  /** Recognises a caller's {@code Idempotency-Key} header; generates none. The default. */
  public static IdempotencyKey defaults() {
    return DEFAULT;
  }

  /** Ignores idempotency keys altogether: non-idempotent requests are never keyed. */
  public static IdempotencyKey none() {
    return NONE;
  }

  /**
   * Recognises a caller's key in header {@code name}; generates none until {@link
   * #autoGenerate()}.
   *
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is not a valid header name
   */
  public static IdempotencyKey header(String name) {
    Objects.requireNonNull(name, "name == null");
    if (name.isEmpty() || !name.chars().allMatch(IdempotencyKey::isTokenChar)) {
      throw new IllegalArgumentException("not a valid header name: \"" + name + "\"");
    }
    return new IdempotencyKey(name, false, Format.PLAIN, null);
  }

  /** Returns a copy that adds a random UUID key to keyless non-idempotent requests. */
  public IdempotencyKey autoGenerate() {
    requireHeader();
    return new IdempotencyKey(headerName, true, format, null);
  }

  /**
   * Returns a copy that adds a key from {@code generator} to keyless non-idempotent requests. The
   * generator is called once per logical call and must return distinct, non-empty values.
   */
  public IdempotencyKey autoGenerate(Supplier<String> generator) {
    Objects.requireNonNull(generator, "generator == null");
    requireHeader();
    return new IdempotencyKey(headerName, true, format, generator);
  }

  /** Returns a copy that writes generated keys bare, as Stripe and Adyen expect. The default. */
  public IdempotencyKey plain() {
    return format(Format.PLAIN);
  }

  /**
   * Returns a copy that writes generated keys as quoted structured-field strings, as the IETF
   * draft defines; quotes and backslashes inside a generated key are escaped.
   */
  public IdempotencyKey structured() {
    return format(Format.STRUCTURED);
  }

  private IdempotencyKey format(Format format) {
    requireHeader();
    return new IdempotencyKey(headerName, autoGenerate, format, generator);
  }

  private void requireHeader() {
    if (headerName == null) {
      throw new IllegalStateException("IdempotencyKey.none() has no header; use header(name)");
    }
  }

  /** The header name, or null for {@link #none()}. */
  public String headerName() {
    return headerName;
  }

  public boolean autoGenerates() {
    return autoGenerate;
  }

  /** How generated keys are written: {@link Format#PLAIN} unless {@link #structured()}. */
  public Format format() {
    return format;
  }

  /** The custom key generator, or null for random UUIDs. */
  Supplier<String> generator() {
    return generator;
  }

  /** Returns a fresh key, formatted as this rule says. */
  public String newKeyValue() {
    String raw = generator != null ? generator.get() : UUID.randomUUID().toString();
    if (raw == null || raw.isEmpty()) {
      throw new IllegalStateException("idempotency key generator returned an empty key");
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        // A header value must be visible ASCII; the key itself is not shown (it may be sensitive).
        throw new IllegalStateException(
            "idempotency key generator returned a key with a character not allowed in a header"
                + " (code " + (int) c + " at index " + i + ")");
      }
    }
    if (format == Format.PLAIN) return raw;
    return "\"" + raw.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static boolean isTokenChar(int c) {
    // RFC 9110 tchar.
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  @Override
  public String toString() {
    if (headerName == null) return "IdempotencyKey.none()";
    return "IdempotencyKey{header=" + headerName + ", autoGenerate=" + autoGenerate
        + ", format=" + format + "}";
  }
}
