// veldwacht:kennissessie — the Kennissessie export (multi-page A4 PDF and slide PNGs of a
// store's public layers) as a Processing algorithm, with the same code as the menu action
// (plugin/ui/kennissessie.h): see kennissessie_alg.cpp.
#pragma once

class QgsProcessingAlgorithm;

namespace veldwacht::plugin {

/// A new instance of the Kennissessie algorithm, for the provider.
QgsProcessingAlgorithm* createKennissessieAlgorithm();

}  // namespace veldwacht::plugin
