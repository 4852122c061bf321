// Mann-Kendall trend test (Mann 1945; Kendall 1975; as given by Gilbert 1987, ch. 16): is a
// series monotonically increasing or decreasing, without assuming linearity or normality?
//
//   S      = sum_{k < j} sign(x_j - x_k)
//   Var(S) = [n (n-1) (2n+5) - sum_p t_p (t_p - 1) (2 t_p + 5)] / 18   (t_p: size of tie group p)
//   z      = (S - 1) / sqrt(Var) if S > 0, (S + 1) / sqrt(Var) if S < 0, 0 if S = 0
//   p      = two-sided normal
// Emerging Hot Spot Analysis runs it on the Gi* z-scores of each location over time.
#pragma once

#include <span>

namespace veldwacht::geo {

struct MannKendallResult {
  double s = 0.0;
  double varianceS = 0.0;  ///< tie-corrected
  double z = 0.0;          ///< continuity-corrected
  double p = 1.0;          ///< two-sided
  double tau = 0.0;        ///< Kendall's tau-a = S / (n (n - 1) / 2)
};

/// O(n^2), fine for time series of a few hundred steps. Fewer than 2 values give S = 0, p = 1.
MannKendallResult mannKendall(std::span<const double> series);

}  // namespace veldwacht::geo
