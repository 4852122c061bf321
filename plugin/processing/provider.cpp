#include "plugin/processing/provider.h"

#include <QIcon>

#include "plugin/processing/algorithms.h"

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
  // One line per algorithm, sorted by algorithm id. An adapter is compiled only when the core
  // component it adapts exists in this build (see plugin/CMakeLists.txt).
#ifdef VELDWACHT_HAVE_GEO_CLUSTERING
  addAlgorithm(new DbscanAlgorithm());  // veldwacht:dbscan
#endif
#ifdef VELDWACHT_HAVE_GEO_AGGREGATION
  addAlgorithm(new GridCountAlgorithm());  // veldwacht:gridcount
#endif
#ifdef VELDWACHT_HAVE_GEO_CLUSTERING
  addAlgorithm(new StDbscanAlgorithm());  // veldwacht:stdbscan
#endif
}

}  // namespace veldwacht::plugin
