// The analysis descriptions: bound to the request fields, defaults read from the core's Options,
// ranges enforced (a bad value is refused, never replaced), result tables equal to what the
// builders write, and docs/options.md not stale.
#include "layers/analyses/description.h"
#include "layers/catalog/catalog.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "layers/analyses/aggregation.h"
#include "layers/analyses/clustering.h"
#include "layers/analyses/density.h"
#include "layers/analyses/emerging.h"
#include "layers/analyses/hotspots.h"
#include "tests/geo/expect_error.h"
#include "tests/layers/analyses/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
namespace d = veldwacht::layers::describe;

namespace {

/// The OptionError's option name when `f` throws one, else "".
template <class F>
std::string refusedOption(F&& f) {
  try {
    f();
  } catch (const geo::OptionError& e) {
    return e.option();
  }
  return "";
}

}  // namespace

TEST(Description, EveryAnalysisIsCompleteAndUniquelyNamed) {
  std::set<std::string> ids;
  ASSERT_FALSE(d::all().empty());
  for (const auto* a : d::all()) {
    EXPECT_TRUE(ids.insert(a->id).second) << a->id;
    // route takes two X,Y options; plan_vs_done a plan's name; schouw_import a CSV file.
    if (a->id != "route" && a->id != "plan_vs_done" && a->id != "schouw_import") {
      EXPECT_FALSE(a->inputs.empty()) << a->id;
    }
    if (a->id != "schouw_import") {  // an import writes the store's own layers, not results
      EXPECT_FALSE(a->results.empty()) << a->id;
    }
    EXPECT_FALSE(a->help.nl.empty()) << a->id;
    for (const auto& o : a->options) {
      EXPECT_FALSE(o.label.nl.empty()) << a->id << " " << o.cli;
      EXPECT_EQ(a->find(o.processing), &o);
      EXPECT_EQ(a->find(o.cli), &o);
    }
    EXPECT_EQ(&d::info(a->id), a);
  }
  for (const char* id : {"dbscan", "stdbscan", "hdbscan", "kmeans"})
    EXPECT_TRUE(ids.count(id)) << id;
  EXPECT_THROW_WITH(d::info("optics"), geo::OptionError, "method: no analysis 'optics'");
  EXPECT_EQ(d::forCommand("cluster").size(), 4u);
}

TEST(Description, DefaultsAreReadFromTheCoreOptions) {
  const auto& a = d::clusteringAnalysis("dbscan");
  EXPECT_EQ(std::get<double>(a.find("eps")->defaultValue), geo::DbscanOptions{}.eps);
  EXPECT_EQ(std::get<std::int64_t>(a.find("MIN_PTS")->defaultValue),
            std::int64_t(geo::DbscanOptions{}.minPts));
  const auto& st = d::clusteringAnalysis("stdbscan");
  EXPECT_DOUBLE_EQ(std::get<double>(st.find("eps-days")->defaultValue),
                   geo::StDbscanOptions{}.epsSeconds / 86400.0);
  EXPECT_EQ(std::get<bool>(st.find("time-windows")->defaultValue), true);
  const auto& h = d::clusteringAnalysis("hdbscan");
  EXPECT_EQ(std::get<std::string>(h.find("selection")->defaultValue), "eom");
  EXPECT_EQ(h.defaults().method, ClusterMethod::Hdbscan);
}

