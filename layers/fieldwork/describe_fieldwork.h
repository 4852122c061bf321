// Back from the field as described analyses (layers/analyses/description.h), so Processing and
// the CLI share one description and one runner: plan versus done (`plan_vs_done`, a runner that
// returns the three result tables) and the schouw import (`schouw_import`, a runner that writes
// the schouw results and their signals into the store's own layers).
#pragma once

#include <string>
#include <vector>

#include "layers/analyses/analysis_result.h"
#include "layers/analyses/description.h"
#include "layers/analyses/report.h"
#include "layers/fieldwork/plan_vs_done.h"
#include "layers/fieldwork/schouw_import.h"

namespace veldwacht::layers {

/// plan_vs_done: PlanVsDoneOptions with the output prefix as `output`.
struct PlanVsDoneRequest {
  std::string plan = "week_plan";  ///< the plan's name (reads <plan>_bezoeken, <plan>_routes)
  std::string from;                ///< YYYY-MM-DD; empty = the plan's first day
  std::string to;                  ///< YYYY-MM-DD; empty = the plan's last day
  double toleranceHours = 2;
  std::string output;  ///< prefix of the result tables; empty = <plan>_gedaan
  PlanVsDoneOptions options() const;
  void validate() const;  ///< throws geo::OptionError
};

/// Reads the plan and the schouw results, returns <out>_bezoeken, _partners and _plekken (named
/// and typed as the description's results) and the printed report as lines.
AnalysisResult buildPlanVsDone(Store& store, const PlanVsDoneRequest& request,
                               geo::Progress& progress = geo::nullProgress());

/// schouw_import: one CSV file of schouw results.
struct SchouwImportRequest {
  std::string file;             ///< the CSV (a form's or phone app's export)
  int futureSlackMinutes = 15;  ///< times this far in the future are accepted
  bool synthetic = false;
  SchouwImportOptions options() const;
  void validate() const;  ///< throws geo::OptionError
};

/// importSchouw in one transaction; the report names the layers written (schouwresultaten, and
/// signalen when findings became signals).
RunReport runSchouwImport(Store& store, const SchouwImportRequest& request,
                          geo::Progress& progress = geo::nullProgress());

namespace describe {
const std::vector<Analysis<PlanVsDoneRequest>>& planVsDoneAnalyses();
const std::vector<Analysis<SchouwImportRequest>>& schouwImportAnalyses();
}  // namespace describe

}  // namespace veldwacht::layers
