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

/// True when the algorithms' texts are Dutch: QGIS runs in Dutch (locale "nl" or "nl_NL").
bool dutchTexts();

/// While one lives, dutchTexts() in this thread answers what it answered when the scope began,
/// instead of reading QGIS's settings again: QgsApplication::locale() reads them on every call,
/// and one load of the provider builds about 1,300 texts (≈ 25 ms of every qgis_process run).
/// For a batch of texts: loading the algorithms, one algorithm's parameters or help, the dock's
/// list. Scopes nest; another thread is not affected.
class TextLanguageScope {
 public:
  TextLanguageScope();
  ~TextLanguageScope();
  TextLanguageScope(const TextLanguageScope&) = delete;
  TextLanguageScope& operator=(const TextLanguageScope&) = delete;

 private:
  int previous_;
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
