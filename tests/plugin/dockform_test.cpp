// The dock's form is made from the descriptions (issue 8 item 1): every analysis with a
// veldwacht:<id> algorithm gets one editor per option of its description, with the
// description's default, and a value changed in the form reaches the run (the dock passes the
// form's values as the Processing parameters, plugin/veldwachtplugin.cpp runFromDock).
#include "plugin/json_compat.h"  // before any QGIS header

#include <gtest/gtest.h>

#include <qgsapplication.h>
#include <qgsfeature.h>
#include <qgsgeometry.h>
#include <qgsprocessingalgorithm.h>
#include <qgsprocessingcontext.h>
#include <qgsprocessingfeedback.h>
#include <qgsprocessingregistry.h>
#include <qgsprocessingutils.h>
#include <qgsvectorlayer.h>

#include <memory>
#include <set>

#include "layers/analyses/description.h"
#include "layers/catalog/catalog.h"
#include "plugin/processing/provider.h"
#include "plugin/ui/parameterform.h"
#include "qgis_environment.h"

namespace {

namespace describe = veldwacht::layers::describe;
using veldwacht::plugin::Algorithm;
using veldwacht::ui::ParameterForm;

std::unique_ptr<QgsProcessingAlgorithm> algorithmFor(const std::string& id) {
  return std::unique_ptr<QgsProcessingAlgorithm>(
      QgsApplication::processingRegistry()->createAlgorithmById(
          QStringLiteral("veldwacht:%1").arg(QString::fromStdString(id))));
}

TEST(DockForm, EveryDescriptionYieldsAFormWithItsOptionsAndDefaults) {
  std::size_t forms = 0;
  for (const describe::AnalysisInfo* a : describe::all()) {
    auto alg = algorithmFor(a->id);
    if (!alg) continue;  // store-only analyses (risk, address list, planning) have no dock form
    SCOPED_TRACE(a->id);
    const auto* ours = dynamic_cast<const Algorithm*>(alg.get());
    ASSERT_NE(ours, nullptr);
    ParameterForm form;
    form.setSpecs(ours->optionSpecs());
    ASSERT_EQ(form.specs().size(), qsizetype(a->options.size()));
    const QVariantMap values = form.values();
    for (const describe::Option& o : a->options) {
      const QString name = QString::fromStdString(o.processing);
      EXPECT_NE(form.editor(name), nullptr) << o.processing;
      const QVariant v = values.value(name);
      if (const auto* d = std::get_if<double>(&o.defaultValue)) {
        EXPECT_DOUBLE_EQ(v.toDouble(), *d) << o.processing;
      } else if (const auto* i = std::get_if<std::int64_t>(&o.defaultValue)) {
        EXPECT_EQ(v.toLongLong(), *i) << o.processing;
      } else if (const auto* b = std::get_if<bool>(&o.defaultValue)) {
        EXPECT_EQ(v.toBool(), *b) << o.processing;
      } else if (o.kind == describe::OptionKind::Choice) {
        const auto& def = std::get<std::string>(o.defaultValue);
        ASSERT_GE(v.toInt(), 0) << o.processing;
        ASSERT_LT(std::size_t(v.toInt()), o.choices.size()) << o.processing;
        EXPECT_EQ(o.choices[std::size_t(v.toInt())], def) << o.processing;
      } else {
        EXPECT_EQ(v.toString().toStdString(), std::get<std::string>(o.defaultValue))
            << o.processing;
      }
    }
    ++forms;
  }
  // The 15 point analyses: clustering (4), emerging, aggregation (2), density (2), hot spots (6).
  EXPECT_EQ(forms, 15u);
}

/// Two groups of five points 10 m apart, 1 km from each other.
std::unique_ptr<QgsVectorLayer> twoGroups() {
  auto layer =
      std::make_unique<QgsVectorLayer>(QStringLiteral("Point?crs=EPSG:28992&field=id:integer"),
                                       QStringLiteral("punten"), QStringLiteral("memory"));
  int id = 0;
  for (int g = 0; g < 2; ++g)
    for (int i = 0; i < 5; ++i) {
      QgsFeature f(layer->fields());
      f.setAttribute(0, id++);
      f.setGeometry(
          QgsGeometry::fromPointXY(QgsPointXY(256000.0 + 1000.0 * g + 10.0 * i, 594000.0)));
      layer->dataProvider()->addFeature(f);
    }
  return layer;
}

/// Runs veldwacht:dbscan with the form's values as parameters, as the dock does; the number of
/// clusters found.
int clustersWith(const ParameterForm& form, QgsVectorLayer& layer) {
  auto alg = algorithmFor("dbscan");
  QVariantMap params = form.values();
  params.insert(QStringLiteral("INPUT"), QVariant::fromValue(&layer));
  params.insert(QStringLiteral("OUTPUT"), QgsProcessing::TEMPORARY_OUTPUT);
  QgsProcessingContext context;
  QgsProcessingFeedback feedback;
  bool ok = false;
  const QVariantMap results = alg->run(params, context, &feedback, &ok);
  EXPECT_TRUE(ok);
  auto* out = qobject_cast<QgsVectorLayer*>(QgsProcessingUtils::mapLayerFromString(
      results.value(QStringLiteral("OUTPUT")).toString(), context));
  if (!out) return -1;
  std::set<int> ids;
  QgsFeature f;
  QgsFeatureIterator it = out->getFeatures();
  while (it.nextFeature(f))
    if (f.attribute(QStringLiteral("cluster_id")).toInt() >= 0)
      ids.insert(f.attribute(QStringLiteral("cluster_id")).toInt());
  return int(ids.size());
}

TEST(DockForm, AValueChangedInTheFormReachesTheRun) {
  auto alg = algorithmFor("dbscan");
  ASSERT_NE(alg, nullptr);
  ParameterForm form;
  form.setSpecs(dynamic_cast<const Algorithm*>(alg.get())->optionSpecs());
  auto layer = twoGroups();
  // Defaults (eps 100 m, minPts 5): each line of five points is a cluster.
  EXPECT_EQ(clustersWith(form, *layer), 2);
  // Six points needed: no cluster.
  form.setValues({{QStringLiteral("MIN_PTS"), 6}});
  EXPECT_EQ(form.values().value(QStringLiteral("MIN_PTS")).toInt(), 6);
  EXPECT_EQ(clustersWith(form, *layer), 0);
  // A radius of 5 m with three points: no point has two neighbours that close.
  form.setValues({{QStringLiteral("MIN_PTS"), 3}, {QStringLiteral("EPS"), 5.0}});
  EXPECT_EQ(clustersWith(form, *layer), 0);
  form.setValues({{QStringLiteral("EPS"), 25.0}});
  EXPECT_EQ(clustersWith(form, *layer), 2);
}

}  // namespace
