// The C functions QGIS looks up in a native plugin (QgsPluginRegistry), plus the two that the
// Python companion (plugin/python/veldwacht_processing) calls through ctypes so that
// qgis_process, which loads no native plugins, still gets the provider.
#include <qgis.h>
#include <qgisinterface.h>
#include <qgsapplication.h>
#include <qgsprocessingregistry.h>

#include "plugin/processing/provider.h"
#include "plugin/veldwachtplugin.h"

using veldwacht::plugin::Provider;
using veldwacht::plugin::VeldwachtPlugin;

QGISEXTERN QgisPlugin* classFactory(QgisInterface* iface) { return new VeldwachtPlugin(iface); }

QGISEXTERN const QString* name() { return &VeldwachtPlugin::pluginName(); }

QGISEXTERN const QString* description() { return &VeldwachtPlugin::pluginDescription(); }

QGISEXTERN const QString* category() { return &VeldwachtPlugin::pluginCategory(); }

QGISEXTERN int type() { return QgisPlugin::UI; }

QGISEXTERN const QString* version() { return &VeldwachtPlugin::pluginVersion(); }

QGISEXTERN const QString* icon() { return &VeldwachtPlugin::pluginIcon(); }

QGISEXTERN const QString* experimental() {
  static const QString s = QStringLiteral("true");
  return &s;
}

QGISEXTERN const QString* create_date() {
  static const QString s = QStringLiteral("2026-11-25");
  return &s;
}

QGISEXTERN const QString* update_date() {
  static const QString s = QStringLiteral(VELDWACHT_PLUGIN_RELEASE_DATE);
  return &s;
}

QGISEXTERN void unload(QgisPlugin* plugin) { delete plugin; }

/// Registers the "veldwacht" Processing provider with QGIS's registry (for the Python
/// companion). Returns 1 when added, 0 when one with the id already exists or adding failed.
QGISEXTERN int veldwacht_register_provider() {
  QgsProcessingRegistry* registry = QgsApplication::processingRegistry();
  if (!registry || registry->providerById(Provider::providerId())) return 0;
  return registry->addProvider(new Provider()) ? 1 : 0;
}

/// Removes (and deletes) the provider again; returns 1 when it was registered.
QGISEXTERN int veldwacht_unregister_provider() {
  QgsProcessingRegistry* registry = QgsApplication::processingRegistry();
  return registry && registry->removeProvider(Provider::providerId()) ? 1 : 0;
}
