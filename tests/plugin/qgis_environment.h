// One headless QgsApplication per test process (init -> exit -> init crashes), offscreen, with a
// temporary HOME/profile, and the Veldwacht provider registered once.
#pragma once

#include <gtest/gtest.h>

#include <qgsapplication.h>
#include <qgsprocessingregistry.h>

#include <QTemporaryDir>

#include <memory>

#include "plugin/processing/provider.h"

namespace veldwacht::plugin::testing {

class QgisEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    home_ = std::make_unique<QTemporaryDir>();
    qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("HOME", home_->path().toUtf8());
    qputenv("QGIS_CUSTOM_CONFIG_PATH", home_->path().toUtf8());
    qputenv("XDG_RUNTIME_DIR", home_->path().toUtf8());
    static int argc = 1;
    static char name[] = "test_plugin";
    static char* argv[] = {name, nullptr};
    app_ = std::make_unique<QgsApplication>(argc, argv, false);
    QgsApplication::initQgis();
    QgsApplication::processingRegistry()->addProvider(new Provider());
  }
  void TearDown() override {
    QgsApplication::exitQgis();
    app_.reset();
  }

  static Provider* provider() {
    return static_cast<Provider*>(
        QgsApplication::processingRegistry()->providerById(Provider::providerId()));
  }

 private:
  std::unique_ptr<QTemporaryDir> home_;
  std::unique_ptr<QgsApplication> app_;
};

}  // namespace veldwacht::plugin::testing
