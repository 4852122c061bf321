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

// geo/clustering: veldwacht:dbscan, hdbscan, kmeans, stdbscan and veldwacht:emerginghotspots are
// made from their descriptions (described.h, registered in provider.cpp).

// geo/aggregation (aggregation.cpp)

/// veldwacht:gridcount — geo::makeGrid + geo::countPoints (square or hexagon cells).
class GridCountAlgorithm : public Algorithm {
  VELDWACHT_ALGORITHM_COMMON(GridCountAlgorithm)
};

/// veldwacht:polygoncount — geo::countPointsInPolygons, with a count per hectare.
class PolygonCountAlgorithm : public Algorithm {
  VELDWACHT_ALGORITHM_COMMON(PolygonCountAlgorithm)
};

// geo/density (density.cpp)

/// veldwacht:kde — geo::kernelDensity to a GeoTIFF (geo::writeGeoTiff).
class KdeAlgorithm : public Algorithm {
  VELDWACHT_ALGORITHM_COMMON(KdeAlgorithm)
};

/// veldwacht:dualkde — geo::dualKernelDensity (ratio of two densities) to a GeoTIFF.
class DualKdeAlgorithm : public Algorithm {
  VELDWACHT_ALGORITHM_COMMON(DualKdeAlgorithm)
};

// geo/hotspots (hotspots.cpp)

/// veldwacht:gistar — geo::getisOrdGiStar with distance-band or k-nearest weights.
class GiStarAlgorithm : public Algorithm {
  VELDWACHT_ALGORITHM_COMMON(GiStarAlgorithm)
};

/// veldwacht:globalmoran — geo::globalMoran (one Moran's I for the whole layer).
class GlobalMoranAlgorithm : public Algorithm {
  VELDWACHT_ALGORITHM_COMMON(GlobalMoranAlgorithm)
};

/// veldwacht:nearestneighbourindex — geo::nearestNeighbourIndex (Clark-Evans R).
class NearestNeighbourIndexAlgorithm : public Algorithm {
  VELDWACHT_ALGORITHM_COMMON(NearestNeighbourIndexAlgorithm)
};

/// veldwacht:ripleyk — geo::ripleyK (K and L over distances, CSR envelope).
class RipleyKAlgorithm : public Algorithm {
  VELDWACHT_ALGORITHM_COMMON(RipleyKAlgorithm)
};

/// veldwacht:localmoran — geo::localMoran (LISA clusters and outliers).
class LocalMoranAlgorithm : public Algorithm {
  VELDWACHT_ALGORITHM_COMMON(LocalMoranAlgorithm)
};

/// veldwacht:optimizedhotspots — geo::optimizedHotSpots (grid + Gi*).
class OptimizedHotSpotsAlgorithm : public Algorithm {
  VELDWACHT_ALGORITHM_COMMON(OptimizedHotSpotsAlgorithm)
};

// layers/importers (importers.cpp)

/// veldwacht:import — layers::importFiles into a store (or validateFile only).
class ImportAlgorithm : public Algorithm {
  VELDWACHT_ALGORITHM_COMMON(ImportAlgorithm)
};

}  // namespace veldwacht::plugin
