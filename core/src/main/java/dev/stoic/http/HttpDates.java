package dev.stoic.http;

/**
 * Reads the three HTTP-date forms of RFC 9110 section 5.6.7 as seconds since the epoch, and the
 * variants of them that widely used servers and libraries write.
 *
 * <p>Stateless and safe for concurrent use. Parsing never throws and never allocates. For example:
 *
 * <pre>{@code
 * String value = "Sun, 06 Nov 1994 08:49:37 GMT";
 * long seconds = HttpDates.parse(value, 0, value.length(), nowEpochSecond); // 784111777
 * }</pre>
 *
 * <p>What is read, letters in any ASCII case, fields separated by exactly the characters shown:
 *
 * <ul>
 *   <li>{@code Sun, 06 Nov 1994 08:49:37 GMT} (IMF-fixdate) and {@code Sunday, 06-Nov-94 08:49:37
 *       GMT} (RFC 850), with a short or full day name in either, a day of one or two digits
 *       ({@code Sun, 6 Nov 1994 ...}, as Java's {@code DateTimeFormatter.RFC_1123_DATE_TIME}
 *       writes), a four-digit year, or in the dashed form a two-digit one ({@code 06-Nov-1994} is
 *       the Netscape cookie form and PHP's {@code DATE_COOKIE}), and as the zone {@code GMT},
 *       {@code UTC} or {@code UT} (Go's {@code time.RFC1123}, PHP's {@code T}) or a numeric offset
 *       {@code +hhmm} / {@code -hhmm} with hh at most 23 ({@code +0000} from PHP's {@code date('r')},
 *       {@code -0000} from Python's {@code formatdate} and Ruby's {@code rfc2822}, which RFC 5322
 *       defines as UTC, {@code +0100} from {@code RFC_1123_DATE_TIME} in a local zone);
 *   <li>{@code Sun Nov  6 08:49:37 1994} (asctime), with the day padded by a space, by a zero, or
 *       after a single space ({@code Sun Nov 6 ...}, which OkHttp, Go and Python also read).
 * </ul>
 *
 * <p>The day name must be a real one but need not match the date: curl, browsers and Go's
 * net/http ignore it too, and a server that gets it wrong still means the date it wrote. Anything
 * else is {@link #INVALID}: other zone names ({@code PST}, {@code CET}: their offset depends on a
 * time-zone database and on daylight saving time, and libraries disagree about them), {@code
 * GMT+01:00}, a missing zone or comma, doubled spaces, one-digit hours, a missing second, quotes,
 * and trailing text. The accepted forms and where other parsers differ are listed, vector by
 * vector, in {@code HttpDateVectorsTest}.
 *
 * <p>Package-private: the parser behind {@link RetryAfter} and the rate-limit readers, not API.
 */
final class HttpDates {
  /** What {@link #parse} returns for text that is not an HTTP-date; no HTTP-date maps to it. */
  public static final long INVALID = Long.MIN_VALUE;

