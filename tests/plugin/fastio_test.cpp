// The fast paths inside QGIS (plugin/processing/fastio.h) against the QgsFeatureSource / sink
// paths on the same input: GDAL reads a file-backed layer directly and geo::GpkgWriter writes a
// GeoPackage destination, and the outputs equal what the feature source and the sink give
// (VELDWACHT_FAST_IO=0) field by field and value by value. Also: which inputs take which path,
// cancel leaves no file.
#include <gtest/gtest.h>

#include <qgsapplication.h>
#include <qgscoordinatetransform.h>
#include <qgsfeature.h>
#include <qgsgeometry.h>
#include <qgsprocessingalgorithm.h>
#include <qgsprocessingcontext.h>
#include <qgsprocessingfeedback.h>
#include <qgsprocessingregistry.h>
#include <qgsproject.h>
#include <qgsrasterdataprovider.h>
#include <qgsrasterlayer.h>
#include <qgsvectorfilewriter.h>
#include <qgsvectorlayer.h>

#include <QDateTime>
#include <QFileInfo>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "layers/analyses/inputs.h"
#include "qgis_environment.h"

namespace {

class RecordingFeedback : public QgsProcessingFeedback {
 public:
  void reportError(const QString& error, bool fatal) override {
    errors << error;
    QgsProcessingFeedback::reportError(error, fatal);
  }
  void pushDebugInfo(const QString& info) override {
    debug << info;
    QgsProcessingFeedback::pushDebugInfo(info);
  }
  bool said(const QString& part) const {
    for (const QString& d : debug)
      if (d.contains(part)) return true;
    return false;
  }
  QStringList errors;
  QStringList debug;
};

/// Sets VELDWACHT_FAST_IO=0 for its lifetime.
class SlowPaths {
 public:
  SlowPaths() { qputenv("VELDWACHT_FAST_IO", "0"); }
  ~SlowPaths() { qunsetenv("VELDWACHT_FAST_IO"); }
};

/// `n` seeded points in four groups plus background, in `crs`, with fields id (int), naam
/// (text), gewicht (double, NULL every 7th), t (datetime); every 50th has no geometry.
std::unique_ptr<QgsVectorLayer> memoryPoints(int n,
                                             const QString& crs = QStringLiteral("EPSG:28992")) {
  auto layer = std::make_unique<QgsVectorLayer>(
      QStringLiteral("Point?crs=%1&field=id:integer&field=naam:string&field=gewicht:double"
                     "&field=t:datetime")
          .arg(crs),
      QStringLiteral("signalen"), QStringLiteral("memory"));
  EXPECT_TRUE(layer->isValid());
  std::mt19937_64 rng(42);
  std::normal_distribution<double> spread(0.0, 30.0);
  std::uniform_real_distribution<double> background(0.0, 3000.0);
  const QgsCoordinateTransform toCrs(QgsCoordinateReferenceSystem(QStringLiteral("EPSG:28992")),
                                     layer->crs(), QgsProject::instance());
  QgsFeatureList features;
  for (int i = 0; i < n; ++i) {
    QgsFeature f(layer->fields());
    f.setAttributes(QgsAttributes()
                    << i << QStringLiteral("p%1").arg(i)
                    << (i % 7 == 3 ? QVariant() : QVariant(0.5 * i))
                    << QDateTime(QDate(2024, 1 + i % 12, 1 + i % 28), QTime(i % 24, 15, 0)));
    double x = 155000.0, y = 463000.0;
    if (i % 4 != 3) {
      x += 700.0 * (i % 4) + spread(rng);
      y += 500.0 * (i % 3) + spread(rng);
    } else {
      x += background(rng);
      y += background(rng);
    }
    if (i % 50 != 17) {
      QgsPointXY p(x, y);
      if (!toCrs.isShortCircuited()) p = toCrs.transform(p);
      f.setGeometry(QgsGeometry::fromPointXY(p));
    }
    features << f;
  }
  EXPECT_TRUE(layer->dataProvider()->addFeatures(features));
  return layer;
}

/// Writes `layer` to a file with OGR `driver` (GPKG, GeoJSON, ESRI Shapefile).
QString saveAs(QgsVectorLayer& layer, const QString& path, const QString& driver) {
  QgsVectorFileWriter::SaveVectorOptions options;
  options.driverName = driver;
  QString error;
  const auto rc = QgsVectorFileWriter::writeAsVectorFormatV3(
      &layer, path, QgsProject::instance()->transformContext(), options, &error);
  EXPECT_EQ(rc, QgsVectorFileWriter::NoError) << error.toStdString();
  return path;
}

struct AlgRun {
  bool ok = false;
  QVariantMap results;
};

AlgRun run(const QString& id, QVariantMap params, RecordingFeedback& feedback) {
  std::unique_ptr<QgsProcessingAlgorithm> alg(
      QgsApplication::processingRegistry()->createAlgorithmById(id));
  EXPECT_NE(alg, nullptr);
  AlgRun r;
  if (!alg) return r;
  QgsProcessingContext context;
  context.setProject(QgsProject::instance());
  r.results = alg->run(params, context, &feedback, &r.ok);
  return r;
}

/// Every feature of a vector file: fid -> (geometry WKT, attributes by field name).
struct Table {
  QStringList names;
  QList<QVariant::Type> types;
  std::map<qint64, std::pair<QgsPointXY, QVariantMap>> rows;
};

Table readTable(const QString& path) {
  QgsVectorLayer layer(path, QStringLiteral("t"), QStringLiteral("ogr"));
  EXPECT_TRUE(layer.isValid()) << path.toStdString();
  Table t;
  for (const QgsField& f : layer.fields()) {
    t.names << f.name();
    t.types << f.type();
  }
  QgsFeature f;
  QgsFeatureIterator it = layer.getFeatures();
  while (it.nextFeature(f)) {
    QVariantMap values;
    for (int i = 0; i < layer.fields().count(); ++i)
      values.insert(layer.fields().at(i).name(), f.attribute(i));
    t.rows[f.id()] = {f.geometry().asPoint(), values};
  }
  return t;
}

void expectSameTables(const Table& a, const Table& b, double tolerance = 0.0) {
  EXPECT_EQ(a.names, b.names);
  EXPECT_EQ(a.types, b.types);
  ASSERT_EQ(a.rows.size(), b.rows.size());
  int compared = 0;
  for (const auto& [fid, row] : a.rows) {
    const auto it = b.rows.find(fid);
    ASSERT_NE(it, b.rows.end()) << "fid " << fid;
    EXPECT_NEAR(row.first.x(), it->second.first.x(), tolerance) << "fid " << fid;
    EXPECT_NEAR(row.first.y(), it->second.first.y(), tolerance) << "fid " << fid;
    for (const QString& name : a.names) {
      const QVariant va = row.second.value(name), vb = it->second.second.value(name);
      EXPECT_EQ(va.isNull(), vb.isNull()) << name.toStdString() << " fid " << fid;
      if (!va.isNull()) {
        EXPECT_EQ(va, vb) << name.toStdString() << " fid " << fid;
      }
    }
    ++compared;
  }
  EXPECT_GT(compared, 0);
}

QVariantMap dbscanParams(const QVariant& input, const QString& output) {
  return {{QStringLiteral("INPUT"), input},
          {QStringLiteral("KEY_FIELD"), QStringLiteral("id")},  // bron_id = the input's id
          {QStringLiteral("EPS"), 40.0},
          {QStringLiteral("MIN_PTS"), 5},
          {QStringLiteral("THREADS"), 1},
          {QStringLiteral("OUTPUT"), output}};
}

}  // namespace

