// One description per analysis: its inputs, its options BOUND to the fields of its request (and
// through it the core's Options structs), and its result tables. Every host is made from it:
// the CLI flags and --help (cli/description_flags.h), docs/options.md (tests/layers/analyses/
// options_doc_test.cpp fails when the checked-in file is stale) and the plugin's Processing
// parameters and dock form. Qt-free.
//
// How a host uses it (the plugin, e.g. veldwacht:dbscan):
//
//   using namespace veldwacht::layers;
//   const auto& a = describe::clusteringAnalysis("dbscan");   // or describe::all()
//   (layers/catalog) for a list for (const describe::Option& o : a.options) { ... o.processing,
//   o.kind, o.label.nl,
//       o.defaultValue, o.range.min/max (+ inclusive), o.choices, o.unit, o.advanced ... }
//   ClusteringRequest req = a.defaults();                     // method etc. already chosen
//   a.set(req, "EPS", 250.0);          // by processing or CLI name; range-checked, throws
//   a.set(req, "min-pts", std::int64_t{10});                  // OptionError naming the option
//   req.validate();                    // the core's own checks on top
//   PointInput in = ... points the host read itself (layers::PointInput) ...
//   AnalysisResult r = buildClustering(in, req, progress);   // compute + result tables
//   ... write r.layers wherever the host likes (the store: writeResultLayers) ...
//
// The result tables in `a.results` are the ones the builder fills (same names, types, order),
// so a host can create its sinks before the run.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "geo/core/error.h"
#include "layers/schema/schema.h"

namespace veldwacht::layers::describe {

/// A user-facing text in English and Dutch (the Dutch as in plugin/i18n/veldwacht_nl.ts).
struct Text {
  std::string en;
  std::string nl;
};

enum class OptionKind { Integer, Real, Boolean, Choice, Text };
std::string_view kindName(OptionKind k);  ///< integer, number, yes/no, choice, text

/// An option's value as hosts pass it: Integer → int64, Real → double (an int64 is accepted),
/// Boolean → bool, Choice and Text → string (a choice's name, e.g. "leaf").
using OptionValue = std::variant<bool, std::int64_t, double, std::string>;
std::string formatValue(const OptionValue& v);

/// The documented range of a numeric option. Both ends optional; each inclusive or exclusive.
struct Range {
  std::optional<double> min;
  std::optional<double> max;
  bool minInclusive = true;
  bool maxInclusive = true;

  bool contains(double v) const;  ///< false for NaN and ±inf
  /// "> 0", ">= 1 and <= 256", "any number" — for messages, --help and docs.
  std::string str() const;
};

/// One option of one analysis.
struct Option {
  std::string cli;                   ///< long CLI flag without dashes: "eps" → --eps
  std::string shortFlag;             ///< one letter (-k) or empty
  std::vector<std::string> aliases;  ///< older long flag names that still work
  std::string processing;            ///< Processing parameter name: "EPS"
  OptionKind kind = OptionKind::Real;
  Text label;                        ///< short: "Radius (eps)"
  Text help;                         ///< one or two sentences
  std::string unit;                  ///< "m", "s", "days", "" …
  Range range;                       ///< Integer and Real only
  std::vector<std::string> choices;  ///< Choice only: the names, as the CLI and metadata write them
  bool advanced = false;
  std::string group;         ///< heading in --help and the dock form, e.g. "DBSCAN"
  OptionValue defaultValue;  ///< read from the analysis' default request
};

/// What an analysis reads.
enum class InputKind { Points, Polygons, PointsOrPolygons };
struct Input {
  std::string cli;         ///< "layer", "mask-layer", "denominator-layer", "polygon-layer"
  std::string processing;  ///< "INPUT", "MASK", "DENOMINATOR", "POLYGONS"
  InputKind kind = InputKind::Points;
  bool optional = false;
  bool filter = true;        ///< takes a filter (--where / --mask-where …)
  bool weightField = false;  ///< takes a numeric weight field
  /// The builder uses the points' natural keys (layers::PointInput::keys, e.g. clustering's
  /// bron_id). When false a host may leave them empty: building a string per point that nothing
  /// reads costs about 32 bytes a point (issue 8, memory inside QGIS).
  bool keys = true;
  std::string defaultLayer;  ///< store layer used when none is named, e.g. "signalen"
  Text label;
  Text help;
};

/// One field of a result table.
struct ResultField {
  std::string name;
  FieldType type = FieldType::Text;
  Text meaning;
};

/// A result table (or raster) the analysis writes.
struct ResultTable {
  std::string suffix;      ///< appended to the output name: "_punten", "" (the output itself)
  std::string processing;  ///< Processing output name: "OUTPUT", "HULLS" …
  GeometryKind geometry = GeometryKind::None;
  bool raster = false;  ///< a GeoTIFF (no fields)
  std::string style;    ///< styles/results/<style>.qml
  Text meaning;
  std::vector<ResultField> fields;

