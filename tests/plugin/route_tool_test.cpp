// The dock's route tool (issue 9 item 4) offscreen: a store built in code (a T of municipal
// roads and an island road nobody can reach), a map canvas in EPSG:4326 (so every click is
// transformed to RD), two clicks sent to the canvas with QTest, and the drawn route compared
// with the answer known from the geometry and with `veldwacht route` on a copy of the store for
// the same two points: the same vertices, length and time. Refusals (a point too far from the
// roads, an unreachable island, no store) reach the message bar signal and draw nothing.
#include "plugin/json_compat.h"  // before any QGIS header

#include <gtest/gtest.h>

#include <qgsapplication.h>
#include <qgscoordinatereferencesystem.h>
#include <qgscoordinatetransform.h>
#include <qgsfeature.h>
#include <qgsfeatureiterator.h>
#include <qgsgeometry.h>
#include <qgsmapcanvas.h>
#include <qgsmaptopixel.h>
#include <qgsproject.h>
#include <qgsvectorlayer.h>

#include <QFile>
#include <QProcess>
#include <QTest>

#include <string>
#include <utility>
#include <vector>

#include "plugin/ui/route_tool.h"
#include "qgis_environment.h"
#include "tests/layers/analyses/fixtures.h"

namespace {

using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;
using veldwacht::ui::RoutePanel;

const auto* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new veldwacht::plugin::testing::QgisEnvironment);

/// A road 4 km east, a road 3 km north from its middle (x = 2000), and an island road 5 km north.
std::string buildStore(const TempDir& dir) {
  std::vector<Record> roads;
  roads.push_back(wegvakRecord(1, 1, 2, 0, 0, 2000, 0));
  roads.push_back(wegvakRecord(2, 2, 3, 2000, 0, 4000, 0));
  roads.push_back(wegvakRecord(3, 2, 4, 2000, 0, 2000, 3000));
  roads.push_back(wegvakRecord(9, 8, 9, 0, 5000, 1000, 5000));
  storeWith(dir, batch("wegvakken", std::move(roads)));
  return dir.file("t.gpkg");
}

const QgsCoordinateReferenceSystem& rd() {
  static const QgsCoordinateReferenceSystem crs(QStringLiteral("EPSG:28992"));
  return crs;
}
const QgsCoordinateReferenceSystem& wgs84() {
  static const QgsCoordinateReferenceSystem crs(QStringLiteral("EPSG:4326"));
  return crs;
}

/// A shown canvas in WGS 84 around the roads, with the panel's tool active.
struct Map {
  QgsMapCanvas canvas;
  Map() {
    canvas.resize(800, 800);
    canvas.show();
    QCoreApplication::processEvents();
    canvas.setDestinationCrs(wgs84());
    const QgsCoordinateTransform t(rd(), wgs84(), QgsProject::instance());
    canvas.setExtent(
        t.transformBoundingBox(QgsRectangle(kX0 - 1000, kY0 - 1000, kX0 + 5000, kY0 + 6000)));
  }
  /// Clicks (press and release) at the pixel of an RD point.
  void click(double x, double y) {
    const QgsCoordinateTransform t(rd(), wgs84(), QgsProject::instance());
    const QgsPointXY px = canvas.getCoordinateTransform()->transform(t.transform(QgsPointXY(x, y)));
    QTest::mouseClick(canvas.viewport(), Qt::LeftButton, Qt::NoModifier,
                      QPoint(qRound(px.x()), qRound(px.y())));
  }
};

struct Messages {
  std::vector<std::pair<QString, Qgis::MessageLevel>> all;
  explicit Messages(RoutePanel& panel) {
    QObject::connect(
        &panel, &RoutePanel::message,
        [this](const QString& text, Qgis::MessageLevel level) { all.emplace_back(text, level); });
  }
  bool has(const QString& part, Qgis::MessageLevel level) const {
    for (const auto& [text, l] : all)
      if (l == level && text.contains(part)) return true;
    return false;
  }
  std::string dump() const {
    std::string s;
    for (const auto& m : all) s += m.first.toStdString() + "\n";
    return s;
  }
};

QString xy(const QgsPointXY& p) {
  return QString::number(p.x(), 'g', 17) + QLatin1Char(',') + QString::number(p.y(), 'g', 17);
}

std::vector<QgsPointXY> verticesOf(const QgsGeometry& g) {
  std::vector<QgsPointXY> out;
  for (auto it = g.vertices_begin(); it != g.vertices_end(); ++it) out.emplace_back(*it);
  return out;
}

int featureCount(QgsVectorLayer* layer) { return layer ? int(layer->featureCount()) : 0; }

QgsFeature onlyFeature(QgsVectorLayer& layer) {
  QgsFeature f;
  QgsFeatureIterator it = layer.getFeatures();
  EXPECT_TRUE(it.nextFeature(f));
  return f;
}

