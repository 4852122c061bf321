// Importing into a store through Processing, and opening a store in the project (groups,
// order, the GeoPackage's default styles).
#include <gtest/gtest.h>

#include <qgsapplication.h>
#include <qgslayertree.h>
#include <qgsprocessingalgorithm.h>
#include <qgsprocessingcontext.h>
#include <qgsprocessingfeedback.h>
#include <qgsprocessingregistry.h>
#include <qgsproject.h>
#include <qgsrenderer.h>
#include <qgsvectorlayer.h>

#include <QDateTime>
#include <QTemporaryDir>

#include <memory>

#include "layers/schema/schema.h"
#include "plugin/veldwachtplugin.h"

namespace {

class CountingFeedback : public QgsProcessingFeedback {
 public:
  void reportError(const QString& error, bool fatal) override {
    errors << error;
    QgsProcessingFeedback::reportError(error, fatal);
  }
  QStringList errors;
};

/// A memory layer with the required signalen fields; `categories` one row each, 10 m apart.
std::unique_ptr<QgsVectorLayer> signalen(const QStringList& categories, int firstId = 1) {
  auto layer = std::make_unique<QgsVectorLayer>(
      QStringLiteral("Point?crs=EPSG:28992&field=signaal_id:string&field=categorie:string"
                     "&field=brontype:string&field=waargenomen_van:string&field=status:string"),
      QStringLiteral("mijn signalen"), QStringLiteral("memory"));
  int i = 0;
  for (const QString& c : categories) {
    QgsFeature f(layer->fields());
    f.setAttribute(0, QStringLiteral("SIG-2024-%1").arg(firstId + i, 4, 10, QLatin1Char('0')));
    f.setAttribute(1, c);
    f.setAttribute(2, QStringLiteral("boer"));
    f.setAttribute(3, QStringLiteral("2024-03-0%1T22:30:00").arg(1 + i));
    f.setAttribute(4, QStringLiteral("nieuw"));
    f.setGeometry(QgsGeometry::fromPointXY(QgsPointXY(256984.0 + 10.0 * i, 594814.0)));
    layer->dataProvider()->addFeature(f);
    ++i;
  }
  return layer;
}

int signalenLayerChoice() {
  int index = 1;  // 0 = recognise
  for (const auto& def : veldwacht::layers::layerDefs()) {
    if (def.name == "signalen") return index;
    ++index;
  }
  return -1;
}

QVariantMap runImport(QgsVectorLayer& input, const QString& store, bool& ok,
                      CountingFeedback& feedback) {
  std::unique_ptr<QgsProcessingAlgorithm> alg(
      QgsApplication::processingRegistry()->createAlgorithmById(
          QStringLiteral("veldwacht:import")));
  EXPECT_NE(alg, nullptr);
  if (!alg) return {};
  QgsProcessingContext context;
  return alg->run({{QStringLiteral("INPUT"), QVariant::fromValue(&input)},
                   {QStringLiteral("STORE"), store},
                   {QStringLiteral("LAYER"), signalenLayerChoice()}},
                  context, &feedback, &ok);
}

long long rowsIn(const QString& store, const QString& table) {
  QgsVectorLayer layer(QStringLiteral("%1|layername=%2").arg(store, table), table,
                       QStringLiteral("ogr"));
  return layer.isValid() ? layer.featureCount() : -1;
}

}  // namespace

TEST(ImportAlgorithm, WritesAMemoryLayerIntoANewStore) {
  const QTemporaryDir dir;
  const QString store = dir.filePath(QStringLiteral("veldwacht.gpkg"));
  auto input =
      signalen({QStringLiteral("DRUGSAFVAL"), QStringLiteral("HENNEP"), QStringLiteral("VERHUUR")});
  bool ok = false;
  CountingFeedback feedback;
  const QVariantMap results = runImport(*input, store, ok, feedback);
  ASSERT_TRUE(ok) << feedback.errors.join(QLatin1Char('\n')).toStdString();
  EXPECT_EQ(results.value(QStringLiteral("ROWS")).toInt(), 3);
  EXPECT_EQ(rowsIn(store, QStringLiteral("signalen")), 3);
}

