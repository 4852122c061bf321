// The Processing import algorithm's UPDATE parameter (issue 13): a newer version of a register
// (BAG panden) over an older one adds, changes and removes rows by key, with the same report in
// the algorithm's log as `veldwacht import --update` prints, and the same store content as the
// CLI gives on a copy. Without UPDATE the newer version is refused (nothing written) and the
// refusal names the parameter.
#include <gtest/gtest.h>

#include <qgsapplication.h>
#include <qgsfeature.h>
#include <qgsgeometry.h>
#include <qgsprocessingalgorithm.h>
#include <qgsprocessingcontext.h>
#include <qgsprocessingfeedback.h>
#include <qgsprocessingregistry.h>
#include <qgsproject.h>
#include <qgsvectorfilewriter.h>
#include <qgsvectorlayer.h>

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <map>
#include <memory>
#include <vector>

#include "qgis_environment.h"

using veldwacht::plugin::testing::QgisEnvironment;

[[maybe_unused]] static auto* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new QgisEnvironment);

namespace {

class LogFeedback : public QgsProcessingFeedback {
 public:
  void reportError(const QString& error, bool fatal) override {
    errors << error;
    QgsProcessingFeedback::reportError(error, fatal);
  }
  void pushInfo(const QString& info) override {
    log << info;
    QgsProcessingFeedback::pushInfo(info);
  }
  QStringList errors, log;
};

QString pandId(int i) { return QStringLiteral("%1").arg(1900100000 + i, 16, 10, QLatin1Char('0')); }

struct Pand {
  int id;
  int bouwjaar;
  double size;
};

/// BAG light panden (identificatie, bouwjaar, status; squares in EPSG:28992) as a GeoPackage.
QString writePanden(const QString& path, const std::vector<Pand>& panden) {
  QgsVectorLayer layer(QStringLiteral("MultiPolygon?crs=EPSG:28992&field=identificatie:string(16)"
                                      "&field=bouwjaar:integer&field=status:string"),
                       QStringLiteral("pand"), QStringLiteral("memory"));
  for (const Pand& p : panden) {
    QgsFeature f(layer.fields());
    f.setAttribute(0, pandId(p.id));
    f.setAttribute(1, p.bouwjaar);
    f.setAttribute(2, QStringLiteral("Pand in gebruik"));
    const double x = 250000.0 + 100.0 * p.id, y = 590000.0;
    f.setGeometry(QgsGeometry::fromWkt(QStringLiteral("MULTIPOLYGON (((%1 %2, %3 %2, %3 %4, %1 %4, "
                                                      "%1 %2)))")
                                           .arg(x)
                                           .arg(y)
                                           .arg(x + p.size)
                                           .arg(y + p.size)));
    layer.dataProvider()->addFeature(f);
  }
  QgsVectorFileWriter::SaveVectorOptions options;
  options.driverName = QStringLiteral("GPKG");
  options.layerName = QStringLiteral("pand");
  QString error;
  const auto result = QgsVectorFileWriter::writeAsVectorFormatV3(
      &layer, path, QgsProject::instance()->transformContext(), options, &error);
  EXPECT_EQ(result, QgsVectorFileWriter::NoError) << error.toStdString();
  return path;
}

QVariantMap runImport(const QString& input, const QString& store, bool update, bool& ok,
                      LogFeedback& feedback) {
  std::unique_ptr<QgsProcessingAlgorithm> alg(
      QgsApplication::processingRegistry()->createAlgorithmById(
          QStringLiteral("veldwacht:import")));
  EXPECT_NE(alg, nullptr);
  if (!alg) return {};
  QgsProcessingContext context;
  return alg->run({{QStringLiteral("INPUT"), input},
                   {QStringLiteral("STORE"), store},
                   {QStringLiteral("UPDATE"), update}},
                  context, &feedback, &ok);
}

/// `veldwacht import [--update] STORE FILE`: its stdout (the report).
QString runCli(const QString& store, const QString& file, bool update) {
  QStringList args{QStringLiteral("import"), store, file};
  if (update) args << QStringLiteral("--update");
  QProcess cli;
  cli.start(QStringLiteral(VELDWACHT_CLI), args);
  EXPECT_TRUE(cli.waitForFinished(120000));
  EXPECT_EQ(cli.exitCode(), 0) << cli.readAllStandardError().toStdString();
  return QString::fromUtf8(cli.readAllStandardOutput());
}

/// The lines of `text` that start with "update of ".
QStringList updateLines(const QString& text) {
  QStringList out;
  for (const QString& line : text.split(QLatin1Char('\n')))
    if (line.startsWith(QLatin1String("update of "))) out << line.trimmed();
  return out;
}

/// bag_id -> "bouwjaar|area" of every pand in the store.
std::map<QString, QString> panden(const QString& store) {
  QgsVectorLayer layer(store + QStringLiteral("|layername=panden"), QStringLiteral("panden"),
                       QStringLiteral("ogr"));
  std::map<QString, QString> out;
  EXPECT_TRUE(layer.isValid());
  QgsFeature f;
  auto it = layer.getFeatures();
  while (it.nextFeature(f))
    out[f.attribute(QStringLiteral("bag_id")).toString()] =
        f.attribute(QStringLiteral("bouwjaar")).toString() + QLatin1Char('|') +
        QString::number(f.geometry().area(), 'f', 3);
  return out;
}

}  // namespace

