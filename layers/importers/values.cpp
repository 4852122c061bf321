#include "layers/importers/values.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace veldwacht::layers {

namespace {

std::string_view trimView(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool allDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

int toInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

bool isLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool validDate(int y, int m, int d) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  return d <= kDays[m - 1] + ((m == 2 && isLeap(y)) ? 1 : 0);
}

/// Dutch (and English) month names and Excel's abbreviations ("mrt", "mei", "okt."); 0 = none.
int monthNumber(std::string_view word) {
  std::string w = toLowerAscii(word);
  if (!w.empty() && w.back() == '.') w.pop_back();
  static const char* const kNames[12][4] = {
      {"jan", "januari", "january", nullptr}, {"feb", "februari", "february", "febr"},
      {"mrt", "maart", "march", "mar"},       {"apr", "april", nullptr, nullptr},
      {"mei", "may", nullptr, nullptr},       {"jun", "juni", "june", nullptr},
      {"jul", "juli", "july", nullptr},       {"aug", "augustus", "august", nullptr},
      {"sep", "september", "sept", nullptr},  {"okt", "oktober", "october", "oct"},
      {"nov", "november", nullptr, nullptr},  {"dec", "december", nullptr, nullptr}};
  for (int m = 0; m < 12; ++m)
    for (const char* n : kNames[m])
      if (n && w == n) return m + 1;
  return 0;
}

/// A two-digit year as Excel's built-in "d-mmm-jj" writes it: 00-69 -> 2000-2069, 70-99 ->
/// 1970-1999. (Numeric d-m-jj stays refused: with the month as a number too, it is too easily
/// a misread cell.)
int fullYear(std::string_view digits) {
  const int y = toInt(digits);
  if (digits.size() != 2) return y;
  return y < 70 ? 2000 + y : 1900 + y;
}

/// Dates with the month as a word, as Dutch Excel writes them: "3-apr-2024", "3-apr-24",
/// "03 april 2024", "di 3 april 2024" (weekday ignored). `rest` receives what follows.
bool splitWordDate(std::string_view s, int& y, int& m, int& d, std::string_view& rest) {
  // An optional weekday ("ma", "di", "dinsdag", "di.", "di,") before the day.
  if (!s.empty() && !(s.front() >= '0' && s.front() <= '9')) {
    const std::size_t sp = s.find(' ');
    if (sp == std::string_view::npos) return false;
    static const char* const kDays[] = {"ma",        "di",      "wo",       "do",      "vr",
                                        "za",        "zo",      "maandag",  "dinsdag", "woensdag",
                                        "donderdag", "vrijdag", "zaterdag", "zondag"};
    std::string w = toLowerAscii(s.substr(0, sp));
    while (!w.empty() && (w.back() == '.' || w.back() == ',')) w.pop_back();
    if (std::none_of(std::begin(kDays), std::end(kDays), [&](const char* k) { return w == k; }))
      return false;
    s = trimView(s.substr(sp + 1));
  }
  std::size_t i = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == 0 || i > 2 || i >= s.size() || (s[i] != '-' && s[i] != ' ' && s[i] != '.')) return false;
  const char sep = s[i];
  const std::string_view day = s.substr(0, i);
  std::size_t j = i + 1;
  while (j < s.size() && s[j] != sep && s[j] != ' ' && s[j] != '-') ++j;
  const int month = monthNumber(s.substr(i + 1, j - i - 1));
  if (!month || j >= s.size()) return false;
  std::size_t k = j + 1;
  while (k < s.size() && s[k] >= '0' && s[k] <= '9') ++k;
  const std::string_view year = s.substr(j + 1, k - j - 1);
  if (year.size() != 2 && year.size() != 4) return false;
  if (k < s.size() && s[k] != ' ' && s[k] != 'T') return false;
  rest = k < s.size() ? s.substr(k + 1) : std::string_view{};
  d = toInt(day), m = month, y = fullYear(year);
  return validDate(y, m, d);
}

// Parses the date part; `rest` receives what follows it.
bool splitDate(std::string_view s, int& y, int& m, int& d, std::string_view& rest) {
  if (splitWordDate(s, y, m, d, rest)) return true;
  std::size_t end = s.find_first_of(" T");
  std::string_view date = s.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view{} : s.substr(end + 1);
  char sep = 0;
  for (char c : date)
    if (c == '-' || c == '/' || c == '.') {
      sep = c;
      break;
    }
  if (!sep) return false;
  const std::size_t a = date.find(sep);
  const std::size_t b = date.find(sep, a + 1);
  if (b == std::string_view::npos || date.find(sep, b + 1) != std::string_view::npos) return false;
  const std::string_view p1 = date.substr(0, a), p2 = date.substr(a + 1, b - a - 1),
                         p3 = date.substr(b + 1);
  if (!allDigits(p1) || !allDigits(p2) || !allDigits(p3)) return false;
  if (p1.size() == 4 && sep == '-' && p2.size() <= 2 && p3.size() <= 2) {  // ISO
    y = toInt(p1), m = toInt(p2), d = toInt(p3);
  } else if (p3.size() == 4 && p1.size() <= 2 && p2.size() <= 2) {  // Dutch d-m-jjjj
    d = toInt(p1), m = toInt(p2), y = toInt(p3);
  } else {
    return false;
  }
  return validDate(y, m, d);
}