TEST(RouteTool, TwoClicksDrawTheSameRouteAsTheCli) {
  TempDir dir;
  const QString path = QString::fromStdString(buildStore(dir));
  const QString copy = QString::fromStdString(dir.file("cli.gpkg"));
  ASSERT_TRUE(QFile::copy(path, copy));

  Map map;
  RoutePanel panel(&map.canvas);
  Messages messages(panel);
  panel.setStore(path);
  int finished = 0;
  QObject::connect(&panel, &RoutePanel::routeFinished, [&](bool ok) { finished += ok ? 1 : 100; });
  panel.pickButton()->click();
  ASSERT_EQ(map.canvas.mapTool(), panel.tool());

  // 30 m north of the east road, then 30 m east of the north road.
  map.click(kX0 + 500, kY0 + 30);
  EXPECT_EQ(finished, 0);  // only the start so far
  map.click(kX0 + 2030, kY0 + 2500);
  ASSERT_EQ(finished, 1) << panel.statusText().toStdString() << messages.dump();

  // The clicks arrive through the canvas (pixels in WGS 84) close to where they were aimed.
  EXPECT_NEAR(panel.start().x(), kX0 + 500, 15.0);
  EXPECT_NEAR(panel.start().y(), kY0 + 30, 15.0);
  EXPECT_NEAR(panel.end().x(), kX0 + 2030, 15.0);
  EXPECT_NEAR(panel.end().y(), kY0 + 2500, 15.0);
  // Known answer: the start joins the east road at its x, the end the north road at its y.
  const double expected = (kX0 + 2000 - panel.start().x()) + (panel.end().y() - kY0);
  EXPECT_NEAR(panel.lengthMetres(), expected, 1e-6);

  QgsVectorLayer* drawn = panel.routeLayer();
  ASSERT_NE(drawn, nullptr);
  EXPECT_EQ(drawn->name(), RoutePanel::layerName());
  EXPECT_EQ(drawn->crs(), rd());
  ASSERT_EQ(featureCount(drawn), 1);
  const QgsFeature f = onlyFeature(*drawn);
  EXPECT_EQ(f.attribute(QStringLiteral("modus")).toString(), QStringLiteral("auto"));
  EXPECT_NEAR(f.geometry().length(), expected, 1e-6);
  EXPECT_TRUE(messages.has(QStringLiteral("Route (auto)"), Qgis::MessageLevel::Success))
      << messages.dump();

  // `veldwacht route` on the copy for the same two points.
  QProcess cli;
  cli.start(QStringLiteral(VELDWACHT_CLI),
            {QStringLiteral("route"), copy, QStringLiteral("--from-xy"), xy(panel.start()),
             QStringLiteral("--to-xy"), xy(panel.end()), QStringLiteral("--mode"),
             QStringLiteral("auto"), QStringLiteral("--cost"), QStringLiteral("time"),
             QStringLiteral("-o"), QStringLiteral("cli")});
  ASSERT_TRUE(cli.waitForFinished(120000));
  ASSERT_EQ(cli.exitCode(), 0) << cli.readAllStandardError().toStdString();
  QgsVectorLayer stored(copy + QStringLiteral("|layername=cli_route"), QStringLiteral("cli"),
                        QStringLiteral("ogr"));
  ASSERT_TRUE(stored.isValid());
  ASSERT_EQ(stored.featureCount(), 1);
  const QgsFeature g = onlyFeature(stored);
  EXPECT_DOUBLE_EQ(f.attribute(QStringLiteral("lengte_m")).toDouble(),
                   g.attribute(QStringLiteral("lengte_m")).toDouble());
  EXPECT_DOUBLE_EQ(f.attribute(QStringLiteral("tijd_s")).toDouble(),
                   g.attribute(QStringLiteral("tijd_s")).toDouble());
  EXPECT_EQ(f.attribute(QStringLiteral("wegvakken")).toString(),
            g.attribute(QStringLiteral("wegvakken")).toString());
  const auto ours = verticesOf(f.geometry()), theirs = verticesOf(g.geometry());
  ASSERT_EQ(ours.size(), theirs.size());
  ASSERT_EQ(ours.size(), 3u);  // start on the east road, the junction, end on the north road
  for (std::size_t i = 0; i < ours.size(); ++i) {
    EXPECT_DOUBLE_EQ(ours[i].x(), theirs[i].x()) << i;
    EXPECT_DOUBLE_EQ(ours[i].y(), theirs[i].y()) << i;
  }
  EXPECT_DOUBLE_EQ(ours[1].x(), kX0 + 2000);
  EXPECT_DOUBLE_EQ(ours[1].y(), kY0);

  // Another mode and cost: the same layer, its one feature replaced.
  panel.mode()->setCurrentIndex(panel.mode()->findData(QStringLiteral("landbouw")));
  panel.cost()->setCurrentIndex(panel.cost()->findData(QStringLiteral("length")));
  map.click(kX0 + 3900, kY0 - 40);
  map.click(kX0 + 500, kY0 + 30);
  ASSERT_EQ(finished, 2) << messages.dump();
  EXPECT_EQ(panel.routeLayer(), drawn);
  ASSERT_EQ(featureCount(drawn), 1);
  EXPECT_EQ(onlyFeature(*drawn).attribute(QStringLiteral("modus")).toString(),
            QStringLiteral("landbouw"));
  EXPECT_NEAR(panel.lengthMetres(), panel.start().x() - panel.end().x(), 1e-6);
  EXPECT_EQ(QgsProject::instance()->mapLayersByName(RoutePanel::layerName()).size(), 1);
  QgsProject::instance()->removeAllMapLayers();
}

