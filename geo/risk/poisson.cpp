#include "geo/risk/poisson.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "geo/core/error.h"

namespace veldwacht::geo {
namespace {

void checkData(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const Eigen::VectorXd& offset) {
  const Eigen::Index n = y.size();
  if (x.rows() != n)
    throw InputError({{}, std::nullopt, "x"}, "design matrix has " + std::to_string(x.rows()) +
                                                  " rows, expected one per count (" +
                                                  std::to_string(n) + ")");
  if (offset.size() != 0 && offset.size() != n)
    throw InputError(
        {{}, std::nullopt, "offset"},
        "has " + std::to_string(offset.size()) + " values, expected none or " + std::to_string(n));
  if (n == 0) throw InputError({}, "no observations");
  double total = 0.0;
  for (Eigen::Index i = 0; i < n; ++i) {
    if (!std::isfinite(y[i]) || y[i] < 0.0)
      throw InputError({{}, i + 1, "y"},
                       "count must be finite and >= 0, got " + std::to_string(y[i]));
    total += y[i];
    for (Eigen::Index j = 0; j < x.cols(); ++j)
      if (!std::isfinite(x(i, j)))
        throw InputError({{}, i + 1, "x[" + std::to_string(j) + "]"}, "must be finite");
    if (offset.size() != 0 && !std::isfinite(offset[i]))
      throw InputError({{}, i + 1, "offset"}, "must be finite");
  }
  if (total <= 0.0)
    throw InputError({{}, std::nullopt, "y"}, "all counts are zero: nothing to fit");
}

Eigen::VectorXd offsetOrZero(const Eigen::VectorXd& offset, Eigen::Index n) {
  return offset.size() == 0 ? Eigen::VectorXd::Zero(n) : offset;
}

/// Intercept-only fit with offset: b0 = log(sum y / sum exp(offset)).
double nullIntercept(const Eigen::VectorXd& y, const Eigen::VectorXd& off) {
  return std::log(y.sum() / off.array().exp().sum());
}

double nullDevianceOf(const Eigen::VectorXd& y, const Eigen::VectorXd& off, bool intercept) {
  const double b0 = intercept ? nullIntercept(y, off) : 0.0;
  return poissonDeviance(y, (off.array() + b0).exp().matrix());
}

double softThreshold(double u, double t) {
  if (u > t) return u - t;
  if (u < -t) return u + t;
  return 0.0;
}

}  // namespace

double poissonDeviance(const Eigen::VectorXd& y, const Eigen::VectorXd& mu) {
  double d = 0.0;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    d += (y[i] > 0.0 ? y[i] * std::log(y[i] / mu[i]) : 0.0) - (y[i] - mu[i]);
  }
  return 2.0 * d;
}

void PoissonGlmOptions::validate() const {
  if (maxIterations < 1) throw OptionError("maxIterations", "must be >= 1");
  if (!(tolerance > 0.0)) throw OptionError("tolerance", "must be > 0");
}

