// veldwacht validate FILE... — check files as `import` would, without writing anything.
#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/import_options.h"
#include "layers/importers/importer.h"

namespace veldwacht::cli {

void addValidateCommand(CLI::App& app, Session& session) {
  auto* cmd = app.add_subcommand(
      "validate",
      "Check files as 'import' would (fields, values, CRS, geometries) without a store");
  struct Args {
    std::vector<std::string> files;
    layers::ImportOptions options;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("files", args->files, "Files to check")->required();
  addImportOptionFlags(cmd, args->options);
  cmd->callback([args, &session] {
    args->options.validate();
    args->options.keepRecords = false;  // only the report: memory bounded whatever the size
    std::vector<layers::Problem> problems;
    for (const auto& file : args->files) {
      session.progress.begin("validate");
      auto report = layers::validateFile(file, args->options, session.progress);
      session.progress.finish();
      if (!session.quiet) fmt::print("{}\n", report.str());
      for (auto& p : report.errors()) problems.push_back(std::move(p));
    }
    if (!problems.empty()) throw layers::ValidationError(std::move(problems));
    if (!session.quiet) fmt::print("OK: no problems found\n");
  });
}

}  // namespace veldwacht::cli