TEST(Description, SetWritesTheBoundFieldOfTheRequest) {
  const auto& a = d::clusteringAnalysis("dbscan");
  ClusteringRequest r = a.defaults();
  a.set(r, "EPS", 250.0);
  a.set(r, "min-pts", std::int64_t{12});
  a.set(r, "eps", std::int64_t{300});  // a whole number for a real option is fine
  a.setText(r, "threads", "3");
  EXPECT_EQ(r.dbscan.eps, 300.0);
  EXPECT_EQ(r.dbscan.minPts, 12u);
  EXPECT_EQ(r.dbscan.threads, 3);
  EXPECT_EQ(std::get<double>(a.get(r, "eps")), 300.0);
  // ST-DBSCAN binds its own fields: days are converted to seconds.
  const auto& st = d::clusteringAnalysis("stdbscan");
  ClusteringRequest s = st.defaults();
  st.setText(s, "eps-days", "2.5");
  EXPECT_DOUBLE_EQ(s.stDbscan.epsSeconds, 2.5 * 86400);
  st.setText(s, "time-windows", "false");
  EXPECT_FALSE(s.timeWindows);
  const auto& h = d::clusteringAnalysis("hdbscan");
  ClusteringRequest hr = h.defaults();
  h.setText(hr, "selection", "leaf");
  EXPECT_EQ(hr.hdbscan.selection, geo::ClusterSelection::Leaf);
  // dbscan* is a method of the dbscan description.
  a.selectMethod(r, "dbscan*");
  EXPECT_EQ(r.method, ClusterMethod::DbscanStar);
}

