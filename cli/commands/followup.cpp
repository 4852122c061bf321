// veldwacht opvolging STORE [--from DATE] [--to DATE] — follow-up figures per evening, month or
// source type (reported, taken up, handled, feedback given, median days to feedback) and the
// reports still without feedback after N days, optionally for the reports of one period.
// veldwacht status STORE --signaal ID --naar STATUS [--terugkoppeling TEXT] — move a signal
// along its status path and/or record feedback; every change is audited.
#include <fmt/core.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

#include "cli/analysis_flags.h"
#include "cli/commands.h"
#include "layers/followup/followup.h"
#include "layers/privacy/audit.h"

namespace veldwacht::cli {

namespace {

std::string periodText(const layers::FollowupOptions& o) {
  if (o.from.empty() && o.to.empty()) return {};
  if (o.from.empty()) return "reported on or before " + o.to;
  if (o.to.empty()) return "reported on or after " + o.from;
  return "reported " + o.from + " to " + o.to;
}

void printFigures(const layers::FollowupReport& r, const layers::FollowupOptions& options) {
  const auto per = options.per;
  const int days = options.days;
  if (const auto period = periodText(options); !period.empty())
    fmt::print("Period: {} (inclusive)\n\n", period);
  fmt::print("{:<12} {:>7} {:>8} {:>11} {:>10} {:>8} {:>14}\n", layers::groupingName(per), "gemeld",
             "opgepakt", "afgehandeld", "teruggek.", "te laat", "mediaan dagen");
  auto row = [](const layers::FollowupFigures& f) {
    fmt::print("{:<12} {:>7} {:>8} {:>11} {:>10} {:>8} {:>14}\n", f.group, f.reported, f.takenUp,
               f.handled, f.feedbackGiven, f.overdue,
               f.medianDaysToFeedback ? fmt::format("{:.1f}", *f.medianDaysToFeedback) : "-");
  };
  for (const auto& g : r.groups) row(g);
  row(r.total);
  fmt::print("\n{} reports without feedback after more than {} days:\n", r.overdue.size(), days);
  for (const auto& o : r.overdue)
    fmt::print("  {:<20} gemeld {}  {:>4} dagen  {:<15} {:<12} {}\n", o.signal, o.reportedOn,
               o.daysWaiting, o.status, o.brontype, o.categorie);
  for (const auto& w : r.warnings) fmt::print("  warning: {}\n", w);
}

}  // namespace

void addOpvolgingCommand(CLI::App& app, Session& session) {
  auto* cmd = app.add_subcommand(
      "opvolging",
      "Follow-up of reports: per evening, month or source type the number reported, taken up,\n"
      "handled, given feedback and the median days to feedback; and the reports still without\n"
      "feedback after N days. --from/--to keep the reports of one period (by the date\n"
      "reported). --csv writes the figures (recorded in the audit log)");
  struct Args {
    std::string store;
    std::string per = "maand";
    std::string csv;
    layers::FollowupOptions options;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("store", args->store, "The store")->required();
  cmd->add_option("--dagen", args->options.days,
                  "A report waiting more than this many days without feedback is late")
      ->capture_default_str();
  cmd->add_option("--per", args->per, "Group by avond (date reported), maand or brontype")
      ->capture_default_str();
  cmd->add_option("--csv", args->csv, "Write the figures to this CSV file (; and decimal comma)");
  cmd->add_option("--vandaag", args->options.today, "Reference date YYYY-MM-DD (default: today)");
  cmd->add_option("--from", args->options.from,
                  "First day of the period YYYY-MM-DD (date reported, inclusive; default: open)");
  cmd->add_option("--to", args->options.to,
                  "Last day of the period YYYY-MM-DD (date reported, inclusive; default: open)");
  cmd->callback([args, &session] {
    args->options.per = layers::parseGrouping(args->per);
    args->options.validate();
    auto store = openExistingStore(args->store, /*update=*/!args->csv.empty());
    const auto report = layers::followupReport(*store, args->options);
    if (!args->csv.empty()) {
      {
        std::ofstream out(args->csv, std::ios::binary | std::ios::trunc);
        out << layers::followupCsv(report);
        if (!out.flush())
          throw geo::Error("cannot write '" + args->csv + "': " + std::strerror(errno));
      }
      const std::string period = periodText(args->options);
      layers::recordAudit(*store, {.action = "export",
                                   .layer = "signalen",
                                   .filter = std::string("opvolging per ") +
                                             layers::groupingName(args->options.per) +
                                             (period.empty() ? std::string() : ", " + period),
                                   .destination = args->csv,
                                   .sensitivity = layers::Sensitivity::Confidential,
                                   .remark = "opvolgingscijfers"});
    }
    if (session.quiet) return;
    printFigures(report, args->options);
    if (!args->csv.empty()) fmt::print("\nWrote {} (recorded in the audit log).\n", args->csv);
  });
}

void addStatusCommand(CLI::App& app, Session& session) {
  auto* cmd = app.add_subcommand(
      "status",
      "Move a signal along its status path (nieuw -> in_behandeling -> doorgezet ->\n"
      "afgesloten/ongegrond) and/or record feedback to its reporter (terugkoppeling); every\n"
      "change is recorded in the follow-up history and the audit log");
  struct Args {
    std::string store;
    std::string to;
    layers::StatusChange change;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("store", args->store, "The store")->required();
  cmd->add_option("--signaal", args->change.signal, "The signal (signaal_id)")->required();
  cmd->add_option("--naar", args->to,
                  "New status: in_behandeling, doorgezet, afgesloten or ongegrond");
  cmd->add_option("--terugkoppeling", args->change.feedback,
                  "Feedback given to the reporter (text; sets terugkoppeling and its date)");
  cmd->add_option("--datum", args->change.date, "Date of the change YYYY-MM-DD (default: today)");
  cmd->callback([args, &session] {
    if (!args->to.empty()) args->change.to = layers::parseStatus(args->to);
    args->change.validate();
    auto store = openExistingStore(args->store, /*update=*/true);
    const auto r = layers::changeStatus(*store, args->change);
    if (session.quiet) return;
    fmt::print("{}: {} -> {}{} (recorded in the audit log)\n", args->change.signal,
               layers::statusName(r.from), layers::statusName(r.to),
               r.feedbackRecorded ? "; terugkoppeling vastgelegd" : "");
  });
}

}  // namespace veldwacht::cli
