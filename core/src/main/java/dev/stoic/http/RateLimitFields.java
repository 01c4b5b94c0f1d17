package dev.stoic.http;

import dev.stoic.http.StructuredFields.Member;
import dev.stoic.http.StructuredFields.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Gathers one response's rate-limit values from the three header families, field by field: each
 * field keeps the value of the first family, in precedence order, that offers a usable one.
 *
 * <p>Not thread-safe: one instance reads one response inside {@link RateLimitStatus#parse}. A
 * family's headers are looked up only while a field they could fill is still unknown.
 */
final class RateLimitFields {
  /* Limit, remaining and reset header names of the two X- spellings, GitHub's and Twitter's. */
  private static final String[] X_RATELIMIT =
      {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"};
  private static final String[] X_RATE_LIMIT =
      {"X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset"};

  long limit = -1;
  long remaining = -1;
  Duration reset;
  Duration window;
  String policyName;

  private final Function<String, List<String>> headers;
  private final Instant now;
  /** The limit the draft 07 dictionary gave, which numbered policies are matched against. */
  private long dictionaryLimit = -1;

  private RateLimitFields(Function<String, List<String>> headers, Instant now) {
    this.headers = headers;
    this.now = now;
  }

  static RateLimitFields read(Function<String, List<String>> headers, Instant now) {
    RateLimitFields fields = new RateLimitFields(headers, now);
    String rateLimit = fields.combinedLines("RateLimit");
    List<Member> current = StructuredFields.parseList(rateLimit);
    List<Member> policies = StructuredFields.parseList(fields.combinedLines("RateLimit-Policy"));

    fields.readNamedPolicies(current, policies);
    /*
     * RateLimit changed shape between drafts: a List of named items (08-10) and a Dictionary
     * (07). A Dictionary like "limit=100, remaining=0" is never a valid List, so the List is tried
     * first and the Dictionary only when that fails. (A list of bare tokens would parse as both;
     * as a List it carries no "r", and as a Dictionary its values would be booleans, so neither
     * reading would yield anything.)
     */
    if (current == null) fields.readDictionary(StructuredFields.parseDictionary(rateLimit));
    fields.readSeparateFields(policies);
    fields.readLegacyHeaders(X_RATELIMIT);
    fields.readLegacyHeaders(X_RATE_LIMIT);
    return fields;
  }

  boolean isEmpty() {
    return limit < 0 && remaining < 0 && reset == null && window == null && policyName == null;
  }

  /**
   * Drafts 08-10: {@code RateLimit: "burst";r=0;t=30} names the policy whose state it reports, and
   * {@code RateLimit-Policy: "burst";q=100;w=60} gives that policy's quota and window.
   */
  private void readNamedPolicies(List<Member> current, List<Member> policies) {
    if (!isWellTyped(current, true, "r", "t")) current = List.of();
    if (!isWellTyped(policies, true, "q", "w")) policies = List.of();

    Member chosen = null;
    for (Member item : current) {
      if (item.parameter("r") != null && (chosen == null || isMoreRestrictive(item, chosen))) {
        chosen = item;
      }
    }
    Member policy = null;
    if (chosen != null) {
      policyName = chosen.text();
      offerRemaining(chosen.parameter("r").number());
      offerReset(resetOf(chosen));
      for (Member candidate : policies) {
        if (candidate.text().equals(policyName)) {
          policy = candidate;
          break;
        }
      }
    } else if (policies.size() == 1) {
      /* No current state to pick by, but only one policy it could be. */
      policy = policies.get(0);
      policyName = policy.text();
    }
    if (policy != null) {
      offerLimit(numberOf(policy.parameter("q")));
      offerWindow(numberOf(policy.parameter("w")));
    }
  }

  /*
   * Several items report several policies at once (say a burst and a daily quota); the one that
   * binds is the one with the least remaining, which the drafts also ask servers to send when
   * they send only one. On equal remaining the longer reset binds: with nothing left, a client
   * can send again only once every spent quota has reset. An unknown reset counts as shorter
   * than any known one. A full tie keeps the first item.
   */
  private boolean isMoreRestrictive(Member item, Member chosen) {
    long r = item.parameter("r").number();
    long chosenR = chosen.parameter("r").number();
    if (r != chosenR) return r < chosenR;
    Duration t = resetOf(item);
    Duration chosenT = resetOf(chosen);
    return t != null && (chosenT == null || t.compareTo(chosenT) > 0);
  }

  private Duration resetOf(Member item) {
    Member t = item.parameter("t");
    return t == null ? null : RateLimitNumbers.reset(t.number(), now);
  }

  /** Draft 07: {@code RateLimit: limit=100, remaining=0, reset=30}. */
  private void readDictionary(List<Member> dictionary) {
    if (dictionary == null) return;
    Member limitMember = StructuredFields.lookup(dictionary, "limit");
    Member remainingMember = StructuredFields.lookup(dictionary, "remaining");
    Member resetMember = StructuredFields.lookup(dictionary, "reset");
    if (!isAbsentOrCount(limitMember)
        || !isAbsentOrCount(remainingMember)
        || !isAbsentOrCount(resetMember)) {
      return; // malformed: ignored as a whole
    }
    dictionaryLimit = numberOf(limitMember);
    offerLimit(dictionaryLimit);
    offerRemaining(numberOf(remainingMember));
    if (resetMember != null) offerReset(RateLimitNumbers.reset(resetMember.number(), now));
  }

  /**
   * Drafts 03-06 (and 07's {@code RateLimit-Policy}): {@code RateLimit-Limit}, {@code
   * RateLimit-Remaining} and {@code RateLimit-Reset}, each an Integer. Early drafts let {@code
   * RateLimit-Limit} list quota policies after the limit ({@code 10, 10;w=1, 50;w=60}); later
   * ones moved them to {@code RateLimit-Policy} as numbered items ({@code 10;w=1, 50;w=60}). A
   * policy whose number is the limit (the dictionary's, or else RateLimit-Limit's) gives the
   * window; a lone policy gives both. A window describes its own quota, so it is taken only when
   * this family's limit is the one kept, never paired with another family's.
   */
  private void readSeparateFields(List<Member> policies) {
    List<Member> numbered = isWellTyped(policies, false, "w") ? policies : List.of();
    long draftLimit = dictionaryLimit;
    if (draftLimit < 0 && limit < 0) {
      List<Member> limitField = StructuredFields.parseList(combinedLines("RateLimit-Limit"));
      if (isWellTyped(limitField, false, "w") && !limitField.isEmpty()) {
        draftLimit = limitField.get(0).number();
        numbered = concat(limitField, numbered);
      }
    }
    if (remaining < 0) offerRemaining(numberOf(singleInteger("RateLimit-Remaining")));
    if (reset == null) {
      Member resetItem = singleInteger("RateLimit-Reset");
      if (resetItem != null) offerReset(RateLimitNumbers.reset(resetItem.number(), now));
    }
    if (draftLimit < 0 && limit < 0 && numbered.size() == 1) {
      draftLimit = numbered.get(0).number();
    }
    if (draftLimit < 0) return;
    offerLimit(draftLimit);
    if (limit != draftLimit) return;
    for (Member policy : numbered) {
      Member w = policy.parameter("w");
      if (policy.number() == draftLimit && w != null) {
        offerWindow(w.number());
        return;
      }
    }
  }

  /** The field as an Item (a List of one), if it is a non-negative Integer; else null. */
  private Member singleInteger(String name) {
    List<Member> field = StructuredFields.parseList(combinedLines(name));
    if (field == null || field.size() != 1 || !field.get(0).isNonNegativeInteger()) return null;
    return field.get(0);
  }

  /**
   * The unregistered {@code X-} headers: plain digits, not Structured Fields, and not lists. A
   * repeated header takes its first valid line, as Retry-After does.
   */
  /*
   * Known gaps, all read as absent: Discord's fractional epoch "X-RateLimit-Reset: 1470173023.123"
   * and its "X-RateLimit-Reset-After", and OpenAI's per-resource "x-ratelimit-reset-requests: 6m0s"
   * with units. In the drafts' fields, the quota unit ("qu") and partition key ("pk") are ignored:
   * limit() counts whatever unit the policy counts.
   */
  private void readLegacyHeaders(String[] names) {
    if (limit < 0) offerLimit(firstValidLine(names[0], false));
    if (remaining < 0) offerRemaining(firstValidLine(names[1], false));
    if (reset == null) {
      long value = firstValidLine(names[2], true);
      if (value >= 0) offerReset(RateLimitNumbers.reset(value, now));
    }
  }

  private long firstValidLine(String name, boolean saturate) {
    for (String line : lines(name)) {
      long value = line == null ? -1 : RateLimitNumbers.digits(line, saturate);
      if (value >= 0) return value;
    }
    return -1;
  }

  /**
   * Returns every line of a Structured Field joined with commas, as RFC 8941 section 4.2 says to
   * combine them; "" when absent. Each line loses its leading and trailing OWS first, as HTTP
   * field values do, and a blank line adds nothing (rather than an empty, invalid list member).
   */
  private String combinedLines(String name) {
    String first = null;
    StringBuilder joined = null;
    for (String line : lines(name)) {
      if (line == null) continue;
      int start = 0;
      int end = line.length();
      while (start < end && isOws(line.charAt(start))) start++;
      while (end > start && isOws(line.charAt(end - 1))) end--;
      if (start == end) continue;
      if (first == null) {
        first = line.substring(start, end);
      } else {
        if (joined == null) joined = new StringBuilder(first);
        joined.append(", ").append(line, start, end);
      }
    }
    return joined != null ? joined.toString() : first != null ? first : "";
  }

  private List<String> lines(String name) {
    List<String> lines = headers.apply(name);
    return lines == null ? List.of() : lines;
  }

  /**
   * A field whose items are the wrong type, or whose known parameters are not non-negative
   * Integers (a negative remaining, a decimal reset), is malformed; the drafts say "Malformed
   * RateLimit header fields MUST be ignored", so it is ignored as a whole. Named items are
   * Strings or Tokens (drafts 08-10); numbered ones are Integers (drafts 03-07). A null field
   * failed to parse at all.
   */
  private static boolean isWellTyped(List<Member> field, boolean named, String... parameters) {
    if (field == null) return false;
    for (Member item : field) {
      boolean nameOk = named
          ? item.type() == Type.STRING || item.type() == Type.TOKEN
          : item.isNonNegativeInteger();
      if (!nameOk) return false;
      for (String parameter : parameters) {
        if (!isAbsentOrCount(item.parameter(parameter))) return false;
      }
    }
    return true;
  }

  private static boolean isAbsentOrCount(Member value) {
    return value == null || value.isNonNegativeInteger();
  }

  private static long numberOf(Member value) {
    return value == null ? -1 : value.number();
  }

  private static List<Member> concat(List<Member> a, List<Member> b) {
    if (b.isEmpty()) return a;
    List<Member> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  /* Offers: the first usable value for a field wins; -1 and null are "none". */

  private void offerLimit(long value) {
    if (limit < 0) limit = value;
  }

  private void offerRemaining(long value) {
    if (remaining < 0) remaining = value;
  }

  private void offerReset(Duration value) {
    if (reset == null) reset = value;
  }

  private void offerWindow(long seconds) {
    if (window == null && seconds >= 0) window = Duration.ofSeconds(seconds);
  }
}
