// The provider inside a headless QgsApplication, and the plugin module's exported functions.
#include "plugin/json_compat.h"  // before any QGIS header

#include <gtest/gtest.h>

#include <qgisplugin.h>
#include <qgsapplication.h>
#include <qgsprocessingalgorithm.h>
#include <qgsprocessingparameters.h>
#include <qgsprocessingregistry.h>

#include <QLibrary>
#include <QTranslator>

#include <algorithm>
#include <memory>
#include <utility>

#include "layers/analyses/description.h"
#include "layers/catalog/catalog.h"
#include "plugin/processing/algorithms.h"
#include "plugin/qgiscompat.h"
#include "qgis_environment.h"

using veldwacht::plugin::Algorithm;
using veldwacht::plugin::testing::QgisEnvironment;

[[maybe_unused]] static auto* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new QgisEnvironment);

namespace {

/// The algorithm ids the provider must offer: one per core algorithm adapted, and a store
/// variant (veldwacht:store_<id>) of every analysis description.
QStringList expectedAlgorithmIds() {
  QStringList ids = {QStringLiteral("veldwacht:dbscan"),
                     QStringLiteral("veldwacht:dualkde"),
                     QStringLiteral("veldwacht:emerginghotspots"),
                     QStringLiteral("veldwacht:gistar"),
                     QStringLiteral("veldwacht:globalmoran"),
                     QStringLiteral("veldwacht:gridcount"),
                     QStringLiteral("veldwacht:hdbscan"),
                     QStringLiteral("veldwacht:import"),
                     QStringLiteral("veldwacht:kde"),
                     QStringLiteral("veldwacht:kennissessie"),
                     QStringLiteral("veldwacht:kmeans"),
                     QStringLiteral("veldwacht:localmoran"),
                     QStringLiteral("veldwacht:nearestneighbourindex"),
                     QStringLiteral("veldwacht:optimizedhotspots"),
                     QStringLiteral("veldwacht:polygoncount"),
                     QStringLiteral("veldwacht:ripleyk"),
                     QStringLiteral("veldwacht:routekaarten"),
                     QStringLiteral("veldwacht:stdbscan"),
                     QStringLiteral("veldwacht:store_status")};
  for (const auto* a : veldwacht::layers::describe::all())
    ids << QStringLiteral("veldwacht:store_") + QString::fromStdString(a->id);
  ids.sort();
  return ids;
}

}  // namespace

TEST(Provider, IsRegisteredUnderItsId) {
  auto* provider = QgisEnvironment::provider();
  ASSERT_NE(provider, nullptr);
  EXPECT_EQ(provider->id(), QStringLiteral("veldwacht"));
  EXPECT_EQ(provider->name(), QStringLiteral("Veldwacht"));
  EXPECT_FALSE(provider->icon().isNull());
}

TEST(Provider, LoadsEveryAlgorithmOfThisBuild) {
  QStringList ids;
  for (const QgsProcessingAlgorithm* alg : QgisEnvironment::provider()->algorithms())
    ids << alg->id();
  ids.sort();
  EXPECT_EQ(ids.join(QLatin1Char(' ')).toStdString(),
            expectedAlgorithmIds().join(QLatin1Char(' ')).toStdString());
}

TEST(Provider, EveryAlgorithmHasHelpAGroupAndItsOptionsAsParameters) {
  for (const QgsProcessingAlgorithm* alg : QgisEnvironment::provider()->algorithms()) {
    SCOPED_TRACE(alg->id().toStdString());
    EXPECT_FALSE(alg->shortHelpString().isEmpty());
    EXPECT_FALSE(alg->groupId().isEmpty());
    EXPECT_FALSE(alg->displayName().isEmpty());
    const auto* a = dynamic_cast<const Algorithm*>(alg);
    ASSERT_NE(a, nullptr);
    EXPECT_NE(alg->parameterDefinition(a->inputParameterName()), nullptr);
    // Store variants write into the store and give its layers as outputs; the others have
    // destinations.
    if (alg->name().startsWith(QLatin1String("store_")))
      EXPECT_FALSE(alg->outputDefinitions().isEmpty());
    else
      EXPECT_FALSE(alg->destinationParameterDefinitions().isEmpty());
    for (const veldwacht::ui::OptionSpec& spec : a->optionSpecs()) {
      const QgsProcessingParameterDefinition* def = alg->parameterDefinition(spec.name);
      ASSERT_NE(def, nullptr) << spec.name.toStdString();
      EXPECT_EQ(bool(def->flags() & veldwacht::plugin::compat::kParamAdvanced), spec.advanced)
          << spec.name.toStdString();
      EXPECT_TRUE(def->checkValueIsAcceptable(spec.defaultValue)) << spec.name.toStdString();
      if (spec.kind == veldwacht::ui::OptionSpec::Kind::Double && spec.minimum.isValid()) {
        const auto* number = dynamic_cast<const QgsProcessingParameterNumber*>(def);
        ASSERT_NE(number, nullptr);
        EXPECT_DOUBLE_EQ(number->minimum(), spec.minimum.toDouble());
        EXPECT_FALSE(def->checkValueIsAcceptable(spec.minimum.toDouble() - 1.0));
      }
    }
  }
}

