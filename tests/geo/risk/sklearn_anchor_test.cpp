// Anchor: the L2-penalised Poisson fit against scikit-learn's PoissonRegressor, run live in a
// subprocess on a design generated here (label `anchor`; skipped when /usr/bin/python3 has no
// scikit-learn). sklearn minimises 1/(2n) deviance + a/2 ||w||^2, which is our objective with
// lambda = a, alpha = 0, no standardisation (poisson.h).
#include <gtest/gtest.h>

#include <unistd.h>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "geo/risk/poisson.h"

using namespace veldwacht::geo;

namespace {

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, pipe)) out += buf;
  if (pclose(pipe) != 0) out.clear();
  return out;
}

}  // namespace

TEST(ScikitLearnAnchor, L2PoissonCoefficientsAgreeWithin1e4) {
  if (run("/usr/bin/python3 -c 'import sklearn' 2>/dev/null && echo ok").find("ok") ==
      std::string::npos)
    GTEST_SKIP() << "scikit-learn not available to /usr/bin/python3";
  // 400 cells: two binary (proximity-like) factors, one density-like, one distance in km.
  std::mt19937_64 rng(424242);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const Eigen::Index n = 400, p = 4;
  Eigen::MatrixXd x(n, p);
  Eigen::VectorXd y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    x(i, 0) = u(rng) < 0.2 ? 1.0 : 0.0;
    x(i, 1) = u(rng) < 0.4 ? 1.0 : 0.0;
    x(i, 2) = -std::log(1.0 - u(rng)) * 3.0;
    x(i, 3) = 5.0 * u(rng);
    const double eta = -1.0 + 1.0 * x(i, 0) + 0.4 * x(i, 1) + 0.1 * x(i, 2) - 0.2 * x(i, 3);
    std::poisson_distribution<int> pois(std::exp(eta));
    y[i] = pois(rng);
  }
  const auto path = std::filesystem::temp_directory_path() /
                    ("veldwacht_risk_anchor_" + std::to_string(::getpid()) + ".csv");
  {
    std::ofstream f(path);
    f.precision(17);
    for (Eigen::Index i = 0; i < n; ++i) {
      for (Eigen::Index j = 0; j < p; ++j) f << x(i, j) << ',';
      f << y[i] << '\n';
    }
  }
  const std::vector<double> alphas{0.003, 0.05, 0.5};
  const std::string script =
      "import sys,numpy as np\n"
      "from sklearn.linear_model import PoissonRegressor\n"
      "d=np.loadtxt(sys.argv[1],delimiter=',')\n"
      "for a in (0.003,0.05,0.5):\n"
      "  m=PoissonRegressor(alpha=a,solver='newton-cholesky',tol=1e-12,max_iter=10000)"
      ".fit(d[:,:-1],d[:,-1])\n"
      "  print(repr(float(m.intercept_)),*[repr(float(c)) for c in m.coef_])\n";
  const std::string out = run("/usr/bin/python3 -c \"" + script + "\" " + path.string());
  std::filesystem::remove(path);
  ASSERT_FALSE(out.empty()) << "the scikit-learn subprocess failed";
  std::istringstream lines(out);
  for (double a : alphas) {
    std::vector<double> sk(std::size_t(p + 1));
    for (auto& v : sk) ASSERT_TRUE(lines >> v);
    ElasticNetOptions o;
    o.alpha = 0.0;
    o.standardize = false;
    o.lambdas = {a};
    o.tolerance = 1e-20;
    const auto fit = fitPoissonElasticNet(x, y, {}, o).fits.at(0);
    EXPECT_NEAR(fit.intercept, sk[0], 1e-4) << "alpha " << a;
    for (Eigen::Index j = 0; j < p; ++j)
      EXPECT_NEAR(fit.coefficients[j], sk[std::size_t(j + 1)], 1e-4) << "alpha " << a << " j " << j;
  }
}
