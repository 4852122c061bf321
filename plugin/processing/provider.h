// The "Veldwacht" Processing provider (id "veldwacht"): every core algorithm and importer as a
// QgsProcessingAlgorithm, listed in ONE sorted place (provider.cpp).
#pragma once

#include <qgsprocessingalgorithm.h>
#include <qgsprocessingprovider.h>

#include <QCoreApplication>

#include "plugin/ui/optionspec.h"

namespace veldwacht::plugin {

/// Base of Veldwacht's algorithms: the help in the provider's style, the options the dock's
/// form shows. It reads no parameters itself.
class Algorithm : public QgsProcessingAlgorithm {
 public:
  /// The core Options fields this algorithm maps, for Processing and for the dock's form.
  virtual ui::OptionSpecs optionSpecs() const { return {}; }
  /// Name of the main input parameter ("INPUT") that the dock fills with a layer.
  virtual QString inputParameterName() const { return QStringLiteral("INPUT"); }
  QString helpUrl() const override { return {}; }
};

class Provider : public QgsProcessingProvider {
  Q_OBJECT

 public:
  explicit Provider(QObject* parent = nullptr);

  QString id() const override;
  QString name() const override;
  QString longName() const override;
  QIcon icon() const override;
  QString svgIconPath() const override;
  bool supportsNonFileBasedOutput() const override { return true; }

  static QString providerId() { return QStringLiteral("veldwacht"); }

 protected:
  void loadAlgorithms() override;
};

}  // namespace veldwacht::plugin
