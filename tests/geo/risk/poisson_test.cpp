#include "geo/risk/poisson.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "geo/core/error.h"

using namespace veldwacht::geo;

namespace {

struct Simulated {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
  Eigen::VectorXd offset;
};

/// n rows: a normal column, a binary column (30 % ones), a uniform column; counts drawn from
/// Poisson(exp(offset + b0 + x'beta)) with a seeded generator.
Simulated simulate(std::size_t n, double b0, const Eigen::Vector3d& beta, std::uint64_t seed,
                   bool withOffset) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> unif(0.0, 1.0);
  Simulated s{Eigen::MatrixXd(n, 3), Eigen::VectorXd(n), Eigen::VectorXd()};
  if (withOffset) s.offset = Eigen::VectorXd(n);
  for (std::size_t i = 0; i < n; ++i) {
    s.x(i, 0) = normal(rng);
    s.x(i, 1) = unif(rng) < 0.3 ? 1.0 : 0.0;
    s.x(i, 2) = 2.0 * unif(rng);
    double eta = b0 + s.x.row(i).dot(beta);
    if (withOffset) {
      s.offset[i] = std::log(0.5 + unif(rng));  // exposure between 0.5 and 1.5
      eta += s.offset[i];
    }
    std::poisson_distribution<int> pois(std::exp(eta));
    s.y[i] = pois(rng);
  }
  return s;
}

/// Reference: plain Newton-Raphson on the Poisson log-likelihood, gradient and Hessian summed
/// row by row, from zero coefficients, solved with a full-pivot LU.
Eigen::VectorXd newtonReference(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                const Eigen::VectorXd& offset) {
  const Eigen::Index n = x.rows(), k = x.cols() + 1;
  Eigen::VectorXd b = Eigen::VectorXd::Zero(k);
  b[0] = std::log(y.mean());
  for (int it = 0; it < 100; ++it) {
    Eigen::VectorXd g = Eigen::VectorXd::Zero(k);
    Eigen::MatrixXd h = Eigen::MatrixXd::Zero(k, k);
    for (Eigen::Index i = 0; i < n; ++i) {
      Eigen::VectorXd row(k);
      row[0] = 1.0;
      for (Eigen::Index j = 1; j < k; ++j) row[j] = x(i, j - 1);
      const double mu = std::exp(row.dot(b) + (offset.size() ? offset[i] : 0.0));
      g += (y[i] - mu) * row;
      h += mu * row * row.transpose();
    }
    const Eigen::VectorXd step = h.fullPivLu().solve(g);
    b += step;
    if (step.norm() < 1e-13) break;
  }
  return b;
}

/// Reference elastic net, written plainly: cyclic coordinate descent on the exact penalised
/// Poisson objective (not its quadratic approximation), each coordinate minimised by bisection
/// on its subgradient; unstandardised, intercept unpenalised. Sweeps until nothing moves.
Eigen::VectorXd referenceNet(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, double lambda,
                             double alpha) {
  const Eigen::Index n = x.rows(), p = x.cols();
  Eigen::VectorXd b = Eigen::VectorXd::Zero(p + 1);  // b[0] intercept
  b[0] = std::log(y.mean());
  std::vector<double> eta(std::size_t(n), b[0]);
  auto column = [&](Eigen::Index c, Eigen::Index i) { return c == 0 ? 1.0 : x(i, c - 1); };
  // d/dt of (1/n) sum [exp(eta_i) - y_i eta_i] when coordinate c moves from b[c] to t.
  auto lossGradient = [&](Eigen::Index c, double t) {
    double g = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
      const double xi = column(c, i);
      g += xi * (std::exp(eta[std::size_t(i)] + xi * (t - b[c])) - y[i]);
    }
    return g / double(n);
  };
  auto solve = [&](Eigen::Index c, double shift) {  // root of lossGradient + shift + l2 t
    const double l2 = c == 0 ? 0.0 : lambda * (1.0 - alpha);
    double lo = -20.0, hi = 20.0;
    for (int k = 0; k < 64; ++k) {
      const double mid = 0.5 * (lo + hi);
      (lossGradient(c, mid) + shift + l2 * mid > 0.0 ? hi : lo) = mid;
    }
    return 0.5 * (lo + hi);
  };
  auto set = [&](Eigen::Index c, double t) {
    for (Eigen::Index i = 0; i < n; ++i) eta[std::size_t(i)] += column(c, i) * (t - b[c]);
    const double moved = std::abs(t - b[c]);
    b[c] = t;
    return moved;
  };
  for (int sweep = 0; sweep < 5000; ++sweep) {
    double moved = set(0, solve(0, 0.0));
    for (Eigen::Index c = 1; c <= p; ++c) {
      const double l1 = lambda * alpha;
      const double g0 = lossGradient(c, 0.0);
      // t > 0 when the slope at 0 is below -l1, t < 0 when above l1, else 0.
      const double t = std::abs(g0) <= l1 ? 0.0 : g0 < 0.0 ? solve(c, l1) : solve(c, -l1);
      moved = std::max(moved, set(c, t));
    }
    if (moved < 1e-11) break;
  }
  return b;
}

