// veldwacht — the command-line adapter. Errors from the core are converted here, once:
// exit 0 ok, 1 failure, 2 usage or invalid option, 3 input refused, 130 cancelled.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "geo/core/error.h"
#include "layers/version.h"

namespace {
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInputRefused = 3;
constexpr int kExitCancelled = 130;

void printError(const char* what) {
  // One line on stderr: the reason. Multi-line details (all problems of a file) follow it.
  std::fprintf(stderr, "veldwacht: %s\n", what);
}
}  // namespace

int main(int argc, char** argv) {
  using namespace veldwacht;
  CLI::App app{
      "Veldwacht: signals of ondermijning, vacant barns and business-park incidents on the map;\n"
      "clusters, hot spots and density surfaces in a GeoPackage store that opens in QGIS."};
  app.set_version_flag("--version", std::string("veldwacht ") + layers::version());
  app.require_subcommand(1);
  app.fallthrough();

  cli::Session session;
  app.add_flag("-q,--quiet", session.quiet, "Print only errors");

  // One line per subcommand, sorted.
  cli::addAdreslijstCommand(app, session);
  cli::addAggregateCommand(app, session);
  cli::addAreasCommand(app, session);
  cli::addAuditCommand(app, session);
  cli::addClusterCommand(app, session);
  cli::addDemoCommand(app, session);
  cli::addDensityCommand(app, session);
  cli::addEmergingCommand(app, session);
  cli::addHotspotsCommand(app, session);
  cli::addImportCommand(app, session);
  cli::addInfoCommand(app, session);
  cli::addInitCommand(app, session);
  cli::addMatrixCommand(app, session);
  cli::addOpvolgingCommand(app, session);
  cli::addPlanCommand(app, session);
  cli::addPlanVsDoneCommand(app, session);
  cli::addPubliceerCommand(app, session);
  cli::addReachCommand(app, session);
  cli::addRiskCommand(app, session);
  cli::addRollenCommand(app, session);
  cli::addRouteCommand(app, session);
  cli::addSchouwCommand(app, session);
  cli::addStatusCommand(app, session);
  cli::addSyncCommand(app, session);
  cli::addValidateCommand(app, session);

  cli::installInterruptHandler();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kExitUsage;
  } catch (const geo::CancelledError&) {
    session.progress.finish();
    printError("cancelled; nothing was written");
    return kExitCancelled;
  } catch (const geo::OptionError& e) {
    session.progress.finish();
    printError(e.what());
    return kExitUsage;
  } catch (const geo::InputError& e) {
    session.progress.finish();
    printError(e.what());
    return kExitInputRefused;
  } catch (const std::exception& e) {
    session.progress.finish();
    printError(e.what());
    return kExitFailure;
  }
  return 0;
}
