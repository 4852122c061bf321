// The Veldwacht Processing algorithms: one class per core algorithm or importer, each a thin
// mapping of QGIS parameters onto the core's Options. Grouped into a few translation units by
// core folder (QGIS headers compile slowly), declared here so the provider can list them.
#pragma once

#include <QCoreApplication>

#include "plugin/processing/provider.h"

namespace veldwacht::plugin {

#define VELDWACHT_ALGORITHM_COMMON(Class)                                                    \
  Q_DECLARE_TR_FUNCTIONS(Class)                                                              \
                                                                                             \
 public:                                                                                     \
  QString name() const override;                                                             \
  QString displayName() const override;                                                      \
  QString group() const override;                                                            \
  QString groupId() const override;                                                          \
  QString shortHelpString() const override;                                                  \
  QStringList tags() const override;                                                         \
  ui::OptionSpecs optionSpecs() const override;                                              \
  Class* createInstance() const override { return new Class(); }                             \
  void initAlgorithm(const QVariantMap& configuration = QVariantMap()) override;             \
                                                                                             \
 protected:                                                                                  \
  QVariantMap processAlgorithm(const QVariantMap& parameters, QgsProcessingContext& context, \
                               QgsProcessingFeedback* feedback) override;

#ifdef VELDWACHT_HAVE_GEO_CLUSTERING
/// veldwacht:dbscan — geo::dbscan (DBSCAN and DBSCAN*), optional weights.
class DbscanAlgorithm : public Algorithm {
  VELDWACHT_ALGORITHM_COMMON(DbscanAlgorithm)
};

/// veldwacht:stdbscan — geo::stDbscan over a moment or a time window per signal.
class StDbscanAlgorithm : public Algorithm {
  VELDWACHT_ALGORITHM_COMMON(StDbscanAlgorithm)
};
#endif

#ifdef VELDWACHT_HAVE_GEO_AGGREGATION
/// veldwacht:gridcount — geo::makeGrid + geo::countPoints (square or hexagon cells).
class GridCountAlgorithm : public Algorithm {
  VELDWACHT_ALGORITHM_COMMON(GridCountAlgorithm)
};
#endif

}  // namespace veldwacht::plugin
