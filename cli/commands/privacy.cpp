// veldwacht publiceer STORE -o PUBLIC.gpkg — build the public layers (counts per buurt, wijk and
// gemeente with small counts suppressed; donut-masked points) and write them, with any other
// public layers named, to a public GeoPackage; confidential layers are refused. Every attempt
// is recorded in the store's audit table.
// veldwacht audit STORE — the audit log, the layers' classification, and signals past their
// retention period.
#include <fmt/core.h>

#include "cli/analysis_flags.h"
#include "cli/commands.h"
#include "layers/privacy/audit.h"
#include "layers/privacy/classification.h"
#include "layers/privacy/public_layers.h"
#include "layers/privacy/publish.h"

namespace veldwacht::cli {

void addPubliceerCommand(CLI::App& app, Session& session) {
  auto* cmd = app.add_subcommand(
      "publiceer",
      "Write a public GeoPackage: counts per buurt/wijk/gemeente with small counts suppressed\n"
      "and donut-masked points (built fresh), plus other public layers you name; confidential\n"
      "layers (raw signals, addresses, analysis results) are refused. Recorded in the audit log");
  struct Args {
    std::string store;
    std::string output;
    std::vector<std::string> extra;
    bool overwrite = false;
    bool onlyExport = false;
    std::int64_t seed = -1;
    layers::PublicLayersOptions options;
  };
  auto args = std::make_shared<Args>();
  auto& o = args->options;
  cmd->add_option("store", args->store, "The store")->required();
  cmd->add_option("-o,--output", args->output, "The public GeoPackage to write")->required();
  cmd->add_option("--invoer", o.input.layer, "Point layer to publish in safe form")
      ->capture_default_str();
  cmd->add_option("-w,--where", o.input.where,
                  "OGR SQL filter on that layer, e.g. \"categorie = 'DRUGSAFVAL'\"");
  cmd->add_option("--laag", args->extra,
                  "Another layer of the store to include (repeatable); must be public, e.g. "
                  "buurten, bedrijventerreinen");
  cmd->add_option("--k", o.suppression.k, "Counts 1..k-1 are not shown")->capture_default_str();
  cmd->add_option("--k-adressen", o.masking.k,
                  "Addresses within each masked point's displacement circle")
      ->capture_default_str();
  cmd->add_option("--k-buiten", o.masking.kOuter,
                  "The outer radius reaches this many addresses (>= --k-adressen)")
      ->capture_default_str();
  cmd->add_option("--min-verplaatsing", o.masking.minDisplacement, "Least displacement, metres")
      ->capture_default_str();
  cmd->add_option("--adressen", o.addressLayer, "Address layer for the masking")
      ->capture_default_str();
  cmd->add_option("--seed", args->seed,
                  "Masking seed (for tests only: whoever knows it can undo the mask); default "
                  "a fresh random one");
  cmd->add_flag(
      "--zonder-categorie", [&o](std::int64_t) { o.keepCategory = false; },
      "Leave the category off the masked points");
  cmd->add_flag(
      "--alleen-aantallen", [&o](std::int64_t) { o.mask = false; },
      "Build the counts per area only (no masked points)");
  cmd->add_flag(
      "--alleen-punten", [&o](std::int64_t) { o.aggregate = false; },
      "Build the masked points only (no counts)");
  cmd->add_flag("--alleen-exporteren", args->onlyExport,
                "Do not rebuild the public layers; export the --laag layers only");
  cmd->add_flag("--overschrijven", args->overwrite, "Replace an existing output file");
  cmd->callback([args, &session] {
    auto store = openStoreForResults(args->store);
    layers::PublishRequest req;
    req.destination = args->output;
    req.overwrite = args->overwrite;
    session.progress.begin("publiceer");
    if (!args->onlyExport) {
      auto& opt = args->options;
      if (args->seed >= 0) opt.seed = std::uint64_t(args->seed);
      const auto report = layers::buildPublicLayers(*store, opt, session.progress);
      session.progress.finish();
      printReport(report, session);
      req.layers = report.layers;
      session.progress.begin("publiceer");
    }
    req.layers.insert(req.layers.end(), args->extra.begin(), args->extra.end());
    const auto done = layers::publish(*store, req, session.progress);
    session.progress.finish();
    if (session.quiet) return;
    fmt::print("Public file {}:\n", args->output);
    for (const auto& l : done) fmt::print("  {:<36} {:>7} rows\n", l.layer, l.rows);
    fmt::print("Recorded in the audit log of {} (veldwacht audit).\n", args->store);
  });
}

void addAuditCommand(CLI::App& app, Session& session) {
  auto* cmd = app.add_subcommand(
      "audit",
      "Show a store's audit log (exports, public exports, prints, removals), the\n"
      "classification of its layers, or the signals past a retention period");
  struct Args {
    std::string store;
    std::size_t last = 0;
    bool classes = false;
    int retentionDays = 0;
    bool remove = false;
    std::string today;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("store", args->store, "The store (a file or postgresql://…)")
      ->required()
      ->check(existingStore());
  cmd->add_option("-n,--laatste", args->last, "Only the last N rows");
  cmd->add_flag("--classificatie", args->classes,
                "List every layer as openbaar or vertrouwelijk, with the reason");
  cmd->add_option("--bewaartermijn", args->retentionDays,
                  "List the signals reported more than this many days ago (for removal)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--vandaag", args->today, "Reference date YYYY-MM-DD (default: today)");
  cmd->add_flag("--verwijder", args->remove,
                "With --bewaartermijn: remove those signals (recorded in the audit log)");
  cmd->callback([args, &session] {
    (void)session;
    if (args->remove && args->retentionDays <= 0)
      throw geo::OptionError("--verwijder", "needs --bewaartermijn DAYS");
    auto store = openExistingStore(args->store, /*update=*/args->remove);
    if (args->remove) {
      const auto n = layers::removeRetained(*store, args->retentionDays, args->today);
      fmt::print("Removed {} signals older than {} days (recorded in the audit log).\n", n,
                 args->retentionDays);
      return;
    }
    if (args->classes) {
      fmt::print("{:<36} {:<14} {}\n", "layer", "class", "reason");
      for (const auto& c : layers::classifications(*store))
        fmt::print("{:<36} {:<14} {}{}\n", c.layer, layers::sensitivityName(c.sensitivity),
                   c.reason, c.isDefault ? "" : fmt::format(" ({}, {})", c.setBy, c.setAt));
      return;
    }
    if (args->retentionDays > 0) {
      const auto list = layers::retentionCandidates(*store, args->retentionDays, args->today);
      fmt::print("{} signals older than {} days:\n", list.size(), args->retentionDays);
      for (const auto& c : list) fmt::print("  {:<20} {}\n", c.key, c.date);
      return;
    }
    const auto rows = layers::readAudit(*store, args->last);
    if (rows.empty()) {
      fmt::print("The audit log of {} is empty.\n", args->store);
      return;
    }
    fmt::print("{:<5} {:<19} {:<12} {:<11} {:<32} {:<13} {:<10} {}\n", "id", "when", "who",
               "action", "layer [source]", "to (class)", "outcome", "destination / remark");
    for (const auto& e : rows) {
      fmt::print("{:<5} {:<19} {:<12} {:<11} {:<32} {:<13} {:<10} {}\n", e.id, e.when, e.who,
                 e.action,
                 e.layer + (e.filter.empty() || e.filter == e.layer ? "" : " [" + e.filter + "]"),
                 layers::sensitivityName(e.sensitivity), e.outcome, e.destination);
      if (!e.remark.empty()) fmt::print("{:>5} {}\n", "", e.remark);
    }
  });
}

}  // namespace veldwacht::cli
