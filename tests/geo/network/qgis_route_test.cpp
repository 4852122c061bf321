// Route lengths agree with QGIS's native:shortestpathpointtopoint (qgis_process.bin, QGIS 3.22)
// on the same layer, with both tools given points that lie on the roads (so both snap them to
// the same place) and the same one-way field. The layer is a GeoPackage in EPSG:28992 (QGIS finds
// no route on a layer without a CRS). QGIS's TRAVEL_COST is measured on the ellipsoid (here
// about 6e-5 longer than the planar RD length), so the test compares the planar length of the
// route line QGIS returns (1e-6) and its TRAVEL_COST only to 2e-4.
// Label `qgis`: each qgis_process run takes seconds.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <nlohmann/json.hpp>

#include "geo/network/shortest_paths.h"
#include "test_network.h"

using namespace veldwacht::geo;
using namespace veldwacht::geo::testing;

namespace {

const char* kQgisProcess = "/usr/bin/qgis_process.bin";

std::string g17(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

struct TempFolder {
  std::filesystem::path path;
  TempFolder() {
    char tmpl[] = "/tmp/veldwacht_qgis_route_XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempFolder() { std::filesystem::remove_all(path); }
};

struct QgisRoute {
  double travelCost = -1.0;  ///< -1 when the run failed
  double lineLength = -1.0;  ///< planar length of the returned route line
};

// One qgis_process run (its output in `log`).
QgisRoute qgisShortestPath(const TempFolder& dir, const Point& a, const Point& b,
                           std::string& log) {
  const auto out = dir.path / "out.json", err = dir.path / "err.txt";
  const std::string cmd =
      "cd '" + dir.path.string() + "' && QT_QPA_PLATFORM=offscreen HOME='" + dir.path.string() +
      "' XDG_RUNTIME_DIR='" + dir.path.string() + "' " + kQgisProcess +
      " --json run native:shortestpathpointtopoint --PROJECT_PATH=p.qgs -- INPUT=roads.gpkg "
      "STRATEGY=0 DIRECTION_FIELD=rijrichtng VALUE_FORWARD=H VALUE_BACKWARD=T VALUE_BOTH=B "
      "DEFAULT_DIRECTION=2 TOLERANCE=0 START_POINT='" +
      g17(a.x) + "," + g17(a.y) + " [EPSG:28992]' END_POINT='" + g17(b.x) + "," + g17(b.y) +
      " [EPSG:28992]' OUTPUT=route.gpkg > '" + out.string() + "' 2> '" + err.string() + "'";
  std::filesystem::remove(dir.path / "route.gpkg");
  const int status = std::system(cmd.c_str());
  std::ifstream in(out), e(err);
  std::stringstream s, se;
  s << in.rdbuf();
  se << e.rdbuf();
  log = s.str().substr(0, 2000) + "\n" + se.str();
  QgisRoute r;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return r;
  const auto j = nlohmann::json::parse(s.str(), nullptr, false);
  if (j.is_discarded() || !j.contains("results") || !j["results"].contains("TRAVEL_COST")) return r;
  r.travelCost = j["results"]["TRAVEL_COST"].get<double>();
  GDALAllRegister();
  std::unique_ptr<GDALDataset> ds(
      GDALDataset::Open((dir.path / "route.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  if (!ds || ds->GetLayerCount() != 1) return r;
  OGRLayer* layer = ds->GetLayer(0);
  std::unique_ptr<OGRFeature> f(layer->GetNextFeature());
  if (f && f->GetGeometryRef() &&
      wkbFlatten(f->GetGeometryRef()->getGeometryType()) == wkbLineString)
    r.lineLength = f->GetGeometryRef()->toLineString()->get_Length();
  return r;
}

}  // namespace

TEST(QgisRoute, LengthsAgreeWithShortestPathPointToPoint) {
  if (!std::filesystem::exists(kQgisProcess)) GTEST_SKIP() << kQgisProcess << " not installed";
  // A seeded random network (one-ways H/T, both-ways B and empty) moved into the Netherlands;
  // every wegvak usable by auto.
  auto records = randomNetwork(41, 5, 4);
  for (auto& r : records) {
    r.baansubsoort.clear();
    for (auto& p : r.line) p = {p.x + 250000.0, p.y + 590000.0};
  }
  const auto net = RoadNetwork::build(records, NetworkOptions{});
  const SearchGraph g(net, TravelMode::Auto, CostKind::Length);

  TempFolder dir;
  {
    std::ofstream csv(dir.path / "roads.csv");
    csv << "wkt,wvk_id,rijrichtng\n";
    for (const auto& r : records) {
      csv << "\"LINESTRING (";
      for (std::size_t k = 0; k < r.line.size(); ++k)
        csv << (k ? "," : "") << g17(r.line[k].x) << " " << g17(r.line[k].y);
      csv << ")\"," << r.wvkId << "," << r.rijrichting << "\n";
    }
    std::ofstream(dir.path / "p.qgs")
        << "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
           "<qgis projectname=\"\" version=\"3.22.16-Białowieża\"><projectCrs><spatialrefsys>"
           "<authid>EPSG:28992</authid></spatialrefsys></projectCrs></qgis>\n";
  }
  const std::string convert = "cd '" + dir.path.string() +
                              "' && ogr2ogr -q -f GPKG -a_srs EPSG:28992 -nlt LINESTRING -nln "
                              "roads roads.gpkg roads.csv";
  ASSERT_EQ(std::system(convert.c_str()), 0) << convert;

  // Start and end points on random wegvakken (on the line, so both tools snap them in place);
  // the first three reachable pairs, at least one of them through a one-way wegvak.
  std::mt19937_64 rng(43);
  std::uniform_int_distribution<std::uint32_t> pick(0, std::uint32_t(net.wegvakCount() - 1));
  std::uniform_real_distribution<double> frac(0.2, 0.8);
  std::size_t compared = 0, viaOneWay = 0;
  for (int attempt = 0; attempt < 50 && compared < 3; ++attempt) {
    const std::uint32_t wa = pick(rng), wb = pick(rng);
    const double sa = frac(rng) * net.length(wa), sb = frac(rng) * net.length(wb);
    if (wa == wb) continue;
    const auto route =
        shortestRoute(g, NetworkLocation::onWegvak(wa, sa), NetworkLocation::onWegvak(wb, sb));
    if (!route.reachable) continue;
    bool oneWay = false;
    for (const auto id : route.wvkIds)
      for (std::uint32_t w = 0; w < net.wegvakCount(); ++w)
        if (net.wvkId(w) == id && net.direction(w) != Direction::Both) oneWay = true;
    if (compared == 2 && viaOneWay == 0 && !oneWay) continue;
    std::string log;
    const QgisRoute theirs = qgisShortestPath(dir, net.pointAt(wa, sa), net.pointAt(wb, sb), log);
    ASSERT_GE(theirs.travelCost, 0.0) << log;
    ASSERT_GE(theirs.lineLength, 0.0) << log;
    EXPECT_NEAR(route.length, theirs.lineLength, 1e-6 * route.length)
        << "wegvak " << net.wvkId(wa) << " @" << sa << " -> " << net.wvkId(wb) << " @" << sb;
    EXPECT_NEAR(route.length, theirs.travelCost, 2e-4 * route.length);
    ++compared;
    viaOneWay += oneWay;
  }
  EXPECT_EQ(compared, 3u);
  EXPECT_GE(viaOneWay, 1u);
}
