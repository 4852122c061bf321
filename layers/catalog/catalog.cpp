// The registry of analysis descriptions: one line per family, from every layers component.
// docs/options.md is made here.
#include <fmt/core.h>

#include "layers/analyses/aggregation.h"
#include "layers/analyses/clustering.h"
#include "layers/analyses/density.h"
#include "layers/analyses/description.h"
#include "layers/analyses/emerging.h"
#include "layers/analyses/hotspots.h"
#include "layers/catalog/catalog.h"
#include "layers/fieldwork/describe_fieldwork.h"
#include "layers/network/network_analyses.h"
#include "layers/planning/areas_runner.h"
#include "layers/planning/plan_runner.h"
#include "layers/risk/risk_request.h"

namespace veldwacht::layers::describe {

namespace {

template <class Request>
void addFamily(std::vector<const AnalysisInfo*>& list, const std::vector<Analysis<Request>>& f) {
  for (const auto& a : f) list.push_back(&a);
}

std::vector<const AnalysisInfo*> makeRegistry() {
  std::vector<const AnalysisInfo*> list;
  addFamily(list, clusteringAnalyses());
  addFamily(list, aggregationAnalyses());
  addFamily(list, densityAnalyses());
  addFamily(list, hotspotAnalyses());
  addFamily(list, emergingAnalyses());
  addFamily(list, riskAnalyses());
  addFamily(list, addressListAnalyses());
  addFamily(list, planningAnalyses());
  addFamily(list, areasAnalyses());
  addFamily(list, routeAnalyses());
  addFamily(list, matrixAnalyses());
  addFamily(list, reachAnalyses());
  addFamily(list, planVsDoneAnalyses());
  addFamily(list, schouwImportAnalyses());
  return list;
}

std::string typeWord(FieldType t) {
  switch (t) {
    case FieldType::Text:
      return "text";
    case FieldType::Integer:
      return "integer";
    case FieldType::Real:
      return "real";
    case FieldType::Boolean:
      return "boolean";
    case FieldType::Date:
      return "date";
    case FieldType::DateTime:
      return "datetime";
  }
  return "?";
}

std::string geometryName(const ResultTable& t) {
  if (t.raster) return "raster (GeoTIFF)";
  switch (t.geometry) {
    case GeometryKind::None:
      return "table";
    case GeometryKind::Point:
      return "points";
    case GeometryKind::LineString:
      return "lines";
    case GeometryKind::MultiPolygon:
      return "polygons";
  }
  return "?";
}

/// Markdown table cells must not hold a bare `|`.
std::string cell(std::string s) {
  std::string out;
  for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

}  // namespace

const std::vector<const AnalysisInfo*>& all() {
  static const std::vector<const AnalysisInfo*> list = makeRegistry();
  return list;
}

const AnalysisInfo& info(std::string_view id) {
  for (const auto* a : all())
    if (a->id == id) return *a;
  throw geo::OptionError("method", "no analysis '" + std::string(id) + "'");
}

std::vector<const AnalysisInfo*> forCommand(std::string_view command) {
  std::vector<const AnalysisInfo*> list;
  for (const auto* a : all())
    if (a->command == command) list.push_back(a);
  return list;
}

std::string optionsMarkdown() {
  std::string md =
      "# Options of every analysis\n\n"
      "Generated from the analysis descriptions (`layers/analyses/describe_*.cpp`): the test\n"
      "`test_analyses_description` fails when this file is stale and rewrites it when run with\n"
      "`VELDWACHT_UPDATE_DOCS=1`. The CLI flags, `--help`, the Processing parameters and the dock "
      "form\n"
      "are made from the same descriptions. A value outside its range is refused (exit 2),\n"
      "never replaced.\n";
  for (const auto* a : all()) {
    md += fmt::format("\n## {} — `veldwacht:{}`\n\n", a->title.en, a->id);
    std::string methods;
    for (const auto& m : a->methods) methods += (methods.empty() ? "" : ", ") + ("`" + m + "`");
    md += fmt::format("CLI: `veldwacht {} --method {}`. Dutch: {}.\n\n", a->command,
                      a->methods.front(), a->title.nl);
    if (a->methods.size() > 1) md += "Methods: " + methods + ".\n\n";
    md += a->help.en + "\n\n";
    md += "| input | Processing | kind | |\n|---|---|---|---|\n";
    for (const auto& in : a->inputs) {
      const char* kind = in.kind == InputKind::Points     ? "points"
                         : in.kind == InputKind::Polygons ? "polygons"
                                                          : "points or polygons";
      md += fmt::format("| `--{}` | `{}` | {}{}{} | {} |\n", in.cli, in.processing, kind,
                        in.optional ? ", optional" : "", in.weightField ? ", weight field" : "",
                        cell(in.label.en));
    }
    md +=
        "\n| option | Processing | kind | default | range | unit | meaning |\n"
        "|---|---|---|---|---|---|---|\n";
    for (const auto& o : a->options) {
      std::string range;
      if (o.kind == OptionKind::Integer || o.kind == OptionKind::Real) range = o.range.str();
      if (o.kind == OptionKind::Choice)
        for (const auto& c : o.choices) range += (range.empty() ? "" : ", ") + c;
      std::string flags = "`--" + o.cli + "`";
      if (!o.shortFlag.empty()) flags = "`-" + o.shortFlag + "`, " + flags;
      for (const auto& al : o.aliases) flags += ", `--" + al + "`";
      md += fmt::format("| {} | `{}` | {}{} | {} | {} | {} | {} |\n", flags, o.processing,
                        kindName(o.kind), o.advanced ? " (advanced)" : "",
                        cell(formatValue(o.defaultValue)), cell(range), o.unit,
                        cell(o.help.en.empty() ? o.label.en : o.help.en));
    }
    for (const auto& t : a->results) {
      md += fmt::format("\nResult `{}` (`<output>{}`, {}{}): {}\n", t.processing, t.suffix,
                        geometryName(t), t.style.empty() ? "" : ", style " + t.style, t.meaning.en);
      if (t.fields.empty()) continue;
      md += "\n| field | type | meaning |\n|---|---|---|\n";
      for (const auto& f : t.fields)
        md += fmt::format("| `{}` | {} | {} |\n", f.name, typeWord(f.type), cell(f.meaning.en));
    }
  }
  return md;
}

}  // namespace veldwacht::layers::describe
