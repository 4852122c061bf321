// described.h first: it includes plugin/json_compat.h before any QGIS header.
#include "plugin/processing/provider.h"
#include "plugin/processing/described.h"

#include <qgsapplication.h>

#include <QIcon>

#include "layers/analyses/aggregation.h"
#include "layers/analyses/clustering.h"
#include "layers/analyses/density.h"
#include "layers/analyses/emerging.h"
#include "layers/analyses/hotspots.h"
#include "layers/fieldwork/describe_fieldwork.h"
#include "layers/network/network_analyses.h"
#include "layers/planning/areas_runner.h"
#include "layers/planning/plan_runner.h"
#include "layers/risk/address_runner.h"
#include "layers/risk/risk_runner.h"
#include "plugin/processing/algorithms.h"
#include "plugin/processing/kennissessie_alg.h"
#include "plugin/processing/route_cards.h"
#include "plugin/processing/status.h"

namespace veldwacht::plugin {

namespace {
/// dutchTexts() of the innermost TextLanguageScope of this thread: -1 none, else 0 or 1.
thread_local int scopedDutch = -1;

bool askQgis() { return QgsApplication::locale().startsWith(QLatin1String("nl")); }
}  // namespace

bool dutchTexts() { return scopedDutch >= 0 ? scopedDutch == 1 : askQgis(); }

TextLanguageScope::TextLanguageScope() : previous_(scopedDutch) {
  scopedDutch = dutchTexts() ? 1 : 0;
}

TextLanguageScope::~TextLanguageScope() { scopedDutch = previous_; }

Provider::Provider(QObject* parent) : QgsProcessingProvider(parent) {}

QString Provider::id() const { return providerId(); }

QString Provider::name() const { return QStringLiteral("Veldwacht"); }

QString Provider::longName() const {
  return tr("Veldwacht — signals of ondermijning in the countryside and on business parks");
}

QIcon Provider::icon() const { return QIcon(svgIconPath()); }

QString Provider::svgIconPath() const { return QStringLiteral(":/veldwacht/icon.svg"); }

void Provider::loadAlgorithms() {
  namespace describe = layers::describe;
  const TextLanguageScope language;  // one look at QGIS's language for every algorithm's texts
  // Made from the descriptions (described.h): the same builder as the CLI on any point layer.
  // One line per analysis; docs/adding-an-algorithm.md step 4.
  addAlgorithm(pointAlgorithm(describe::clusteringAnalysis("dbscan"), &layers::buildClustering));
  addAlgorithm(pointAlgorithm(describe::clusteringAnalysis("hdbscan"), &layers::buildClustering));
  addAlgorithm(pointAlgorithm(describe::clusteringAnalysis("kmeans"), &layers::buildClustering));
  addAlgorithm(pointAlgorithm(describe::clusteringAnalysis("stdbscan"), &layers::buildClustering));
  addAlgorithm(pointAlgorithm(describe::emergingAnalyses().front(), &layers::buildEmerging));
  // Aggregation, density and hot spots: every input (mask, denominator, polygons) a QGIS layer.
  for (const auto& a : describe::aggregationAnalyses())
    addAlgorithm(pointAlgorithm(a, &layers::buildAggregation, &layers::buildAggregationStreamed,
                                &layers::aggregationStreams));  // gridcount, polygoncount
  for (const auto& a : describe::densityAnalyses())
    addAlgorithm(pointAlgorithm(a, &layers::buildDensity, &layers::buildDensityStreamed,
                                &layers::densityStreams));  // kde, dualkde
  for (const auto& a : describe::hotspotAnalyses())
    addAlgorithm(pointAlgorithm(a, &layers::buildHotspots));  // gistar … ripleyk

  // veldwacht:store_<id>: every description on a Veldwacht store with the CLI's runner, the
  // result written into the store and registered in veldwacht_resultaten. One line per family.
  for (const auto& a : describe::clusteringAnalyses())
    addAlgorithm(storeAlgorithm(a, &layers::runClustering));
  for (const auto& a : describe::aggregationAnalyses())
    addAlgorithm(storeAlgorithm(a, &layers::runAggregation));
  for (const auto& a : describe::densityAnalyses())
    addAlgorithm(storeAlgorithm(a, &layers::runDensity));
  for (const auto& a : describe::hotspotAnalyses())
    addAlgorithm(storeAlgorithm(a, &layers::runHotspots));
  for (const auto& a : describe::emergingAnalyses())
    addAlgorithm(storeAlgorithm(a, &layers::runEmerging));
  // Risk terrain and the address-check list (issue 11): veldwacht:store_risk_terrain,
  // …_address_list.
  for (const auto& a : describe::riskAnalyses()) addAlgorithm(storeAlgorithm(a, &layers::runRisk));
  for (const auto& a : describe::addressListAnalyses())
    addAlgorithm(storeAlgorithm(a, &layers::runAddressList));
  // Planning on the store's road network (issue 10): veldwacht:store_plan, veldwacht:store_areas.
  for (const auto& a : describe::planningAnalyses())
    addAlgorithm(storeAlgorithm(a, &layers::runPlan));
  for (const auto& a : describe::areasAnalyses())
    addAlgorithm(storeAlgorithm(a, &layers::runAreas));
  // The road network (issue 9): veldwacht:store_route, store_matrix, store_reach.
  for (const auto& a : describe::routeAnalyses())
    addAlgorithm(storeAlgorithm(a, &layers::buildRoute));
  for (const auto& a : describe::matrixAnalyses())
    addAlgorithm(storeAlgorithm(a, &layers::buildMatrix));
  for (const auto& a : describe::reachAnalyses())
    addAlgorithm(storeAlgorithm(a, &layers::buildReach));
  // Back from the field (issue 10): veldwacht:store_plan_vs_done and store_schouw_import (its
  // outputs: the layers it wrote, the rows it added and its report).
  for (const auto& a : describe::planVsDoneAnalyses())
    addAlgorithm(storeAlgorithm(a, &layers::buildPlanVsDone));
  for (const auto& a : describe::schouwImportAnalyses())
    addAlgorithm(storeAlgorithm(a, &layers::runSchouwImport));

  // Not analyses: importing into a store, printing route cards, a signal's follow-up status.
  addAlgorithm(new ImportAlgorithm());        // veldwacht:import
  addAlgorithm(createRouteCardsAlgorithm());  // veldwacht:routekaarten
  addAlgorithm(createStatusAlgorithm());      // veldwacht:store_status
  // The Kennissessie export (PDF and slides of the public layers): veldwacht:kennissessie.
  addAlgorithm(createKennissessieAlgorithm());
}

}  // namespace veldwacht::plugin