bool parseTime(std::string_view s, int& hh, int& mm, int& ss) {
  s = trimView(s);
  // ISO fractions or zones are not expected from Excel; refuse rather than guess. Dutch also
  // writes "22.15" (uur): a '.' separates hours and minutes when there is no ':'.
  const char sep = s.find(':') != std::string_view::npos ? ':' : '.';
  const std::size_t a = s.find(sep);
  if (a == std::string_view::npos) return false;
  const std::size_t b = s.find(sep, a + 1);
  const std::string_view h = s.substr(0, a);
  const std::string_view mi =
      s.substr(a + 1, b == std::string_view::npos ? std::string_view::npos : b - a - 1);
  const std::string_view se = b == std::string_view::npos ? std::string_view{"0"} : s.substr(b + 1);
  if (!allDigits(h) || h.size() > 2 || !allDigits(mi) || mi.size() != 2 || !allDigits(se) ||
      se.size() > 2)
    return false;
  hh = toInt(h), mm = toInt(mi), ss = toInt(se);
  return hh < 24 && mm < 60 && ss < 60;
}

/// Civil date of a day count since 1970-01-01 (H. Hinnant's days_from_civil, inverted).
void civilFromDays(long z, int& y, int& m, int& d) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  d = int(doy - (153 * mp + 2) / 5 + 1);
  m = int(mp < 10 ? mp + 3 : mp - 9);
  y = int(yoe + era * 400 + (m <= 2 ? 1 : 0));
}

/// An Excel serial date (days since 1899-12-30, the fraction is the time of day), as a sheet
/// writes a date cell that is not formatted as a date: "45385" or "45385,927". Only 1990..2100
/// (serials 32874..73415) count, so that an ordinary number is not taken for a date.
bool excelSerial(std::string_view s, int& y, int& m, int& d, int& hh, int& mm, int& ss) {
  const auto v = parseNumber(s);
  if (!v || *v < 32874.0 || *v >= 73416.0) return false;
  long days = long(std::floor(*v));
  long secs = std::lround((*v - double(days)) * 86400.0);
  if (secs >= 86400) {
    ++days;
    secs = 0;
  }
  civilFromDays(days - 25569, y, m, d);
  hh = int(secs / 3600), mm = int(secs / 60 % 60), ss = int(secs % 60);
  return true;
}

}  // namespace

std::string toLowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}

std::optional<double> parseNumber(std::string_view text) {
  std::string s(trimView(text));
  if (s.empty()) return std::nullopt;
  const std::size_t comma = s.rfind(','), dot = s.rfind('.');
  if (comma != std::string::npos && dot != std::string::npos) {
    // Both: the last one is the decimal mark, the other a thousands separator.
    const char thousands = comma > dot ? '.' : ',';
    std::string t;
    for (char c : s)
      if (c != thousands) t += c;
    s = t;
  }
  if (std::count(s.begin(), s.end(), ',') > 1) return std::nullopt;
  for (char& c : s)
    if (c == ',') c = '.';
  if (std::count(s.begin(), s.end(), '.') > 1) return std::nullopt;
  const char* b = s.data();
  if (*b == '+') ++b;
  double v = 0;
  auto [ptr, ec] = std::from_chars(b, s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<std::int64_t> parseInteger(std::string_view text) {
  const std::string_view s = trimView(text);
  if (s.empty()) return std::nullopt;
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data() + (s.front() == '+' ? 1 : 0), s.data() + s.size(), v);
  if (ec == std::errc() && ptr == s.data() + s.size()) return v;
  const auto d = parseNumber(s);
  if (d && std::trunc(*d) == *d && std::abs(*d) < 9.0e15) return std::int64_t(*d);
  return std::nullopt;
}

std::optional<std::string> parseDate(std::string_view text) {
  int y = 0, m = 0, d = 0;
  std::string_view rest;
  if (int hh = 0, mm = 0, ss = 0; excelSerial(trimView(text), y, m, d, hh, mm, ss)) {
    if (hh || mm || ss) return std::nullopt;  // a moment, not a date
  } else if (!splitDate(trimView(text), y, m, d, rest)) {
    return std::nullopt;
  }
  if (!trimView(rest).empty()) {
    int hh = 0, mm = 0, ss = 0;
    if (!parseTime(rest, hh, mm, ss) || hh || mm || ss) return std::nullopt;
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return std::string(buf);
}

std::optional<std::string> parseDateTime(std::string_view text) {
  int y = 0, m = 0, d = 0, hh = 0, mm = 0, ss = 0;
  std::string_view rest;
  if (!excelSerial(trimView(text), y, m, d, hh, mm, ss)) {
    if (!splitDate(trimView(text), y, m, d, rest)) return std::nullopt;
    if (!trimView(rest).empty() && !parseTime(rest, hh, mm, ss)) return std::nullopt;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, hh, mm, ss);
  return std::string(buf);
}

std::optional<bool> parseBoolean(std::string_view text) {
  const std::string s = toLowerAscii(trimView(text));
  if (s == "ja" || s == "j" || s == "1" || s == "true" || s == "waar" || s == "yes" || s == "y")
    return true;
  if (s == "nee" || s == "n" || s == "0" || s == "false" || s == "onwaar" || s == "no")
    return false;
  return std::nullopt;
}

}  // namespace veldwacht::layers
