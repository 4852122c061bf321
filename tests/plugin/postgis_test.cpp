// The plugin on a PostGIS store (issue 14), in a headless QGIS (offscreen QgsApplication with
// its own providers) against a temporary PostgreSQL 15 + PostGIS cluster on a unix socket:
// `veldwacht init` and `veldwacht import` make the store as a user would; the plugin opens it by
// connection string and by the name of a connection saved in QGIS (layers through QGIS's
// postgres provider, in their groups, with their styles, the result history), and the store
// algorithm veldwacht:store_dbscan runs from Processing into it, as `veldwacht cluster` does.
// Label postgis + qgis; skipped when PostgreSQL 15 + PostGIS are not installed.
#include <gtest/gtest.h>

#include <qgsabstractproviderconnection.h>
#include <qgsapplication.h>
#include <qgslayertree.h>
#include <qgslayertreegroup.h>
#include <qgslayertreelayer.h>
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
#include <QTemporaryDir>

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>

#include "../support/temp_postgres.h"
#include "layers/schema/schema.h"
#include "plugin/store_source.h"
#include "plugin/veldwachtplugin.h"
#include "qgis_environment.h"

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
  static long long count(const std::string& sql) {
    return std::stoll(pg_->query("plugin_store", sql).at(0).at(0));
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

}  // namespace
}  // namespace veldwacht::plugin
