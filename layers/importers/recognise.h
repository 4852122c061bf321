// Recognising real Dutch datasets (and Veldwacht's own layers) by their field names, so that
// they import without a mapping. Names are compared case-insensitively (the NWB shapefile has
// upper-case names, the PDOK GeoPackage lower-case; CBS changed its names in 2021).
//
// Profiles (each maps source fields onto one target layer):
// - BAG light `pand` -> panden (identificatie, bouwjaar; no huisnummer); oppervlakte_m2 and
//   is_schuur are derived (see deriveBagPand in importer.cpp).
// - BAG light `verblijfsobject` -> verblijfsobjecten (identificatie plus huisnummer or the pand
//   link, spelled pand_identificatie or pandidentificatie).
// - CBS wijk- en buurtkaart 2021+ (buurtcode/wijkcode/gemeentecode, water JA/NEE,
//   aantal_inwoners, oppervlakte_land_in_ha) and pre-2021 (BU_CODE/WK_CODE/GM_CODE, GM_NAAM, H2O,
//   AANT_INW, AANT_HH, OPP_LAND) -> buurten / wijken / gemeenten; CBS sentinels -> NULL.
// - NWB wegvakken (WVK_ID, JTE_ID_BEG, JTE_ID_END, ...), IBIS (RIN_NUMMER, PLAN_NAAM, ...).
// - BRP Gewaspercelen (gewas, gewascode, category, jaar, status) -> gewaspercelen; police
//   figures in CBS StatLine's layout (SoortMisdrijf, WijkenEnBuurten or RegioS, Perioden,
//   GeregistreerdeMisdrijven_1) -> misdrijven_per_buurt.
// - Veldwacht's own layers by their docs/schema.md names and natural key.
// - Signals exports of reporting systems and Excel sheets: a date column and a category column
//   by Dutch or English names (Datum/Tijdstip/Date, Categorie/Soort/Type melding/Category; see
//   signalExportProfile in recognise.cpp and docs/import.md) -> signalen. Tried after the own
//   layers: a file in Veldwacht's own names stays "Veldwacht signalen" unless the export profile
//   fills strictly more fields.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "layers/schema/schema.h"

namespace veldwacht::layers {

/// SignalExport: a signals export without Veldwacht's names (signal_export.h): everyday values
/// translated, a separate time column combined, ids generated, status nieuw when absent.
/// PoliceFigures: StatLine's "." is NULL; jaar, maand and the key sleutel derived from the
/// period (importer.h).
enum class Derivation { None, BagPand, Cbs, SignalExport, PoliceFigures };

/// One target field and the source names that fill it (lower-case, first present wins).
struct FieldSource {
  std::string target;
  std::vector<std::string> sources;
};

struct DatasetProfile {
  std::string name;   ///< for the report, e.g. "CBS wijk- en buurtkaart (pre-2021 names)"
  std::string layer;  ///< target layer
  /// Lower-case fields that must all be present; "a|b" means either.
  std::vector<std::string> signature;
  /// Lower-case fields that must be absent (to tell look-alikes apart).
  std::vector<std::string> absent;
  std::vector<std::string> layerNames;  ///< source layer names that hint at this profile
  std::vector<FieldSource> fields;
  Derivation derivation = Derivation::None;
};

/// All profiles, dataset-specific ones first.
const std::vector<DatasetProfile>& datasetProfiles();

/// Source geometry as far as recognition cares; nullopt = unknown or mixed (fits anything).
using SourceGeometry = std::optional<GeometryKind>;

/// The best profile for a source with these fields (any case), geometry and layer name, or
/// nullptr. With `forcedLayer` only profiles of that layer are considered.
const DatasetProfile* recognise(const std::vector<std::string>& sourceFields,
                                SourceGeometry geometry, std::string_view sourceLayerName,
                                std::string_view forcedLayer = {});

/// The identity profile of a Veldwacht layer (fields by their own names), for forced layers.
const DatasetProfile& ownLayerProfile(const std::string& layer);

}  // namespace veldwacht::layers
