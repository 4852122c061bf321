// The address-check list as users run it on a store (the request and its description:
// risk_request.h). Candidates are BAG panden (default), verblijfsobjecten or VAB objects, each
// with the VAB data of its pand (leegstand, laatste_bezoek), on a business park when inside a
// bedrijventerreinen polygon, and the risk-terrain percentile from a risk GeoTIFF when given;
// the signals layer is the soft information (address_list.h). Writes the list as a result layer
// (<output>, points, titled VERTROUWELIJK; a site layer for the patrol planner: prioriteit,
// vaardigheid adrescontrole) and, when asked, the CSV / XLSX sheets; every output is marked
// confidential.
//
// Steps (docs/adding-an-algorithm.md): readAddressInput → buildAddressList → writeAddressList;
// runAddressList is all three.
#pragma once

#include <string>
#include <vector>

#include "layers/analyses/analysis_result.h"
#include "layers/analyses/report.h"
#include "layers/risk/address_list.h"
#include "layers/risk/risk_request.h"

namespace veldwacht::layers {

struct AddressInput {
  std::vector<AddressCandidate> candidates;
  std::vector<AddressSignal> nearby;
  std::size_t leftOutByArea = 0;  ///< candidates outside the area filter
  std::string candidateLayer;     ///< panden, verblijfsobjecten or vab
  /// The risk raster as the stored parameters record it: relative to the store's folder when it
  /// lies inside it (the store folder can be moved or shared), else absolute; "" without one.
  std::string riskRasterRecorded;
};

/// `file` relative to the folder of the store file `storePath` when it lies inside that folder
/// (as the results registry records result files), else its absolute path; `file` unchanged
/// when the store is not a file
/// (PostGIS).
std::string pathForParameters(const std::string& file, const std::string& storePath);

AddressInput readAddressInput(Store& store, const AddressListRequest& request,
                              geo::Progress& progress = geo::nullProgress());

struct AddressListOutput {
  AnalysisResult result;  ///< layers: <output> (the description's OUTPUT table)
  std::vector<AddressRow> rows;
  AddressListOptions options;  ///< as used (reference time resolved)
};

AddressListOutput buildAddressList(const AddressInput& input, const AddressListRequest& request,
                                   const RunClock& clock);

/// Checks the sheet targets first (an existing file without request.overwrite: InputError, and
/// nothing is written), writes the layer in one transaction, then the sheets.
RunReport writeAddressList(Store& store, const AddressListRequest& request,
                           const AddressInput& input, AddressListOutput&& output,
                           geo::Progress& progress = geo::nullProgress());

RunReport runAddressList(Store& store, const AddressListRequest& request,
                         geo::Progress& progress = geo::nullProgress());

}  // namespace veldwacht::layers