TEST(FastIo, DbscanFromAGeoPackageEqualsTheFeatureSourceAndSinkPaths) {
  const QTemporaryDir dir;
  auto mem = memoryPoints(3000);
  const QString input =
      saveAs(*mem, dir.filePath(QStringLiteral("in.gpkg")), QStringLiteral("GPKG"));
  RecordingFeedback fast;
  const AlgRun a = run(QStringLiteral("veldwacht:dbscan"),
                       dbscanParams(input, dir.filePath(QStringLiteral("fast.gpkg"))), fast);
  ASSERT_TRUE(a.ok) << fast.errors.join(QLatin1Char('\n')).toStdString();
  EXPECT_TRUE(fast.said(QStringLiteral("with GDAL directly")));
  EXPECT_TRUE(fast.said(QStringLiteral("read through SQLite")));  // geo::readGpkgPoints
  EXPECT_TRUE(fast.said(QStringLiteral("with the GeoPackage writer")));
  RecordingFeedback slow;
  AlgRun b;
  {
    SlowPaths off;
    b = run(QStringLiteral("veldwacht:dbscan"),
            dbscanParams(input, dir.filePath(QStringLiteral("slow.gpkg"))), slow);
  }
  ASSERT_TRUE(b.ok);
  EXPECT_TRUE(slow.said(QStringLiteral("feature source")));
  EXPECT_FALSE(slow.said(QStringLiteral("with the GeoPackage writer")));
  // 60 features without geometry reported and skipped on both paths
  EXPECT_EQ(fast.errors.count(), 60);
  EXPECT_EQ(slow.errors.count(), 60);
  const Table ta = readTable(dir.filePath(QStringLiteral("fast.gpkg")));
  const Table tb = readTable(dir.filePath(QStringLiteral("slow.gpkg")));
  EXPECT_EQ(ta.rows.size(), 2940u);
  // The description's fields (veldwacht:dbscan is made from it), not the input's.
  EXPECT_EQ(ta.names, (QStringList{QStringLiteral("fid"), QStringLiteral("bron_id"),
                                   QStringLiteral("cluster_id"), QStringLiteral("cluster_grootte"),
                                   QStringLiteral("kernpunt")}));
  std::set<int> clusters;
  for (const auto& [fid, row] : ta.rows)
    if (row.second.value(QStringLiteral("cluster_id")).toInt() >= 0)
      clusters.insert(row.second.value(QStringLiteral("cluster_id")).toInt());
  EXPECT_GE(clusters.size(), 3u);
  expectSameTables(ta, tb);
}