struct Fixture {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
  std::vector<std::pair<double, Eigen::VectorXd>> coefs;  // alpha -> intercept, w...
};

Fixture readFixture() {
  std::ifstream in(std::string(VELDWACHT_SOURCE_DIR) + "/tests/geo/risk/poisson_l2_fixture.csv");
  std::vector<std::vector<double>> rows;
  Fixture f;
  std::string line;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string kind, cell;
    if (line.empty() || line[0] == '#') continue;
    std::getline(ss, kind, ',');
    std::vector<double> v;
    while (std::getline(ss, cell, ',')) v.push_back(std::stod(cell));
    if (kind == "row") rows.push_back(v);
    if (kind == "coef")
      f.coefs.emplace_back(v[0],
                           Eigen::Map<Eigen::VectorXd>(v.data() + 1, Eigen::Index(v.size() - 1)));
  }
  f.x.resize(Eigen::Index(rows.size()), 4);
  f.y.resize(Eigen::Index(rows.size()));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (int j = 0; j < 4; ++j) f.x(Eigen::Index(i), j) = rows[i][std::size_t(j)];
    f.y[Eigen::Index(i)] = rows[i][4];
  }
  return f;
}

ElasticNetFit l2Fit(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, double skAlpha) {
  ElasticNetOptions o;
  o.alpha = 0.0;
  o.standardize = false;
  o.lambdas = {skAlpha};
  o.tolerance = 1e-20;
  return fitPoissonElasticNet(x, y, {}, o).fits.at(0);
}

}  // namespace

TEST(PoissonGlm, RecoversSimulatedCoefficients) {
  const auto s = simulate(20000, 0.3, {0.5, 0.8, -0.4}, 7, false);
  const auto r = fitPoissonGlm(s.x, s.y);
  ASSERT_TRUE(r.converged);
  // Standard errors here are about 0.01-0.02; 4 SE covers the sampling error.
  EXPECT_NEAR(r.intercept, 0.3, 4 * r.standardErrors[0]);
  EXPECT_NEAR(r.coefficients[0], 0.5, 4 * r.standardErrors[1]);
  EXPECT_NEAR(r.coefficients[1], 0.8, 4 * r.standardErrors[2]);
  EXPECT_NEAR(r.coefficients[2], -0.4, 4 * r.standardErrors[3]);
  EXPECT_LT(r.standardErrors.maxCoeff(), 0.03);
  EXPECT_LT(r.deviance, r.nullDeviance);
}

TEST(PoissonGlm, EqualsBruteForceNewtonWithAndWithoutOffset) {
  for (bool withOffset : {false, true}) {
    const auto s = simulate(500, -0.2, {0.3, 1.1, 0.2}, 99, withOffset);
    const auto r = fitPoissonGlm(s.x, s.y, s.offset);
    const auto ref = newtonReference(s.x, s.y, s.offset);
    ASSERT_TRUE(r.converged);
    EXPECT_NEAR(r.intercept, ref[0], 1e-8) << "offset " << withOffset;
    for (int j = 0; j < 3; ++j) EXPECT_NEAR(r.coefficients[j], ref[j + 1], 1e-8);
  }
}

