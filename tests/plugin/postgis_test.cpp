// The plugin on a PostGIS store (issue 14), in a headless QGIS (offscreen QgsApplication with
// its own providers) against a temporary PostgreSQL 15 + PostGIS cluster on a unix socket:
// `veldwacht init` and `veldwacht import` make the store as a user would; the plugin opens it by
// connection string and by the name of a connection saved in QGIS (layers through QGIS's
// postgres provider, in their groups, with their styles, the result history), and the store
// algorithm veldwacht:store_dbscan runs from Processing into it, as `veldwacht cluster` does.
// The plugin's other tools on the same store: a point algorithm on the postgres Signalen layer
// writes its result into the store (WRITE_TO_STORE), the import algorithm updates a register
// (UPDATE), the intake form writes a signal, the route tool routes over the store's wegvakken,
// presenter mode hides the confidential layers and records the switch in the store's audit
// table, and the Kennissessie refuses a store without public layers, recording the refusal.
// Label postgis + qgis; skipped when PostgreSQL 15 + PostGIS are not installed.
#include <gtest/gtest.h>

#include <qgsabstractproviderconnection.h>
#include <qgsapplication.h>
#include <qgsexception.h>
#include <qgsfeature.h>
#include <qgsfeatureiterator.h>
#include <qgslayertree.h>
#include <qgslayertreegroup.h>
#include <qgslayertreelayer.h>
#include <qgsprocessing.h>
#include <qgsprocessingalgorithm.h>
#include <qgsprocessingcontext.h>
#include <qgsprocessingfeedback.h>
#include <qgsprocessingregistry.h>
#include <qgsprocessingutils.h>
#include <qgsproject.h>
#include <qgsprovidermetadata.h>
#include <qgsproviderregistry.h>
#include <qgsrenderer.h>
#include <qgsvectorlayer.h>
#include <qgsvectorlayertemporalproperties.h>

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "../support/temp_postgres.h"
#include "layers/pgstore/backend.h"
#include "layers/schema/schema.h"
#include "plugin/store_source.h"
#include "plugin/ui/intake.h"
#include "plugin/ui/kennissessie.h"
#include "plugin/ui/planning_panel.h"
#include "plugin/ui/presenter.h"
#include "plugin/ui/route_tool.h"
#include "plugin/veldwachtplugin.h"
#include "qgis_environment.h"
#include "tests/cli/plan_store.h"
#include "tests/layers/analyses/fixtures.h"
#include "tests/plugin/planning_fixtures.h"

[[maybe_unused]] static auto* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new veldwacht::plugin::testing::QgisEnvironment);

namespace veldwacht::plugin {
namespace {

/// tests/cli/run_veldwacht.h's way, with the CLI of this build.
int runCli(const std::filesystem::path& dir, const std::string& args, std::string* err = nullptr) {
  const auto errFile = dir / "stderr.txt";
  const std::string cmd = std::string("'") + VELDWACHT_CLI + "' " + args + " > '" +
                          (dir / "stdout.txt").string() + "' 2> '" + errFile.string() + "'";
  const int status = std::system(cmd.c_str());
  if (err) {
    std::ifstream in(errFile);
    err->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// 70 signals: three tight groups (25, 18, 12 within 40 m of their centres) and 15 scattered
/// over 20 km (seed 7): DBSCAN with eps 60 m and 4 points finds exactly the three groups.
void writeSignalsCsv(const std::filesystem::path& file) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> near(-40.0, 40.0), far(0.0, 20000.0);
  std::ofstream out(file);
  out << "signaal_id;categorie;brontype;waargenomen_van;status;x;y\n";
  int k = 0;
  auto add = [&](double x, double y) {
    char when[32];
    std::snprintf(when, sizeof when, "%02d-%02d-2024 21:00", 1 + k % 28, 1 + k % 12);
    out << "S-" << k << ';' << (k % 5 == 4 ? "VERHUUR" : "HENNEP") << ";boer;" << when << ";nieuw;"
        << x << ';' << y << '\n';
    ++k;
  };
  const double centres[3][2] = {{201000, 501000}, {205000, 503000}, {209000, 507000}};
  const int sizes[3] = {25, 18, 12};
  for (int c = 0; c < 3; ++c)
    for (int i = 0; i < sizes[c]; ++i) add(centres[c][0] + near(rng), centres[c][1] + near(rng));
  for (int i = 0; i < 15; ++i) add(190000 + far(rng), 480000 + far(rng));
}

/// One cluster and one store for the whole binary (init + import take a few seconds).
class PostgisStore : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!veldwacht::testing::TempPostgres::available({"postgis"})) return;
    // A test binary's QGIS prefix is its build folder: the providers (postgres among them) come
    // from QGIS's own plugin folder, as in QGIS.
    if (!QgsProviderRegistry::instance()->providerMetadata(QStringLiteral("postgres")))
      QgsProviderRegistry::instance()->setLibraryDirectory(
          QDir(QStringLiteral(VELDWACHT_QGIS_PROVIDER_DIR)));
    pg_ = new veldwacht::testing::TempPostgres({"postgis"});
    dir_ = new QTemporaryDir();
    url_ = pg_->newDatabase("plugin_store");
    const std::filesystem::path d = dir_->path().toStdString();
    std::string err;
    initCode_ = runCli(d, "init \"" + url_ + "\"", &err);
    writeSignalsCsv(d / "signalen.csv");
    if (initCode_ == 0)
      importCode_ = runCli(
          d, "import \"" + url_ + "\" '" + (d / "signalen.csv").string() + "' -l signalen", &err);
    setupError_ = err;
  }
  static void TearDownTestSuite() {
    QgsProject::instance()->clear();
    delete dir_;
    delete pg_;  // stops the server
    dir_ = nullptr;
    pg_ = nullptr;
  }
  void SetUp() override {
    if (!pg_) GTEST_SKIP() << "PostgreSQL 15 + PostGIS not installed";
    ASSERT_EQ(initCode_, 0) << setupError_;
    ASSERT_EQ(importCode_, 0) << setupError_;
    QgsProject::instance()->clear();
  }
  static long long count(const std::string& sql) { return std::stoll(one(sql)); }
  /// The first value of the first row of `sql` on the store's database.
  static std::string one(const std::string& sql) {
    return pg_->query("plugin_store", sql).at(0).at(0);
  }
  /// Result tables registered in veldwacht_resultaten (a table with geometry each).
  static int resultTables() {
    return int(
        count("SELECT count(*) FROM geometry_columns WHERE f_table_name IN (SELECT laag "
              "FROM veldwacht_resultaten)"));
  }
  static QgsVectorLayer* layerNamed(const QString& name) {
    const QList<QgsMapLayer*> found = QgsProject::instance()->mapLayersByName(name);
    return found.size() == 1 ? qobject_cast<QgsVectorLayer*>(found.front()) : nullptr;
  }
  static QString groupOf(QgsMapLayer* layer) {
    QgsLayerTreeLayer* node = QgsProject::instance()->layerTreeRoot()->findLayer(layer);
    auto* group = node ? qobject_cast<QgsLayerTreeGroup*>(node->parent()) : nullptr;
    return group ? group->name() : QString();
  }