  /// The FieldDefs a ResultLayer of this table carries (name, type, Dutch meaning).
  std::vector<FieldDef> fieldDefs() const;
  const ResultField& field(std::string_view name) const;  ///< throws std::out_of_range
};

/// The Qt-free, type-free part of a description: enough for docs, --help and the plugin's forms.
struct AnalysisInfo {
  std::string id;       ///< Processing name without the provider: "dbscan" (veldwacht:dbscan)
  std::string command;  ///< CLI subcommand choosing it: "cluster"
  /// --method values of that command that choose it; the first is the canonical one.
  std::vector<std::string> methods;
  std::string group;  ///< Processing group id: "clustering"
  Text groupName;
  Text title;
  Text help;
  std::vector<Input> inputs;
  std::vector<Option> options;
  std::vector<ResultTable> results;

  /// The option by CLI name, alias or Processing name; nullptr when it has none of that name.
  const Option* find(std::string_view name) const;
  const ResultTable& result(std::string_view processing) const;  ///< throws std::out_of_range
};

/// Checks a value against an option (kind, NaN/inf, range, choices) and normalises it (an
/// int64 for a Real becomes a double). Throws OptionError("--<cli>", "... got <value>").
OptionValue checkValue(const Option& option, const OptionValue& value);
/// Parses command-line text by the option's kind; throws OptionError for text that is not a
/// whole number, a finite number, yes/no/true/false/1/0 or one of the choices.
OptionValue parseValue(const Option& option, std::string_view text);

/// Reading and writing one option of a request.
template <class Request>
struct Binding {
  std::function<OptionValue(const Request&)> get;
  std::function<void(Request&, const OptionValue&)> set;
};

/// A description with its bindings: `bindings[i]` belongs to `options[i]`.
template <class Request>
struct Analysis : AnalysisInfo {
  std::vector<Binding<Request>> bindings;
  /// The request this analysis starts from (method chosen, core defaults).
  std::function<Request()> makeDefaults;
  /// Chooses one of `methods` on the request (e.g. "dbscan*" sets borderPointsAreNoise).
  std::function<void(Request&, std::string_view method)> selectMethod;

  Request defaults() const { return makeDefaults(); }

  /// Checks `value` (kind, choices, range) and stores it in `request`. Throws OptionError
  /// naming the option's CLI flag for a bad value or an unknown option.
  void set(Request& request, std::string_view name, const OptionValue& value) const {
    const std::size_t i = indexOf(name);
    bindings[i].set(request, checkValue(options[i], value));
  }
  OptionValue get(const Request& request, std::string_view name) const {
    return bindings[indexOf(name)].get(request);
  }
  /// Parses a value as typed on the command line ("250", "1e3", "leaf", "true") and sets it.
  void setText(Request& request, std::string_view name, std::string_view text) const {
    const std::size_t i = indexOf(name);
    bindings[i].set(request, checkValue(options[i], parseValue(options[i], text)));
  }

 private:
  std::size_t indexOf(std::string_view name) const {
    const Option* o = find(name);
    if (!o) throw geo::OptionError(std::string(name), "not an option of " + id);
    return std::size_t(o - options.data());
  }
};

// ---- building descriptions (used by the description_*.cpp files) ------------------------

/// Binds a field of the request, or a field of a struct inside it (request.dbscan.eps).
/// Field types: bool, integral types, double, std::string.
template <class Request, class T>
Binding<Request> field(T Request::*member);
template <class Request, class S, class T>
Binding<Request> field(S Request::*outer, T S::*member);
/// Binds an enum field to the names of `choices`.
template <class Request, class S, class E>
Binding<Request> choiceField(S Request::*outer, E S::*member,
                             std::vector<std::pair<std::string, E>> choices);
template <class Request, class E>
Binding<Request> choiceField(E Request::*member, std::vector<std::pair<std::string, E>> choices);

/// Fluent setters on an Option while an analysis is being described.
class OptionRef {
 public:
  explicit OptionRef(Option& o) : o_(&o) {}
  OptionRef& label(std::string en, std::string nl);
  OptionRef& help(std::string en, std::string nl);
  OptionRef& unit(std::string u);
  OptionRef& greaterThan(double v);
  OptionRef& atLeast(double v);
  OptionRef& lessThan(double v);
  OptionRef& atMost(double v);
  OptionRef& advanced();
  OptionRef& shortFlag(std::string s);
  OptionRef& alias(std::string a);
  OptionRef& group(std::string g);