TEST(FastIo, ATextKeyReadStraightIntoTextEqualsTheFeatureSourcePath) {
  // The GeoPackage read turns the key field into text as it scans (no column of values held
  // beside it): a text key and a real number key give the same bron_id as the feature source.
  const QTemporaryDir dir;
  auto mem = memoryPoints(800);
  const QString input =
      saveAs(*mem, dir.filePath(QStringLiteral("in.gpkg")), QStringLiteral("GPKG"));
  for (const QString& key : {QStringLiteral("naam"), QStringLiteral("gewicht")}) {
    QVariantMap params = dbscanParams(input, dir.filePath(key + QStringLiteral("_fast.gpkg")));
    params.insert(QStringLiteral("KEY_FIELD"), key);
    RecordingFeedback fast;
    const AlgRun a = run(QStringLiteral("veldwacht:dbscan"), params, fast);
    ASSERT_TRUE(a.ok) << fast.errors.join(QLatin1Char('\n')).toStdString();
    EXPECT_TRUE(fast.said(QStringLiteral("read through SQLite")));
    params.insert(QStringLiteral("OUTPUT"), dir.filePath(key + QStringLiteral("_slow.gpkg")));
    RecordingFeedback slow;
    AlgRun b;
    {
      SlowPaths off;
      b = run(QStringLiteral("veldwacht:dbscan"), params, slow);
    }
    ASSERT_TRUE(b.ok);
    const Table ta = readTable(dir.filePath(key + QStringLiteral("_fast.gpkg")));
    const Table tb = readTable(dir.filePath(key + QStringLiteral("_slow.gpkg")));
    ASSERT_EQ(ta.rows.size(), 784u);
    EXPECT_EQ(ta.rows.begin()->second.second.value(QStringLiteral("bron_id")).toString(),
              key == QStringLiteral("naam") ? QStringLiteral("p0") : QStringLiteral("0"));
    expectSameTables(ta, tb);
  }
}

TEST(FastIo, ARealKeyHasTheStoresTextOnEveryPath) {
  // One function turns a key value into text for the store's readers and the plugin's
  // (layers::keyText): the shortest text that reads back, a whole number as an integer. (The
  // memory layer keeps five decimals: no value here needs more.)
  const std::vector<double> values{0.1, 1e21, -0.0, 123456789.5, 42.0, -7.0, 0.0625};
  auto layer =
      std::make_unique<QgsVectorLayer>(QStringLiteral("Point?crs=EPSG:28992&field=waarde:double"),
                                       QStringLiteral("signalen"), QStringLiteral("memory"));
  QgsFeatureList features;
  for (std::size_t i = 0; i < values.size(); ++i) {
    QgsFeature f(layer->fields());
    f.setAttributes(QgsAttributes() << values[i]);
    f.setGeometry(QgsGeometry::fromPointXY(QgsPointXY(155000.0 + 10.0 * double(i), 463000.0)));
    features << f;
  }
  ASSERT_TRUE(layer->dataProvider()->addFeatures(features));
  const QTemporaryDir dir;
  const QString input =
      saveAs(*layer, dir.filePath(QStringLiteral("in.gpkg")), QStringLiteral("GPKG"));
  for (const bool fast : {true, false}) {
    QVariantMap params = dbscanParams(
        input, dir.filePath(fast ? QStringLiteral("fast.gpkg") : QStringLiteral("slow.gpkg")));
    params.insert(QStringLiteral("KEY_FIELD"), QStringLiteral("waarde"));
    RecordingFeedback feedback;
    AlgRun r;
    {
      std::optional<SlowPaths> off;
      if (!fast) off.emplace();
      r = run(QStringLiteral("veldwacht:dbscan"), params, feedback);
    }
    ASSERT_TRUE(r.ok) << feedback.errors.join(QLatin1Char('\n')).toStdString();
    EXPECT_EQ(feedback.said(QStringLiteral("read through SQLite")), fast);
    const Table t = readTable(params.value(QStringLiteral("OUTPUT")).toString());
    ASSERT_EQ(t.rows.size(), values.size());
    std::multiset<std::string> got, expected;
    for (const auto& [fid, row] : t.rows)
      got.insert(row.second.value(QStringLiteral("bron_id")).toString().toStdString());
    for (const double v : values) expected.insert(veldwacht::layers::keyText(v));
    EXPECT_EQ(got, expected) << (fast ? "fast path" : "feature source path");
    EXPECT_EQ(got.count("123456789.5"), 1u);
    EXPECT_EQ(got.count("0"), 1u);  // -0.0
    EXPECT_EQ(got.count("42"), 1u);
  }
}