TEST(ImportAlgorithmUpdate, AddsChangesAndRemovesByKeyAsTheCliDoes) {
  const QTemporaryDir dir;
  const QString v1 =
      writePanden(dir.filePath(QStringLiteral("panden_v1.gpkg")),
                  {{1, 1950, 20}, {2, 1960, 20}, {3, 1970, 20}, {4, 1980, 20}, {5, 1990, 20}});
  // 1 and 5 unchanged, 2 a new bouwjaar, 3 a larger footprint, 4 demolished, 6 new.
  const QString v2 =
      writePanden(dir.filePath(QStringLiteral("panden_v2.gpkg")),
                  {{1, 1950, 20}, {2, 1961, 20}, {3, 1970, 30}, {5, 1990, 20}, {6, 2020, 20}});
  const QString store = dir.filePath(QStringLiteral("plugin.gpkg"));
  const QString cliStore = dir.filePath(QStringLiteral("cli.gpkg"));

  bool ok = false;
  LogFeedback first;
  QVariantMap out = runImport(v1, store, false, ok, first);
  ASSERT_TRUE(ok) << first.errors.join(QLatin1Char('\n')).toStdString();
  EXPECT_EQ(out.value(QStringLiteral("ROWS")).toInt(), 5);
  EXPECT_EQ(out.value(QStringLiteral("ADDED")).toInt(), 0);  // not an update
  runCli(cliStore, v1, false);
  ASSERT_EQ(panden(store), panden(cliStore));

  // Without UPDATE: refused, nothing written, and the refusal names the parameter.
  QFile::copy(store, dir.filePath(QStringLiteral("before.gpkg")));
  LogFeedback refused;
  runImport(v2, store, false, ok, refused);
  EXPECT_FALSE(ok);
  const QString errors = refused.errors.join(QLatin1Char('\n'));
  EXPECT_TRUE(errors.contains(QStringLiteral("already in the store"))) << errors.toStdString();
  EXPECT_TRUE(errors.contains(QStringLiteral("(UPDATE;"))) << errors.toStdString();
  EXPECT_EQ(panden(store), panden(dir.filePath(QStringLiteral("before.gpkg"))));

  // With UPDATE: the counts, the report in the log, and the CLI's answer.
  LogFeedback updated;
  out = runImport(v2, store, true, ok, updated);
  ASSERT_TRUE(ok) << updated.errors.join(QLatin1Char('\n')).toStdString();
  EXPECT_EQ(out.value(QStringLiteral("ADDED")).toInt(), 1);
  EXPECT_EQ(out.value(QStringLiteral("CHANGED")).toInt(), 2);
  EXPECT_EQ(out.value(QStringLiteral("REMOVED")).toInt(), 1);
  EXPECT_EQ(out.value(QStringLiteral("UNCHANGED")).toInt(), 2);
  EXPECT_EQ(out.value(QStringLiteral("ROWS")).toInt(), 1);  // rows inserted: the added one
  const QStringList logged = updateLines(updated.log.join(QLatin1Char('\n')));
  const QString expected = QStringLiteral(
                               "update of panden by bag_id: 1 added (%1), 2 changed "
                               "(%2, %3), 1 removed (%4), 2 unchanged")
                               .arg(pandId(6), pandId(2), pandId(3), pandId(4));
  ASSERT_EQ(logged.size(), 1) << updated.log.join(QLatin1Char('\n')).toStdString();
  EXPECT_TRUE(logged.front().startsWith(expected)) << logged.front().toStdString();
  EXPECT_EQ(updateLines(out.value(QStringLiteral("REPORT")).toString()), logged);

  const QString cliReport = runCli(cliStore, v2, true);
  EXPECT_EQ(updateLines(cliReport), logged) << cliReport.toStdString();
  const auto ours = panden(store);
  EXPECT_EQ(ours, panden(cliStore));
  // The known answer: 1, 2 (1961), 3 (30 × 30 m), 5, 6; 4 gone.
  ASSERT_EQ(ours.size(), 5u);
  EXPECT_EQ(ours.count(pandId(4)), 0u);
  EXPECT_EQ(ours.at(pandId(2)), QStringLiteral("1961|400.000"));
  EXPECT_EQ(ours.at(pandId(3)), QStringLiteral("1970|900.000"));
  EXPECT_EQ(ours.at(pandId(6)), QStringLiteral("2020|400.000"));

  // The same version again: nothing added, changed or removed.
  LogFeedback again;
  out = runImport(v2, store, true, ok, again);
  ASSERT_TRUE(ok) << again.errors.join(QLatin1Char('\n')).toStdString();
  EXPECT_EQ(out.value(QStringLiteral("ADDED")).toInt() +
                out.value(QStringLiteral("CHANGED")).toInt() +
                out.value(QStringLiteral("REMOVED")).toInt(),
            0);
  EXPECT_EQ(out.value(QStringLiteral("UNCHANGED")).toInt(), 5);
}