TEST(Description, BadValuesAreRefusedNamingTheOptionAndTheRequestIsUnchanged) {
  const auto& a = d::clusteringAnalysis("dbscan");
  const auto& st = d::clusteringAnalysis("stdbscan");
  const auto& h = d::clusteringAnalysis("hdbscan");
  const auto& k = d::clusteringAnalysis("kmeans");
  ClusteringRequest r = st.defaults();
  const double epsSeconds = r.stDbscan.epsSeconds;
  EXPECT_EQ(refusedOption([&] { st.setText(r, "eps-days", "-3"); }), "--eps-days");
  EXPECT_EQ(refusedOption([&] { st.setText(r, "eps-days", "nan"); }), "--eps-days");
  EXPECT_EQ(refusedOption([&] { st.setText(r, "eps-days", "inf"); }), "--eps-days");
  EXPECT_EQ(refusedOption([&] { st.setText(r, "eps-days", "3x"); }), "--eps-days");
  EXPECT_EQ(refusedOption([&] { st.set(r, "EPS_DAYS", std::nan("")); }), "--eps-days");
  EXPECT_EQ(r.stDbscan.epsSeconds, epsSeconds);
  ClusteringRequest q = a.defaults();
  EXPECT_EQ(refusedOption([&] { a.setText(q, "threads", "65537"); }), "--threads");
  EXPECT_EQ(refusedOption([&] { a.setText(q, "threads", "-1"); }), "--threads");
  EXPECT_EQ(refusedOption([&] { a.setText(q, "eps", "0"); }), "--eps");  // > 0, exclusive
  EXPECT_EQ(refusedOption([&] { a.setText(q, "min-pts", "2.5"); }), "--min-pts");
  EXPECT_EQ(refusedOption([&] { a.setText(q, "min-pts", "99999999999999999999"); }), "--min-pts");
  EXPECT_EQ(refusedOption([&] { a.set(q, "EPS", std::string("far")); }), "--eps");
  EXPECT_EQ(refusedOption([&] { a.setText(q, "seed", "1"); }), "seed");  // not a dbscan option
  EXPECT_EQ(refusedOption([&] { h.setText(q, "selection", "best"); }), "--selection");
  EXPECT_EQ(refusedOption([&] { h.setText(q, "min-cluster-size", "1"); }), "--min-cluster-size");
  EXPECT_EQ(refusedOption([&] { k.setText(q, "k", "0"); }), "--k");
  EXPECT_EQ(q.dbscan.threads, 0);
  EXPECT_EQ(q.dbscan.eps, geo::DbscanOptions{}.eps);
  // The message says what was expected and what came.
  try {
    a.setText(q, "threads", "65537");
    FAIL();
  } catch (const geo::OptionError& e) {
    EXPECT_NE(std::string(e.what()).find("<= 256"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("65537"), std::string::npos) << e.what();
  }
}

TEST(Description, RangesAreInclusiveOrExclusiveAsWritten) {
  d::Range r;
  r.min = 0;
  r.minInclusive = false;
  r.max = 1;
  EXPECT_FALSE(r.contains(0));
  EXPECT_TRUE(r.contains(1e-300));
  EXPECT_TRUE(r.contains(1));
  EXPECT_FALSE(r.contains(std::nextafter(1.0, 2.0)));
  EXPECT_FALSE(r.contains(std::numeric_limits<double>::quiet_NaN()));
  EXPECT_EQ(r.str(), "> 0 and <= 1");
}

TEST(Description, ClusteringResultTablesAreWhatTheBuilderWrites) {
  // Two planted groups of six points 20 m apart and two lone points, read by the host itself.
  PointInput in;
  in.layer = "eigen_laag";
  for (int g = 0; g < 2; ++g)
    for (int i = 0; i < 6; ++i) {
      in.points.push_back({155000.0 + 1000.0 * g + 20.0 * (i % 3), 463000.0 + 20.0 * (i / 3)});
      in.keys.push_back("P" + std::to_string(in.keys.size()));
    }
  in.points.push_back({150000, 460000});
  in.points.push_back({160000, 470000});
  in.keys.push_back("X1");
  in.keys.push_back("X2");
  for (const char* id : {"dbscan", "hdbscan", "kmeans"}) {
    const auto& a = d::clusteringAnalysis(id);
    ClusteringRequest req = a.defaults();
    req.output = "uit";
    if (std::string(id) == "dbscan") a.set(req, "eps", 30.0);
    if (std::string(id) == "hdbscan") a.set(req, "min-cluster-size", std::int64_t{4});
    if (std::string(id) == "kmeans") a.set(req, "k", std::int64_t{4});
    AnalysisResult r = buildClustering(in, req);
    r.materialise();  // the point table is column-wise
    ASSERT_EQ(r.layers.size(), a.results.size()) << id;
    for (std::size_t t = 0; t < a.results.size(); ++t) {
      EXPECT_EQ(r.layers[t].name, "uit" + a.results[t].suffix);
      EXPECT_EQ(r.layers[t].style, a.results[t].style);
      ASSERT_EQ(r.layers[t].fields.size(), a.results[t].fields.size()) << id;
      for (std::size_t f = 0; f < a.results[t].fields.size(); ++f) {
        EXPECT_EQ(r.layers[t].fields[f].name, a.results[t].fields[f].name);
        EXPECT_EQ(r.layers[t].fields[f].type, a.results[t].fields[f].type);
      }
      for (const auto& rec : r.layers[t].records)
        EXPECT_EQ(rec.values.size(), a.results[t].fields.size());
    }
    ASSERT_EQ(r.layers[0].records.size(), 14u);
    if (std::string(id) == "dbscan") {
      // The planted groups are clusters 0 and 1; the lone points are noise.
      EXPECT_EQ(std::get<std::int64_t>(r.layers[0].records[0].values[1]), 0);
      EXPECT_EQ(std::get<std::int64_t>(r.layers[0].records[6].values[1]), 1);
      EXPECT_EQ(std::get<std::int64_t>(r.layers[0].records[12].values[1]), -1);
      EXPECT_EQ(r.layers[1].records.size(), 2u);
    }
  }
}

TEST(Description, OptionsDocIsNotStale) {
  const std::filesystem::path doc = std::filesystem::path(VELDWACHT_SOURCE_DIR) / "docs/options.md";
  const std::string fresh = d::optionsMarkdown();
  if (const char* u = std::getenv("VELDWACHT_UPDATE_DOCS"); u && std::string(u) == "1") {
    std::ofstream(doc) << fresh;
  }
  std::ifstream in(doc);
  std::stringstream s;
  s << in.rdbuf();
  EXPECT_TRUE(s.str() == fresh)
      << doc << " is stale: run `VELDWACHT_UPDATE_DOCS=1 ./test_analyses_description` in the "
      << "build folder of tests/layers/analyses and commit the file";
}

TEST(Description, DensityAndAggregationBindTheirCoreOptions) {
  const auto& kde = d::densityAnalysis("kde");
  EXPECT_EQ(std::get<double>(kde.find("RADIUS")->defaultValue), geo::KdeOptions{}.radius);
  EXPECT_EQ(std::get<std::string>(kde.find("kernel")->defaultValue), "quartic");
  DensityRequest dr = kde.defaults();
  kde.setText(dr, "kernel", "gaussian");
  kde.setText(dr, "kernel-output", "scaled");
  kde.setText(dr, "pixel-size", "25");
  EXPECT_EQ(dr.kde.kernel, geo::Kernel::Gaussian);
  EXPECT_EQ(dr.kde.output, geo::KernelOutput::QgisScaled);
  EXPECT_EQ(dr.kde.pixelSize, 25.0);
  EXPECT_EQ(refusedOption([&] { kde.setText(dr, "pixel-size", "0"); }), "--pixel-size");
  EXPECT_EQ(refusedOption([&] { kde.setText(dr, "kernel", "box"); }), "--kernel");
  const auto& dual = d::densityAnalysis("dualkde");
  EXPECT_TRUE(dual.defaults().denominator.has_value());
  dual.setText(dr, "rule", "clamp");
  EXPECT_EQ(dr.dual.rule, geo::SmallDenominator::Clamp);
  EXPECT_TRUE(dual.result("OUTPUT").raster);
  EXPECT_EQ(dual.result("OUTPUT").style, "dual_density");

  const auto& grid = d::aggregationAnalysis("gridcount");
  EXPECT_EQ(std::get<double>(grid.find("cell-size")->defaultValue), geo::GridOptions{}.cellSize);
  AggregationRequest ar = grid.defaults();
  grid.setText(ar, "shape", "square");
  grid.setText(ar, "cell-size", "250");
  EXPECT_EQ(ar.grid.shape, geo::GridShape::Square);
  EXPECT_EQ(ar.grid.cellSize, 250.0);
  EXPECT_EQ(refusedOption([&] { grid.setText(ar, "cell-size", "1e12"); }), "--cell-size");
  const auto& poly = d::aggregationAnalysis("polygoncount");
  poly.setText(ar, "boundary", "interior-only");
  EXPECT_EQ(ar.polygonCounts.boundary, geo::BoundaryRule::InteriorOnly);
}

TEST(Description, AggregationWritesTheDescribedFieldsInTheirOrder) {
  using namespace veldwacht::layers::testing;
  TempDir dir;
  auto store = storeWith(dir, batch("signalen", twoGroupSignals()));
  const auto& grid = d::aggregationAnalysis("gridcount");
  AggregationRequest req = grid.defaults();
  req.output = "hex";
  grid.setText(req, "cell-size", "100");
  runAggregation(*store, req);
  const ResultLayer written = readResultLayer(*store, "hex");
  const auto& described = grid.result("OUTPUT").fields;
  // Every written field is described, in the described order (optional ones may be absent).
  std::size_t next = 0;
  for (const auto& f : written.fields) {
    while (next < described.size() && described[next].name != f.name) ++next;
    ASSERT_LT(next, described.size()) << f.name << " not described (or out of order)";
    EXPECT_EQ(described[next].type, f.type) << f.name;
  }
  EXPECT_EQ(written.style, grid.result("OUTPUT").style);
}

TEST(Description, HotspotsAndEmergingBindTheirCoreOptions) {
  const auto& all = d::hotspotAnalyses();
  ASSERT_EQ(all.size(), 6u);
  const auto& gi = all[0];
  EXPECT_EQ(gi.id, "gistar");
  EXPECT_EQ(std::get<std::int64_t>(gi.find("permutations")->defaultValue),
            std::int64_t(geo::GiStarOptions{}.permutations));
  HotspotRequest r = gi.defaults();
  EXPECT_EQ(r.method, HotspotMethod::GiStar);
  gi.setText(r, "weights", "k-nearest");
  gi.setText(r, "k", "12");
  gi.setText(r, "correction", "bonferroni");
  EXPECT_EQ(r.weights, WeightsKind::KNearest);
  EXPECT_EQ(r.knn.k, 12u);
  EXPECT_EQ(r.gi.correction, geo::Correction::Bonferroni);
  EXPECT_EQ(refusedOption([&] { gi.setText(r, "k", "100000"); }), "--k");
  EXPECT_EQ(refusedOption([&] { gi.setText(r, "permutations", "-1"); }), "--permutations");
  EXPECT_EQ(refusedOption([&] { gi.setText(r, "cell-size", "1e12"); }), "--cell-size");
  // Gi*, Ripley and LISA field names are the store's, decided once (layers/analyses/README.md).
  const auto& giFields = gi.result("OUTPUT");
  for (const char* f : {"gi_p_gecorrigeerd", "buren"}) EXPECT_NO_THROW(giFields.field(f)) << f;
  const auto& ripley = all[5];
  ASSERT_EQ(ripley.id, "ripleyk");
  std::vector<std::string> names;
  for (const auto& f : ripley.result("RIPLEY").fields) names.push_back(f.name);
  EXPECT_EQ(names, (std::vector<std::string>{"afstand_m", "k", "l", "l_laag", "l_hoog"}));
  EXPECT_NO_THROW(all[1].result("OUTPUT").field("lisa_p_gecorrigeerd"));

  const auto& em = d::emergingAnalyses().front();
  EmergingRequest e = em.defaults();
  em.setText(e, "time-unit", "days");
  em.setText(e, "time-step", "14");
  EXPECT_EQ(e.cube.timeUnit, geo::TimeUnit::Days);
  EXPECT_EQ(e.cube.timeStep, 14u);
  EXPECT_EQ(refusedOption([&] { em.setText(e, "alpha", "1"); }), "--alpha");  // < 1, exclusive
}

TEST(Description, EmergingBuilderWritesExactlyTheDescribedFields) {
  // A 10 x 10 lattice, 100 m apart, one point per location in each of 12 months, and a
  // growing cluster in one corner: the host's own points, nothing read from a store.
  PointInput in;
  in.layer = "eigen_incidenten";
  for (int m = 0; m < 12; ++m)
    for (int i = 0; i < 100 + 4 * m; ++i) {
      const double x = i < 100 ? 150000.0 + 100.0 * (i % 10) : 150010.0 + (i % 7);
      const double y = i < 100 ? 460000.0 + 100.0 * (i / 10) : 460010.0 + (i % 5);
      in.points.push_back({x, y});
      // Printed, not "I" + std::string: GCC 12 at -O3 warns (falsely) -Wrestrict on
      // operator+(const char*, std::string&&) (GCC bug 105329).
      char key[32], date[32];
      std::snprintf(key, sizeof key, "I%zu", in.keys.size());
      in.keys.push_back(key);
      std::snprintf(date, sizeof date, "2024-%02d-15", m + 1);
      const auto t = *parseIsoTime(date);
      in.timeFrom.push_back(t);
      in.timeTo.push_back(t);
    }
  const auto& a = d::emergingAnalyses().front();
  EmergingRequest req = a.defaults();
  req.output = "opkomend";
  a.set(req, "bin-size", 200.0);
  const AnalysisResult r = buildEmerging(in, req);
  ASSERT_EQ(r.layers.size(), 1u);
  const auto& described = a.result("OUTPUT").fields;
  ASSERT_EQ(r.layers[0].fields.size(), described.size());
  for (std::size_t i = 0; i < described.size(); ++i) {
    EXPECT_EQ(r.layers[0].fields[i].name, described[i].name);
    EXPECT_EQ(r.layers[0].fields[i].type, described[i].type);
  }
  EXPECT_EQ(r.layers[0].name, "opkomend");
  ASSERT_FALSE(r.layers[0].records.empty());
  for (const auto& rec : r.layers[0].records) EXPECT_EQ(rec.values.size(), described.size());
  EXPECT_FALSE(r.report.lines.empty());
}

namespace {

/// The tables (record values) and raster values of two results are the same.
void expectSameResults(const AnalysisResult& a, const AnalysisResult& b, const std::string& what) {
  SCOPED_TRACE(what);
  ASSERT_EQ(a.layers.size(), b.layers.size());
  for (std::size_t l = 0; l < a.layers.size(); ++l) {
    ASSERT_EQ(a.layers[l].records.size(), b.layers[l].records.size()) << a.layers[l].name;
    for (std::size_t i = 0; i < a.layers[l].records.size(); ++i) {
      const auto& va = a.layers[l].records[i].values;
      const auto& vb = b.layers[l].records[i].values;
      ASSERT_EQ(va.size(), vb.size());
      for (std::size_t k = 0; k < va.size(); ++k) {
        const auto* da = std::get_if<double>(&va[k]);
        const auto* db = std::get_if<double>(&vb[k]);
        if (da && db && std::isnan(*da) && std::isnan(*db)) continue;  // NaN in both
        EXPECT_EQ(va[k], vb[k]) << a.layers[l].name << " row " << i << " field " << k;
      }
    }
  }
  ASSERT_EQ(a.raster.has_value(), b.raster.has_value());
  if (a.raster) {
    EXPECT_EQ(a.raster->raster.values, b.raster->raster.values);
  }
}

}  // namespace

TEST(Description, InputsWithoutKeysGiveTheSameResultsWithoutThem) {
  // describe::Input::keys = false lets a host leave PointInput::keys empty (the plugin does, to
  // save a string per point): those builders must give the same results without the keys.
  // 300 seeded points over 2 km with a dense patch, one date each over twelve months.
  PointInput in;
  in.layer = "eigen_punten";
  std::uint64_t state = 20261205;
  const auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return double(state >> 11) / double(1ULL << 53);
  };
  for (int i = 0; i < 300; ++i) {
    const double span = i % 3 == 0 ? 300.0 : 2000.0;
    const double x = 150000.0 + span * next(), y = 460000.0 + span * next();
    in.points.push_back({x, y});
    in.keys.push_back(std::to_string(1000 + i));
    const std::string month = std::to_string(1 + i % 12);
    const auto t = *parseIsoTime("2024-" + std::string(2 - month.size(), '0') + month + "-15");
    in.timeFrom.push_back(t);
    in.timeTo.push_back(t);
  }
  PointInput bare = in;
  bare.keys.clear();
  AnalysisInputs with, without;
  with.points = in;
  without.points = bare;

  std::size_t compared = 0;
  for (const auto& a : d::densityAnalyses()) {
    if (a.inputs[0].keys || a.id == "dualkde") continue;  // dual KDE: below, with a denominator
    DensityRequest r = a.defaults();
    r.output = "dichtheid";
    expectSameResults(buildDensity(with, r), buildDensity(without, r), a.id);
    ++compared;
  }
  const auto& dual = d::densityAnalysis("dualkde");
  EXPECT_FALSE(dual.inputs[0].keys);
  EXPECT_FALSE(dual.inputs[1].keys);
  {
    DensityRequest r = dual.defaults();
    r.output = "verhouding";
    AnalysisInputs w2 = with, wo2 = without;
    w2.denominator = in;
    wo2.denominator = bare;
    expectSameResults(buildDensity(w2, r), buildDensity(wo2, r), "dualkde");
    ++compared;
  }
  for (const auto& a : d::hotspotAnalyses()) {
    if (a.inputs[0].keys) continue;
    HotspotRequest r = a.defaults();
    r.output = "hotspots";
    expectSameResults(buildHotspots(with, r), buildHotspots(without, r), a.id);
    ++compared;
  }
  for (const auto& a : d::aggregationAnalyses()) {
    if (a.inputs[0].keys || !a.inputs[1].optional) continue;  // polygon count needs polygons
    AggregationRequest r = a.defaults();
    r.output = "telling";
    expectSameResults(buildAggregation(with, r), buildAggregation(without, r), a.id);
    ++compared;
  }
  for (const auto& a : d::emergingAnalyses()) {
    ASSERT_FALSE(a.inputs[0].keys);
    EmergingRequest r = a.defaults();
    r.output = "opkomend";
    a.set(r, "bin-size", 200.0);
    expectSameResults(buildEmerging(in, r), buildEmerging(bare, r), a.id);
    ++compared;
  }
  EXPECT_GE(compared, 6u);
  // Clustering writes each point's key (bron_id): its input keeps them.
  for (const auto& a : d::clusteringAnalyses()) EXPECT_TRUE(a.inputs[0].keys) << a.id;
}
