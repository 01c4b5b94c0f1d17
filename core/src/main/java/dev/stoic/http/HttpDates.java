package dev.stoic.http;

/**
 * Reads the three HTTP-date forms of RFC 9110 section 5.6.7 as seconds since the epoch.
 *
 * <p>Stateless and safe for concurrent use. Parsing never throws and never allocates. For example:
 *
 * <pre>{@code
 * String value = "Sun, 06 Nov 1994 08:49:37 GMT";
 * long seconds = HttpDates.parse(value, 0, value.length(), nowEpochSecond); // 784111777
 * }</pre>
 *
 * <p>The grammar is followed exactly, with two deliberate exceptions: letters (day names, month
 * names, {@code GMT}) are compared ignoring ASCII case, and the day name must be a real day name
 * but need not match the date. curl, browsers and Go's net/http ignore it too; a server that
 * gets it wrong still means the date it wrote.
 */
public final class HttpDates {
  /** What {@link #parse} returns for text that is not an HTTP-date; no HTTP-date maps to it. */
  public static final long INVALID = Long.MIN_VALUE;

  private static final String[] MONTHS = {
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
  };
  private static final String[] DAYS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
  };
  private static final int SECONDS_PER_DAY = 86_400;

  private HttpDates() {}

  /**
   * Returns the epoch second named by {@code s[start, end)}, or {@link #INVALID}.
   *
   * @param nowEpochSecond the current time, which places an RFC 850 date's two-digit year
   */
  public static long parse(String s, int start, int end, long nowEpochSecond) {
    /*
     * The fourth character tells the forms apart: "Sun," is IMF-fixdate, "Sun " is asctime, and
     * "Sunday," (a letter after three) can only be RFC 850.
     */
    if (end - start < 4) return INVALID;
    char fourth = s.charAt(start + 3);
    if (fourth == ',') return imfFixdate(s, start, end);
    if (fourth == ' ') return asctime(s, start, end);
    return rfc850(s, start, end, nowEpochSecond);
  }

  /** {@code Sun, 06 Nov 1994 08:49:37 GMT}: fixed length, four-digit year. */
  private static long imfFixdate(String s, int i, int end) {
    if (end - i != 29
        || shortDayName(s, i) < 0
        || s.charAt(i + 4) != ' '
        || s.charAt(i + 7) != ' '
        || s.charAt(i + 11) != ' '
        || s.charAt(i + 16) != ' '
        || s.charAt(i + 25) != ' '
        || !lettersMatch(s, i + 26, "gmt")) {
      return INVALID;
    }
    int year = fourDigits(s, i + 12);
    if (year < 0) return INVALID;
    return epochSecond(year, month(s, i + 8), twoDigits(s, i + 5), timeOfDay(s, i + 17));
  }

  /**
   * {@code Sun Nov  6 08:49:37 1994}: fixed length, day of month as two digits or a space and a
   * digit, exactly as the grammar says.
   *
   * <p>A single space before a one-digit day ({@code Nov 6}) is rejected: C's asctime() always
   * pads, so a sender writing that is not writing asctime, and the other two forms are strict too.
   */
  private static long asctime(String s, int i, int end) {
    if (end - i != 24
        || shortDayName(s, i) < 0
        || s.charAt(i + 7) != ' '
        || s.charAt(i + 10) != ' '
        || s.charAt(i + 19) != ' ') {
      return INVALID;
    }
    int year = fourDigits(s, i + 20);
    if (year < 0) return INVALID;
    int day = s.charAt(i + 8) == ' ' ? digit(s, i + 9) : twoDigits(s, i + 8);
    return epochSecond(year, month(s, i + 4), day, timeOfDay(s, i + 11));
  }

  /** {@code Sunday, 06-Nov-94 08:49:37 GMT}: full day name, two-digit year. */
  private static long rfc850(String s, int i, int end, long nowEpochSecond) {
    int comma = s.indexOf(',', i);
    int nameLength = comma - i;
    if (nameLength < 6 || nameLength > 9 || end - comma != 24) return INVALID;
    int dayIndex = shortDayName(s, i);
    if (dayIndex < 0
        || DAYS[dayIndex].length() != nameLength
        || !lettersMatch(s, i, DAYS[dayIndex])
        || s.charAt(comma + 1) != ' '
        || s.charAt(comma + 4) != '-'
        || s.charAt(comma + 8) != '-'
        || s.charAt(comma + 11) != ' '
        || s.charAt(comma + 20) != ' '
        || !lettersMatch(s, comma + 21, "gmt")) {
      return INVALID;
    }
    int day = twoDigits(s, comma + 2);
    int month = month(s, comma + 5);
    int twoDigitYear = twoDigits(s, comma + 9);
    int secondOfDay = timeOfDay(s, comma + 12);
    if (day < 0 || month < 0 || twoDigitYear < 0 || secondOfDay < 0) return INVALID;
    long year = rfc850Year(twoDigitYear, month, day, secondOfDay, nowEpochSecond);
    return epochSecond(year, month, day, secondOfDay);
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
   * is accepted there alone and read as the next midnight, the same instant POSIX time gives it.
   * Without a leap-second table we cannot check the date; a hint off by one second is harmless.
   */
  private static int timeOfDay(String s, int i) {
    int hour = twoDigits(s, i);
    int minute = twoDigits(s, i + 3);
    int second = twoDigits(s, i + 6);
    if (s.charAt(i + 2) != ':' || s.charAt(i + 5) != ':') return -1;
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0) return -1;
    if (second > 60 || (second == 60 && (hour != 23 || minute != 59))) return -1;
    return hour * 3600 + minute * 60 + second;
  }

  /** Returns 0 for "Mon" through 6 for "Sun" (any ASCII case), or -1. */
  private static int shortDayName(String s, int i) {
    for (int d = 0; d < DAYS.length; d++) {
      if (lettersMatch(s, i, DAYS[d], 3)) return d;
    }
    return -1;
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