  static veldwacht::testing::TempPostgres* pg_;
  static QTemporaryDir* dir_;
  static std::string url_;
  static int initCode_, importCode_;
  static std::string setupError_;
};
veldwacht::testing::TempPostgres* PostgisStore::pg_ = nullptr;
QTemporaryDir* PostgisStore::dir_ = nullptr;
std::string PostgisStore::url_;
int PostgisStore::initCode_ = -1;
int PostgisStore::importCode_ = -1;
std::string PostgisStore::setupError_;

/// The layers a store opens with: every schema layer with a geometry, and every result table
/// registered so far (the tests may run in any order).
int expectedLayers() {
  int n = 0;
  for (const layers::LayerDef& def : layers::layerDefs())
    if (def.geometry != layers::GeometryKind::None) ++n;
  return n;
}

TEST_F(PostgisStore, OpensByConnectionStringWithGroupsCountsAndStyles) {
  QString error;
  const int added = VeldwachtPlugin::addStoreToProject(QString::fromStdString(url_), &error);
  ASSERT_EQ(added, expectedLayers() + resultTables()) << error.toStdString();
  QgsVectorLayer* signalen = layerNamed(QStringLiteral("Signalen"));
  ASSERT_NE(signalen, nullptr);
  EXPECT_TRUE(signalen->isValid());
  EXPECT_EQ(signalen->providerType(), QStringLiteral("postgres"));
  EXPECT_EQ(signalen->featureCount(), 70);
  EXPECT_EQ(signalen->crs().authid(), QStringLiteral("EPSG:28992"));
  EXPECT_EQ(groupOf(signalen), QStringLiteral("Signalen"));
  // Time from waargenomen_van, as for a GeoPackage store (temporal.h).
  EXPECT_TRUE(signalen->temporalProperties()->isActive());
  // No style in the database for a domain layer: the one Veldwacht ships (categories), not
  // QGIS's single symbol.
  ASSERT_NE(signalen->renderer(), nullptr);
  EXPECT_EQ(signalen->renderer()->type(), QStringLiteral("categorizedSymbol"));
  QgsVectorLayer* gemeenten = layerNamed(QStringLiteral("Gemeenten"));
  ASSERT_NE(gemeenten, nullptr);
  EXPECT_EQ(gemeenten->featureCount(), 0);
  EXPECT_EQ(groupOf(gemeenten), QStringLiteral("Context"));
}

