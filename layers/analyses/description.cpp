#include "layers/analyses/description.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <set>
#include <stdexcept>

#include <fmt/core.h>

namespace veldwacht::layers::describe {

std::string_view kindName(OptionKind k) {
  switch (k) {
    case OptionKind::Integer:
      return "integer";
    case OptionKind::Real:
      return "number";
    case OptionKind::Boolean:
      return "yes/no";
    case OptionKind::Choice:
      return "choice";
    case OptionKind::Text:
      return "text";
  }
  return "?";
}

std::string formatValue(const OptionValue& v) {
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
  return std::get<std::string>(v);
}

bool Range::contains(double v) const {
  if (!std::isfinite(v)) return false;
  if (min && (minInclusive ? v < *min : v <= *min)) return false;
  if (max && (maxInclusive ? v > *max : v >= *max)) return false;
  return true;
}

std::string Range::str() const {
  const std::string lo = min ? fmt::format("{} {}", minInclusive ? ">=" : ">", *min) : "";
  const std::string hi = max ? fmt::format("{} {}", maxInclusive ? "<=" : "<", *max) : "";
  if (lo.empty() && hi.empty()) return "any finite number";
  if (hi.empty()) return lo;
  if (lo.empty()) return hi;
  return lo + " and " + hi;
}

std::vector<FieldDef> ResultTable::fieldDefs() const {
  std::vector<FieldDef> defs;
  for (const auto& f : fields) {
    FieldDef d;
    d.name = f.name;
    d.type = f.type;
    d.help = f.meaning.nl.empty() ? f.meaning.en : f.meaning.nl;
    defs.push_back(std::move(d));
  }
  return defs;
}

const ResultField& ResultTable::field(std::string_view name) const {
  for (const auto& f : fields)
    if (f.name == name) return f;
  throw std::out_of_range("no result field " + std::string(name));
}

const Option* AnalysisInfo::find(std::string_view name) const {
  for (const auto& o : options) {
    if (o.cli == name || o.processing == name) return &o;
    for (const auto& a : o.aliases)
      if (a == name) return &o;
  }
  return nullptr;
}

const ResultTable& AnalysisInfo::result(std::string_view processing) const {
  for (const auto& r : results)
    if (r.processing == processing) return r;
  throw std::out_of_range("no result " + std::string(processing) + " in " + id);
}

namespace {

[[noreturn]] void refuse(const Option& o, const std::string& what, const std::string& got) {
  throw geo::OptionError("--" + o.cli, what + (got.empty() ? "" : "; got " + got));
}

std::string expected(const Option& o) {
  std::string s = "must be " + o.range.str();
  if (!o.unit.empty()) s += " " + o.unit;
  return s;
}

}  // namespace

OptionValue checkValue(const Option& o, const OptionValue& value) {
  switch (o.kind) {
    case OptionKind::Integer: {
      const auto* i = std::get_if<std::int64_t>(&value);
      if (!i) refuse(o, "must be a whole number", formatValue(value));
      if (!o.range.contains(double(*i))) refuse(o, expected(o), formatValue(value));
      return *i;
    }
    case OptionKind::Real: {
      double d = 0;
      if (const auto* i = std::get_if<std::int64_t>(&value))
        d = double(*i);
      else if (const auto* r = std::get_if<double>(&value))
        d = *r;
      else
        refuse(o, "must be a number", formatValue(value));
      if (!std::isfinite(d)) refuse(o, "must be a finite number", formatValue(value));
      if (!o.range.contains(d)) refuse(o, expected(o), formatValue(value));
      return d;
    }
    case OptionKind::Boolean:
      if (!std::holds_alternative<bool>(value)) refuse(o, "must be yes or no", formatValue(value));
      return value;
    case OptionKind::Choice: {
      const auto* s = std::get_if<std::string>(&value);
      std::string all;
      for (const auto& c : o.choices) all += (all.empty() ? "" : ", ") + c;
      if (!s) refuse(o, "must be one of " + all, formatValue(value));
      for (const auto& c : o.choices)
        if (c == *s) return value;
      refuse(o, "must be one of " + all, "'" + *s + "'");
    }
    case OptionKind::Text:
      if (!std::holds_alternative<std::string>(value))
        refuse(o, "must be text", formatValue(value));
      return value;
  }
  return value;
}

OptionValue parseValue(const Option& o, std::string_view text) {
  const std::string t(text);
  switch (o.kind) {
    case OptionKind::Integer: {
      std::int64_t v = 0;
      const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
      if (ec == std::errc::result_out_of_range) refuse(o, expected(o), "'" + t + "'");
      if (ec != std::errc() || end != t.data() + t.size() || t.empty())
        refuse(o, "must be a whole number", "'" + t + "'");
      return v;
    }
    case OptionKind::Real: {
      char* end = nullptr;
      const double v = t.empty() ? 0.0 : std::strtod(t.c_str(), &end);
      if (t.empty() || end != t.c_str() + t.size()) refuse(o, "must be a number", "'" + t + "'");
      if (!std::isfinite(v)) refuse(o, "must be a finite number", "'" + t + "'");
      return v;
    }
    case OptionKind::Boolean:
      if (t == "true" || t == "yes" || t == "1" || t == "on") return true;
      if (t == "false" || t == "no" || t == "0" || t == "off") return false;
      refuse(o, "must be true or false", "'" + t + "'");
    case OptionKind::Choice:
    case OptionKind::Text:
      return t;
  }
  return t;
}

OptionRef& OptionRef::label(std::string en, std::string nl) {
  o_->label = {std::move(en), std::move(nl)};
  return *this;
}
OptionRef& OptionRef::help(std::string en, std::string nl) {
  o_->help = {std::move(en), std::move(nl)};
  return *this;
}
OptionRef& OptionRef::unit(std::string u) {
  o_->unit = std::move(u);
  return *this;
}
OptionRef& OptionRef::greaterThan(double v) {
  o_->range.min = v;
  o_->range.minInclusive = false;
  return *this;
}
OptionRef& OptionRef::atLeast(double v) {
  o_->range.min = v;
  o_->range.minInclusive = true;
  return *this;
}
OptionRef& OptionRef::lessThan(double v) {
  o_->range.max = v;
  o_->range.maxInclusive = false;
  return *this;
}
OptionRef& OptionRef::atMost(double v) {
  o_->range.max = v;
  o_->range.maxInclusive = true;
  return *this;
}
OptionRef& OptionRef::advanced() {
  o_->advanced = true;
  return *this;
}
OptionRef& OptionRef::shortFlag(std::string s) {
  o_->shortFlag = std::move(s);
  return *this;
}
OptionRef& OptionRef::alias(std::string a) {
  o_->aliases.push_back(std::move(a));
  return *this;
}
OptionRef& OptionRef::group(std::string g) {
  o_->group = std::move(g);
  return *this;
}

void checkDescription(const AnalysisInfo& a) {
  std::set<std::string> names;
  auto unique = [&](const std::string& n) {
    if (n.empty()) return;
    if (!names.insert(n).second)
      throw std::logic_error("description " + a.id + ": name '" + n + "' used twice");
  };
  for (const auto& o : a.options) {
    if (o.cli.empty() || o.processing.empty() || o.label.en.empty() || o.label.nl.empty())
      throw std::logic_error("description " + a.id + ": option without names or label");
    unique(o.cli);
    unique(o.processing);
    for (const auto& al : o.aliases) unique(al);
    if (o.kind == OptionKind::Integer || o.kind == OptionKind::Real) {
      const double d = std::holds_alternative<double>(o.defaultValue)
                           ? std::get<double>(o.defaultValue)
                           : double(std::get<std::int64_t>(o.defaultValue));
      if (!o.range.contains(d))
        throw std::logic_error("description " + a.id + ": default of " + o.cli + " (" +
                               formatValue(o.defaultValue) + ") outside " + o.range.str());
    }
    if (o.kind == OptionKind::Choice) {
      bool found = false;
      for (const auto& c : o.choices) found = found || c == std::get<std::string>(o.defaultValue);
      if (!found) throw std::logic_error("description " + a.id + ": default of " + o.cli);
    }
  }
  if (a.id.empty() || a.title.en.empty() || a.title.nl.empty() || a.help.en.empty() ||
      a.help.nl.empty() || a.methods.empty())
    throw std::logic_error("description " + a.id + ": id, title, help or methods missing");
}

}  // namespace veldwacht::layers::describe
