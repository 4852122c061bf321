// CLI flags made from the analysis descriptions (layers/analyses/description.h): one loop adds
// every option of every analysis a subcommand chooses among with --method; after parsing, the
// chosen analysis checks each given value against its documented range and stores it in the
// request. A bad value is refused (OptionError → exit 2), never replaced; a flag that does not
// apply to the chosen method is refused too.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <CLI/CLI.hpp>

#include "layers/analyses/description.h"

namespace veldwacht::cli {

/// The option values as typed, by CLI name, in the order they were given.
struct GivenOptions {
  std::map<std::string, std::string> text;
};

/// The --help line of an option: help, range, unit, choices.
inline std::string helpOf(const layers::describe::Option& o) {
  using layers::describe::OptionKind;
  std::string h = o.help.en.empty() ? o.label.en : o.help.en;
  if (o.kind == OptionKind::Integer || o.kind == OptionKind::Real) {
    h += " [" + o.range.str();
    if (!o.unit.empty()) h += " " + o.unit;
    h += "]";
  }
  if (o.kind == OptionKind::Choice) {
    std::string c;
    for (const auto& x : o.choices) c += (c.empty() ? "" : ", ") + x;
    h += " [" + c + "]";
  }
  return h;
}

/// Adds the options of `analyses` (deduplicated by CLI name; the first description's help and
/// default are shown) to `cmd`, in option groups by Option::group.
template <class Request>
void addDescribedOptions(CLI::App* cmd,
                         const std::vector<layers::describe::Analysis<Request>>& analyses,
                         std::shared_ptr<GivenOptions> given) {
  using layers::describe::OptionKind;
  std::set<std::string> seen;
  std::map<std::string, CLI::App*> groups;
  for (const auto& a : analyses) {
    for (const auto& o : a.options) {
      if (!seen.insert(o.cli).second) continue;
      CLI::App* g = cmd;
      if (!o.group.empty()) {
        auto& slot = groups[o.group];
        if (!slot) slot = cmd->add_option_group(o.group);
        g = slot;
      }
      std::string names = "--" + o.cli;
      if (!o.shortFlag.empty()) names = "-" + o.shortFlag + "," + names;
      for (const auto& al : o.aliases) names += ",--" + al;
      const std::string cli = o.cli;
      if (o.kind == OptionKind::Boolean) {
        g->add_flag_function(
            names, [given, cli](std::int64_t) { given->text[cli] = "true"; }, helpOf(o));
        g->add_flag_function(
            "--no-" + o.cli, [given, cli](std::int64_t) { given->text[cli] = "false"; },
            "Turn off --" + o.cli);
      } else {
        g->add_option_function<std::string>(
             names, [given, cli](const std::string& v) { given->text[cli] = v; }, helpOf(o))
            ->default_str(layers::describe::formatValue(o.defaultValue))
            ->type_name(o.kind == OptionKind::Integer ? "INT"
                        : o.kind == OptionKind::Real  ? "FLOAT"
                                                      : "TEXT");
      }
    }
  }
}

/// The analysis of `analyses` that `method` chooses; throws OptionError("--method").
template <class Request>
const layers::describe::Analysis<Request>& analysisForMethod(
    const std::vector<layers::describe::Analysis<Request>>& analyses, const std::string& method) {
  std::string known;
  for (const auto& a : analyses)
    for (const auto& m : a.methods) {
      if (m == method) return a;
      known += (known.empty() ? "" : ", ") + m;
    }
  throw geo::OptionError("--method", "unknown method '" + method + "' (" + known + ")");
}

/// Starts from the analysis' default request, selects `method` and stores every given value,
/// checked; `request` keeps its non-option fields (input, output …) from `base`.
template <class Request>
void applyGivenOptions(const layers::describe::Analysis<Request>& a, const std::string& method,
                       const GivenOptions& given, Request& request) {
  a.selectMethod(request, method);
  for (const auto& [cli, text] : given.text)
    if (!a.find(cli)) throw geo::OptionError("--" + cli, "does not apply to " + method);
  for (const auto& o : a.options) {
    const auto it = given.text.find(o.cli);
    if (it != given.text.end()) a.setText(request, o.cli, it->second);
  }
}

/// --method with the methods of `analyses` as its choices.
template <class Request>
CLI::Option* addMethodFlag(CLI::App* cmd,
                           const std::vector<layers::describe::Analysis<Request>>& analyses,
                           std::string& method) {
  std::string known;
  for (const auto& a : analyses)
    for (const auto& m : a.methods) known += (known.empty() ? "" : ", ") + m;
  return cmd->add_option("-m,--method", method, "One of " + known)->capture_default_str();
}

}  // namespace veldwacht::cli