TEST(RouteTool, RefusalsGoToTheMessageBarAndDrawNothing) {
  TempDir dir;
  const QString path = QString::fromStdString(buildStore(dir));
  Map map;
  RoutePanel panel(&map.canvas);
  Messages messages(panel);
  int failed = 0;
  QObject::connect(&panel, &RoutePanel::routeFinished, [&](bool ok) { failed += ok ? 100 : 1; });

  // No store yet.
  panel.pick();
  map.click(kX0 + 500, kY0 + 30);
  map.click(kX0 + 2030, kY0 + 2500);
  ASSERT_EQ(failed, 1);
  EXPECT_TRUE(messages.has(QStringLiteral("store"), Qgis::MessageLevel::Warning))
      << messages.dump();

  // The end 1 km from the nearest road: refused with its distance and the limit.
  panel.setStore(path);
  map.click(kX0 + 500, kY0 + 30);
  map.click(kX0 + 1000, kY0 + 1500);
  ASSERT_EQ(failed, 2);
  EXPECT_TRUE(messages.has(QStringLiteral("m from the nearest road usable by auto"),
                           Qgis::MessageLevel::Warning))
      << messages.dump();
  EXPECT_TRUE(messages.has(QStringLiteral("the limit is 500.0 m"), Qgis::MessageLevel::Warning))
      << messages.dump();
  EXPECT_EQ(featureCount(panel.routeLayer()), 0);

  // The island cannot be reached: reported, not a route of 0 m.
  map.click(kX0 + 500, kY0 + 30);
  map.click(kX0 + 500, kY0 + 5020);
  ASSERT_EQ(failed, 3);
  EXPECT_TRUE(messages.has(QStringLiteral("no auto route"), Qgis::MessageLevel::Warning))
      << messages.dump();
  EXPECT_EQ(featureCount(panel.routeLayer()), 0);

  // A larger snap limit lets the far point join the north road (1000 m west of it).
  panel.maxSnapDistance()->setValue(1500);
  map.click(kX0 + 500, kY0 + 30);
  map.click(kX0 + 1000, kY0 + 1500);
  EXPECT_EQ(failed, 103) << messages.dump();
  EXPECT_NEAR(panel.lengthMetres(), (kX0 + 2000 - panel.start().x()) + (panel.end().y() - kY0),
              1e-6);
  EXPECT_EQ(featureCount(panel.routeLayer()), 1);
  QgsProject::instance()->removeAllMapLayers();
}

TEST(RouteTool, ARouteOverManyWegvakkenIsDrawnWithAllOfThem) {
  // 40 wegvakken of 100 m in a row with NWB-sized (9-digit) ids: the wegvakken list is 399
  // characters, more than the 255 a memory layer's string field takes by default (in real QGIS
  // such routes were reported but not drawn).
  TempDir dir;
  std::vector<Record> roads;
  QStringList expected;
  for (int i = 0; i < 40; ++i) {
    roads.push_back(wegvakRecord(900000100 + i, 10 + i, 11 + i, 100.0 * i, 0, 100.0 * (i + 1), 0));
    expected << QString::number(900000100 + i);
  }
  storeWith(dir, batch("wegvakken", std::move(roads)));
  RoutePanel panel(nullptr);
  Messages messages(panel);
  panel.setStore(QString::fromStdString(dir.file("t.gpkg")));
  ASSERT_TRUE(panel.route(QgsPointXY(kX0 + 10, kY0 + 5), QgsPointXY(kX0 + 3990, kY0 - 5)))
      << panel.statusText().toStdString() << messages.dump();
  QgsVectorLayer* drawn = panel.routeLayer();
  ASSERT_EQ(featureCount(drawn), 1) << messages.dump();
  const QgsFeature f = onlyFeature(*drawn);
  EXPECT_NEAR(f.attribute(QStringLiteral("lengte_m")).toDouble(), 3980.0, 1e-6);
  EXPECT_NEAR(f.geometry().length(), 3980.0, 1e-6);
  EXPECT_EQ(f.attribute(QStringLiteral("wegvakken")).toString(), expected.join(QLatin1Char(',')));
  EXPECT_TRUE(messages.has(QStringLiteral("Route (auto)"), Qgis::MessageLevel::Success))
      << messages.dump();
  QgsProject::instance()->removeAllMapLayers();
}

}  // namespace