TEST(ImportAlgorithm, ABadRowReportsItAndWritesNothing) {
  const QTemporaryDir dir;
  const QString store = dir.filePath(QStringLiteral("veldwacht.gpkg"));
  bool ok = false;
  CountingFeedback first;
  runImport(*signalen({QStringLiteral("HENNEP")}), store, ok, first);
  ASSERT_TRUE(ok);
  auto input = signalen({QStringLiteral("DRUGSLAB"), QStringLiteral("GEEN_CATEGORIE")}, 10);
  CountingFeedback feedback;
  runImport(*input, store, ok, feedback);
  EXPECT_FALSE(ok);
  ASSERT_FALSE(feedback.errors.isEmpty());
  EXPECT_TRUE(feedback.errors.join(QLatin1Char('\n')).contains(QStringLiteral("GEEN_CATEGORIE")));
  EXPECT_EQ(rowsIn(store, QStringLiteral("signalen")), 1);  // all rows or none
}

TEST(OpenStore, AddsTheLayersInGroupsWithTheStoresStyles) {
  const QTemporaryDir dir;
  const QString store = dir.filePath(QStringLiteral("veldwacht.gpkg"));
  bool ok = false;
  CountingFeedback feedback;
  runImport(*signalen({QStringLiteral("HENNEP")}), store, ok, feedback);
  ASSERT_TRUE(ok);

  QgsProject::instance()->clear();
  QString error;
  const int added = veldwacht::plugin::VeldwachtPlugin::addStoreToProject(store, &error);
  EXPECT_TRUE(error.isEmpty()) << error.toStdString();
  int spatial = 0;
  for (const auto& def : veldwacht::layers::layerDefs())
    if (def.geometry != veldwacht::layers::GeometryKind::None) ++spatial;
  EXPECT_EQ(added, spatial);

  // Groups in the fixed order, top to bottom.
  QStringList groups;
  for (QgsLayerTreeNode* node : QgsProject::instance()->layerTreeRoot()->children())
    if (QgsLayerTree::isGroup(node)) groups << QgsLayerTree::toGroup(node)->name();
  EXPECT_EQ(groups, (QStringList{QStringLiteral("Signalen"), QStringLiteral("Panden & VAB"),
                                 QStringLiteral("Bedrijventerreinen"), QStringLiteral("Partners"),
                                 QStringLiteral("Context")}));

  QgsLayerTreeGroup* signalenGroup =
      QgsProject::instance()->layerTreeRoot()->findGroup(QStringLiteral("Signalen"));
  ASSERT_NE(signalenGroup, nullptr);
  ASSERT_EQ(signalenGroup->findLayers().size(), 1);
  auto* layer = qobject_cast<QgsVectorLayer*>(signalenGroup->findLayers().at(0)->layer());
  ASSERT_NE(layer, nullptr);
  EXPECT_EQ(layer->featureCount(), 1);
  // The store's default style (styles/layers/signalen.qml: categorised by categorie).
  ASSERT_NE(layer->renderer(), nullptr);
  EXPECT_EQ(layer->renderer()->type(), QStringLiteral("categorizedSymbol"));

  // Context layers: drawn bottom first, so gemeenten (drawn first) is the last in its group.
  QgsLayerTreeGroup* context =
      QgsProject::instance()->layerTreeRoot()->findGroup(QStringLiteral("Context"));
  ASSERT_NE(context, nullptr);
  EXPECT_EQ(context->findLayers().last()->layer()->name(), QStringLiteral("Gemeenten"));
  QgsProject::instance()->clear();
}

TEST(OpenStore, AMissingFileAddsNothingAndSaysWhy) {
  QString error;
  EXPECT_EQ(veldwacht::plugin::VeldwachtPlugin::addStoreToProject(
                QStringLiteral("/nonexistent/store.gpkg"), &error),
            0);
  EXPECT_FALSE(error.isEmpty());
}