TEST_F(PostgisStore, AStoreAlgorithmRunsFromProcessingIntoTheStoreAsTheCliDoes) {
  std::unique_ptr<QgsProcessingAlgorithm> alg(
      QgsApplication::processingRegistry()->createAlgorithmById(
          QStringLiteral("veldwacht:store_dbscan")));
  ASSERT_NE(alg, nullptr);
  const QVariantMap params{{QStringLiteral("STORE"), QString::fromStdString(url_)},
                           {QStringLiteral("EPS"), 60.0},
                           {QStringLiteral("MIN_PTS"), 4},
                           {QStringLiteral("OUTPUT_NAME"), QStringLiteral("qgis_c")}};
  QgsProcessingContext context;
  context.setProject(QgsProject::instance());
  QgsProcessingFeedback feedback;
  QString message;
  // As Processing's dialog and qgis_process check it: a connection string is a valid store.
  ASSERT_TRUE(alg->checkParameterValues(params, context, &message)) << message.toStdString();
  bool ok = false;
  const QVariantMap outputs = alg->run(params, context, &feedback, &ok);
  ASSERT_TRUE(ok);
  EXPECT_EQ(count("SELECT count(*) FROM qgis_c_punten"), 70);
  EXPECT_EQ(count("SELECT count(*) FROM qgis_c_clusters"), 3);
  EXPECT_EQ(count("SELECT count(*) FROM veldwacht_resultaten WHERE laag LIKE 'qgis_c%'"), 2);

  // The same run by the CLI: the same clusters (members per cluster, largest first).
  std::string err;
  ASSERT_EQ(runCli(dir_->path().toStdString(),
                   "cluster \"" + url_ + "\" --eps 60 --min-pts 4 -o cli_c", &err),
            0)
      << err;
  const std::string sizes =
      "SELECT string_agg(n::text, ',' ORDER BY n DESC) FROM (SELECT count(*) AS n FROM %s_punten "
      "GROUP BY cluster_id HAVING cluster_id >= 0) q";
  auto sizesOf = [&](const std::string& output) {
    std::string sql = sizes;
    sql.replace(sql.find("%s"), 2, output);
    return pg_->query("plugin_store", sql).at(0).at(0);
  };
  EXPECT_EQ(sizesOf("qgis_c"), "25,18,12");
  EXPECT_EQ(sizesOf("qgis_c"), sizesOf("cli_c"));

  // The outputs are postgres layers Processing can load.
  ASSERT_TRUE(outputs.contains(QStringLiteral("OUTPUT")));
  QString provider, uri;
  ASSERT_TRUE(QgsProcessingUtils::decodeProviderKeyAndUri(
      outputs.value(QStringLiteral("OUTPUT")).toString(), provider, uri));
  EXPECT_EQ(provider, QStringLiteral("postgres"));
  QgsMapLayer* loaded = QgsProcessingUtils::mapLayerFromString(
      outputs.value(QStringLiteral("OUTPUT")).toString(), context);
  ASSERT_NE(loaded, nullptr);
  ASSERT_TRUE(loaded->isValid());
  EXPECT_EQ(qobject_cast<QgsVectorLayer*>(loaded)->featureCount(), 70);

  // Opened again: the results in the Analyses group with the styles the store wrote into
  // layer_styles (rules), and the store's result history for the dock's run list.
  QString error;
  QList<ui::ResultRow> history;
  ASSERT_EQ(VeldwachtPlugin::addStoreToProject(QString::fromStdString(url_), &error, &history),
            expectedLayers() + resultTables())
      << error.toStdString();
  for (const QString& name : {QStringLiteral("qgis_c_punten"), QStringLiteral("qgis_c_clusters"),
                              QStringLiteral("cli_c_punten"), QStringLiteral("cli_c_clusters")}) {
    QgsVectorLayer* layer = layerNamed(name);
    ASSERT_NE(layer, nullptr) << name.toStdString();
    EXPECT_EQ(groupOf(layer), QStringLiteral("Analyses")) << name.toStdString();
    ASSERT_NE(layer->renderer(), nullptr);
    EXPECT_EQ(layer->renderer()->type(), QStringLiteral("RuleRenderer")) << name.toStdString();
  }
  EXPECT_EQ(count("SELECT count(*) FROM layer_styles WHERE f_table_name = 'qgis_c_punten' AND "
                  "useasdefault"),
            1);
  QStringList listed;
  for (const ui::ResultRow& row : history) {
    listed << row.message;
    EXPECT_EQ(row.algorithm, QStringLiteral("dbscan")) << row.message.toStdString();
    EXPECT_EQ(row.status, ui::ResultRow::Status::Succeeded);
    EXPECT_TRUE(row.started.isValid()) << row.message.toStdString();
  }
  EXPECT_EQ(listed,
            (QStringList{QStringLiteral("qgis_c_punten"), QStringLiteral("qgis_c_clusters"),
                         QStringLiteral("cli_c_punten"), QStringLiteral("cli_c_clusters")}));
  QgsProject::instance()->clear();
}

TEST_F(PostgisStore, OpensBySavedConnectionName) {
  QgsProviderMetadata* md =
      QgsProviderRegistry::instance()->providerMetadata(QStringLiteral("postgres"));
  ASSERT_NE(md, nullptr);
  // As QGIS's Browser saves it: host = the socket folder, database, user ("save user name").
  const StoreSource fromUrl = resolveStoreSource(QString::fromStdString(url_));
  ASSERT_TRUE(fromUrl.database);
  EXPECT_EQ(fromUrl.connection.database(), QStringLiteral("plugin_store"));
  EXPECT_EQ(fromUrl.connection.username(), QStringLiteral("postgres"));
  std::unique_ptr<QgsAbstractProviderConnection> conn(md->createConnection(
      fromUrl.connection.uri(false), QVariantMap{{QStringLiteral("saveUsername"), true}}));
  ASSERT_NE(conn, nullptr);
  md->saveConnection(conn.get(), QStringLiteral("regio test"));

  const StoreSource saved = resolveStoreSource(QStringLiteral("regio test"));
  EXPECT_TRUE(saved.database);
  EXPECT_TRUE(saved.store.startsWith(QLatin1String("PG:"))) << saved.store.toStdString();
  QString error;
  EXPECT_EQ(VeldwachtPlugin::addStoreToProject(QStringLiteral("regio test"), &error),
            expectedLayers() + resultTables())
      << error.toStdString();
  QgsVectorLayer* signalen = layerNamed(QStringLiteral("Signalen"));
  ASSERT_NE(signalen, nullptr);
  EXPECT_EQ(signalen->featureCount(), 70);
}

