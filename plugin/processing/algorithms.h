// The hand-written Veldwacht Processing algorithms that are not analyses (the importer),
// declared here so the provider can list them.
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

// Every analysis (clustering, emerging, aggregation, density, hot spots) is made from its
// description (described.h) with one registration line in provider.cpp.

// layers/importers (importers.cpp)

/// veldwacht:import — layers::importFiles into a store (or validateFile only).
class ImportAlgorithm : public Algorithm {
  VELDWACHT_ALGORITHM_COMMON(ImportAlgorithm)
};

}  // namespace veldwacht::plugin
