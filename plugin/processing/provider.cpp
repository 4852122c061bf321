#include "plugin/processing/provider.h"

#include <QIcon>

#include "plugin/processing/algorithms.h"
#include "plugin/processing/route_cards.h"

namespace veldwacht::plugin {

Provider::Provider(QObject* parent) : QgsProcessingProvider(parent) {}

QString Provider::id() const { return providerId(); }

QString Provider::name() const { return QStringLiteral("Veldwacht"); }

QString Provider::longName() const {
  return tr("Veldwacht — signals of ondermijning in the countryside and on business parks");
}

QIcon Provider::icon() const { return QIcon(svgIconPath()); }

QString Provider::svgIconPath() const { return QStringLiteral(":/veldwacht/icon.svg"); }

void Provider::loadAlgorithms() {
  // One line per algorithm, sorted by algorithm id.
  addAlgorithm(new DbscanAlgorithm());                 // veldwacht:dbscan
  addAlgorithm(new DualKdeAlgorithm());                // veldwacht:dualkde
  addAlgorithm(new EmergingHotSpotsAlgorithm());       // veldwacht:emerginghotspots
  addAlgorithm(new GiStarAlgorithm());                 // veldwacht:gistar
  addAlgorithm(new GlobalMoranAlgorithm());            // veldwacht:globalmoran
  addAlgorithm(new GridCountAlgorithm());              // veldwacht:gridcount
  addAlgorithm(new HdbscanAlgorithm());                // veldwacht:hdbscan
  addAlgorithm(new ImportAlgorithm());                 // veldwacht:import
  addAlgorithm(new KdeAlgorithm());                    // veldwacht:kde
  addAlgorithm(new KmeansAlgorithm());                 // veldwacht:kmeans
  addAlgorithm(new LocalMoranAlgorithm());             // veldwacht:localmoran
  addAlgorithm(new NearestNeighbourIndexAlgorithm());  // veldwacht:nearestneighbourindex
  addAlgorithm(new OptimizedHotSpotsAlgorithm());      // veldwacht:optimizedhotspots
  addAlgorithm(new PolygonCountAlgorithm());           // veldwacht:polygoncount
  addAlgorithm(new RipleyKAlgorithm());                // veldwacht:ripleyk
  addAlgorithm(createRouteCardsAlgorithm());           // veldwacht:routekaarten
  addAlgorithm(new StDbscanAlgorithm());               // veldwacht:stdbscan
}

}  // namespace veldwacht::plugin
