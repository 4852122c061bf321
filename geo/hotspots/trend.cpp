#include "geo/hotspots/trend.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "geo/hotspots/inference.h"

namespace veldwacht::geo {

MannKendallResult mannKendall(std::span<const double> series) {
  MannKendallResult out;
  const std::size_t n = series.size();
  if (n < 2) return out;
  long long s = 0;
  for (std::size_t k = 0; k + 1 < n; ++k)
    for (std::size_t j = k + 1; j < n; ++j) s += (series[j] > series[k]) - (series[j] < series[k]);
  std::vector<double> sorted(series.begin(), series.end());
  std::sort(sorted.begin(), sorted.end());
  double ties = 0.0;
  for (std::size_t a = 0; a < n;) {
    std::size_t b = a + 1;
    while (b < n && sorted[b] == sorted[a]) ++b;
    const double t = static_cast<double>(b - a);
    ties += t * (t - 1.0) * (2.0 * t + 5.0);
    a = b;
  }
  const double nd = static_cast<double>(n);
  out.s = static_cast<double>(s);
  out.varianceS = (nd * (nd - 1.0) * (2.0 * nd + 5.0) - ties) / 18.0;
  out.tau = out.s / (nd * (nd - 1.0) / 2.0);
  if (out.varianceS > 0.0 && s != 0) {
    out.z = (s > 0 ? out.s - 1.0 : out.s + 1.0) / std::sqrt(out.varianceS);
    out.p = twoSidedNormalP(out.z);
  }
  return out;
}

}  // namespace veldwacht::geo
