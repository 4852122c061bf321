// Readers for the public orienteering benchmark formats (tests and bench/planning_bench):
// Chao, Golden & Wasil (1996) TOP files and the Solomon/Cordeau-based TOPTW files of
// Vansteenwegen et al. (2009). See /work/shared/data/planning-benchmarks/README.md for the formats.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "geo/planning/plan.h"

namespace veldwacht::geo {

/// A whole planning problem that owns its matrix.
struct PlanInstance {
  std::string name;
  std::size_t nodes = 0;
  std::vector<double> times;  ///< nodes x nodes, row-major
  std::vector<PlanSite> sites;
  std::vector<PlanRoute> routes;
  TravelTimes matrix() const { return TravelTimes{nodes, times}; }
};

/// TOP: `n N`, `m P`, `tmax T`, then N lines `x y score`; the first point is the start, the last
/// the end; Euclidean, unrounded. `m` = 0 keeps the file's P. Throws InputError (file, row).
PlanInstance readTopInstance(const std::string& path, std::size_t m = 0);

/// TOPTW (Solomon/Cordeau layout): six header numbers, then N + 1 records
/// `i x y d S f a <a items> O C`; vertex 0 is the depot and its C is Tmax. Distances are Euclidean
/// rounded down to `decimals` (1 for Solomon, 2 for Cordeau pr; -1 = from the file name: `pr*`
/// gives 2, others 1). Throws InputError.
PlanInstance readToptwInstance(const std::string& path, std::size_t m, int decimals = -1);

}  // namespace veldwacht::geo
