// veldwacht sync LAPTOP.gpkg "postgresql://…" — a GeoPackage from the field and the shared
// PostGIS store brought together: new, changed and deleted signals up; new, changed and deleted
// register rows and results down; a row changed on both sides since the last sync is a conflict,
// listed row by row and left as it is, or resolved by --take laptop|server (layers/pgstore/sync.h).
#include <fmt/core.h>

#include <map>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "layers/pgstore/backend.h"
#include "layers/pgstore/sync.h"

namespace veldwacht::cli {

void addSyncCommand(CLI::App& app, Session& session) {
  auto* cmd = app.add_subcommand(
      "sync",
      "Bring a laptop's GeoPackage and the shared PostGIS store together: new, changed and\n"
      "deleted signals up; new, changed and deleted register rows and new results down; a row\n"
      "changed on both sides since the last sync is listed as a conflict and left alone\n"
      "(or resolved with --take)");
  struct Args {
    std::string laptop, server;
    std::vector<std::string> take;
    layers::pgstore::SyncOptions options;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("laptop", args->laptop, "The laptop's store (GeoPackage)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("server", args->server, "The shared store: a PostgreSQL URL")->required();
  cmd->add_flag("-n,--dry-run", args->options.dryRun, "Only compare and report; write nothing");
  cmd->add_option("--take", args->take,
                  "Resolve conflicts by taking one side's version: laptop or server, for every\n"
                  "layer, or SIDE:LAYER for one layer, or SIDE:LAYER:KEY for one row (repeatable;\n"
                  "the most specific wins), e.g. --take server --take laptop:signalen:SIG-7");
  cmd->callback([args, &session] {
    for (const auto& t : args->take)
      args->options.take.push_back(layers::pgstore::TakeRule::parse(t));
    args->options.validate();
    if (layers::isDatabaseStore(args->laptop))
      throw geo::OptionError("laptop", "the laptop's store is a GeoPackage file, not a database");
    auto laptop = layers::openStore(args->laptop, /*update=*/!args->options.dryRun);
    auto server = layers::openStore(args->server, /*update=*/!args->options.dryRun);
    session.progress.begin("sync");
    const auto report =
        layers::pgstore::syncStores(*laptop, *server, args->options, session.progress);
    session.progress.finish();
    const char* verb = args->options.dryRun ? "would go" : "went";
    if (!session.quiet) {
      std::int64_t up = 0, down = 0;
      auto lines = [](const char* dir, const char* what,
                      const std::map<std::string, std::int64_t>& counts, std::int64_t& sum) {
        for (const auto& [layer, n] : counts) {
          fmt::print("  {:<5} {:<24} {:>7} rows {}\n", dir, layer, n, what);
          sum += n;
        }
      };
      lines("up", "new", report.up, up);
      lines("up", "changed", report.changedUp, up);
      lines("up", "deleted", report.deletedUp, up);
      lines("down", "new", report.down, down);
      lines("down", "changed", report.changedDown, down);
      lines("down", "deleted", report.deletedDown, down);
      for (const auto& r : report.resultsDown) fmt::print("  down  result {}\n", r);
      fmt::print("{} rows {} up, {} rows and {} results {} down, {} conflicts\n", up, verb, down,
                 report.resultsDown.size(), verb, report.conflicts.size());
      for (const auto& n : report.notes) fmt::print("  note: {}\n", n);
      for (const auto& c : report.taken) fmt::print("  taken: {}\n", c.describe());
      if (!report.unreadable.empty()) {
        std::string names;
        for (const auto& l : report.unreadable) names += (names.empty() ? "" : ", ") + l;
        fmt::print(
            "  not readable by this login on the server (left as they are on the laptop): "
            "{}\n",
            names);
      }
    }
    for (const auto& c : report.conflicts) fmt::print(stderr, "  conflict: {}\n", c.describe());
    if (!report.conflicts.empty())
      throw geo::InputError({args->laptop, std::nullopt, ""},
                            std::to_string(report.conflicts.size()) +
                                " rows differ between the stores under the same key (listed "
                                "above) and were left as they are on both sides; everything "
                                "else was synced");
  });
}

}  // namespace veldwacht::cli