TEST(FastIo, ATimeFieldReadStraightIntoSecondsEqualsTheFeatureSourcePath) {
  // The GeoPackage read turns the TIME_FIELD datetime into seconds as it scans (no column of
  // values and texts held): ST-DBSCAN gives the same table as through the feature source, and
  // the time matters (fewer points clustered than by space alone).
  const QTemporaryDir dir;
  auto mem = memoryPoints(3000);
  const QString input =
      saveAs(*mem, dir.filePath(QStringLiteral("in.gpkg")), QStringLiteral("GPKG"));
  QVariantMap params = dbscanParams(input, dir.filePath(QStringLiteral("fast.gpkg")));
  params.insert(QStringLiteral("TIME_FIELD"), QStringLiteral("t"));
  params.insert(QStringLiteral("EPS_DAYS"), 40.0);
  RecordingFeedback fast;
  const AlgRun a = run(QStringLiteral("veldwacht:stdbscan"), params, fast);
  ASSERT_TRUE(a.ok) << fast.errors.join(QLatin1Char('\n')).toStdString();
  EXPECT_TRUE(fast.said(QStringLiteral("read through SQLite")));
  params.insert(QStringLiteral("OUTPUT"), dir.filePath(QStringLiteral("slow.gpkg")));
  RecordingFeedback slow;
  AlgRun b;
  {
    SlowPaths off;
    b = run(QStringLiteral("veldwacht:stdbscan"), params, slow);
  }
  ASSERT_TRUE(b.ok) << slow.errors.join(QLatin1Char('\n')).toStdString();
  RecordingFeedback space;
  ASSERT_TRUE(run(QStringLiteral("veldwacht:dbscan"),
                  dbscanParams(input, dir.filePath(QStringLiteral("space.gpkg"))), space)
                  .ok);
  const Table ta = readTable(dir.filePath(QStringLiteral("fast.gpkg")));
  const Table tb = readTable(dir.filePath(QStringLiteral("slow.gpkg")));
  ASSERT_EQ(ta.rows.size(), 2940u);
  const auto clustered = [](const Table& t) {
    return std::count_if(t.rows.begin(), t.rows.end(), [](const auto& r) {
      return r.second.second.value(QStringLiteral("cluster_id")).toInt() >= 0;
    });
  };
  EXPECT_GT(clustered(ta), 0);
  EXPECT_LT(clustered(ta), clustered(readTable(dir.filePath(QStringLiteral("space.gpkg")))));
  expectSameTables(ta, tb);
}

TEST(FastIo, ANullTimeIsRefusedOnBothPaths) {
  const QTemporaryDir dir;
  auto mem = memoryPoints(200);
  mem->startEditing();
  ASSERT_TRUE(mem->changeAttributeValue(5, mem->fields().lookupField(QStringLiteral("t")),
                                        QVariant(QVariant::DateTime)));
  ASSERT_TRUE(mem->commitChanges());
  const QString input =
      saveAs(*mem, dir.filePath(QStringLiteral("in.gpkg")), QStringLiteral("GPKG"));
  for (const bool fastPath : {true, false}) {
    QVariantMap params = dbscanParams(input, dir.filePath(QStringLiteral("out.gpkg")));
    params.insert(QStringLiteral("TIME_FIELD"), QStringLiteral("t"));
    RecordingFeedback feedback;
    AlgRun r;
    if (fastPath) {
      r = run(QStringLiteral("veldwacht:stdbscan"), params, feedback);
    } else {
      SlowPaths off;
      r = run(QStringLiteral("veldwacht:stdbscan"), params, feedback);
    }
    EXPECT_FALSE(r.ok);
    const QString said = feedback.errors.join(QLatin1Char('\n'));
    EXPECT_TRUE(said.contains(QStringLiteral("not an ISO date or datetime"))) << said.toStdString();
  }
}

