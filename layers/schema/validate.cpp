#include "layers/schema/validate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace veldwacht::layers {

std::string Problem::str() const {
  const std::string w = where.str();
  return w.empty() ? message : w + ": " + message;
}

namespace {

std::string summarise(const std::vector<Problem>& problems) {
  if (problems.empty()) return "invalid input";
  constexpr std::size_t kMaxLines = 50;
  // The first line is the first problem itself (InputError puts its location in front), so
  // that a one-line summary names a real problem at its real place; the full list follows.
  if (problems.size() == 1) return problems.front().message;
  std::string s =
      problems.front().message + "\n" + std::to_string(problems.size()) + " problems in the input:";
  for (std::size_t i = 0; i < problems.size() && i < kMaxLines; ++i)
    s += "\n  " + problems[i].str();
  if (problems.size() > kMaxLines)
    s += "\n  ... and " + std::to_string(problems.size() - kMaxLines) + " more";
  return s;
}

bool digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return false;
  for (std::size_t i = pos; i < pos + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

int number(std::string_view s, std::size_t pos, std::size_t n) {
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

bool validDate(std::string_view s) {
  if (s.size() < 10 || !digits(s, 0, 4) || s[4] != '-' || !digits(s, 5, 2) || s[7] != '-' ||
      !digits(s, 8, 2))
    return false;
  const int y = number(s, 0, 4), m = number(s, 5, 2), d = number(s, 8, 2);
  if (m < 1 || m > 12 || d < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + ((m == 2 && leap) ? 1 : 0);
}

std::size_t utf8Length(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

const char* kindName(GeometryKind k) {
  switch (k) {
    case GeometryKind::None:
      return "no geometry";
    case GeometryKind::Point:
      return "Point";
    case GeometryKind::LineString:
      return "LineString";
    case GeometryKind::MultiPolygon:
      return "MultiPolygon (or Polygon)";
  }
  return "?";
}

bool kindAccepts(GeometryKind k, OGRwkbGeometryType t) {
  switch (wkbFlatten(t)) {
    case wkbPoint:
      return k == GeometryKind::Point;
    case wkbLineString:
      return k == GeometryKind::LineString;
    case wkbPolygon:
    case wkbMultiPolygon:
      return k == GeometryKind::MultiPolygon;
    default:
      return false;
  }
}

std::string joined(const std::vector<std::string>& values) {
  std::string s;
  for (const auto& v : values) s += (s.empty() ? "" : ", ") + v;
  return s;
}

}  // namespace

ValidationError::ValidationError(std::vector<Problem> problems)
    : InputError(problems.empty() ? geo::Location{} : problems.front().where, summarise(problems)),
      problems_(std::move(problems)) {}

bool isIsoDate(std::string_view text) { return text.size() == 10 && validDate(text); }

bool isIsoDateTime(std::string_view s) {
  if (s.size() != 19 || !validDate(s) || s[10] != 'T' || !digits(s, 11, 2) || s[13] != ':' ||
      !digits(s, 14, 2) || s[16] != ':' || !digits(s, 17, 2))
    return false;
  return number(s, 11, 2) < 24 && number(s, 14, 2) < 60 && number(s, 17, 2) < 60;
}

std::vector<std::string> splitCommaList(std::string_view text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = text.substr(start, end - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) items.emplace_back(item);
    start = end + 1;
  }
  return items;
}

std::string describeValue(const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return "NULL";
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", *d);
    return buf;
  }
  return "'" + std::get<std::string>(v) + "'";
}

bool validateRecord(const LayerDef& layer, const Record& record, const std::string& sourceFile,
                    std::vector<Problem>& out) {
  const std::size_t before = out.size();
  auto problem = [&](const std::string& field, std::string message) {
    out.push_back({{sourceFile, record.sourceRow, field}, std::move(message)});
  };

  if (record.values.size() > layer.fields.size()) {
    problem("", "record has " + std::to_string(record.values.size()) + " values, layer '" +
                    layer.name + "' has " + std::to_string(layer.fields.size()) + " fields");
  }
  const std::size_t n = std::min(record.values.size(), layer.fields.size());
  for (std::size_t i = 0; i < layer.fields.size(); ++i) {
    const FieldDef& f = layer.fields[i];
    const Value& v = i < n ? record.values[i] : Value{};
    if (isNull(v)) {
      if (f.required && f.defaultValue.empty())
        problem(f.name, "a value is required (" + std::string(fieldTypeName(f.type)) + ")");
      continue;
    }
    const auto* text = std::get_if<std::string>(&v);
    const auto* integer = std::get_if<std::int64_t>(&v);
    const auto* real = std::get_if<double>(&v);
    switch (f.type) {
      case FieldType::Text:
        if (!text) {
          problem(f.name, "expected text, got " + describeValue(v));
          continue;
        }
        break;
      case FieldType::Integer:
        if (!integer) problem(f.name, "expected an integer, got " + describeValue(v));
        continue;
      case FieldType::Real:
        if (real && !std::isfinite(*real))
          problem(f.name, "expected a finite number, got " + describeValue(v));
        else if (!real && !integer)
          problem(f.name, "expected a number, got " + describeValue(v));
        continue;
      case FieldType::Boolean:
        if (!integer || (*integer != 0 && *integer != 1))
          problem(f.name, "expected a boolean 0 or 1, got " + describeValue(v));
        continue;
      case FieldType::Date:
        if (!text || !isIsoDate(*text))
          problem(f.name, "expected a date YYYY-MM-DD, got " + describeValue(v));
        continue;
      case FieldType::DateTime:
        if (!text || !isIsoDateTime(*text))
          problem(f.name, "expected a date and time YYYY-MM-DDTHH:MM:SS, got " + describeValue(v));
        continue;
    }
    // Text checks.
    if (f.width > 0 && utf8Length(*text) > static_cast<std::size_t>(f.width))
      problem(f.name, "at most " + std::to_string(f.width) + " characters allowed, got " +
                          std::to_string(utf8Length(*text)) + " in " + describeValue(v));
    if (!f.allowed.empty()) {
      const std::vector<std::string> items =
          f.commaList ? splitCommaList(*text) : std::vector<std::string>{*text};
      for (const auto& item : items) {
        if (std::find(f.allowed.begin(), f.allowed.end(), item) == f.allowed.end())
          problem(f.name, "'" + item + "' is not allowed; expected " +
                              (f.commaList ? "a comma list of: " : "one of: ") + joined(f.allowed));
      }
    }
  }

  // Observation window: the end may not lie before the start (ISO strings compare as times).
  const int from = layer.fieldIndex("waargenomen_van"), to = layer.fieldIndex("waargenomen_tot");
  if (from >= 0 && to >= 0 && static_cast<std::size_t>(std::max(from, to)) < n) {
    const auto* a = std::get_if<std::string>(&record.values[static_cast<std::size_t>(from)]);
    const auto* b = std::get_if<std::string>(&record.values[static_cast<std::size_t>(to)]);
    if (a && b && isIsoDateTime(*a) && isIsoDateTime(*b) && *b < *a)
      problem("waargenomen_tot",
              "end of the observation window " + *b + " lies before its start " + *a);
  }

  // Geometry.
  if (layer.geometry == GeometryKind::None) {
    if (record.geometry) problem("geometry", "layer '" + layer.name + "' has no geometry");
  } else if (!record.geometry) {
    problem("geometry", std::string("a geometry is required (") + kindName(layer.geometry) + ")");
  } else if (!kindAccepts(layer.geometry, record.geometry->getGeometryType())) {
    problem("geometry", std::string("expected ") + kindName(layer.geometry) + ", got " +
                            OGRGeometryTypeToName(record.geometry->getGeometryType()));
  } else if (record.geometry->IsEmpty()) {
    problem("geometry", "the geometry is empty");
  } else {
    OGREnvelope env;
    record.geometry->getEnvelope(&env);
    if (!std::isfinite(env.MinX) || !std::isfinite(env.MaxX) || !std::isfinite(env.MinY) ||
        !std::isfinite(env.MaxY)) {
      problem("geometry", "coordinates are not finite numbers");
    } else if (env.MinX < kRdMinX || env.MaxX > kRdMaxX || env.MinY < kRdMinY ||
               env.MaxY > kRdMaxY) {
      char buf[160];
      std::snprintf(buf, sizeof buf,
                    "coordinates (%.6g, %.6g) lie outside the Netherlands in EPSG:28992 (RD New); "
                    "was the source transformed?",
                    env.MinX, env.MinY);
      problem("geometry", buf);
    }
  }
  return out.size() == before;
}

}  // namespace veldwacht::layers
