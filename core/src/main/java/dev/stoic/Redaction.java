package dev.stoic;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which header values and URL parts must never appear in events, log lines or exception
 * messages.
 *
 * <p>Always secret: the {@code Authorization}, {@code Proxy-Authorization}, {@code Cookie} and
 * {@code Set-Cookie} headers, and a URL's user-info. Query parameters whose names commonly carry
 * credentials ({@code access_token}, {@code api_key}, ...) are redacted by default; add your own
 * names with {@link #withSecretQueryParameters}. Names compare case-insensitively, and
 * percent-decoded as a server reads them ({@code api%5Fkey} is {@code api_key}).
 *
 * <p>Immutable and thread-safe.
 */
public final class Redaction {
  /** The text that replaces a secret. */
  public static final String MASK = "REDACTED";

  private static final Set<String> ALWAYS_SECRET_HEADERS =
      Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");
  private static final Set<String> DEFAULT_SECRET_PARAMETERS =
      Set.of("access_token", "api_key", "apikey", "client_secret", "key", "password",
          "secret", "sig", "signature", "token");
  private static final Redaction DEFAULT = new Redaction(Set.of(), DEFAULT_SECRET_PARAMETERS);

  private final Set<String> secretHeaders;
  private final Set<String> secretParameters;

  private Redaction(Set<String> secretHeaders, Set<String> secretParameters) {
    this.secretHeaders = secretHeaders;
    this.secretParameters = secretParameters;
  }

  public static Redaction defaults() {
    return DEFAULT;
  }

  /** Returns a copy that also treats the given header names as secret. */
  public Redaction withSecretHeaders(Collection<String> names) {
    return new Redaction(union(secretHeaders, names, "header name"), secretParameters);
  }

  /** Returns a copy that also redacts the values of the given query parameters. */
  public Redaction withSecretQueryParameters(Collection<String> names) {
    return new Redaction(secretHeaders, union(secretParameters, names, "query parameter"));
  }

  /** True if values of header {@code name} must never be shown. */
  public boolean isSecretHeader(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return ALWAYS_SECRET_HEADERS.contains(lower) || secretHeaders.contains(lower);
  }

  /** Every secret header name, lower case and sorted: for {@link RetryPolicy#describe()}. */
  Set<String> secretHeaderNames() {
    Set<String> all = new TreeSet<>(ALWAYS_SECRET_HEADERS);
    all.addAll(secretHeaders);
    return all;
  }

  /** Every secret query parameter name, lower case and sorted. */
  Set<String> secretQueryParameterNames() {
    return new TreeSet<>(secretParameters);
  }

  /** Returns {@code value}, or {@link #MASK} if header {@code name} is secret. */
  public String headerValue(String name, String value) {
    return isSecretHeader(name) ? MASK : value;
  }

  /**
   * Returns {@code url} without its user-info and fragment, and with the values of secret query
   * parameters masked. A string that is not a URL is returned masked whole rather than guessed at.
   */
  public String url(String url) {
    if (url == null) return "null";
    int schemeEnd = url.indexOf("://");
    if (schemeEnd <= 0) return MASK;
    int authorityStart = schemeEnd + 3;
    int pathStart = indexOfAny(url, "/?#", authorityStart);
    int authorityEnd = pathStart < 0 ? url.length() : pathStart;
    int at = url.lastIndexOf('@', authorityEnd - 1);
    StringBuilder out = new StringBuilder(url.length());
    out.append(url, 0, authorityStart);
    if (at >= authorityStart) {
      out.append(MASK).append('@').append(url, at + 1, authorityEnd);
    } else {
      out.append(url, authorityStart, authorityEnd);
    }
    if (pathStart < 0) return out.toString();
    int fragment = url.indexOf('#', pathStart);
    int end = fragment < 0 ? url.length() : fragment;
    int query = url.indexOf('?', pathStart);
    if (query < 0 || query > end) return out.append(url, pathStart, end).toString();
    out.append(url, pathStart, query + 1);
    appendRedactedQuery(out, url, query + 1, end);
    return out.toString();
  }

  private void appendRedactedQuery(StringBuilder out, String url, int start, int end) {
    int i = start;
    while (i <= end) {
      int amp = url.indexOf('&', i);
      int pairEnd = amp < 0 || amp > end ? end : amp;
      int eq = url.indexOf('=', i);
      if (eq >= 0 && eq < pairEnd && isSecretParameter(url.substring(i, eq))) {
        out.append(url, i, eq + 1).append(MASK);
      } else {
        out.append(url, i, pairEnd);
      }
      if (pairEnd == end) break;
      out.append('&');
      i = pairEnd + 1;
    }
  }

  private boolean isSecretParameter(String encodedName) {
    if (secretParameters.contains(encodedName.toLowerCase(Locale.ROOT))) return true;
    // Also decoded: a server reads "api%5Fkey" as api_key. A malformed escape decodes to nothing.
    if (encodedName.indexOf('%') < 0 && encodedName.indexOf('+') < 0) return false;
    try {
      String name = URLDecoder.decode(encodedName, StandardCharsets.UTF_8);
      return secretParameters.contains(name.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }

  private static int indexOfAny(String s, String chars, int from) {
    for (int i = from; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) return i;
    }
    return -1;
  }

  private static Set<String> union(Set<String> base, Collection<String> more, String what) {
    Objects.requireNonNull(more, what + "s == null");
    Set<String> all = new TreeSet<>(base);
    for (String name : more) {
      Objects.requireNonNull(name, what + " == null");
      if (name.isBlank()) throw new IllegalArgumentException(what + " is blank");
      all.add(name.toLowerCase(Locale.ROOT));
    }
    return Set.copyOf(all);
  }
}