TEST(FastIo, AGeoJsonInWgs84IsTransformedAsQgisDoes) {
  const QTemporaryDir dir;
  auto mem = memoryPoints(800, QStringLiteral("EPSG:4326"));
  const QString input =
      saveAs(*mem, dir.filePath(QStringLiteral("in.geojson")), QStringLiteral("GeoJSON"));
  RecordingFeedback fast, slow;
  const AlgRun a = run(QStringLiteral("veldwacht:dbscan"),
                       dbscanParams(input, dir.filePath(QStringLiteral("fast.gpkg"))), fast);
  ASSERT_TRUE(a.ok) << fast.errors.join(QLatin1Char('\n')).toStdString();
  EXPECT_TRUE(fast.said(QStringLiteral("with GDAL directly")));
  {
    SlowPaths off;
    ASSERT_TRUE(run(QStringLiteral("veldwacht:dbscan"),
                    dbscanParams(input, dir.filePath(QStringLiteral("slow.gpkg"))), slow)
                    .ok);
  }
  // GeoJSON has no fid column: fids are assigned on output, in input order on both paths.
  expectSameTables(readTable(dir.filePath(QStringLiteral("fast.gpkg"))),
                   readTable(dir.filePath(QStringLiteral("slow.gpkg"))), 1e-6);
}

TEST(FastIo, SubsetSelectionAndMemoryLayersTakeTheFeatureSource) {
  const QTemporaryDir dir;
  auto mem = memoryPoints(400);
  const QString path =
      saveAs(*mem, dir.filePath(QStringLiteral("in.gpkg")), QStringLiteral("GPKG"));
  QgsVectorLayer subset(path, QStringLiteral("s"), QStringLiteral("ogr"));
  ASSERT_TRUE(subset.setSubsetString(QStringLiteral("id < 200")));
  RecordingFeedback f1;
  const AlgRun a = run(
      QStringLiteral("veldwacht:dbscan"),
      dbscanParams(QVariant::fromValue(&subset), dir.filePath(QStringLiteral("subset.gpkg"))), f1);
  ASSERT_TRUE(a.ok);
  EXPECT_TRUE(f1.said(QStringLiteral("(subset string)")));
  EXPECT_EQ(readTable(dir.filePath(QStringLiteral("subset.gpkg"))).rows.size(), 196u);

  QgsVectorLayer whole(path, QStringLiteral("w"), QStringLiteral("ogr"));
  QgsProject::instance()->addMapLayer(&whole, false, false);
  whole.selectByIds({1, 2, 3, 4, 5});
  RecordingFeedback f2;
  const AlgRun b =
      run(QStringLiteral("veldwacht:dbscan"),
          dbscanParams(QVariant::fromValue(QgsProcessingFeatureSourceDefinition(whole.id(), true)),
                       dir.filePath(QStringLiteral("selected.gpkg"))),
          f2);
  QgsProject::instance()->takeMapLayer(&whole);
  ASSERT_TRUE(b.ok) << f2.errors.join(QLatin1Char('\n')).toStdString();
  EXPECT_TRUE(f2.said(QStringLiteral("(selected features only)")));
  EXPECT_EQ(readTable(dir.filePath(QStringLiteral("selected.gpkg"))).rows.size(), 5u);

  RecordingFeedback f3;
  ASSERT_TRUE(
      run(QStringLiteral("veldwacht:dbscan"),
          dbscanParams(QVariant::fromValue(mem.get()), dir.filePath(QStringLiteral("mem.gpkg"))),
          f3)
          .ok);
  EXPECT_TRUE(f3.said(QStringLiteral("(not OGR)")));
}

TEST(FastIo, OtherDestinationsGoThroughTheSinkWithTheSameValues) {
  const QTemporaryDir dir;
  auto mem = memoryPoints(600);
  const QString input =
      saveAs(*mem, dir.filePath(QStringLiteral("in.gpkg")), QStringLiteral("GPKG"));
  RecordingFeedback fast, geojson;
  ASSERT_TRUE(run(QStringLiteral("veldwacht:dbscan"),
                  dbscanParams(input, dir.filePath(QStringLiteral("out.gpkg"))), fast)
                  .ok);
  ASSERT_TRUE(run(QStringLiteral("veldwacht:dbscan"),
                  dbscanParams(input, dir.filePath(QStringLiteral("out.geojson"))), geojson)
                  .ok);
  EXPECT_TRUE(geojson.said(QStringLiteral("with GDAL directly")));
  EXPECT_FALSE(geojson.said(QStringLiteral("with the GeoPackage writer")));
  const Table a = readTable(dir.filePath(QStringLiteral("out.gpkg")));
  const Table b = readTable(dir.filePath(QStringLiteral("out.geojson")));
  ASSERT_EQ(a.rows.size(), b.rows.size());
  // GeoJSON has no fid column and its own types: compare cluster ids by input id.
  std::map<int, int> la, lb;
  for (const auto& [fid, row] : a.rows)
    la[row.second.value(QStringLiteral("bron_id")).toInt()] =
        row.second.value(QStringLiteral("cluster_id")).toInt();
  for (const auto& [fid, row] : b.rows)
    lb[row.second.value(QStringLiteral("bron_id")).toInt()] =
        row.second.value(QStringLiteral("cluster_id")).toInt();
  EXPECT_EQ(la, lb);
}

