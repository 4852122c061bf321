// The planning step of `veldwacht demo`: a week of day and night shifts for the sample region's
// partners over the recent signals, with route cards and GPX next to the store, and which of
// the planted places of ground_truth.json the plan visits.
#include "cli/demo_plan.h"

#include <cmath>
#include <filesystem>
#include <fstream>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "layers/planning/plan_exports.h"
#include "layers/planning/plan_runner.h"

namespace veldwacht::cli {

namespace fs = std::filesystem;

void runDemoPlan(layers::Store& store, Session& session, const fs::path& groundTruth) {
  using namespace layers;
  PlanRequest r;
  r.sites = {"signalen", "waargenomen_van >= '2024-07-01'", ""};
  r.network.output = "week_plan";
  r.period = "2026-12-07/2026-12-13";
  r.window = SiteWindow::Altijd;
  r.shiftsPerPartner = 2;  // one day and one night shift where the partner has both
  r.visits.visits = 2;     // the high-priority sites twice in the week
  r.visits.highPriority = 1.0;
  // The iteration count ends the search, so the demo's plan is the same on every machine; the
  // time limit is only a safety net far above it.
  r.solver.timeLimitSeconds = 600.0;
  r.solver.iterations = 3000;
  r.seed = 7;
  session.progress.begin("week_plan");
  RunClock clock;
  geo::SubProgress readPart(session.progress, 0.0, 0.3);
  const PlanInput in = readPlanInput(store, r, readPart);
  geo::SubProgress solvePart(session.progress, 0.3, 0.9);
  const PlanOutput plan = computePlan(in, r, solvePart);
  AnalysisResult result = buildPlanResult(in, r, plan, clock);
  const fs::path dir = fs::path(store.path()).parent_path();
  const auto cards =
      writeRouteCards(result.layers[0], result.layers[1], (dir / "routekaarten").string());
  writeGpx(result.layers[0], result.layers[1], (dir / "week_plan.gpx").string());
  // Which planted places get a visit within their radius (+ 250 m)?
  std::vector<std::string> verdicts;
  if (!groundTruth.empty()) {
    try {
      std::ifstream f(groundTruth);
      const auto truth = nlohmann::json::parse(f);
      const ResultLayer& visits = result.layers[1];
      for (const auto& c : truth.at("clusters")) {
        const double cx = c.at("centre")[0], cy = c.at("centre")[1];
        const double radius = c.value("radius_m", 200.0) + 250.0;
        std::size_t n = 0;
        for (const auto& v : visits.records) {
          const OGRPoint* p = v.geometry->toPoint();
          n += std::hypot(p->getX() - cx, p->getY() - cy) <= radius;
        }
        verdicts.push_back(fmt::format("{} {:<36} {} visit(s) within {:.0f} m",
                                       n ? "visited    " : "NOT visited",
                                       c.at("id").get<std::string>(), n, radius));
      }
    } catch (const std::exception& e) {
      verdicts.push_back(std::string("(ground truth not readable: ") + e.what() + ")");
    }
  }
  geo::SubProgress writePart(session.progress, 0.9, 1.0);
  const RunReport report = writeToStore(store, std::move(result), writePart);
  session.progress.finish();
  if (session.quiet) return;
  fmt::print("   {:<30} {}\n", "week_plan", report.lines.empty() ? "" : report.lines.back());
  fmt::print("   {:<30} {} route card file(s) in {}, GPX {}\n", "", cards.size(),
             (dir / "routekaarten").string(), (dir / "week_plan.gpx").string());
  for (const auto& w : report.warnings) fmt::print("   {:<30} note: {}\n", "", w);
  if (!verdicts.empty()) fmt::print("   Planted places in the week plan:\n");
  for (const auto& v : verdicts) fmt::print("   {}\n", v);
}

}  // namespace veldwacht::cli
