// Which layers of a store may leave it for a public destination (a map shown at an Ondernemers
// Alert evening, a public GeoPackage): every layer is *vertrouwelijk* (confidential) or
// *openbaar* (public).
//
// Defaults (DOMAIN.md "Privacy and law"): only the open context data that comes from CBS/PDOK
// is public (gemeenten, wijken, buurten, bedrijventerreinen, wegvakken). Everything else is
// confidential: raw signalen and incidenten, addresses (verblijfsobjecten, panden: in this store
// they sit next to suspicions), VAB lists, partners, every analysis result (a DBSCAN point layer
// holds the raw points) and every unknown table. A layer becomes public only through the
// privacy module itself (aggregated with suppression, masked points: public_layers.h), which
// records the reason in the table veldwacht_classificatie.
#pragma once

#include <string>
#include <vector>

#include "layers/store/store.h"

namespace veldwacht::layers {

enum class Sensitivity { Confidential, Public };

/// "vertrouwelijk" / "openbaar", as stored and shown.
const char* sensitivityName(Sensitivity s);

inline constexpr const char* kClassificationTable = "veldwacht_classificatie";

/// The default when veldwacht_classificatie says nothing about `layer`.
Sensitivity defaultSensitivity(const std::string& layer);

struct LayerClassification {
  std::string layer;
  Sensitivity sensitivity = Sensitivity::Confidential;
  std::string reason;  ///< why (the default rule or the method that made it public)
  std::string setBy;   ///< OS user; empty for defaults
  std::string setAt;   ///< local time; empty for defaults
  bool isDefault = true;
};

/// The classification of one layer: its row in veldwacht_classificatie or the default.
LayerClassification classification(Store& store, const std::string& layer);

/// Every layer of the store with its classification, in summary() order.
std::vector<LayerClassification> classifications(Store& store);

/// Records (or replaces) the classification of `layer` (the table is created when missing).
/// Needs an updatable store.
void setClassification(Store& store, const std::string& layer, Sensitivity sensitivity,
                       const std::string& reason);

}  // namespace veldwacht::layers