TEST(FastIo, ACancelledFastWriteLeavesNoFile) {
  const QTemporaryDir dir;
  auto mem = memoryPoints(9000);  // 8820 rows: the writer checks cancel at rows 4096 and 8192
  const QString input =
      saveAs(*mem, dir.filePath(QStringLiteral("in.gpkg")), QStringLiteral("GPKG"));
  const QString out = dir.filePath(QStringLiteral("out.gpkg"));
  RecordingFeedback feedback;
  // Cancel once writing has begun (progress past 90 %).
  QObject::connect(&feedback, &QgsFeedback::progressChanged, [&feedback](double p) {
    if (p > 90.5) feedback.cancel();
  });
  const AlgRun r = run(QStringLiteral("veldwacht:dbscan"), dbscanParams(input, out), feedback);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(feedback.said(QStringLiteral("with the GeoPackage writer")));
  bool cancelled = false;
  for (const QString& e : feedback.errors) cancelled |= e.contains(QStringLiteral("cancelled"));
  EXPECT_TRUE(cancelled) << feedback.errors.join(QLatin1Char('\n')).toStdString();
  EXPECT_FALSE(QFileInfo::exists(out));
}

TEST(FastIo, KdeFromAGeoPackageEqualsTheFeatureSourcePath) {
  const QTemporaryDir dir;
  auto mem = memoryPoints(2000);
  const QString input =
      saveAs(*mem, dir.filePath(QStringLiteral("in.gpkg")), QStringLiteral("GPKG"));
  const auto params = [&](const QString& out) {
    return QVariantMap{{QStringLiteral("INPUT"), input},
                       {QStringLiteral("RADIUS"), 300.0},
                       {QStringLiteral("PIXEL_SIZE"), 50.0},
                       {QStringLiteral("THREADS"), 1},
                       {QStringLiteral("OUTPUT"), dir.filePath(out)}};
  };
  RecordingFeedback fast, slow;
  ASSERT_TRUE(run(QStringLiteral("veldwacht:kde"), params(QStringLiteral("fast.tif")), fast).ok);
  // Streamed: the points go through a temporary file, the GeoTIFF is written band by band.
  EXPECT_TRUE(fast.said(QStringLiteral("streamed through SQLite")));
  {
    SlowPaths off;
    ASSERT_TRUE(run(QStringLiteral("veldwacht:kde"), params(QStringLiteral("slow.tif")), slow).ok);
  }
  // Missing geometries (every 50th feature) are reported alike on both paths.
  EXPECT_EQ(fast.errors, slow.errors);
  // A NULL weight (every 7th feature) fails the run with the reason, as the CLI does.
  QVariantMap weighted = params(QStringLiteral("weighted.tif"));
  weighted.insert(QStringLiteral("WEIGHT_FIELD"), QStringLiteral("gewicht"));
  RecordingFeedback nullWeight;
  EXPECT_FALSE(run(QStringLiteral("veldwacht:kde"), weighted, nullWeight).ok);
  EXPECT_TRUE(
      nullWeight.errors.join(QLatin1Char('\n')).contains(QStringLiteral("the weight is NULL")))
      << nullWeight.errors.join(QLatin1Char('\n')).toStdString();
  QgsRasterLayer a(dir.filePath(QStringLiteral("fast.tif")), QStringLiteral("a"));
  QgsRasterLayer b(dir.filePath(QStringLiteral("slow.tif")), QStringLiteral("b"));
  ASSERT_TRUE(a.isValid());
  ASSERT_TRUE(b.isValid());
  ASSERT_EQ(a.width(), b.width());
  ASSERT_EQ(a.height(), b.height());
  EXPECT_EQ(a.extent(), b.extent());
  std::unique_ptr<QgsRasterBlock> ba(a.dataProvider()->block(1, a.extent(), a.width(), a.height()));
  std::unique_ptr<QgsRasterBlock> bb(b.dataProvider()->block(1, b.extent(), b.width(), b.height()));
  double maximum = 0;
  for (int r = 0; r < a.height(); ++r)
    for (int c = 0; c < a.width(); ++c) {
      EXPECT_EQ(ba->value(r, c), bb->value(r, c)) << r << "," << c;
      maximum = std::max(maximum, ba->value(r, c));
    }
  EXPECT_GT(maximum, 0.0);
}