PoissonGlmResult fitPoissonGlm(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                               const Eigen::VectorXd& offset, const PoissonGlmOptions& options) {
  options.validate();
  checkData(x, y, offset);
  const Eigen::Index n = y.size(), p = x.cols();
  const Eigen::Index k = p + (options.intercept ? 1 : 0);
  const Eigen::VectorXd off = offsetOrZero(offset, n);
  Eigen::MatrixXd x1(n, k);
  if (options.intercept) x1.col(0).setOnes();
  x1.rightCols(p) = x;

  PoissonGlmResult r;
  r.nullDeviance = nullDevianceOf(y, off, options.intercept);
  Eigen::VectorXd coef = Eigen::VectorXd::Zero(k);
  Eigen::VectorXd mu = (y.array() + 0.1).matrix();
  Eigen::VectorXd eta = mu.array().log().matrix();
  double devOld = std::numeric_limits<double>::infinity();
  bool haveCoef = false;
  if (k == 0) {
    mu = off.array().exp().matrix();
    r.deviance = poissonDeviance(y, mu);
    r.converged = true;
    return r;
  }
  for (int it = 1; it <= options.maxIterations; ++it) {
    const Eigen::ArrayXd w = mu.array();
    const Eigen::ArrayXd sw = w.sqrt();
    const Eigen::VectorXd z = (eta - off).array() + (y - mu).array() / w;
    const Eigen::MatrixXd a = sw.matrix().asDiagonal() * x1;
    const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(a);
    if (qr.rank() < k && r.warnings.empty())
      r.warnings.push_back("design matrix is rank deficient (rank " + std::to_string(qr.rank()) +
                           " of " + std::to_string(k) + " columns)");
    Eigen::VectorXd next = qr.solve((sw * z.array()).matrix());
    Eigen::VectorXd etaNew = off + x1 * next;
    Eigen::VectorXd muNew = etaNew.array().exp().matrix();
    double dev = poissonDeviance(y, muNew);
    // Step halving while the deviance is not finite or grows (R's glm halves on non-finite only;
    // growth can only happen far from the optimum).
    for (int h = 0; haveCoef && h < 40 && (!std::isfinite(dev) || dev > devOld * (1 + 1e-12));
         ++h) {
      next = 0.5 * (next + coef);
      etaNew = off + x1 * next;
      muNew = etaNew.array().exp().matrix();
      dev = poissonDeviance(y, muNew);
    }
    if (!std::isfinite(dev))
      throw Error("Poisson GLM: the deviance became infinite (IRLS diverged)");
    coef = next;
    haveCoef = true;
    eta = etaNew;
    mu = muNew;
    r.iterations = it;
    const bool done = std::abs(dev - devOld) / (std::abs(dev) + 0.1) < options.tolerance;
    devOld = dev;
    if (done) {
      r.converged = true;
      break;
    }
  }
  if (!r.converged)
    r.warnings.push_back("IRLS did not converge in " + std::to_string(options.maxIterations) +
                         " iterations (separation: a factor present only where counts are zero?)");
  r.deviance = devOld;
  r.intercept = options.intercept ? coef[0] : 0.0;
  r.coefficients = coef.tail(p);
  const Eigen::MatrixXd info = x1.transpose() * mu.asDiagonal() * x1;
  const Eigen::MatrixXd cov = info.completeOrthogonalDecomposition().pseudoInverse();
  r.standardErrors = cov.diagonal().array().max(0.0).sqrt().matrix();
  return r;
}

void ElasticNetOptions::validate() const {
  if (!(alpha >= 0.0 && alpha <= 1.0)) throw OptionError("alpha", "must be in [0, 1]");
  for (std::size_t i = 0; i < lambdas.size(); ++i) {
    if (!(lambdas[i] > 0.0) || !std::isfinite(lambdas[i]))
      throw OptionError("lambdas", "must be finite and > 0");
    if (i > 0 && !(lambdas[i] < lambdas[i - 1]))
      throw OptionError("lambdas", "must be strictly decreasing");
  }
  if (lambdas.empty() && nLambda < 1) throw OptionError("nLambda", "must be >= 1");
  if (!(lambdaMinRatio >= 0.0 && lambdaMinRatio < 1.0))
    throw OptionError("lambdaMinRatio", "must be in [0, 1)");
  if (!(tolerance > 0.0)) throw OptionError("tolerance", "must be > 0");
  if (maxOuterIterations < 1) throw OptionError("maxOuterIterations", "must be >= 1");
  if (maxInnerPasses < 1) throw OptionError("maxInnerPasses", "must be >= 1");
}

