#include "geo/hotspots/emerging.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "geo/core/error.h"
#include "geo/core/got.h"
#include "geo/core/threads.h"
#include "geo/hotspots/gistar.h"
#include "geo/hotspots/optimized.h"
#include "geo/hotspots/weights.h"

namespace veldwacht::geo {

namespace {

constexpr TimeSeconds kDay = 86400;

std::int64_t monthIndex(TimeSeconds t) {
  using namespace std::chrono;
  const year_month_day ymd{floor<days>(sys_seconds{seconds{t}})};
  return static_cast<std::int64_t>(static_cast<int>(ymd.year())) * 12 +
         static_cast<std::int64_t>(static_cast<unsigned>(ymd.month())) - 1;
}

TimeSeconds monthStart(std::int64_t index) {
  using namespace std::chrono;
  const auto y = static_cast<int>(index >= 0 ? index / 12 : (index - 11) / 12);
  const auto m = static_cast<unsigned>(index - static_cast<std::int64_t>(y) * 12 + 1);
  const sys_days d{year{y} / month{m} / day{1}};
  return duration_cast<seconds>(d.time_since_epoch()).count();
}

}  // namespace

void SpaceTimeCubeOptions::validate() const {
  if (!(binSize >= 0.0) || !std::isfinite(binSize) || binSize > kMaxCellSize)
    throw OptionError("binSize", "must be >= 0 (0 = suggested from the data) and at most " +
                                     std::to_string(int(kMaxCellSize)) + " metres");
  if (timeStep < 1) throw OptionError("timeStep", "must be at least 1" + got(timeStep));
  if (!extent.empty() && !(extent.width() > 0.0 && extent.height() > 0.0))
    throw OptionError("extent", "must have a positive width and height");
}

SpaceTimeCube buildSpaceTimeCube(std::span<const Point> points, std::span<const TimeSeconds> times,
                                 const SpaceTimeCubeOptions& options, Progress& progress) {
  options.validate();
  if (points.size() != times.size())
    throw InputError({}, "got " + std::to_string(times.size()) + " times for " +
                             std::to_string(points.size()) + " points");
  if (points.empty()) throw InputError({}, "no points to build a space-time cube from");
  SpaceTimeCube cube;
  cube.binSize = options.binSize > 0.0 ? options.binSize : suggestedCellSize(points);

  // Time steps.
  const auto [tMinIt, tMaxIt] = std::minmax_element(times.begin(), times.end());
  const TimeSeconds tMin = *tMinIt, tMax = *tMaxIt;
  std::vector<std::uint32_t> stepOf(points.size());
  if (options.timeUnit == TimeUnit::Days) {
    const TimeSeconds len = static_cast<TimeSeconds>(options.timeStep) * kDay;
    const TimeSeconds start = options.alignment == TimeAlignment::Start
                                  ? tMin
                                  : (tMax + 1) - ((tMax + 1 - tMin + len - 1) / len) * len;
    cube.timeSteps = static_cast<std::size_t>((tMax - start) / len + 1);
    for (std::size_t k = 0; k <= cube.timeSteps; ++k)
      cube.stepBounds.push_back(start + static_cast<TimeSeconds>(k) * len);
    for (std::size_t i = 0; i < times.size(); ++i)
      stepOf[i] = static_cast<std::uint32_t>((times[i] - start) / len);
  } else {
    const std::int64_t step = options.timeStep;
    const std::int64_t first = monthIndex(tMin), last = monthIndex(tMax);
    const std::int64_t count = (last - first) / step + 1;
    const std::int64_t startMonth =
        options.alignment == TimeAlignment::Start ? first : last + 1 - count * step;
    cube.timeSteps = static_cast<std::size_t>(count);
    for (std::int64_t k = 0; k <= count; ++k)
      cube.stepBounds.push_back(monthStart(startMonth + k * step));
    for (std::size_t i = 0; i < times.size(); ++i)
      stepOf[i] = static_cast<std::uint32_t>((monthIndex(times[i]) - startMonth) / step);
  }

  if (cube.timeSteps > 10000)
    throw OptionError("timeStep",
                      std::to_string(cube.timeSteps) + " time steps; choose a longer time step");

  // Space: the shared aggregation grid.
  GridOptions g;
  g.shape = options.shape;
  g.cellSize = cube.binSize;
  g.extent = options.extent;
  if (g.extent.empty())
    for (const Point& p : points) g.extent.include(p);
  SubProgress gridProgress(progress, 0.0, 0.3);
  cube.grid = makeGrid(g, gridProgress);
  SubProgress assignProgress(progress, 0.3, 0.8);
  const std::vector<std::int32_t> cellOf = assignPoints(cube.grid, points, assignProgress);

  // Locations: cells with at least one point in at least one step, in grid order.
  std::vector<std::int32_t> locationOfCell(cube.grid.size(), -1);
  for (std::int32_t c : cellOf)
    if (c >= 0) locationOfCell[static_cast<std::size_t>(c)] = 0;
  for (std::size_t c = 0; c < cube.grid.size(); ++c)
    if (locationOfCell[c] == 0) {
      locationOfCell[c] = static_cast<std::int32_t>(cube.locations.size());
      cube.locations.push_back(cube.grid.cells[c].centre);
      cube.cellOfLocation.push_back(static_cast<std::uint32_t>(c));
    }
  const std::size_t nl = cube.locations.size();
  cube.values.assign(nl * cube.timeSteps, 0.0);
  for (std::size_t i = 0; i < points.size(); ++i)
    if (cellOf[i] >= 0)
      cube.values[stepOf[i] * nl + static_cast<std::size_t>(
                                       locationOfCell[static_cast<std::size_t>(cellOf[i])])] += 1.0;
  progress.setFraction(1.0);
  return cube;
}

std::string_view emergingCategoryName(EmergingCategory category) {
  switch (category) {
    case EmergingCategory::NoPattern:
      return "No Pattern Detected";
    case EmergingCategory::NewHot:
      return "New Hot Spot";
    case EmergingCategory::ConsecutiveHot:
      return "Consecutive Hot Spot";
    case EmergingCategory::IntensifyingHot:
      return "Intensifying Hot Spot";
    case EmergingCategory::PersistentHot:
      return "Persistent Hot Spot";
    case EmergingCategory::DiminishingHot:
      return "Diminishing Hot Spot";
    case EmergingCategory::SporadicHot:
      return "Sporadic Hot Spot";
    case EmergingCategory::OscillatingHot:
      return "Oscillating Hot Spot";
    case EmergingCategory::HistoricalHot:
      return "Historical Hot Spot";
    case EmergingCategory::NewCold:
      return "New Cold Spot";
    case EmergingCategory::ConsecutiveCold:
      return "Consecutive Cold Spot";
    case EmergingCategory::IntensifyingCold:
      return "Intensifying Cold Spot";
    case EmergingCategory::PersistentCold:
      return "Persistent Cold Spot";
    case EmergingCategory::DiminishingCold:
      return "Diminishing Cold Spot";
    case EmergingCategory::SporadicCold:
      return "Sporadic Cold Spot";
    case EmergingCategory::OscillatingCold:
      return "Oscillating Cold Spot";
    case EmergingCategory::HistoricalCold:
      return "Historical Cold Spot";
  }
  return "?";
}

EmergingCategory classifyEmerging(std::span<const std::int8_t> significance,
                                  const MannKendallResult& trend, double trendAlpha) {
  const std::size_t t = significance.size();
  if (t == 0) return EmergingCategory::NoPattern;
  const auto hot =
      static_cast<std::size_t>(std::count(significance.begin(), significance.end(), 1));
  const auto cold =
      static_cast<std::size_t>(std::count(significance.begin(), significance.end(), -1));
  const std::int8_t last = significance[t - 1];
  // "90 percent of the time-step intervals", in integers: count / t >= 0.9.
  auto atLeast90 = [t](std::size_t count) { return count * 10 >= 9 * t; };
  const bool trendSignificant = trend.p < trendAlpha && trend.s != 0.0;

  if (last != 1 && atLeast90(hot)) return EmergingCategory::HistoricalHot;
  if (last != -1 && atLeast90(cold)) return EmergingCategory::HistoricalCold;
  if (last == 0) return EmergingCategory::NoPattern;

  const bool isHot = last == 1;
  const std::size_t same = isHot ? hot : cold;
  const std::size_t other = isHot ? cold : hot;
  using C = EmergingCategory;
  if (atLeast90(same)) {
    if (!trendSignificant) return isHot ? C::PersistentHot : C::PersistentCold;
    // Intensifying: clustering ever stronger, i.e. z rising for hot, falling for cold.
    const bool strengthening = isHot ? trend.z > 0 : trend.z < 0;
    if (strengthening) return isHot ? C::IntensifyingHot : C::IntensifyingCold;
    return isHot ? C::DiminishingHot : C::DiminishingCold;
  }
  if (other > 0) return isHot ? C::OscillatingHot : C::OscillatingCold;
  if (same == 1) return isHot ? C::NewHot : C::NewCold;
  std::size_t run = 0;
  while (run < t && significance[t - 1 - run] == last) ++run;
  if (run >= 2 && run == same) return isHot ? C::ConsecutiveHot : C::ConsecutiveCold;
  return isHot ? C::SporadicHot : C::SporadicCold;
}

void EmergingHotSpotOptions::validate() const {
  checkThreads(threads);
  if (!(neighbourhoodDistance >= 0.0) || !std::isfinite(neighbourhoodDistance))
    throw OptionError("neighbourhoodDistance",
                      "must be a finite distance >= 0 (0 = default)" + got(neighbourhoodDistance));
  if (!(alpha > 0.0 && alpha < 1.0)) throw OptionError("alpha", "must lie in (0, 1)" + got(alpha));
  if (!(trendAlpha > 0.0 && trendAlpha < 1.0))
    throw OptionError("trendAlpha", "must lie in (0, 1)" + got(trendAlpha));
  if (permutations > 99999)
    throw OptionError("permutations", "must be at most 99999" + got(permutations));
}

EmergingHotSpotResult emergingHotSpots(const SpaceTimeCube& cube,
                                       const EmergingHotSpotOptions& options, Progress& progress) {
  options.validate();
  const std::size_t nl = cube.size(), nt = cube.timeSteps;
  if (cube.values.size() != nl * nt)
    throw InputError({}, "the cube holds " + std::to_string(cube.values.size()) + " values for " +
                             std::to_string(nl) + " locations x " + std::to_string(nt) + " steps");
  if (nl == 0 || nt == 0) throw InputError({}, "the space-time cube is empty");
  EmergingHotSpotResult out;
  if (nt < 10)
    out.warnings.push_back("fewer than 10 time steps (" + std::to_string(nt) +
                           "): the Mann-Kendall trend has little power");

  // Neighbourhood distance: contiguous bins by default.
  out.neighbourhoodDistance = options.neighbourhoodDistance;
  if (out.neighbourhoodDistance == 0.0) {
    if (cube.binSize > 0.0)
      out.neighbourhoodDistance =
          cube.binSize *
          (cube.grid.shape == GridShape::Square ? std::sqrt(2.0) * (1.0 + 1e-9) : 1.0 + 1e-9);
    else
      out.neighbourhoodDistance = defaultDistanceBand(cube.locations);
  }
  out.neighbourhoodTimeStep = options.neighbourhoodTimeStep;
  SubProgress weightsProgress(progress, 0.0, 0.1);
  const SpatialWeights spatial =
      distanceBandWeights(cube.locations, {.band = out.neighbourhoodDistance}, weightsProgress)
          .weights;

  // Space-time neighbours of bin (l, t): locations {l} + N(l) in steps max(0, t - k) .. t,
  // except the bin itself. Bin index t * L + l, emitted in ascending order.
  SpatialWeights st;
  st.offsets.assign(nl * nt + 1, 0);
  const std::size_t k = options.neighbourhoodTimeStep;
  for (std::size_t t = 0; t < nt; ++t)
    for (std::size_t l = 0; l < nl; ++l) {
      const std::size_t self = t * nl + l;
      for (std::size_t tp = t >= k ? t - k : 0; tp <= t; ++tp) {
        const auto nb = spatial.of(l);
        auto it = nb.begin();
        for (; it != nb.end() && *it < l; ++it)
          st.neighbours.push_back(static_cast<std::uint32_t>(tp * nl + *it));
        if (tp * nl + l != self) st.neighbours.push_back(static_cast<std::uint32_t>(tp * nl + l));
        for (; it != nb.end(); ++it)
          st.neighbours.push_back(static_cast<std::uint32_t>(tp * nl + *it));
      }
      st.offsets[self + 1] = static_cast<std::uint32_t>(st.neighbours.size());
    }

  GiStarOptions gi;
  gi.permutations = options.permutations;
  gi.seed = options.seed;
  gi.correction = options.correction;
  gi.binsFrom = options.permutations > 0 ? PValueSource::Permutation : PValueSource::Analytic;
  gi.threads = options.threads;
  SubProgress giProgress(progress, 0.1, 0.9);
  GiStarResult g = getisOrdGiStar(cube.values, st, gi, giProgress);
  for (auto& w : g.warnings) out.warnings.push_back("space-time Gi*: " + w);
  out.z = std::move(g.z);
  out.p = options.permutations > 0 ? std::move(g.pPermutation) : std::move(g.p);
  out.pAdjusted = std::move(g.pAdjusted);
  out.bin = std::move(g.bin);
  out.significance.assign(out.z.size(), 0);
  for (std::size_t b = 0; b < out.z.size(); ++b)
    if (out.pAdjusted[b] <= options.alpha && out.z[b] != 0.0)
      out.significance[b] = out.z[b] > 0 ? 1 : -1;

  ProgressStep step(progress, 0.9, 1.0, "trends");
  out.trend.resize(nl);
  out.category.resize(nl);
  std::vector<double> series(nt);
  std::vector<std::int8_t> sig(nt);
  for (std::size_t l = 0; l < nl; ++l) {
    for (std::size_t t = 0; t < nt; ++t) {
      series[t] = out.z[t * nl + l];
      sig[t] = out.significance[t * nl + l];
    }
    out.trend[l] = mannKendall(series);
    out.category[l] = classifyEmerging(sig, out.trend[l], options.trendAlpha);
    step.tick(l + 1, nl);
  }
  return out;
}

}  // namespace veldwacht::geo