TEST(FastIo, TheDialogsOutputDefinitionWithAFileEncodingStillGetsTheGeoPackageWriter) {
  const QTemporaryDir dir;
  auto mem = memoryPoints(300);
  const QString input =
      saveAs(*mem, dir.filePath(QStringLiteral("in.gpkg")), QStringLiteral("GPKG"));
  QgsProcessingOutputLayerDefinition out(dir.filePath(QStringLiteral("out.gpkg")));
  out.createOptions.insert(QStringLiteral("fileEncoding"), QStringLiteral("UTF-8"));
  QVariantMap params = dbscanParams(input, QString());
  params.insert(QStringLiteral("OUTPUT"), QVariant::fromValue(out));
  RecordingFeedback feedback2;
  ASSERT_TRUE(run(QStringLiteral("veldwacht:dbscan"), params, feedback2).ok);
  EXPECT_TRUE(feedback2.said(QStringLiteral("with the GeoPackage writer")));
  EXPECT_EQ(readTable(dir.filePath(QStringLiteral("out.gpkg"))).rows.size(), 294u);
}

namespace {

/// A GeoPackage of `n` × `n` squares of `side` metres from (x0, y0) sharing their borders, field
/// naam, or one polygon with `n` = 1.
QString squaresGpkg(const QString& path, int n, double x0, double y0, double side) {
  QgsVectorLayer layer(QStringLiteral("Polygon?crs=EPSG:28992&field=naam:string"),
                       QStringLiteral("vlakken"), QStringLiteral("memory"));
  QgsFeatureList features;
  for (int i = 0; i < n * n; ++i) {
    QgsFeature f(layer.fields());
    f.setAttributes(QgsAttributes() << QStringLiteral("vlak %1").arg(i));
    const double x = x0 + side * (i % n), y = y0 + side * (i / n);
    f.setGeometry(QgsGeometry::fromRect(QgsRectangle(x, y, x + side, y + side)));
    features << f;
  }
  EXPECT_TRUE(layer.dataProvider()->addFeatures(features));
  return saveAs(layer, path, QStringLiteral("GPKG"));
}

/// The rows of a count layer by key (cel_id or bron_id): geometry as WKT and the attributes.
std::map<QString, std::pair<QString, QVariantMap>> countRows(const QString& path) {
  QgsVectorLayer layer(path, QStringLiteral("t"), QStringLiteral("ogr"));
  EXPECT_TRUE(layer.isValid()) << path.toStdString();
  const QString key = layer.fields().lookupField(QStringLiteral("cel_id")) >= 0
                          ? QStringLiteral("cel_id")
                          : QStringLiteral("bron_id");
  std::map<QString, std::pair<QString, QVariantMap>> rows;
  QgsFeature f;
  QgsFeatureIterator it = layer.getFeatures();
  while (it.nextFeature(f)) {
    QVariantMap values;
    for (int i = 0; i < layer.fields().count(); ++i)
      if (layer.fields().at(i).name() != QLatin1String("fid"))
        values.insert(layer.fields().at(i).name(), f.attribute(i));
    rows[f.attribute(key).toString()] = {f.geometry().asWkt(), values};
  }
  return rows;
}

}  // namespace

