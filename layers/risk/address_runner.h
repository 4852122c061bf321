// The address-check list as users run it on a store: candidates from the VAB layer (with their
// BAG pand, leegstand, oppervlakte and laatste_bezoek), on a business park when inside a
// bedrijventerreinen polygon, the risk-terrain percentile from a risk GeoTIFF when given, and the
// signals layer as soft information (address_list.h). Writes the list as a result layer
// (<output>, points, titled VERTROUWELIJK) and as <store stem>_<output>.csv / .xlsx next to the
// store; every output is marked confidential.
#pragma once

#include <optional>
#include <string>

#include "layers/analyses/report.h"
#include "layers/risk/address_list.h"

namespace veldwacht::layers {

struct AddressListRequest {
  std::string vabWhere{};
  std::string signalsWhere{};
  /// A relative-risk raster (runRisk's GeoTIFF); empty = no risk-cell part.
  std::string riskRaster{};
  /// Options; referenceTime 0 = one day after the latest signal (reproducible, unlike "now").
  AddressListOptions list{};
  std::string output = "adreslijst";
  std::string directory{};  ///< folder for the CSV and XLSX; empty = the store's folder
  void validate() const;
};

RunReport runAddressList(Store& store, const AddressListRequest& request,
                         geo::Progress& progress = geo::nullProgress());

}  // namespace veldwacht::layers