TEST(Provider, AlgorithmsCanRunInTheBackgroundAndBeCancelled) {
  for (const QgsProcessingAlgorithm* alg : QgisEnvironment::provider()->algorithms()) {
    SCOPED_TRACE(alg->id().toStdString());
    EXPECT_TRUE(alg->flags() & veldwacht::plugin::compat::kAlgCanCancel);
    // A print layout is rendered in the main thread, as QGIS's own layout exports are.
    if (alg->id() == QStringLiteral("veldwacht:routekaarten") ||
        alg->id() == QStringLiteral("veldwacht:kennissessie"))
      continue;
    EXPECT_FALSE(alg->flags() & veldwacht::plugin::compat::kAlgNoThreading);
  }
}

TEST(Translations, DutchCatalogueTranslatesTheProvidersStrings) {
  QTranslator translator;
  ASSERT_TRUE(translator.load(QStringLiteral(":/veldwacht/i18n/veldwacht_nl.qm")));
  EXPECT_EQ(translator.translate("Veldwacht", "Out of memory"), QStringLiteral("Geheugen vol"));
  EXPECT_FALSE(translator.translate("veldwacht::ui::DockPanel", "Run").isEmpty());
}

TEST(Translations, ThePatternStatisticsCarryDutchTextsInTheirDescriptions) {
  // The algorithms are made from the descriptions, which carry English and Dutch texts; the
  // algorithm shows the Dutch one when QGIS runs in Dutch.
  namespace describe = veldwacht::layers::describe;
  for (const char* id : {"globalmoran", "nearestneighbourindex", "ripleyk"}) {
    std::unique_ptr<QgsProcessingAlgorithm> alg(
        QgsApplication::processingRegistry()->createAlgorithmById(
            QStringLiteral("veldwacht:%1").arg(QLatin1String(id))));
    ASSERT_NE(alg, nullptr) << id;
    const describe::AnalysisInfo& a = describe::info(id);
    for (const describe::Text* t : {&a.title, &a.help, &a.groupName}) {
      EXPECT_FALSE(t->nl.empty()) << id << ": " << t->en;
      EXPECT_NE(t->nl, t->en) << id;
    }
    for (const describe::Option& o : a.options) {
      EXPECT_FALSE(o.label.nl.empty()) << id << ": " << o.cli;
      EXPECT_FALSE(o.help.nl.empty()) << id << ": " << o.cli;
      EXPECT_NE(alg->parameterDefinition(QString::fromStdString(o.processing)), nullptr)
          << id << ": " << o.processing;
    }
  }
}

TEST(PluginModule, ExportsWhatQgisLooksUp) {
  QLibrary module(QStringLiteral(VELDWACHT_PLUGIN_MODULE));
  ASSERT_TRUE(module.load()) << module.errorString().toStdString();
  using StringFn = const QString* (*)();
  for (const char* fn : {"name", "description", "category", "version", "icon", "experimental",
                         "create_date", "update_date"}) {
    auto f = reinterpret_cast<StringFn>(module.resolve(fn));
    ASSERT_NE(f, nullptr) << fn;
    EXPECT_FALSE(f()->isEmpty()) << fn;
  }
  auto type = reinterpret_cast<int (*)()>(module.resolve("type"));
  ASSERT_NE(type, nullptr);
  EXPECT_EQ(type(), int(QgisPlugin::UI));  // QGIS refuses any other type at load
  EXPECT_NE(module.resolve("classFactory"), nullptr);
  EXPECT_NE(module.resolve("unload"), nullptr);
  EXPECT_EQ(*reinterpret_cast<StringFn>(module.resolve("name"))(), QStringLiteral("Veldwacht"));
}

TEST(PluginModule, RegisterFunctionAddsTheProviderOnlyOnce) {
  QLibrary module(QStringLiteral(VELDWACHT_PLUGIN_MODULE));
  ASSERT_TRUE(module.load());
  auto reg = reinterpret_cast<int (*)()>(module.resolve("veldwacht_register_provider"));
  auto unreg = reinterpret_cast<int (*)()>(module.resolve("veldwacht_unregister_provider"));
  ASSERT_NE(reg, nullptr);
  ASSERT_NE(unreg, nullptr);
  // The environment registered one already: a second is refused.
  EXPECT_EQ(reg(), 0);
  EXPECT_NE(QgisEnvironment::provider(), nullptr);
}
