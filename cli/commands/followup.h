// `veldwacht opvolging` and `veldwacht status` (cli/commands/followup.cpp). Declared here rather
// than in cli/commands.h only to keep this branch's rebuild small; they belong in that list.
#pragma once

#include "cli/commands.h"

namespace veldwacht::cli {

void addOpvolgingCommand(CLI::App& app, Session& session);
void addStatusCommand(CLI::App& app, Session& session);

}  // namespace veldwacht::cli
