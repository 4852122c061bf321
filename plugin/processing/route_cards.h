// veldwacht:routekaarten — route cards as one PDF (see route_cards.cpp).
#pragma once

class QgsProcessingAlgorithm;

namespace veldwacht::plugin {

/// A new instance of the route-card algorithm, for the provider.
QgsProcessingAlgorithm* createRouteCardsAlgorithm();

}  // namespace veldwacht::plugin