namespace {

/// The coordinate-descent state of one path: the centred (and scaled) design and the current
/// coefficients on that scale.
class NetSolver {
 public:
  NetSolver(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const Eigen::VectorXd& off,
            const ElasticNetOptions& o)
      : y_(y), off_(off), o_(o), n_(double(y.size())) {
    const Eigen::Index p = x.cols();
    mean_ = Eigen::VectorXd::Zero(p);
    scale_ = Eigen::VectorXd::Ones(p);
    usable_.assign(std::size_t(p), true);
    xs_ = x;
    for (Eigen::Index j = 0; j < p; ++j) {
      const double m = x.col(j).mean();
      const double sd = std::sqrt((x.col(j).array() - m).square().mean());
      if (!(sd > 1e-12 * (1.0 + std::abs(m)))) usable_[std::size_t(j)] = false;
      if (o.intercept) mean_[j] = m;
      if (o.standardize && usable_[std::size_t(j)]) scale_[j] = sd;
      xs_.col(j) = (x.col(j).array() - mean_[j]) / scale_[j];
    }
    beta_ = Eigen::VectorXd::Zero(p);
    b0_ = o.intercept ? nullIntercept(y, off) : 0.0;
  }

  double lambdaMax() const {
    const Eigen::VectorXd mu = (off_.array() + b0_).exp().matrix();
    double g = 0.0;
    for (Eigen::Index j = 0; j < xs_.cols(); ++j)
      if (usable_[std::size_t(j)]) g = std::max(g, std::abs(xs_.col(j).dot(y_ - mu)) / n_);
    return g / std::max(o_.alpha, 1e-3);
  }

  double objective(double b0, const Eigen::VectorXd& beta, double lambda) const {
    const Eigen::VectorXd eta = (off_ + xs_ * beta).array() + b0;
    const double loss = (eta.array().exp() - y_.array() * eta.array()).sum() / n_;
    return loss +
           lambda * ((1.0 - o_.alpha) / 2.0 * beta.squaredNorm() + o_.alpha * beta.lpNorm<1>());
  }

  /// Fits one lambda from the current (warm) state.
  ElasticNetFit fit(double lambda) {
    ElasticNetFit f;
    f.lambda = lambda;
    const Eigen::Index p = xs_.cols();
    double obj = objective(b0_, beta_, lambda);
    for (int outer = 1; outer <= o_.maxOuterIterations; ++outer) {
      f.outerIterations = outer;
      const Eigen::VectorXd eta = (off_ + xs_ * beta_).array() + b0_;
      const Eigen::VectorXd mu = eta.array().exp().matrix();
      const Eigen::VectorXd w = mu / n_;
      Eigen::VectorXd res = ((y_ - mu).array() / mu.array()).matrix();
      Eigen::VectorXd xwx(p);
      for (Eigen::Index j = 0; j < p; ++j) xwx[j] = w.dot(xs_.col(j).cwiseAbs2());
      const double sumW = w.sum();
      const double b0Old = b0_;
      const Eigen::VectorXd betaOld = beta_;
      coordinateDescent(lambda, w, xwx, sumW, res);
      double objNew = objective(b0_, beta_, lambda);
      for (int h = 0; h < 40 && !(objNew <= obj + 1e-14 * std::abs(obj)); ++h) {
        b0_ = 0.5 * (b0_ + b0Old);
        beta_ = 0.5 * (beta_ + betaOld);
        objNew = objective(b0_, beta_, lambda);
      }
      double change = o_.intercept ? sumW * (b0_ - b0Old) * (b0_ - b0Old) : 0.0;
      for (Eigen::Index j = 0; j < p; ++j)
        change = std::max(change, xwx[j] * (beta_[j] - betaOld[j]) * (beta_[j] - betaOld[j]));
      obj = objNew;
      if (change < o_.tolerance) {
        f.converged = true;
        break;
      }
    }
    const Eigen::VectorXd eta = (off_ + xs_ * beta_).array() + b0_;
    f.deviance = poissonDeviance(y_, eta.array().exp().matrix());
    f.coefficients = (beta_.array() / scale_.array()).matrix();
    f.intercept = b0_ - f.coefficients.dot(mean_);
    f.nonZero = std::size_t((beta_.array() != 0.0).count());
    return f;
  }