 private:
  Option* o_;
};

/// Adds an option to `a`: cli and processing names, kind, binding. Choices for Choice options.
template <class Request>
OptionRef addOption(Analysis<Request>& a, std::string cli, std::string processing, OptionKind kind,
                    Binding<Request> binding, std::vector<std::string> choices = {}) {
  Option o;
  o.cli = std::move(cli);
  o.processing = std::move(processing);
  o.kind = kind;
  o.choices = std::move(choices);
  a.options.push_back(std::move(o));
  a.bindings.push_back(std::move(binding));
  return OptionRef(a.options.back());
}

/// Reads every option's default from `a.defaults()` and checks it lies in its range and that
/// names are unique; throws std::logic_error (a bug in a description) otherwise.
template <class Request>
void finish(Analysis<Request>& a);

// The registry of every analysis (all(), info(), forCommand(), optionsMarkdown()) is in
// layers/catalog/catalog.h: it lists the families of every layers component.

}  // namespace veldwacht::layers::describe

// ---- template definitions -----------------------------------------------------------------
namespace veldwacht::layers::describe {

namespace detail {
template <class T>
OptionValue toValue(const T& v) {
  if constexpr (std::is_same_v<T, bool>)
    return v;
  else if constexpr (std::is_integral_v<T>)
    return static_cast<std::int64_t>(v);
  else if constexpr (std::is_floating_point_v<T>)
    return static_cast<double>(v);
  else
    return std::string(v);
}
template <class T>
T fromValue(const OptionValue& v) {
  if constexpr (std::is_same_v<T, bool>)
    return std::get<bool>(v);
  else if constexpr (std::is_integral_v<T>)
    return static_cast<T>(std::get<std::int64_t>(v));
  else if constexpr (std::is_floating_point_v<T>)
    return static_cast<T>(std::get<double>(v));
  else
    return std::get<std::string>(v);
}
template <class E>
std::string nameOf(E e, const std::vector<std::pair<std::string, E>>& choices) {
  for (const auto& [n, v] : choices)
    if (v == e) return n;
  return "?";
}
template <class E>
E valueOf(const std::string& name, const std::vector<std::pair<std::string, E>>& choices) {
  for (const auto& [n, v] : choices)
    if (n == name) return v;
  throw geo::OptionError(name, "unknown choice");
}
}  // namespace detail

template <class Request, class T>
Binding<Request> field(T Request::*member) {
  return {[member](const Request& r) { return detail::toValue(r.*member); },
          [member](Request& r, const OptionValue& v) { r.*member = detail::fromValue<T>(v); }};
}

template <class Request, class S, class T>
Binding<Request> field(S Request::*outer, T S::*member) {
  return {[outer, member](const Request& r) { return detail::toValue((r.*outer).*member); },
          [outer, member](Request& r, const OptionValue& v) {
            (r.*outer).*member = detail::fromValue<T>(v);
          }};
}

template <class Request, class S, class E>
Binding<Request> choiceField(S Request::*outer, E S::*member,
                             std::vector<std::pair<std::string, E>> choices) {
  return {
      [=](const Request& r) { return OptionValue(detail::nameOf((r.*outer).*member, choices)); },
      [=](Request& r, const OptionValue& v) {
        (r.*outer).*member = detail::valueOf(std::get<std::string>(v), choices);
      }};
}

template <class Request, class E>
Binding<Request> choiceField(E Request::*member, std::vector<std::pair<std::string, E>> choices) {
  return {[=](const Request& r) { return OptionValue(detail::nameOf(r.*member, choices)); },
          [=](Request& r, const OptionValue& v) {
            r.*member = detail::valueOf(std::get<std::string>(v), choices);
          }};
}

void checkDescription(const AnalysisInfo& a);  ///< names unique, defaults in range

template <class Request>
void finish(Analysis<Request>& a) {
  const Request r = a.defaults();
  for (std::size_t i = 0; i < a.options.size(); ++i)
    a.options[i].defaultValue = a.bindings[i].get(r);
  checkDescription(a);
}

}  // namespace veldwacht::layers::describe