TEST(FastIo, GridAndPolygonCountsOfAGeoPackageCountedAsReadEqualTheFeatureSourcePath) {
  const QTemporaryDir dir;
  auto mem = memoryPoints(3000);  // every 50th without a geometry
  const QString input =
      saveAs(*mem, dir.filePath(QStringLiteral("in.gpkg")), QStringLiteral("GPKG"));
  const QString squares =
      squaresGpkg(dir.filePath(QStringLiteral("squares.gpkg")), 6, 155000, 463000, 500);
  const QString mask =
      squaresGpkg(dir.filePath(QStringLiteral("mask.gpkg")), 1, 155333, 463111, 1234);
  struct Case {
    QString algorithm;
    QVariantMap params;
  };
  const std::vector<Case> cases = {
      {QStringLiteral("veldwacht:gridcount"),
       {{QStringLiteral("SHAPE"), QStringLiteral("square")}, {QStringLiteral("CELL_SIZE"), 250.0}}},
      {QStringLiteral("veldwacht:gridcount"), {{QStringLiteral("CELL_SIZE"), 300.0}}},
      {QStringLiteral("veldwacht:gridcount"),
       {{QStringLiteral("CELL_SIZE"), 200.0},
        {QStringLiteral("MASK"), mask},
        {QStringLiteral("CLIP_MODE"), QStringLiteral("clip")}}},
      {QStringLiteral("veldwacht:polygoncount"), {{QStringLiteral("POLYGONS"), squares}}},
      {QStringLiteral("veldwacht:polygoncount"),
       {{QStringLiteral("POLYGONS"), squares},
        {QStringLiteral("BOUNDARY"), QStringLiteral("interior-only")}}},
  };
  int k = 0;
  for (const Case& c : cases)
    for (const QString& weight : {QString(), QStringLiteral("id")}) {
      SCOPED_TRACE(c.algorithm.toStdString() + " " + std::to_string(k) + " weight " +
                   weight.toStdString());
      QVariantMap params = c.params;
      params.insert(QStringLiteral("INPUT"), input);
      if (!weight.isEmpty()) params.insert(QStringLiteral("WEIGHT_FIELD"), weight);
      const QString fastOut = dir.filePath(QStringLiteral("fast%1.gpkg").arg(k));
      const QString slowOut = dir.filePath(QStringLiteral("slow%1.gpkg").arg(k++));
      RecordingFeedback fast, slow;
      params.insert(QStringLiteral("OUTPUT"), fastOut);
      ASSERT_TRUE(run(c.algorithm, params, fast).ok)
          << fast.errors.join(QLatin1Char('\n')).toStdString();
      EXPECT_TRUE(fast.said(QStringLiteral("streamed through SQLite")));
      {
        SlowPaths off;
        params.insert(QStringLiteral("OUTPUT"), slowOut);
        ASSERT_TRUE(run(c.algorithm, params, slow).ok)
            << slow.errors.join(QLatin1Char('\n')).toStdString();
        EXPECT_FALSE(slow.said(QStringLiteral("streamed through SQLite")));
      }
      // Missing geometries are reported alike on both paths.
      EXPECT_EQ(fast.errors, slow.errors);
      const auto a = countRows(fastOut), b = countRows(slowOut);
      EXPECT_GT(a.size(), 3u);
      EXPECT_EQ(a, b);
      double counted = 0;
      for (const auto& [key, row] : a)
        counted += row.second.value(QStringLiteral("aantal")).toDouble();
      EXPECT_GT(counted, 0);
    }
  // A NULL weight (every 7th feature) fails the run with the reason, as the CLI does.
  RecordingFeedback nullWeight;
  EXPECT_FALSE(run(QStringLiteral("veldwacht:polygoncount"),
                   {{QStringLiteral("INPUT"), input},
                    {QStringLiteral("POLYGONS"), squares},
                    {QStringLiteral("WEIGHT_FIELD"), QStringLiteral("gewicht")},
                    {QStringLiteral("OUTPUT"), dir.filePath(QStringLiteral("null.gpkg"))}},
                   nullWeight)
                   .ok);
  EXPECT_TRUE(
      nullWeight.errors.join(QLatin1Char('\n')).contains(QStringLiteral("the weight is NULL")))
      << nullWeight.errors.join(QLatin1Char('\n')).toStdString();
}

TEST(FastIo, ACancelledStreamedCountLeavesNoOutput) {
  const QTemporaryDir dir;
  auto mem = memoryPoints(20000);
  const QString input =
      saveAs(*mem, dir.filePath(QStringLiteral("in.gpkg")), QStringLiteral("GPKG"));
  const QString squares =
      squaresGpkg(dir.filePath(QStringLiteral("squares.gpkg")), 6, 155000, 463000, 500);
  for (const QString& algorithm :
       {QStringLiteral("veldwacht:gridcount"), QStringLiteral("veldwacht:polygoncount")}) {
    const QString out = dir.filePath(algorithm.mid(10) + QStringLiteral(".gpkg"));
    RecordingFeedback feedback;
    // Cancel while the points are read (past 20 %, before the table is written at 90 %).
    QObject::connect(&feedback, &QgsFeedback::progressChanged, [&feedback](double p) {
      if (p > 20.0) feedback.cancel();
    });
    const AlgRun r = run(algorithm,
                         {{QStringLiteral("INPUT"), input},
                          {QStringLiteral("POLYGONS"), squares},
                          {QStringLiteral("OUTPUT"), out}},
                         feedback);
    EXPECT_FALSE(r.ok) << algorithm.toStdString();
    EXPECT_TRUE(feedback.said(QStringLiteral("streamed through SQLite")));
    bool cancelled = false;
    for (const QString& e : feedback.errors) cancelled |= e.contains(QStringLiteral("cancelled"));
    EXPECT_TRUE(cancelled) << feedback.errors.join(QLatin1Char('\n')).toStdString();
    EXPECT_FALSE(QFileInfo::exists(out)) << algorithm.toStdString();
  }
}
