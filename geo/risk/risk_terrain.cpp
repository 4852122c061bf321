#include "geo/risk/risk_terrain.h"

#include <cmath>
#include <limits>
#include <string>

#include "geo/core/error.h"
#include "geo/risk/poisson.h"

namespace veldwacht::geo {
namespace {

struct Observations {
  std::vector<std::size_t> cells;  ///< grid index of each observation
  Eigen::VectorXd y;
};

Observations observations(std::span<const double> counts, std::span<const std::uint8_t> inArea) {
  if (!inArea.empty() && inArea.size() != counts.size())
    throw InputError({{}, std::nullopt, "inArea"}, "has " + std::to_string(inArea.size()) +
                                                       " flags, expected one per cell (" +
                                                       std::to_string(counts.size()) + ")");
  Observations o;
  for (std::size_t i = 0; i < counts.size(); ++i)
    if (inArea.empty() || inArea[i]) o.cells.push_back(i);
  o.y.resize(Eigen::Index(o.cells.size()));
  for (std::size_t k = 0; k < o.cells.size(); ++k) {
    const double c = counts[o.cells[k]];
    if (!std::isfinite(c) || c < 0.0)
      throw InputError({"counts", std::int64_t(o.cells[k] + 1), "count"},
                       "must be finite and >= 0, got " + std::to_string(c));
    o.y[Eigen::Index(k)] = c;
  }
  return o;
}

Eigen::VectorXd column(const Observations& obs, const Operationalisation& c,
                       const std::string& factor, std::size_t cellCount) {
  if (c.values.size() != cellCount)
    throw InputError({factor, std::nullopt, c.label}, "has " + std::to_string(c.values.size()) +
                                                          " values, expected one per cell (" +
                                                          std::to_string(cellCount) + ")");
  Eigen::VectorXd v(Eigen::Index(obs.cells.size()));
  for (std::size_t k = 0; k < obs.cells.size(); ++k) {
    const double x = c.values[obs.cells[k]];
    if (!std::isfinite(x))
      throw InputError({factor, std::int64_t(obs.cells[k] + 1), c.label}, "must be finite");
    v[Eigen::Index(k)] = x;
  }
  return v;
}

bool isConstant(const Eigen::VectorXd& v) {
  return v.size() == 0 || v.maxCoeff() - v.minCoeff() <= 1e-12 * (1.0 + v.cwiseAbs().maxCoeff());
}

/// Separation (Albert & Anderson 1984): the MLE runs off to infinity when, e.g., no event falls
/// in any cell a binary factor marks; IRLS then "converges" with a huge negative coefficient and
/// fitted rates of practically zero. Detected by a fitted rate below 1e-6 of the mean rate.
bool separated(const Eigen::MatrixXd& x, const PoissonGlmResult& fit) {
  const Eigen::ArrayXd mu = ((x * fit.coefficients).array() + fit.intercept).exp();
  return mu.minCoeff() < 1e-6 * mu.mean();
}

/// Mean held-out deviance per observation of an unpenalised GLM on `x` (0 columns = intercept
/// only) over the folds; infinity when a fold's fit is separated (the candidate cannot be
/// estimated).
double cvDevianceGlm(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                     const std::vector<std::uint32_t>& folds, std::size_t k) {
  double total = 0.0;
  PoissonGlmOptions o;
  o.maxIterations = 30;
  o.tolerance = 1e-9;
  for (std::uint32_t f = 0; f < k; ++f) {
    std::vector<Eigen::Index> train, test;
    for (std::size_t i = 0; i < folds.size(); ++i)
      (folds[i] == f ? test : train).push_back(Eigen::Index(i));
    const Eigen::VectorXd yt = y(train);
    if (yt.sum() <= 0.0) return std::numeric_limits<double>::infinity();
    const Eigen::MatrixXd xt = x(train, Eigen::all);
    const auto fit = fitPoissonGlm(xt, yt, {}, o);
    if (separated(xt, fit)) return std::numeric_limits<double>::infinity();
    const Eigen::VectorXd mu =
        ((x(test, Eigen::all) * fit.coefficients).array() + fit.intercept).exp().matrix();
    total += poissonDeviance(y(test), mu);
  }
  return total / double(y.size());
}

}  // namespace

void RiskTerrainOptions::validate() const {
  net.validate();
  if (cv.folds < 2) throw OptionError("cv.folds", "must be >= 2");
}

RiskTerrainResult fitRiskTerrain(std::span<const double> counts,
                                 std::span<const std::uint8_t> inArea,
                                 std::span<const RiskFactor> factors,
                                 const RiskTerrainOptions& options, Progress& progress) {
  options.validate();
  const Observations obs = observations(counts, inArea);
  if (obs.y.sum() <= 0.0)
    throw InputError({"counts", std::nullopt, "count"},
                     "no events in the study area: nothing to model");
  RiskTerrainResult r;
  r.cells = obs.cells.size();
  const auto folds = crossValidationFolds(obs.cells.size(), options.cv);
  r.nullCvDeviance =
      cvDevianceGlm(Eigen::MatrixXd(Eigen::Index(r.cells), 0), obs.y, folds, options.cv.folds);

  // Step 1: one operationalisation per factor, by univariate CV deviance.
  std::size_t totalCandidates = 0;
  for (const auto& f : factors) totalCandidates += f.candidates.size();
  ProgressStep screen(progress, 0.0, 0.6, "choosing operationalisations");
  std::size_t done = 0;
  std::vector<Eigen::VectorXd> chosen;
  std::vector<std::size_t> chosenFactor;
  for (std::size_t fi = 0; fi < factors.size(); ++fi) {
    const RiskFactor& f = factors[fi];
    FactorSummary s;
    s.name = f.name;
    s.cvDeviance = std::numeric_limits<double>::infinity();
    Eigen::VectorXd best;
    for (std::size_t ci = 0; ci < f.candidates.size(); ++ci) {
      const auto& c = f.candidates[ci];
      const Eigen::VectorXd v = column(obs, c, f.name, counts.size());
      if (!isConstant(v)) {
        const double dev = cvDevianceGlm(v, obs.y, folds, options.cv.folds);
        if (dev < s.cvDeviance) {
          s.cvDeviance = dev;
          s.operationalisation = c.label;
          s.kind = c.kind;
          s.distance = c.distance;
          s.halfLifeDays = c.halfLifeDays;
          s.candidate = std::int64_t(ci);
          best = v;
        }
      }
      screen.tick(++done, totalCandidates);
    }
    if (s.operationalisation.empty()) {
      r.warnings.push_back(f.name +
                           ": no candidate can be estimated (constant over the study area, or "
                           "separated: no events where it applies)");
    } else if (!(s.cvDeviance < r.nullCvDeviance)) {
      r.warnings.push_back(f.name + ": best candidate (" + s.operationalisation +
                           ") does not predict better than no factor; dropped");
    } else {
      chosen.push_back(best);
      chosenFactor.push_back(fi);
    }
    r.factors.push_back(s);
  }
  screen.done();

  const Eigen::Index n = Eigen::Index(r.cells);
  double intercept = std::log(obs.y.mean());
  if (!chosen.empty()) {
    // Step 2: elastic net over the chosen operationalisations, lambda by CV.
    Eigen::MatrixXd x(n, Eigen::Index(chosen.size()));
    for (std::size_t j = 0; j < chosen.size(); ++j) x.col(Eigen::Index(j)) = chosen[j];
    SubProgress sub(progress, 0.6, 0.95);
    const auto cvr = crossValidatePoissonElasticNet(x, obs.y, {}, options.net, options.cv, sub);
    const std::size_t at = options.oneStandardError ? cvr.index1se : cvr.indexMin;
    const auto& fit = cvr.path.fits[at];
    r.lambda = fit.lambda;
    r.modelCvDeviance = cvr.meanDeviance[at];
    for (const auto& w : cvr.path.warnings) r.warnings.push_back("elastic net: " + w);
    std::vector<Eigen::Index> keep;
    for (Eigen::Index j = 0; j < x.cols(); ++j)
      if (fit.coefficients[j] != 0.0) keep.push_back(j);
    Eigen::VectorXd coef = fit.coefficients;
    Eigen::VectorXd se = Eigen::VectorXd::Zero(x.cols());
    intercept = fit.intercept;
    // Step 3: unpenalised refit on the selected factors (kept only when it can be estimated).
    if (options.refitUnpenalised && !keep.empty()) {
      const Eigen::MatrixXd xk = x(Eigen::all, keep);
      const auto glm = fitPoissonGlm(xk, obs.y);
      for (const auto& w : glm.warnings) r.warnings.push_back("refit: " + w);
      if (separated(xk, glm) || !glm.converged) {
        r.warnings.push_back(
            "the unpenalised refit is separated or did not converge: the elastic-net "
            "coefficients are reported");
      } else {
        coef.setZero();
        for (std::size_t k = 0; k < keep.size(); ++k) {
          coef[keep[k]] = glm.coefficients[Eigen::Index(k)];
          se[keep[k]] = glm.standardErrors[Eigen::Index(k + 1)];
        }
        intercept = glm.intercept;
      }
    }
    double spread = 0.0;
    std::vector<double> part(chosen.size(), 0.0);
    for (std::size_t j = 0; j < chosen.size(); ++j) {
      const Eigen::VectorXd& v = chosen[j];
      const double sd = std::sqrt((v.array() - v.mean()).square().mean());
      part[j] = std::abs(coef[Eigen::Index(j)]) * sd;
      spread += part[j];
    }
    for (std::size_t j = 0; j < chosen.size(); ++j) {
      FactorSummary& s = r.factors[chosenFactor[j]];
      s.coefficient = coef[Eigen::Index(j)];
      s.selected = s.coefficient != 0.0;
      s.relativeRisk = std::exp(s.coefficient);
      s.standardError = se[Eigen::Index(j)];
      s.importance = spread > 0.0 ? part[j] / spread : 0.0;
    }
  } else {
    r.modelCvDeviance = r.nullCvDeviance;
  }
  r.intercept = intercept;

  // Surfaces over the whole grid (factor values exist for every cell).
  r.relativeRisk.assign(counts.size(), r.nodata);
  r.expectedCount.assign(counts.size(), r.nodata);
  for (std::size_t k = 0; k < obs.cells.size(); ++k) {
    double eta = 0.0;
    for (std::size_t j = 0; j < chosen.size(); ++j)
      eta += r.factors[chosenFactor[j]].coefficient * chosen[j][Eigen::Index(k)];
    r.relativeRisk[obs.cells[k]] = std::exp(eta);
    r.expectedCount[obs.cells[k]] = std::exp(intercept + eta);
  }
  progress.setFraction(1.0);
  return r;
}

void applyRiskTerrain(RiskTerrainResult& model, std::span<const RiskFactor> factors,
                      std::span<const std::uint8_t> inArea) {
  if (factors.size() != model.factors.size())
    throw InputError({{}, std::nullopt, "factors"},
                     "needs the " + std::to_string(model.factors.size()) +
                         " factors of the model, got " + std::to_string(factors.size()));
  std::size_t cells = 0;
  std::vector<const std::vector<double>*> values;
  std::vector<double> coefficients;
  for (std::size_t k = 0; k < factors.size(); ++k) {
    const FactorSummary& s = model.factors[k];
    if (factors[k].name != s.name)
      throw InputError({factors[k].name, std::nullopt, ""},
                       "is not the model's factor " + std::to_string(k + 1) + " (" + s.name + ")");
    if (!s.selected || s.coefficient == 0.0) continue;
    if (s.candidate < 0 || std::size_t(s.candidate) >= factors[k].candidates.size() ||
        factors[k].candidates[std::size_t(s.candidate)].label != s.operationalisation)
      throw InputError({s.name, std::nullopt, s.operationalisation},
                       "the factor lacks the model's operationalisation");
    values.push_back(&factors[k].candidates[std::size_t(s.candidate)].values);
    coefficients.push_back(s.coefficient);
    cells = values.back()->size();
  }
  if (values.empty()) cells = model.relativeRisk.size();
  for (const auto* v : values)
    if (v->size() != cells)
      throw InputError({{}, std::nullopt, "factors"}, "candidates differ in their number of cells");
  if (!inArea.empty() && inArea.size() != cells)
    throw InputError({{}, std::nullopt, "inArea"}, "needs one flag per cell");
  model.relativeRisk.assign(cells, model.nodata);
  model.expectedCount.assign(cells, model.nodata);
  for (std::size_t i = 0; i < cells; ++i) {
    if (!inArea.empty() && !inArea[i]) continue;
    double eta = 0.0;
    for (std::size_t j = 0; j < values.size(); ++j) eta += coefficients[j] * (*values[j])[i];
    model.relativeRisk[i] = std::exp(eta);
    model.expectedCount[i] = std::exp(model.intercept + eta);
  }
}

}  // namespace veldwacht::geo
