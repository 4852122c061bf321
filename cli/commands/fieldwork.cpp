// Back from the field (issue 10 item 5):
// veldwacht schouw STORE FILE.csv... — import schouw results (a form's or phone app's CSV) in
//   one transaction; findings with a categorie become signals with the partner as source.
// veldwacht plan-vs-done STORE --plan NAME [--van D] [--tot D] — which planned visits were made,
//   per partner and per site, as result tables and a printed report (and a CSV).
#include <fmt/core.h>

#include <filesystem>
#include <fstream>

#include "cli/analysis_flags.h"
#include "cli/commands.h"
#include "layers/fieldwork/plan_vs_done.h"
#include "layers/fieldwork/schouw_import.h"
#include "layers/results/results.h"

namespace veldwacht::cli {

void addSchouwCommand(CLI::App& app, Session& session) {
  auto* cmd = app.add_subcommand(
      "schouw",
      "Import schouw results (CSV from a form or phone app: site, partner, tijdstip or datum +\n"
      "tijd, bevinding, optional categorie, signaal, foto; Dutch or English column names) in\n"
      "one transaction. Findings with a categorie become signals with the partner as source.\n"
      "Every bad row is named; nothing is written then. Template: "
      "sample-data/fixtures/schouw_voorbeeld.csv");
  struct Args {
    std::string store;
    std::vector<std::string> files;
    layers::SchouwImportOptions options;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("store", args->store, "The store")->required();
  cmd->add_option("files", args->files, "Schouw CSV files")->required()->check(CLI::ExistingFile);
  cmd->add_option_function<char>(
      "--delimiter", [args](const char& c) { args->options.csvDelimiter = c; },
      "CSV separator; default: sniffed (';' or ',')");
  cmd->add_option("--speling-min", args->options.futureSlackMinutes,
                  "Times up to this many minutes in the future are accepted (phone clocks)")
      ->capture_default_str();
  cmd->add_flag("--synthetic", args->options.synthetic, "Mark the rows as synthetic test data");
  cmd->callback([args, &session] {
    args->options.validate();
    auto store = openStoreForResults(args->store);
    session.progress.begin("schouw");
    const auto report = layers::importSchouw(*store, args->files, args->options, session.progress);
    session.progress.finish();
    if (!session.quiet) fmt::print("{}\n", report.str());
  });
}

void addPlanVsDoneCommand(CLI::App& app, Session& session) {
  auto* cmd = app.add_subcommand(
      "plan-vs-done",
      "Plan versus done: for a plan (<naam>_bezoeken) and a period, the planned visits that\n"
      "schouw results show as done (same partner and site, within the shift or planned day\n"
      "widened by a tolerance), the missed ones and the unplanned visits, per partner and per\n"
      "site. Writes <naam>_gedaan_bezoeken/_partners/_plekken and prints the report");
  struct Args {
    std::string store;
    std::string csv;
    bool noWrite = false;
    layers::PlanVsDoneOptions options;
  };
  auto args = std::make_shared<Args>();
  auto& o = args->options;
  cmd->add_option("store", args->store, "The store")->required();
  cmd->add_option("--plan", o.plan, "The plan's name (as given to `veldwacht plan`)")->required();
  cmd->add_option("--van", o.from, "First day of the period (YYYY-MM-DD); default the plan's");
  cmd->add_option("--tot", o.to, "Last day of the period, inclusive; default the plan's");
  cmd->add_option("--tolerantie-uren", o.toleranceHours,
                  "Hours a schouw may fall before or after the shift (or planned day)")
      ->capture_default_str();
  cmd->add_option("-o,--output", o.output, "Prefix of the result tables; default <plan>_gedaan");
  cmd->add_option("--csv", args->csv, "Also write the counts as CSV (Dutch Excel) to this file");
  cmd->add_flag("--niet-opslaan", args->noWrite, "Print only; write no result tables");
  cmd->callback([args, &session] {
    args->options.validate();
    auto store = openStoreForResults(args->store);
    session.progress.begin("plan-vs-done");
    const layers::PlanVsDone r =
        layers::comparePlanWithDone(*store, args->options, session.progress);
    if (!args->noWrite)
      layers::writeResultSet(*store, layers::planVsDoneLayers(r, args->options), session.progress);
    session.progress.finish();
    if (!args->csv.empty()) {
      std::ofstream out(args->csv, std::ios::binary);
      out << layers::planVsDoneCsv(r);
      if (!out) throw geo::Error("could not write '" + args->csv + "'");
    }
    if (session.quiet) return;
    fmt::print("{}", layers::formatPlanVsDone(r));
    if (!args->noWrite)
      for (const char* t : {"_bezoeken", "_partners", "_plekken"})
        fmt::print("  wrote layer  {}{}\n", args->options.outputName(), t);
    if (!args->csv.empty()) fmt::print("  wrote file   {}\n", args->csv);
  });
}

}  // namespace veldwacht::cli
