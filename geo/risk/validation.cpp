#include "geo/risk/validation.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "geo/core/error.h"

namespace veldwacht::geo {
namespace {

void checkSizes(std::size_t cells, std::span<const double> counts,
                std::span<const std::uint8_t> inArea) {
  if (counts.size() != cells)
    throw InputError({{}, std::nullopt, "counts"}, "needs one count per cell (" +
                                                       std::to_string(cells) + "), got " +
                                                       std::to_string(counts.size()));
  if (!inArea.empty() && inArea.size() != cells)
    throw InputError({{}, std::nullopt, "inArea"}, "needs one flag per cell");
}

}  // namespace

ForecastAccuracy forecastAccuracy(std::span<const double> scores, std::span<const double> counts,
                                  std::span<const std::uint8_t> inArea,
                                  std::span<const double> areaFractions) {
  checkSizes(scores.size(), counts, inArea);
  for (double f : areaFractions)
    if (!(f > 0.0 && f <= 1.0)) throw OptionError("areaFractions", "must be in (0, 1]");
  std::vector<std::size_t> cells;
  ForecastAccuracy r;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    if (!inArea.empty() && !inArea[i]) continue;
    if (!std::isfinite(scores[i]))
      throw InputError({"scores", std::int64_t(i + 1), "score"},
                       "must be finite in the study area");
    cells.push_back(i);
    r.events += counts[i];
  }
  r.cells = cells.size();
  std::stable_sort(cells.begin(), cells.end(),
                   [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  for (double f : areaFractions) {
    HitRate h;
    h.areaFraction = f;
    double budget = f * double(cells.size());
    for (std::size_t g = 0; g < cells.size() && budget > 0.0;) {
      std::size_t e = g;
      double groupHits = 0.0;
      while (e < cells.size() && scores[cells[e]] == scores[cells[g]])
        groupHits += counts[cells[e++]];
      const double size = double(e - g);
      const double take = std::min(budget, size);
      h.hits += groupHits * take / size;
      budget -= take;
      g = e;
    }
    h.hitRate = r.events > 0.0 ? h.hits / r.events : 0.0;
    h.pai = h.hitRate / f;
    r.at.push_back(h);
  }
  return r;
}

HitRate selectionAccuracy(std::span<const std::uint8_t> selected, std::span<const double> counts,
                          std::span<const std::uint8_t> inArea) {
  checkSizes(selected.size(), counts, inArea);
  double cells = 0.0, flagged = 0.0, events = 0.0;
  HitRate h;
  for (std::size_t i = 0; i < selected.size(); ++i) {
    if (!inArea.empty() && !inArea[i]) continue;
    cells += 1.0;
    events += counts[i];
    if (selected[i]) {
      flagged += 1.0;
      h.hits += counts[i];
    }
  }
  h.areaFraction = cells > 0.0 ? flagged / cells : 0.0;
  h.hitRate = events > 0.0 ? h.hits / events : 0.0;
  h.pai = h.areaFraction > 0.0 ? h.hitRate / h.areaFraction : 0.0;
  return h;
}

}  // namespace veldwacht::geo