TEST(PoissonGlm, StandardErrorsAreTheInverseFisherInformation) {
  const auto s = simulate(300, 0.1, {0.2, 0.5, 0.1}, 3, false);
  const auto r = fitPoissonGlm(s.x, s.y);
  Eigen::MatrixXd h = Eigen::MatrixXd::Zero(4, 4);
  for (Eigen::Index i = 0; i < s.x.rows(); ++i) {
    Eigen::Vector4d row(1.0, s.x(i, 0), s.x(i, 1), s.x(i, 2));
    h += std::exp(r.intercept + s.x.row(i).dot(r.coefficients)) * row * row.transpose();
  }
  const Eigen::VectorXd se = h.inverse().diagonal().cwiseSqrt();
  for (int j = 0; j < 4; ++j) EXPECT_NEAR(r.standardErrors[j], se[j], 1e-9);
}

TEST(PoissonGlm, InterceptOnlyIsTheLogMeanAndNullDeviance) {
  const Eigen::MatrixXd x(4, 0);
  const Eigen::VectorXd y = Eigen::Vector4d(0, 1, 2, 5);
  const auto r = fitPoissonGlm(x, y);
  EXPECT_NEAR(r.intercept, std::log(2.0), 1e-12);
  // 2 * [1 log(1/2) + 2 log(2/2) + 5 log(5/2)] (the sum of (y - mu) is 0).
  EXPECT_NEAR(r.deviance, 2.0 * (std::log(0.5) + 5.0 * std::log(2.5)), 1e-10);
  EXPECT_NEAR(r.nullDeviance, r.deviance, 1e-10);
}

TEST(PoissonGlm, RejectsNegativeCountsNamingTheRow) {
  Eigen::MatrixXd x(3, 1);
  x << 1, 2, 3;
  const Eigen::VectorXd y = Eigen::Vector3d(1, -2, 0);
  try {
    fitPoissonGlm(x, y);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().row, 2);
    EXPECT_EQ(e.where().field, "y");
    EXPECT_NE(std::string(e.what()).find(">= 0"), std::string::npos);
  }
  EXPECT_THROW(fitPoissonGlm(x, Eigen::Vector3d(0, 0, 0)), InputError);
}

TEST(PoissonElasticNet, L2FitEqualsScikitLearnFixture) {
  const auto f = readFixture();
  ASSERT_EQ(f.x.rows(), 120);
  ASSERT_EQ(f.coefs.size(), 3u);
  for (const auto& [skAlpha, c] : f.coefs) {
    const auto fit = l2Fit(f.x, f.y, skAlpha);
    ASSERT_TRUE(fit.converged);
    EXPECT_NEAR(fit.intercept, c[0], 1e-4) << "alpha " << skAlpha;
    for (int j = 0; j < 4; ++j)
      EXPECT_NEAR(fit.coefficients[j], c[j + 1], 1e-4) << "alpha " << skAlpha;
  }
}

TEST(PoissonElasticNet, TinyPenaltyEqualsTheGlm) {
  const auto s = simulate(400, 0.2, {0.4, 0.6, -0.3}, 5, false);
  const auto glm = fitPoissonGlm(s.x, s.y);
  const auto fit = l2Fit(s.x, s.y, 1e-10);
  EXPECT_NEAR(fit.intercept, glm.intercept, 1e-6);
  for (int j = 0; j < 3; ++j) EXPECT_NEAR(fit.coefficients[j], glm.coefficients[j], 1e-6);
}

TEST(PoissonElasticNet, PathEqualsPlainCoordinateDescentReference) {
  const auto s = simulate(80, 0.1, {0.5, 0.7, -0.2}, 21, false);
  for (double alpha : {1.0, 0.5, 0.0}) {
    ElasticNetOptions o;
    o.alpha = alpha;
    o.standardize = false;
    o.nLambda = 12;
    o.lambdaMinRatio = 0.01;
    o.tolerance = 1e-20;
    const auto path = fitPoissonElasticNet(s.x, s.y, {}, o);
    ASSERT_EQ(path.fits.size(), 12u);
    if (alpha > 0) {
      EXPECT_EQ(path.fits.front().nonZero, 0u) << "lambda_max keeps beta at 0";
    }
    for (std::size_t l = 0; l < path.fits.size(); l += 4) {
      const auto& f = path.fits[l];
      const auto ref = referenceNet(s.x, s.y, f.lambda, alpha);
      EXPECT_NEAR(f.intercept, ref[0], 1e-6) << "alpha " << alpha << " lambda " << f.lambda;
      for (int j = 0; j < 3; ++j)
        EXPECT_NEAR(f.coefficients[j], ref[j + 1], 1e-6) << "alpha " << alpha << " j " << j;
    }
  }
}