TEST_F(PostgisStore, RefusesWhatIsNoStoreAndSaysWhy) {
  QString error;
  // A database without a Veldwacht store: the store's own message (create one with init).
  const std::string empty = pg_->newDatabase("zonder_opslag");
  EXPECT_EQ(VeldwachtPlugin::addStoreToProject(QString::fromStdString(empty), &error), 0);
  EXPECT_TRUE(error.contains(QLatin1String("veldwacht init"))) << error.toStdString();
  EXPECT_TRUE(QgsProject::instance()->mapLayers().isEmpty());
  // Neither a file, a connection string nor a saved connection.
  error.clear();
  EXPECT_EQ(VeldwachtPlugin::addStoreToProject(QStringLiteral("geen_verbinding"), &error), 0);
  EXPECT_TRUE(error.contains(QLatin1String("no such store"))) << error.toStdString();
  // A server that is not there.
  error.clear();
  EXPECT_EQ(VeldwachtPlugin::addStoreToProject(
                QStringLiteral("postgresql://postgres@/plugin_store?host=/nonexistent"), &error),
            0);
  EXPECT_TRUE(error.contains(QLatin1String("cannot connect to PostgreSQL"))) << error.toStdString();
}

// ---- the plugin's other tools on the PostGIS store ---------------------------------------------

/// Runs a Veldwacht Processing algorithm; the log and the error of a failed run.
struct AlgorithmRun {
  bool ok = false;
  QVariantMap outputs;
  QString log;
};

class LogFeedback : public QgsProcessingFeedback {
 public:
  void reportError(const QString& error, bool fatal) override {
    log += error + QLatin1Char('\n');
    QgsProcessingFeedback::reportError(error, fatal);
  }
  void pushInfo(const QString& info) override {
    log += info + QLatin1Char('\n');
    QgsProcessingFeedback::pushInfo(info);
  }
  QString log;
};

AlgorithmRun runAlgorithm(const QString& id, const QVariantMap& parameters) {
  AlgorithmRun run;
  std::unique_ptr<QgsProcessingAlgorithm> alg(
      QgsApplication::processingRegistry()->createAlgorithmById(id));
  if (!alg) {
    run.log = QStringLiteral("no algorithm ") + id;
    return run;
  }
  QgsProcessingContext context;
  context.setProject(QgsProject::instance());
  LogFeedback feedback;
  try {
    run.outputs = alg->run(parameters, context, &feedback, &run.ok, {}, false);
  } catch (const QgsProcessingException& e) {
    feedback.log += e.what();
  }
  run.log = feedback.log;
  return run;
}

TEST_F(PostgisStore, APointAlgorithmOnAStoreLayerWritesItsResultIntoThatStore) {
  QString error;
  ASSERT_GT(VeldwachtPlugin::addStoreToProject(QString::fromStdString(url_), &error), 0)
      << error.toStdString();
  QgsVectorLayer* signalen = layerNamed(QStringLiteral("Signalen"));
  ASSERT_NE(signalen, nullptr);
  const AlgorithmRun run =
      runAlgorithm(QStringLiteral("veldwacht:dbscan"),
                   {{QStringLiteral("INPUT"), signalen->id()},
                    {QStringLiteral("EPS"), 60.0},
                    {QStringLiteral("MIN_PTS"), 4},
                    {QStringLiteral("OUTPUT"), QgsProcessing::TEMPORARY_OUTPUT},
                    {QStringLiteral("WRITE_TO_STORE"), true},
                    {QStringLiteral("STORE_OUTPUT"), QStringLiteral("qgis_w")}});
  ASSERT_TRUE(run.ok) << run.log.toStdString();
  // In the store, as the CLI writes a result on PostGIS: the tables, their registry rows (the
  // input named by its table, not by the layer's title), the default style.
  EXPECT_EQ(count("SELECT count(*) FROM qgis_w_punten"), 70);
  EXPECT_EQ(count("SELECT count(*) FROM qgis_w_clusters"), 3);
  EXPECT_EQ(one("SELECT string_agg(n::text, ',' ORDER BY n DESC) FROM (SELECT count(*) AS n "
                "FROM qgis_w_punten GROUP BY cluster_id HAVING cluster_id >= 0) q"),
            "25,18,12");
  EXPECT_EQ(one("SELECT invoer_laag || ' ' || invoer_rijen || ' ' || algoritme FROM "
                "veldwacht_resultaten WHERE laag = 'qgis_w_punten'"),
            "signalen 70 dbscan");
  EXPECT_EQ(count("SELECT count(*) FROM veldwacht_resultaten WHERE laag LIKE 'qgis_w%'"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM layer_styles WHERE f_table_name = 'qgis_w_punten' AND "
                  "useasdefault"),
            1);
  // The log names the store without a password.
  EXPECT_TRUE(run.log.contains(QStringLiteral("Written into PG:"))) << run.log.toStdString();
  EXPECT_TRUE(run.log.contains(QStringLiteral("qgis_w_clusters"))) << run.log.toStdString();
  QgsProject::instance()->clear();
}

TEST_F(PostgisStore, WriteToStoreRefusesAPostgisLayerOfADatabaseWithoutAStore) {
  const std::string other = pg_->newDatabase("zonder_opslag_laag");
  pg_->query("zonder_opslag_laag",
             "CREATE TABLE punten (fid serial PRIMARY KEY, geom geometry(Point, 28992)); "
             "INSERT INTO punten (geom) SELECT ST_SetSRID(ST_MakePoint(200000 + i, 500000), "
             "28992) FROM generate_series(1, 5) i");
  const StoreSource source = resolveStoreSource(QString::fromStdString(other));
  auto* layer = new QgsVectorLayer(source.layerUri(QStringLiteral("punten"), {},
                                                   QStringLiteral("geom"), QStringLiteral("POINT")),
                                   QStringLiteral("punten"), QStringLiteral("postgres"));
  ASSERT_TRUE(layer->isValid());
  QgsProject::instance()->addMapLayer(layer);
  const AlgorithmRun run =
      runAlgorithm(QStringLiteral("veldwacht:dbscan"),
                   {{QStringLiteral("INPUT"), layer->id()},
                    {QStringLiteral("OUTPUT"), QgsProcessing::TEMPORARY_OUTPUT},
                    {QStringLiteral("WRITE_TO_STORE"), true}});
  EXPECT_FALSE(run.ok);
  EXPECT_TRUE(run.log.contains(QStringLiteral("WRITE_TO_STORE")) &&
              run.log.contains(QStringLiteral("is not a Veldwacht store")) &&
              run.log.contains(QStringLiteral("veldwacht init")))
      << run.log.toStdString();
  EXPECT_EQ(std::stoll(pg_->query("zonder_opslag_laag",
                                  "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND "
                                  "tablename <> 'spatial_ref_sys'")
                           .at(0)
                           .at(0)),
            1);
  QgsProject::instance()->clear();
}

