// Poisson regression of counts on a design matrix: the unpenalised GLM by iteratively
// reweighted least squares, and the elastic net by pathwise coordinate descent, with k-fold
// cross-validation. The fitting engine of the risk terrain model (risk_terrain.h).
//
// Model: y_i ~ Poisson(mu_i), log mu_i = offset_i + b0 + x_i' beta.
//
// Unpenalised GLM (McCullagh & Nelder 1989, ch. 2.5): Fisher scoring as weighted least squares,
// working weights w = mu and working response z = eta - offset + (y - mu) / mu, started at
// mu = y + 0.1 as R's glm(); each step is solved by a column-pivoted QR of sqrt(w) X (no normal
// equations), and halved while the deviance is not finite or grows.
//
// Elastic net (Friedman, Hastie & Tibshirani 2010, "Regularization paths for generalized linear
// models via coordinate descent", J. Stat. Softw. 33(1), sections 2-4, as glmnet's fishnet):
// minimises over (b0, beta)
//
//   (1/n) sum_i [mu_i - y_i eta_i]  +  lambda [ (1 - alpha)/2 ||beta||^2 + alpha ||beta||_1 ]
//
// (the first term is deviance/(2n) up to a constant). Outer loop: the IRLS quadratic
// approximation at the current fit; inner loop: cyclic coordinate descent with soft
// thresholding on it; the outer step is halved when the penalised objective grows. Lambdas run
// from lambda_max (the smallest lambda with beta = 0; alpha is floored at 1e-3 there, as
// glmnet) down to lambdaMinRatio * lambda_max on a log scale, each fit warm-started from the
// previous. With `standardize`, columns are scaled to unit 1/n-variance for the fit, the penalty
// applies to the scaled coefficients, and coefficients are reported on the original scale (as
// glmnet). The intercept is never penalised.
//
// scikit-learn's PoissonRegressor(alpha=a) minimises 1/(2n) deviance + a/2 ||w||^2: that is
// this objective with lambda = a, alpha = 0 and standardize = false.
//
// Cross-validation (as cv.glmnet): observations are shuffled with a seeded mt19937_64
// (Fisher-Yates, portable) and dealt round-robin into k folds; the path is refitted without each
// fold on the full data's lambda sequence and scored by the mean Poisson deviance of the
// held-out observations; lambda.min minimises the mean over folds, lambda.1se is the largest
// lambda within one standard error of that minimum.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "geo/core/progress.h"
#include "geo/risk/poisson_options.h"

namespace veldwacht::geo {

/// Poisson deviance 2 sum [y log(y/mu) - (y - mu)] (the y log y term is 0 for y = 0).
double poissonDeviance(const Eigen::VectorXd& y, const Eigen::VectorXd& mu);

struct PoissonGlmResult {
  double intercept = 0.0;
  Eigen::VectorXd coefficients;
  /// Standard errors from the inverse Fisher information: intercept first (when fitted), then
  /// one per coefficient.
  Eigen::VectorXd standardErrors;
  double deviance = 0.0;
  double nullDeviance = 0.0;  ///< intercept-only (with offset) deviance
  int iterations = 0;
  bool converged = false;
  std::vector<std::string> warnings;
};

/// Unpenalised Poisson GLM by IRLS. `offset` empty = none, else one per row. Throws InputError
/// for negative or non-finite counts, non-finite design values, or size mismatches.
PoissonGlmResult fitPoissonGlm(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                               const Eigen::VectorXd& offset = {},
                               const PoissonGlmOptions& options = {});

struct ElasticNetFit {
  double lambda = 0.0;
  double intercept = 0.0;
  Eigen::VectorXd coefficients;  ///< original scale
  double deviance = 0.0;
  std::size_t nonZero = 0;
  int outerIterations = 0;
  bool converged = false;
};

struct ElasticNetPath {
  std::vector<ElasticNetFit> fits;  ///< one per lambda, decreasing lambda
  double nullDeviance = 0.0;
  double lambdaMax = 0.0;
  std::vector<std::string> warnings;
};

/// The elastic-net path. Constant columns get coefficient 0.
ElasticNetPath fitPoissonElasticNet(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                    const Eigen::VectorXd& offset, const ElasticNetOptions& options,
                                    Progress& progress = nullProgress());

struct CrossValidationResult {
  ElasticNetPath path;               ///< fitted on all observations
  std::vector<double> meanDeviance;  ///< per lambda, mean held-out deviance per observation
  std::vector<double> seDeviance;    ///< standard error of that mean over folds
  std::size_t indexMin = 0;          ///< lambda.min
  std::size_t index1se = 0;          ///< lambda.1se
};

CrossValidationResult crossValidatePoissonElasticNet(const Eigen::MatrixXd& x,
                                                     const Eigen::VectorXd& y,
                                                     const Eigen::VectorXd& offset,
                                                     const ElasticNetOptions& options,
                                                     const CrossValidationOptions& cv,
                                                     Progress& progress = nullProgress());

}  // namespace veldwacht::geo
