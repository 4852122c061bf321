// Every subcommand of `veldwacht`, one registration line each (sorted, see main.cpp).
#pragma once

#include <CLI/CLI.hpp>

#include "cli/terminal_progress.h"

namespace veldwacht::cli {

/// What every subcommand shares: the progress bar and output verbosity.
struct Session {
  TerminalProgress progress;
  bool quiet = false;
};

void addAdreslijstCommand(CLI::App& app, Session& session);
void addAggregateCommand(CLI::App& app, Session& session);
void addAreasCommand(CLI::App& app, Session& session);
void addAuditCommand(CLI::App& app, Session& session);
void addClusterCommand(CLI::App& app, Session& session);
void addDemoCommand(CLI::App& app, Session& session);
void addDensityCommand(CLI::App& app, Session& session);
void addEmergingCommand(CLI::App& app, Session& session);
void addHotspotsCommand(CLI::App& app, Session& session);
void addImportCommand(CLI::App& app, Session& session);
void addInfoCommand(CLI::App& app, Session& session);
void addInitCommand(CLI::App& app, Session& session);
void addMatrixCommand(CLI::App& app, Session& session);
void addOpvolgingCommand(CLI::App& app, Session& session);
void addPlanCommand(CLI::App& app, Session& session);
void addReachCommand(CLI::App& app, Session& session);
void addRouteCommand(CLI::App& app, Session& session);
void addPlanVsDoneCommand(CLI::App& app, Session& session);
void addPubliceerCommand(CLI::App& app, Session& session);
void addSchouwCommand(CLI::App& app, Session& session);
void addRiskCommand(CLI::App& app, Session& session);
void addRollenCommand(CLI::App& app, Session& session);
void addStatusCommand(CLI::App& app, Session& session);
void addSyncCommand(CLI::App& app, Session& session);
void addValidateCommand(CLI::App& app, Session& session);

}  // namespace veldwacht::cli