/// BAG light panden (identificatie, bouwjaar, status) as a GeoJSON file in EPSG:28992: squares
/// of 10 m at x = 250000 + 100 * id. `panden` maps each id to its bouwjaar.
QString writePandenGeoJson(const QString& path, const std::map<int, int>& panden) {
  QStringList features;
  for (const auto& [id, bouwjaar] : panden) {
    const double x = 250000.0 + 100.0 * id, y = 590000.0;
    features << QStringLiteral(
                    R"({"type":"Feature","properties":{"identificatie":"%1","bouwjaar":%2,)"
                    R"("status":"Pand in gebruik"},"geometry":{"type":"MultiPolygon",)"
                    R"("coordinates":[[[[%3,%4],[%5,%4],[%5,%6],[%3,%6],[%3,%4]]]]}})")
                    .arg(QStringLiteral("%1").arg(1900100000 + id, 16, 10, QLatin1Char('0')))
                    .arg(bouwjaar)
                    .arg(x, 0, 'f', 1)
                    .arg(y, 0, 'f', 1)
                    .arg(x + 10.0, 0, 'f', 1)
                    .arg(y + 10.0, 0, 'f', 1);
  }
  std::ofstream out(path.toStdString());
  out << R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":)"
      << R"("urn:ogc:def:crs:EPSG::28992"}},"features":[)"
      << features.join(QLatin1Char(',')).toStdString() << "]}";
  return path;
}

TEST_F(PostgisStore, TheImportAlgorithmUpdatesARegisterOnPostgisAsTheCliDoes) {
  const QString store = QString::fromStdString(url_);
  const QDir d(dir_->path());
  const QString v1 = writePandenGeoJson(d.filePath(QStringLiteral("pand_v1.geojson")),
                                        {{1, 1990}, {2, 1990}, {3, 1990}});
  const QString v2 = writePandenGeoJson(d.filePath(QStringLiteral("pand_v2.geojson")),
                                        {{1, 1990}, {2, 2001}, {4, 2020}});
  AlgorithmRun run =
      runAlgorithm(QStringLiteral("veldwacht:import"),
                   {{QStringLiteral("INPUT"), v1}, {QStringLiteral("STORE"), store}});
  ASSERT_TRUE(run.ok) << run.log.toStdString();
  EXPECT_EQ(run.outputs.value(QStringLiteral("ROWS")).toLongLong(), 3);
  EXPECT_EQ(count("SELECT count(*) FROM panden"), 3);
  const auto panden = [] {
    std::string out;
    for (const auto& r :
         pg_->query("plugin_store", "SELECT right(bag_id, 1), bouwjaar FROM panden ORDER BY 1"))
      out += r.at(0) + ":" + r.at(1) + " ";
    return out;
  };

  // The newer version without UPDATE: refused naming the keys and suggesting UPDATE (as the
  // GeoPackage store's check does), nothing written.
  run = runAlgorithm(QStringLiteral("veldwacht:import"),
                     {{QStringLiteral("INPUT"), v2}, {QStringLiteral("STORE"), store}});
  EXPECT_FALSE(run.ok);
  EXPECT_TRUE(run.log.contains(QStringLiteral("field 'bag_id': bag_id")) &&
              run.log.contains(QStringLiteral("already in the store")) &&
              run.log.contains(QStringLiteral("a newer version of this register")) &&
              run.log.contains(QStringLiteral("(UPDATE;")) &&
              run.log.contains(QStringLiteral("nothing was written")))
      << run.log.toStdString();
  EXPECT_EQ(panden(), "1:1990 2:1990 3:1990 ");

  // With UPDATE: compared and written on the server (pgstore::importUpdate), the CLI's report.
  run = runAlgorithm(QStringLiteral("veldwacht:import"), {{QStringLiteral("INPUT"), v2},
                                                          {QStringLiteral("STORE"), store},
                                                          {QStringLiteral("UPDATE"), true}});
  ASSERT_TRUE(run.ok) << run.log.toStdString();
  EXPECT_EQ(run.outputs.value(QStringLiteral("ADDED")).toLongLong(), 1);
  EXPECT_EQ(run.outputs.value(QStringLiteral("CHANGED")).toLongLong(), 1);
  EXPECT_EQ(run.outputs.value(QStringLiteral("REMOVED")).toLongLong(), 1);
  EXPECT_EQ(run.outputs.value(QStringLiteral("UNCHANGED")).toLongLong(), 1);
  EXPECT_TRUE(run.outputs.value(QStringLiteral("REPORT"))
                  .toString()
                  .contains(QStringLiteral("update of panden by bag_id: 1 added")))
      << run.outputs.value(QStringLiteral("REPORT")).toString().toStdString();
  EXPECT_EQ(panden(), "1:1990 2:2001 4:2020 ");
  // The STORE output names the database without a password.
  EXPECT_EQ(run.outputs.value(QStringLiteral("STORE")).toString(), store);
}

