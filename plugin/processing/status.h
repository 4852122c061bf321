// veldwacht:store_status — a signal's follow-up status change (and/or feedback to its reporter)
// in a Veldwacht store, as `veldwacht status` does: layers::changeStatus writes the status, the
// follow-up history and the audit row in one transaction (see status.cpp).
#pragma once

class QgsProcessingAlgorithm;

namespace veldwacht::plugin {

/// A new instance of the status-change algorithm, for the provider.
QgsProcessingAlgorithm* createStatusAlgorithm();

}  // namespace veldwacht::plugin