  private static final String[] MONTHS = {
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
  };
  private static final String[] DAYS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
  };
  private static final int SECONDS_PER_DAY = 86_400;
  /** What {@link #zoneOffset} returns for a zone it does not read; no offset maps to it. */
  private static final int NO_ZONE = Integer.MIN_VALUE;

  private HttpDates() {}

  /**
   * Returns the epoch second named by {@code s[start, end)}, or {@link #INVALID}.
   *
   * @param nowEpochSecond the current time, which places a two-digit year
   */
  public static long parse(String s, int start, int end, long nowEpochSecond) {
    // A day name, then "," for the IMF-fixdate and RFC 850 forms or " " for asctime.
    int nameEnd = start;
    while (nameEnd < end && isLetter(s.charAt(nameEnd))) nameEnd++;
    if (nameEnd == end || !isDayName(s, start, nameEnd)) return INVALID;
    char next = s.charAt(nameEnd);
    if (next == ',') return afterComma(s, nameEnd + 1, end, nowEpochSecond);
    if (next == ' ' && nameEnd - start == 3) return asctime(s, nameEnd + 1, end);
    return INVALID;
  }

  /**
   * {@code " 06 Nov 1994 08:49:37 GMT"} or {@code " 06-Nov-94 08:49:37 GMT"}: the rest of an
   * IMF-fixdate or RFC 850 date after its day name and comma.
   */
  private static long afterComma(String s, int i, int end, long nowEpochSecond) {
    if (i >= end || s.charAt(i) != ' ') return INVALID;
    i++;
    int dayDigits = digitRun(s, i, end);
    if (dayDigits < 1 || dayDigits > 2) return INVALID;
    int day = dayDigits == 1 ? digit(s, i) : twoDigits(s, i);
    i += dayDigits;
    // The separator after the day, " " or "-", must recur after the month.
    if (end - i < 5) return INVALID;
    char separator = s.charAt(i);
    if ((separator != ' ' && separator != '-') || s.charAt(i + 4) != separator) return INVALID;
    int month = month(s, i + 1);
    i += 5;
    int yearDigits = digitRun(s, i, end);
    boolean twoDigitYear = yearDigits == 2 && separator == '-';
    if (yearDigits != 4 && !twoDigitYear) return INVALID;
    int year = twoDigitYear ? twoDigits(s, i) : fourDigits(s, i);
    i += yearDigits;
    // " hh:mm:ss " and a zone of at least two characters.
    if (end - i < 12 || s.charAt(i) != ' ' || s.charAt(i + 9) != ' ') return INVALID;
    int offset = zoneOffset(s, i + 10, end);
    if (offset == NO_ZONE) return INVALID;
    int secondOfDay = timeOfDay(s, i + 1, offset);
    if (month < 0 || secondOfDay < 0) return INVALID;
    long fullYear = twoDigitYear
        ? rfc850Year(year, month, day, secondOfDay, nowEpochSecond)
        : year;
    long local = epochSecond(fullYear, month, day, secondOfDay);
    return local == INVALID ? INVALID : local - offset;
  }

  /**
   * {@code "Nov  6 08:49:37 1994"}: the rest of an asctime date after its day name and space. The
   * day is two digits, a space and a digit, or a lone digit: C's asctime() pads with a space, and
   * OkHttp, Go and Python also read a single space before a one-digit day.
   */
  private static long asctime(String s, int i, int end) {
    if (end - i < 19 || s.charAt(i + 3) != ' ') return INVALID;
    int month = month(s, i);
    i += 4;
    int day;
    if (s.charAt(i) == ' ') {
      day = digit(s, i + 1);
      i += 2;
    } else {
      int dayDigits = digitRun(s, i, end);
      if (dayDigits < 1 || dayDigits > 2) return INVALID;
      day = dayDigits == 1 ? digit(s, i) : twoDigits(s, i);
      i += dayDigits;
    }
    // " hh:mm:ss yyyy" to the end.
    if (end - i != 14 || s.charAt(i) != ' ' || s.charAt(i + 9) != ' ') return INVALID;
    int year = fourDigits(s, i + 10);
    int secondOfDay = timeOfDay(s, i + 1, 0);
    if (month < 0 || year < 0 || secondOfDay < 0) return INVALID;
    return epochSecond(year, month, day, secondOfDay);
  }

  /**
   * Returns the zone {@code s[i, end)} as seconds east of UTC, or {@link #NO_ZONE}: {@code GMT},
   * {@code UTC} and {@code UT} are 0, {@code +hhmm} and {@code -hhmm} are what they say (hh at most
   * 23, mm at most 59; {@code -0000} is UTC as well, RFC 5322 section 3.3).
   */
  private static int zoneOffset(String s, int i, int end) {
    int length = end - i;
    if (length == 2) return lettersMatch(s, i, "ut") ? 0 : NO_ZONE;
    if (length == 3) return lettersMatch(s, i, "gmt") || lettersMatch(s, i, "utc") ? 0 : NO_ZONE;
    if (length != 5) return NO_ZONE;
    char sign = s.charAt(i);
    int hours = twoDigits(s, i + 1);
    int minutes = twoDigits(s, i + 3);
    if ((sign != '+' && sign != '-') || hours < 0 || hours > 23 || minutes < 0 || minutes > 59) {
      return NO_ZONE;
    }
    int offset = hours * 3600 + minutes * 60;
    return sign == '-' ? -offset : offset;
  }

  /**
   * Places a two-digit year in the 100 years ending 50 years from now.
   *
   * <p>RFC 9110 section 5.6.7: a recipient "MUST interpret a timestamp that appears to be more than
   * 50 years in the future as representing the most recent year in the past that had the same last
   * two digits". It says nothing about dates far in the past, so the nearest reading is taken: with
   * now in 2099, "00" is 2100, not 2000. "50 years from now" is now's month, day and time in the
   * year 50 later, so a date exactly 50 years ahead stays in the future.
   */
  private static long rfc850Year(
      int twoDigitYear, int month, int day, int secondOfDay, long nowEpochSecond) {
    long nowCivil = civil(Math.floorDiv(nowEpochSecond, SECONDS_PER_DAY));
    long nowYear = Math.floorDiv(nowCivil, 512);
    long year = nowYear - Math.floorMod(nowYear, 100) + twoDigitYear;
    if (year > nowYear + 50) {
      year -= 100;
    } else if (year <= nowYear - 50) {
      year += 100;
    }
    if (year == nowYear + 50) {
      int monthDay = month * 32 + day;
      int nowMonthDay = Math.floorMod(nowCivil, 512);
      int nowSecondOfDay = Math.floorMod(nowEpochSecond, SECONDS_PER_DAY);
      if (monthDay > nowMonthDay || (monthDay == nowMonthDay && secondOfDay > nowSecondOfDay)) {
        year -= 100;
      }
    }
    return year;
  }

  /** Validates the fields and combines them; a negative month or time means it failed to parse. */
  private static long epochSecond(long year, int month, int day, int secondOfDay) {
    if (month < 0 || secondOfDay < 0 || day < 1 || day > monthLength(year, month)) {
      return INVALID;
    }
    return epochDay(year, month, day) * SECONDS_PER_DAY + secondOfDay;
  }

  /**
   * Returns {@code hh:mm:ss} as seconds into the day, or -1.
   *
   * <p>RFC 9110 allows a second of 60 for leap seconds, which only ever occur at 23:59:60 UTC; it
   * is accepted there alone (at the local time that is 23:59:60 UTC for a numeric zone) and read as
   * the next midnight, the same instant POSIX time gives it. Without a leap-second table we cannot
   * check the date; a hint off by one second is harmless.
   *
   * @param offset the zone's offset from UTC in seconds, which places 23:59:60 UTC
   */
  private static int timeOfDay(String s, int i, int offset) {
    int hour = twoDigits(s, i);
    int minute = twoDigits(s, i + 3);
    int second = twoDigits(s, i + 6);
    if (s.charAt(i + 2) != ':' || s.charAt(i + 5) != ':') return -1;
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
      return -1;
    }
    int secondOfDay = hour * 3600 + minute * 60 + second;
    if (second == 60 && Math.floorMod(secondOfDay - 1 - offset, SECONDS_PER_DAY) != 86_399) {
      return -1;
    }
    return secondOfDay;
  }

  /** True if {@code s[start, end)} is a day name, short ("Sun") or full ("Sunday"). */
  private static boolean isDayName(String s, int start, int end) {
    int length = end - start;
    for (String day : DAYS) {
      if ((length == 3 || length == day.length()) && lettersMatch(s, start, day, length)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** The number of ASCII digits from {@code i}, at most 5 (more is never valid anywhere). */
  private static int digitRun(String s, int i, int end) {
    int n = 0;
    while (n < 5 && i + n < end && digit(s, i + n) >= 0) n++;
    return n;
  }

  /** Returns 1 for "Jan" through 12 for "Dec" (any ASCII case), or -1. */
  private static int month(String s, int i) {
    for (int m = 0; m < MONTHS.length; m++) {
      if (lettersMatch(s, i, MONTHS[m], 3)) return m + 1;
    }
    return -1;
  }

  private static boolean lettersMatch(String s, int i, String lowercase) {
    return lettersMatch(s, i, lowercase, lowercase.length());
  }

  /**
   * ASCII-only case folding. {@code String.regionMatches(true, ...)} folds Unicode, so it would
   * accept "ſun" (long s) or a Kelvin sign for 'k'; header values are ASCII and so is this.
   */
  private static boolean lettersMatch(String s, int i, String lowercase, int length) {
    for (int k = 0; k < length; k++) {
      char c = s.charAt(i + k);
      if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
      if (c != lowercase.charAt(k)) return false;
    }
    return true;
  }

  private static int fourDigits(String s, int i) {
    int high = twoDigits(s, i);
    int low = twoDigits(s, i + 2);
    return high < 0 || low < 0 ? -1 : high * 100 + low;
  }

  private static int twoDigits(String s, int i) {
    int tens = digit(s, i);
    int ones = digit(s, i + 1);
    return tens < 0 || ones < 0 ? -1 : tens * 10 + ones;
  }

  /** ASCII digits only: {@code Character.isDigit} would take Arabic-Indic and fullwidth digits. */
  private static int digit(String s, int i) {
    char c = s.charAt(i);
    return c >= '0' && c <= '9' ? c - '0' : -1;
  }

  private static int monthLength(long year, int month) {
    switch (month) {
      case 2:
        boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        return leap ? 29 : 28;
      case 4: case 6: case 9: case 11:
        return 30;
      default:
        return 31;
    }
  }

  /*
   * The two conversions below are Howard Hinnant's days_from_civil and civil_from_days
   * (http://howardhinnant.github.io/date_algorithms.html): proleptic Gregorian, exact for any year
   * a long can hold here, and free of allocation, unlike LocalDate.
   */

  private static long epochDay(long year, int month, int day) {
    long y = month <= 2 ? year - 1 : year;
    long era = Math.floorDiv(y, 400);
    long yearOfEra = y - era * 400;
    long dayOfYear = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097 + dayOfEra - 719_468;
  }

  /** Returns {@code year * 512 + month * 32 + day}; unpack with floorDiv and floorMod by 512. */
  private static long civil(long epochDay) {
    long z = epochDay + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long dayOfEra = z - era * 146_097;
    long yearOfEra =
        (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long shiftedMonth = (5 * dayOfYear + 2) / 153;
    long day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1;
    long month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
    long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    return year * 512 + month * 32 + day;
  }
}