TEST_F(PostgisStore, TheIntakeFormWritesASignalIntoTheStoreOfTheProjectsSignalen) {
  ui::IntakePanel panel(nullptr, nullptr);
  QString error;
  ASSERT_GT(VeldwachtPlugin::addStoreToProject(QString::fromStdString(url_), &error), 0)
      << error.toStdString();
  // The store of the project's Signalen layer, a PostGIS one: the field names the database
  // (no password), the categories come from its value list.
  EXPECT_TRUE(panel.store().startsWith(QLatin1String("PG:"))) << panel.store().toStdString();
  EXPECT_TRUE(panel.store().contains(QLatin1String("plugin_store")));
  EXPECT_GE(panel.category()->findData(QStringLiteral("HENNEP")), 0);
  const QgsCoordinateReferenceSystem rd(QStringLiteral("EPSG:28992"));

  // A category the store does not know: refused naming the field, nothing written.
  panel.category()->setEditText(QStringLiteral("GEENCATEGORIE"));
  ASSERT_TRUE(panel.setPoint(QgsPointXY(203000, 502000), rd));
  EXPECT_FALSE(panel.submit());
  EXPECT_TRUE(panel.statusText().contains(QStringLiteral("field 'categorie'")))
      << panel.statusText().toStdString();
  EXPECT_EQ(count("SELECT count(*) FROM signalen"), 70);

  panel.category()->setCurrentIndex(panel.category()->findData(QStringLiteral("HENNEP")));
  panel.sourceType()->setCurrentIndex(panel.sourceType()->findData(QStringLiteral("boer")));
  panel.description()->setPlainText(QStringLiteral("Busjes bij de schuur"));
  ASSERT_TRUE(panel.setPoint(QgsPointXY(203000, 502000), rd));
  QString entered;
  QObject::connect(&panel, &ui::IntakePanel::signalEntered,
                   [&](const QString& id, const QString&) { entered = id; });
  ASSERT_TRUE(panel.submit()) << panel.statusText().toStdString();
  ASSERT_FALSE(entered.isEmpty());
  const std::string where = " FROM signalen WHERE signaal_id = '" + entered.toStdString() + "'";
  EXPECT_EQ(
      one("SELECT categorie || ' ' || brontype || ' ' || status || ' ' || omschrijving" + where),
      "HENNEP boer nieuw Busjes bij de schuur");
  EXPECT_EQ(one("SELECT ST_AsText(geom)" + where), "POINT(203000 502000)");
  EXPECT_EQ(
      one("SELECT rijen FROM veldwacht_imports WHERE import_id = (SELECT import_id" + where + ")"),
      "1");
  // The project's Signalen layer shows it.
  QgsVectorLayer* signalen = layerNamed(QStringLiteral("Signalen"));
  ASSERT_NE(signalen, nullptr);
  EXPECT_EQ(signalen->featureCount(), 71);
  // The other tests count 70 signals: the signal and its import go again.
  const std::string importId = one("SELECT import_id" + where);
  pg_->query("plugin_store",
             "DELETE" + where + "; DELETE FROM veldwacht_imports WHERE import_id = " + importId);
  QgsProject::instance()->clear();
}

TEST_F(PostgisStore, TheRouteToolRoutesOverTheStoresWegvakken) {
  using layers::testing::kX0;
  using layers::testing::kY0;
  using layers::testing::wegvakRecord;
  if (count("SELECT count(*) FROM wegvakken") == 0) {
    // A road 4 km east and one 3 km north from its middle, written as an import is.
    std::vector<layers::Record> roads;
    roads.push_back(wegvakRecord(1, 1, 2, 0, 0, 2000, 0));
    roads.push_back(wegvakRecord(2, 2, 3, 2000, 0, 4000, 0));
    roads.push_back(wegvakRecord(3, 2, 4, 2000, 0, 2000, 3000));
    const layers::ImportBatch b = layers::testing::batch("wegvakken", std::move(roads));
    layers::openStore(url_, true)->append(std::span(&b, 1));
  }
  ui::RoutePanel panel(nullptr);
  QStringList messages;
  QObject::connect(&panel, &ui::RoutePanel::message,
                   [&](const QString& text, Qgis::MessageLevel) { messages << text; });
  panel.setStore(QString::fromStdString(url_));
  // From the east road 10 m from its start to the north road 2990 m up: 1990 + 2990 m.
  ASSERT_TRUE(panel.route(QgsPointXY(kX0 + 10, kY0 + 5), QgsPointXY(kX0 + 2005, kY0 + 2990)))
      << panel.statusText().toStdString() << messages.join(QLatin1Char('\n')).toStdString();
  EXPECT_NEAR(panel.lengthMetres(), 4980.0, 1e-6);
  QgsVectorLayer* drawn = panel.routeLayer();
  ASSERT_NE(drawn, nullptr);
  ASSERT_EQ(drawn->featureCount(), 1);
  QgsFeature f;
  ASSERT_TRUE(drawn->getFeatures().nextFeature(f));
  EXPECT_EQ(f.attribute(QStringLiteral("wegvakken")).toString(), QStringLiteral("1,3"));
  // The network was built once and kept in the store, as `veldwacht route` keeps it.
  EXPECT_EQ(count("SELECT count(*) FROM veldwacht_netwerk"), 1);
  // A point far from every road: the runner's refusal, nothing drawn.
  EXPECT_FALSE(panel.route(QgsPointXY(kX0 + 10, kY0 + 5), QgsPointXY(kX0 + 1000, kY0 + 1500)));
  EXPECT_TRUE(panel.statusText().contains(QStringLiteral("m from the nearest road")))
      << panel.statusText().toStdString();
  QgsProject::instance()->clear();
}