TEST(PoissonElasticNet, StandardisedSolutionSatisfiesKktConditions) {
  auto s = simulate(300, 0.0, {0.4, 0.9, 0.1}, 13, false);
  s.x.col(2) *= 1000.0;  // a column in metres: standardisation must make the scale irrelevant
  ElasticNetOptions o;
  o.alpha = 0.7;
  o.nLambda = 20;
  o.tolerance = 1e-20;
  const auto path = fitPoissonElasticNet(s.x, s.y, {}, o);
  const Eigen::Index n = s.x.rows();
  for (const auto& f : path.fits) {
    // On the standardised scale beta_s = beta * sd; the gradient of the loss wrt beta_s_j is
    // (1/n) sum (mu - y) (x_j - mean_j) / sd_j.
    const Eigen::VectorXd mu = ((s.x * f.coefficients).array() + f.intercept).exp().matrix();
    EXPECT_NEAR((mu - s.y).sum(), 0.0, 1e-6);  // intercept stationarity
    for (int j = 0; j < 3; ++j) {
      const double m = s.x.col(j).mean();
      const double sd = std::sqrt((s.x.col(j).array() - m).square().mean());
      const double g = ((s.x.col(j).array() - m) / sd * (mu - s.y).array()).sum() / double(n);
      const double b = f.coefficients[j] * sd;
      if (b == 0.0) {
        EXPECT_LE(std::abs(g), f.lambda * o.alpha + 1e-7);
      } else {
        const double kkt = g + f.lambda * (1 - o.alpha) * b + f.lambda * o.alpha * (b > 0 ? 1 : -1);
        EXPECT_NEAR(kkt, 0.0, 1e-6) << "lambda " << f.lambda << " j " << j;
      }
    }
  }
  EXPECT_EQ(path.fits.back().nonZero, 3u);
}

TEST(PoissonCrossValidation, FoldsAreBalancedAndSeeded) {
  const auto a = crossValidationFolds(103, {.folds = 5, .seed = 1});
  const auto b = crossValidationFolds(103, {.folds = 5, .seed = 1});
  const auto c = crossValidationFolds(103, {.folds = 5, .seed = 2});
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  std::vector<int> size(5, 0);
  for (auto f : a) ++size[f];
  for (int s : size) EXPECT_TRUE(s == 20 || s == 21);
  EXPECT_THROW(crossValidationFolds(3, {.folds = 5}), OptionError);
}

TEST(PoissonCrossValidation, DevianceIsTheHeldOutDevianceOfFoldFits) {
  const auto s = simulate(200, 0.0, {0.6, 0.0, 0.0}, 17, false);
  ElasticNetOptions o;
  o.nLambda = 15;
  const CrossValidationOptions cv{.folds = 4, .seed = 3};
  const auto r = crossValidatePoissonElasticNet(s.x, s.y, {}, o, cv);
  ASSERT_EQ(r.meanDeviance.size(), 15u);
  // Recompute one lambda's curve value by hand from the folds.
  const auto folds = crossValidationFolds(200, cv);
  const std::size_t l = 7;
  double total = 0.0;
  for (std::uint32_t k = 0; k < 4; ++k) {
    std::vector<Eigen::Index> train, test;
    for (Eigen::Index i = 0; i < 200; ++i) (folds[i] == k ? test : train).push_back(i);
    ElasticNetOptions one = o;
    one.lambdas.clear();
    for (std::size_t m = 0; m <= l; ++m) one.lambdas.push_back(r.path.fits[m].lambda);
    const auto fit = fitPoissonElasticNet(s.x(train, Eigen::all), s.y(train), {}, one).fits.back();
    for (auto i : test) {
      const double mu = std::exp(fit.intercept + s.x.row(i).dot(fit.coefficients));
      total += 2.0 * ((s.y[i] > 0 ? s.y[i] * std::log(s.y[i] / mu) : 0.0) - (s.y[i] - mu));
    }
  }
  EXPECT_NEAR(r.meanDeviance[l], total / 200.0, 1e-6);
  // The real signal is in column 0 only: the CV minimum keeps it.
  EXPECT_NE(r.path.fits[r.indexMin].coefficients[0], 0.0);
  EXPECT_LE(r.index1se, r.indexMin);
  EXPECT_LT(r.meanDeviance[r.indexMin], r.meanDeviance[0]);
}
