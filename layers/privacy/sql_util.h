// Small helpers of layers/privacy: SQL literals and local time.
#pragma once

#include <ctime>
#include <string>

namespace veldwacht::layers {

/// 'text' with embedded quotes doubled, for SQLite literals.
inline std::string sqlQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

/// Local time as YYYY-MM-DDTHH:MM:SS (or another strftime `format`).
inline std::string localTimeIso(const char* format = "%Y-%m-%dT%H:%M:%S") {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

}  // namespace veldwacht::layers