TEST_F(PostgisStore, PresenterModeHidesConfidentialLayersAndRecordsTheSwitchInTheStore) {
  QString error;
  ASSERT_GT(VeldwachtPlugin::addStoreToProject(QString::fromStdString(url_), &error), 0)
      << error.toStdString();
  QgsVectorLayer* signalen = layerNamed(QStringLiteral("Signalen"));
  QgsVectorLayer* gemeenten = layerNamed(QStringLiteral("Gemeenten"));
  ASSERT_TRUE(signalen && gemeenten);
  // Layers of a PostGIS store are store layers: their database and table.
  const StoreLayerRef ref = PresenterMode::storeLayerOf(signalen);
  EXPECT_EQ(ref.table, QStringLiteral("signalen"));
  EXPECT_TRUE(ref.path.startsWith(QLatin1String("PG:"))) << ref.path.toStdString();
  EXPECT_TRUE(PresenterMode::isPublicLayer(gemeenten));
  EXPECT_FALSE(PresenterMode::isPublicLayer(signalen));

  const long long audited = count("SELECT count(*) FROM veldwacht_audit");
  PresenterMode presenter(QgsProject::instance());
  const PresenterReport on = presenter.switchOn();
  EXPECT_TRUE(on.hidden.contains(QStringLiteral("Signalen")));
  EXPECT_FALSE(on.hidden.contains(QStringLiteral("Gemeenten")));
  EXPECT_TRUE(presenter.lockedLayerIds().contains(signalen->id()));
  EXPECT_TRUE(signalen->readOnly());
  ASSERT_EQ(on.audited.size(), 1) << on.auditErrors.join(QLatin1Char('\n')).toStdString();
  EXPECT_TRUE(on.audited.front().contains(QStringLiteral("plugin_store")));
  const PresenterReport off = presenter.switchOff();
  EXPECT_TRUE(off.shown.contains(QStringLiteral("Signalen")));
  EXPECT_FALSE(signalen->readOnly());
  // Both switches are rows of the store's audit table, written by this login.
  EXPECT_EQ(count("SELECT count(*) FROM veldwacht_audit"), audited + 2);
  EXPECT_EQ(count("SELECT count(*) FROM veldwacht_audit WHERE actie = 'presentatie' AND login = "
                  "'postgres'"),
            2);
  QgsProject::instance()->clear();
}

TEST_F(PostgisStore, TheKennissessieRefusesAStoreWithoutPublicLayersAndRecordsIt) {
  QgsProject own;
  // The context layers the store classifies public are loaded from the database.
  EXPECT_GT(addKennissessieLayers(&own, QString::fromStdString(url_)), 0);
  bool gemeenten = false;
  for (QgsMapLayer* l : own.mapLayers()) {
    EXPECT_EQ(l->providerType(), QStringLiteral("postgres")) << l->name().toStdString();
    gemeenten = gemeenten || PresenterMode::storeLayerOf(l).table == QLatin1String("gemeenten");
  }
  EXPECT_TRUE(gemeenten);
  const long long refused = count(
      "SELECT count(*) FROM veldwacht_audit WHERE actie = 'print' AND uitkomst = "
      "'geweigerd'");
  KennissessieOptions options;
  options.store = QString::fromStdString(url_);
  options.pdf = QDir(dir_->path()).filePath(QStringLiteral("kennissessie.pdf"));
  try {
    exportKennissessie(&own, options);
    ADD_FAILURE() << "not refused";
  } catch (const KennissessieRefused& e) {
    EXPECT_TRUE(QString::fromUtf8(e.what()).contains(QStringLiteral("veldwacht publiceer")))
        << e.what();
  }
  EXPECT_FALSE(QFileInfo::exists(options.pdf));
  EXPECT_EQ(count("SELECT count(*) FROM veldwacht_audit WHERE actie = 'print' AND uitkomst = "
                  "'geweigerd'"),
            refused + 1);
}