 private:
  /// Minimises the penalised weighted least-squares approximation by cyclic coordinate descent:
  /// full passes, then passes over the non-zero (active) set until they settle, repeated until a
  /// full pass changes nothing beyond the tolerance (glmnet's active-set strategy).
  void coordinateDescent(double lambda, const Eigen::VectorXd& w, const Eigen::VectorXd& xwx,
                         double sumW, Eigen::VectorXd& res) {
    const Eigen::Index p = xs_.cols();
    const double l1 = lambda * o_.alpha, l2 = lambda * (1.0 - o_.alpha);
    auto pass = [&](bool activeOnly) {
      double maxChange = 0.0;
      if (o_.intercept) {
        const double d = w.dot(res) / sumW;
        b0_ += d;
        res.array() -= d;
        maxChange = sumW * d * d;
      }
      for (Eigen::Index j = 0; j < p; ++j) {
        if (!usable_[std::size_t(j)] || (activeOnly && beta_[j] == 0.0)) continue;
        const double u = xs_.col(j).dot(w.cwiseProduct(res)) + xwx[j] * beta_[j];
        const double next = softThreshold(u, l1) / (xwx[j] + l2);
        const double d = next - beta_[j];
        if (d == 0.0) continue;
        beta_[j] = next;
        res -= d * xs_.col(j);
        maxChange = std::max(maxChange, xwx[j] * d * d);
      }
      return maxChange;
    };
    for (int passes = 0; passes < o_.maxInnerPasses;) {
      const double full = pass(false);
      ++passes;
      if (full < o_.tolerance) return;
      while (passes < o_.maxInnerPasses && pass(true) >= o_.tolerance) ++passes;
    }
  }

  const Eigen::VectorXd& y_;
  const Eigen::VectorXd& off_;
  const ElasticNetOptions& o_;
  double n_;
  Eigen::MatrixXd xs_;
  Eigen::VectorXd mean_, scale_, beta_;
  std::vector<bool> usable_;
  double b0_ = 0.0;
};

}  // namespace

ElasticNetPath fitPoissonElasticNet(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                    const Eigen::VectorXd& offset, const ElasticNetOptions& options,
                                    Progress& progress) {
  options.validate();
  checkData(x, y, offset);
  const Eigen::VectorXd off = offsetOrZero(offset, y.size());
  NetSolver solver(x, y, off, options);
  ElasticNetPath path;
  path.nullDeviance = nullDevianceOf(y, off, options.intercept);
  path.lambdaMax = solver.lambdaMax();
  std::vector<double> lambdas = options.lambdas;
  if (lambdas.empty()) {
    const double ratio = options.lambdaMinRatio > 0.0 ? options.lambdaMinRatio
                         : y.size() > x.cols()        ? 1e-4
                                                      : 1e-2;
    const double top = path.lambdaMax > 0.0 ? path.lambdaMax : 1.0;
    for (std::size_t i = 0; i < options.nLambda; ++i) {
      const double t = options.nLambda == 1 ? 0.0 : double(i) / double(options.nLambda - 1);
      lambdas.push_back(top * std::pow(ratio, t));
    }
  }
  ProgressStep step(progress, 0.0, 1.0, "elastic net path");
  for (std::size_t i = 0; i < lambdas.size(); ++i) {
    path.fits.push_back(solver.fit(lambdas[i]));
    if (!path.fits.back().converged)
      path.warnings.push_back("lambda " + std::to_string(lambdas[i]) + ": did not converge");
    step.tick(i + 1, lambdas.size());
  }
  step.done();
  return path;
}

void CrossValidationOptions::validate(std::size_t rows) const {
  if (folds < 2) throw OptionError("folds", "must be >= 2");
  if (folds > rows) throw OptionError("folds", "must not exceed the number of observations");
}

