// Options of the Poisson GLM, the elastic-net path and its cross-validation (geo/risk/poisson.h),
// apart from the fitting so that a header that only carries options (risk_terrain.h, and with it
// every runner, CLI command and Processing description of the risk model) does not pull in Eigen.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace veldwacht::geo {

struct PoissonGlmOptions {
  bool intercept = true;
  int maxIterations = 100;
  /// Converged when |dev - dev_prev| / (|dev| + 0.1) < tolerance (R's glm rule).
  double tolerance = 1e-12;
  void validate() const;
};

struct ElasticNetOptions {
  /// Mixing: 1 = lasso, 0 = ridge.
  double alpha = 1.0;
  /// Explicit lambdas (> 0, strictly decreasing); empty = a path of nLambda values.
  std::vector<double> lambdas{};
  std::size_t nLambda = 100;
  /// Smallest lambda as a fraction of lambda_max; 0 = glmnet's default (1e-4 when n > p, else
  /// 1e-2).
  double lambdaMinRatio = 0.0;
  bool standardize = true;
  bool intercept = true;
  /// Coordinate descent converges when max_j (sum_i w_i x_ij^2) (delta beta_j)^2 < tolerance
  /// (glmnet's thresh, on the deviance scale of the quadratic approximation).
  double tolerance = 1e-12;
  int maxOuterIterations = 200;
  int maxInnerPasses = 100000;
  void validate() const;
};

struct CrossValidationOptions {
  std::size_t folds = 10;
  std::uint64_t seed = 12345;
  void validate(std::size_t rows) const;
};

/// Fold (0..folds-1) of each of `rows` observations: seeded shuffle, dealt round-robin.
std::vector<std::uint32_t> crossValidationFolds(std::size_t rows,
                                                const CrossValidationOptions& options);

}  // namespace veldwacht::geo