TEST_F(PostgisStore, TheKennissessieIsExportedFromAPostgisStoreWithPublicLayers) {
  // One buurt around every signal, then `veldwacht publiceer` on the store: its public counts
  // (openbaar_signalen_per_gebied, 70 in the buurt) are a result table of the database.
  {
    auto store = layers::openStore(url_, /*update=*/true);
    std::vector<layers::Record> buurt;
    buurt.push_back(layers::testing::recordOf(
        "buurten",
        {{"code", std::string("BU00010001")},
         {"naam", std::string("Proefbuurt")},
         {"gemeentecode", std::string("GM0001")},
         {"wijkcode", std::string("WK000100")}},
        layers::testing::wkt("MULTIPOLYGON(((185000 475000, 215000 475000, 215000 515000, "
                             "185000 515000, 185000 475000)))")));
    std::vector<layers::ImportBatch> b;
    b.push_back(layers::testing::batch("buurten", std::move(buurt)));
    store->append(b);
  }
  std::string err;
  const std::filesystem::path d = dir_->path().toStdString();
  ASSERT_EQ(runCli(d,
                   "publiceer \"" + url_ + "\" -o '" + (d / "openbaar.gpkg").string() +
                       "' --alleen-aantallen",
                   &err),
            0)
      << err;
  EXPECT_EQ(one("SELECT aantal FROM openbaar_signalen_per_gebied WHERE niveau = 'buurt'"), "70");

  QgsProject own;
  EXPECT_GT(addKennissessieLayers(&own, QString::fromStdString(url_)), 0);
  bool perArea = false;
  for (QgsMapLayer* l : own.mapLayers()) {
    EXPECT_EQ(l->providerType(), QStringLiteral("postgres")) << l->name().toStdString();
    perArea = perArea ||
              PresenterMode::storeLayerOf(l).table == QLatin1String("openbaar_signalen_per_gebied");
  }
  EXPECT_TRUE(perArea);
  KennissessieOptions options;
  options.store = QString::fromStdString(url_);
  options.pdf = QDir(dir_->path()).filePath(QStringLiteral("kennissessie_pg.pdf"));
  options.date = QDate(2024, 12, 31);
  const long long printed = count(
      "SELECT count(*) FROM veldwacht_audit WHERE actie = 'print' AND uitkomst = 'uitgevoerd'");
  // The charts read the signals' trend and follow-up from PostgreSQL (no julianday).
  const KennissessieResult r = exportKennissessie(&own, options);
  EXPECT_EQ(r.pages, int(kennissessiePageTitles().size()));
  EXPECT_TRUE(r.layers.contains(QStringLiteral("openbaar_signalen_per_gebied")))
      << r.layers.join(QLatin1Char(',')).toStdString();
  EXPECT_GT(QFileInfo(options.pdf).size(), 10000);
  EXPECT_EQ(count("SELECT count(*) FROM veldwacht_audit WHERE actie = 'print' AND uitkomst = "
                  "'uitgevoerd'"),
            printed + 1);
}

TEST_F(PostgisStore, ThePlanningPanelPlansOnAPostgisStoreAsTheCliDoes) {
  // A store of its own: the plan tests' roads, partners and sites (tests/cli/plan_store.h).
  const std::string url = pg_->newDatabase("plan_store");
  {
    auto store = layers::createStore(url);
    auto batches = layers::testing::planBatches();
    store->append(batches);
  }
  const std::string planDb = "plan_store";
  ui::PlanningPanel panel;
  panel.setRunInBackground(false);
  ASSERT_TRUE(panel.setStore(QString::fromStdString(url))) << panel.statusText().toStdString();
  EXPECT_EQ(panel.store(), QString::fromStdString(url));
  EXPECT_GE(panel.sitesLayer()->findData(QStringLiteral("incidenten")), 0);
  EXPECT_LT(panel.sitesLayer()->findData(QStringLiteral("partners")), 0);
  EXPECT_LT(panel.sitesLayer()->findData(QStringLiteral("wegvakken")), 0);
  ASSERT_EQ(panel.partners()->count(), 2);
  panel.sitesLayer()->setCurrentIndex(panel.sitesLayer()->findData(QStringLiteral("incidenten")));
  ui::smallPlan(panel);  // as the GeoPackage panel test; the CLI below with the same options
  bool succeeded = false;
  QObject::connect(&panel, &ui::PlanningPanel::planFinished, [&](bool ok) { succeeded = ok; });
  panel.runButton()->click();
  ASSERT_TRUE(succeeded) << panel.statusText().toStdString();
  // The plan's layers come from the database, through the postgres provider.
  ASSERT_EQ(panel.addedLayers().size(), 3);
  for (const QString& id : panel.addedLayers()) {
    QgsMapLayer* l = QgsProject::instance()->mapLayer(id);
    ASSERT_NE(l, nullptr);
    EXPECT_EQ(l->providerType(), QStringLiteral("postgres")) << l->name().toStdString();
  }
  // The same plan from the command line on the same store.
  std::string err;
  ASSERT_EQ(runCli(dir_->path().toStdString(),
                   "plan \"" + url +
                       "\" --sites incidenten --period 2026-12-07/2026-12-08 "
                       "--shifts-per-partner 0 --iterations 300 --seconds 600 --seed 5 -o cli",
                   &err),
            0)
      << err;
  const auto rows = [&](const std::string& table, const std::string& fields) {
    std::string out;
    for (const auto& r :
         pg_->query(planDb, "SELECT " + fields + " FROM " + table + " ORDER BY " + fields)) {
      for (const auto& v : r) out += v + "|";
      out += "\n";
    }
    return out;
  };
  const std::string visits = "partner_id, dienst, volgorde, site_id, aankomst, vertrek";
  EXPECT_FALSE(rows("plan_bezoeken", visits).empty());
  EXPECT_EQ(rows("plan_bezoeken", visits), rows("cli_bezoeken", visits));
  EXPECT_EQ(rows("plan_vervallen", "site_id, reden"), rows("cli_vervallen", "site_id, reden"));
  // The island site cannot be reached: listed with its reason.
  ASSERT_GE(panel.dropped()->rowCount(), 1);
  bool island = false;
  for (int r = 0; r < panel.dropped()->rowCount(); ++r)
    island = island || panel.dropped()->item(r, 1)->text() == QStringLiteral("INC-T-00003");
  EXPECT_TRUE(island);
  // A database without a store: refused with the store's reason, nothing listed.
  ui::PlanningPanel other;
  EXPECT_FALSE(other.setStore(QString::fromStdString(pg_->newDatabase("geen_store"))));
  EXPECT_EQ(other.sitesLayer()->count(), 0);
  EXPECT_TRUE(other.statusText().contains(QStringLiteral("veldwacht init")))
      << other.statusText().toStdString();
  QgsProject::instance()->clear();
}

}  // namespace
}  // namespace veldwacht::plugin