std::vector<std::uint32_t> crossValidationFolds(std::size_t rows,
                                                const CrossValidationOptions& options) {
  options.validate(rows);
  std::vector<std::uint32_t> order(rows);
  for (std::size_t i = 0; i < rows; ++i) order[i] = std::uint32_t(i);
  std::mt19937_64 rng(options.seed);
  for (std::size_t i = rows; i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
  std::vector<std::uint32_t> fold(rows);
  for (std::size_t r = 0; r < rows; ++r) fold[order[r]] = std::uint32_t(r % options.folds);
  return fold;
}

CrossValidationResult crossValidatePoissonElasticNet(
    const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const Eigen::VectorXd& offset,
    const ElasticNetOptions& options, const CrossValidationOptions& cv, Progress& progress) {
  options.validate();
  checkData(x, y, offset);
  const auto folds = crossValidationFolds(std::size_t(y.size()), cv);
  const Eigen::VectorXd off = offsetOrZero(offset, y.size());
  CrossValidationResult r;
  const double share = 1.0 / double(cv.folds + 1);
  {
    SubProgress sub(progress, 0.0, share);
    r.path = fitPoissonElasticNet(x, y, off, options, sub);
  }
  ElasticNetOptions foldOptions = options;
  foldOptions.lambdas.clear();
  for (const auto& f : r.path.fits) foldOptions.lambdas.push_back(f.lambda);
  const std::size_t nl = foldOptions.lambdas.size();
  std::vector<std::vector<double>> foldDev(cv.folds, std::vector<double>(nl, 0.0));
  std::vector<double> foldSize(cv.folds, 0.0);
  for (std::size_t k = 0; k < cv.folds; ++k) {
    std::vector<Eigen::Index> train, test;
    for (std::size_t i = 0; i < folds.size(); ++i)
      (folds[i] == k ? test : train).push_back(Eigen::Index(i));
    const Eigen::MatrixXd xt = x(train, Eigen::all);
    const Eigen::VectorXd yt = y(train), ot = off(train);
    SubProgress sub(progress, share * double(k + 1), share * double(k + 2));
    const auto path = fitPoissonElasticNet(xt, yt, ot, foldOptions, sub);
    const Eigen::MatrixXd xh = x(test, Eigen::all);
    const Eigen::VectorXd yh = y(test), oh = off(test);
    foldSize[k] = double(test.size());
    for (std::size_t l = 0; l < nl; ++l) {
      const auto& f = path.fits[l];
      const Eigen::VectorXd mu = ((oh + xh * f.coefficients).array() + f.intercept).exp().matrix();
      foldDev[k][l] = poissonDeviance(yh, mu);
    }
  }
  const double n = double(y.size());
  r.meanDeviance.assign(nl, 0.0);
  r.seDeviance.assign(nl, 0.0);
  for (std::size_t l = 0; l < nl; ++l) {
    double total = 0.0;
    for (std::size_t k = 0; k < cv.folds; ++k) total += foldDev[k][l];
    const double mean = total / n;
    double var = 0.0;
    for (std::size_t k = 0; k < cv.folds; ++k) {
      const double d = foldDev[k][l] / foldSize[k] - mean;
      var += foldSize[k] * d * d;
    }
    r.meanDeviance[l] = mean;
    r.seDeviance[l] = std::sqrt(var / n / double(cv.folds - 1));
  }
  for (std::size_t l = 1; l < nl; ++l)
    if (r.meanDeviance[l] < r.meanDeviance[r.indexMin]) r.indexMin = l;
  const double limit = r.meanDeviance[r.indexMin] + r.seDeviance[r.indexMin];
  r.index1se = r.indexMin;
  for (std::size_t l = 0; l < r.indexMin; ++l)
    if (r.meanDeviance[l] <= limit) {
      r.index1se = l;
      break;
    }
  return r;
}

}  // namespace veldwacht::geo
