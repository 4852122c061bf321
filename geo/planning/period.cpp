#include "geo/planning/period.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "geo/core/error.h"

namespace veldwacht::geo {

void PeriodOptions::validate() const {
  if (!std::isfinite(periodStart) || !std::isfinite(periodEnd) || !(periodEnd > periodStart))
    throw OptionError("periodEnd", "the period must be finite and end after it starts");
  if (visits < 1 || visits > 1000) throw OptionError("visits", "must lie in 1..1000");
  if (!(varyFraction > 0.0 && varyFraction <= 1.0))
    throw OptionError("varyFraction", "must lie in (0, 1]");
  if (std::isnan(highPriority)) throw OptionError("highPriority", "must be a number");
}

PeriodSites periodVisits(std::span<const PlanSite> sites,
                         const std::vector<std::vector<TimeWindow>>& windows,
                         const PeriodOptions& options) {
  options.validate();
  if (!windows.empty() && windows.size() != sites.size())
    throw InputError({"windows", std::nullopt, ""}, "expected one window list per site (" +
                                                        std::to_string(sites.size()) + "), got " +
                                                        std::to_string(windows.size()));
  std::mt19937_64 rng(options.seed);
  auto uniform = [&] { return double(rng() >> 11) * 0x1.0p-53; };
  const std::size_t k = options.visits;
  const double length = options.periodEnd - options.periodStart;
  PeriodSites out;
  out.slotBounds.push_back(options.periodStart);
  for (std::size_t c = 1; c < k; ++c)
    out.slotBounds.push_back(options.periodStart +
                             (double(c) + 0.5 * (uniform() - 0.5)) * length / double(k));
  out.slotBounds.push_back(options.periodEnd);

  std::int64_t group = 0;
  for (std::size_t i = 0; i < sites.size(); ++i) {
    const PlanSite& s = sites[i];
    std::vector<TimeWindow> own;
    if (windows.empty() || windows[i].empty()) own.push_back(TimeWindow{s.open, s.close});
    for (const auto& w : windows.empty() || windows[i].empty() ? own : windows[i])
      if (std::isnan(w.open) || std::isnan(w.close) || w.close < w.open)
        throw InputError({"windows", std::int64_t(i + 1), ""}, "a window closes before it opens");
    const auto& list = windows.empty() || windows[i].empty() ? own : windows[i];
    const bool high = s.score >= options.highPriority;
    const std::size_t slots = high ? k : 1;
    for (std::size_t c = 0; c < slots; ++c) {
      const double lo = high ? out.slotBounds[c] : options.periodStart;
      const double hi = high ? out.slotBounds[c + 1] : options.periodEnd;
      bool any = false;
      for (const auto& w : list) {
        const double open = std::max(w.open, lo), close = std::min(w.close, hi);
        if (close < open) continue;
        // A random part of the window, so the visits do not all fall at the same hour.
        const double keep = (close - open) * options.varyFraction;
        const double from = open + (close - open - keep) * uniform();
        PlanSite copy = s;
        copy.open = from;
        copy.close = from + keep;
        copy.group = group;
        out.sites.push_back(copy);
        out.origin.push_back(i);
        out.slot.push_back(c);
        any = true;
      }
      if (any) ++group;
    }
  }
  return out;
}

}  // namespace veldwacht::geo
