#include "geo/planning/instances.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "geo/core/error.h"

namespace veldwacht::geo {

namespace {

struct Xy {
  double x, y;
};

std::vector<double> euclidean(const std::vector<Xy>& pts, int decimals) {
  const std::size_t n = pts.size();
  std::vector<double> t(n * n);
  const double scale = decimals >= 0 ? std::pow(10.0, decimals) : 0.0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      double d = std::hypot(pts[i].x - pts[j].x, pts[i].y - pts[j].y);
      if (decimals >= 0) d = std::floor(d * scale + 1e-9) / scale;
      t[i * n + j] = d;
    }
  return t;
}

std::string stem(const std::string& path) { return std::filesystem::path(path).stem().string(); }

}  // namespace

PlanInstance readTopInstance(const std::string& path, std::size_t m) {
  std::ifstream f(path);
  if (!f) throw InputError({path, std::nullopt, ""}, "cannot open the file");
  std::size_t n = 0, p = 0;
  double tmax = 0.0;
  std::string key;
  if (!(f >> key >> n) || key != "n" || !(f >> key >> p) || key != "m" || !(f >> key >> tmax) ||
      key != "tmax")
    throw InputError({path, 1, ""}, "expected the header lines `n N`, `m P`, `tmax T`");
  if (n < 2) throw InputError({path, 1, "n"}, "expected at least 2 points (start and end)");
  std::vector<Xy> pts(n);
  std::vector<double> score(n);
  for (std::size_t i = 0; i < n; ++i)
    if (!(f >> pts[i].x >> pts[i].y >> score[i]))
      throw InputError({path, std::int64_t(i + 4), ""}, "expected `x y score`");
  PlanInstance inst;
  inst.name = stem(path);
  inst.nodes = n;
  inst.times = euclidean(pts, -1);
  for (std::size_t i = 1; i + 1 < n; ++i) {
    PlanSite s;
    s.node = i;
    s.score = score[i];
    inst.sites.push_back(s);
  }
  const std::size_t routes = m == 0 ? p : m;
  for (std::size_t k = 0; k < routes; ++k) {
    PlanRoute r;
    r.startNode = 0;
    r.endNode = n - 1;
    r.start = 0.0;
    r.end = tmax;
    inst.routes.push_back(r);
  }
  return inst;
}

PlanInstance readToptwInstance(const std::string& path, std::size_t m, int decimals) {
  std::ifstream f(path);
  if (!f) throw InputError({path, std::nullopt, ""}, "cannot open the file");
  double header[6];
  for (double& h : header)
    if (!(f >> h)) throw InputError({path, 1, ""}, "expected six header numbers `k v N t D Q`");
  const auto n = std::size_t(header[2]);
  if (header[2] < 1 || header[2] != std::floor(header[2]))
    throw InputError({path, 1, "N"}, "expected a positive number of customers");
  if (decimals < 0) decimals = stem(path).rfind("pr", 0) == 0 ? 2 : 1;
  std::vector<Xy> pts(n + 1);
  PlanInstance inst;
  inst.name = stem(path);
  double tmax = 0.0;
  for (std::size_t i = 0; i <= n; ++i) {
    const Location at{path, std::int64_t(i + 3), ""};
    double id, d, score, freq, count;
    if (!(f >> id >> pts[i].x >> pts[i].y >> d >> score >> freq >> count) || count < 0)
      throw InputError(at, "expected `i x y d S f a <a items> O C`");
    for (int a = 0; a < int(count); ++a) {
      double item;
      if (!(f >> item)) throw InputError(at, "expected " + std::to_string(int(count)) + " items");
    }
    double open, close;
    if (!(f >> open >> close)) throw InputError(at, "expected the time window `O C`");
    if (close < open) throw InputError({path, at.row, "C"}, "window closes before it opens");
    if (i == 0) {
      tmax = close;
      continue;
    }
    PlanSite s;
    s.node = i;
    s.score = score;
    s.service = d;
    s.open = open;
    s.close = close;
    inst.sites.push_back(s);
  }
  inst.nodes = n + 1;
  inst.times = euclidean(pts, decimals);
  for (std::size_t k = 0; k < m; ++k) {
    PlanRoute r;
    r.startNode = 0;
    r.endNode = 0;
    r.start = 0.0;
    r.end = tmax;
    inst.routes.push_back(r);
  }
  return inst;
}

}  // namespace veldwacht::geo
