// The ranked address-check list (thematische adrescontrole): a score per address (BAG
// verblijfsobject, pand or VAB) from hard information (registers) and soft information (signals),
// every row explaining itself in plain Dutch with the parts of its score.
//
// The score is a sum of points, so every part can be shown and checked by hand (defaults in
// AddressScoreWeights):
//  hard  - vacant (leegstand) +3, partly vacant +1.5;
//        - floor area: +1 per 1,000 m2, at most +2;
//        - a use that suits hiding activity (the caller decides, e.g. industrie/opslag/overig)
//        +0.5;
//        - on a business park +1;
//        - the risk-terrain cell at the top 5 % of the study area +2, top 10 % +1;
//  soft  - signals within `signalRadius` of the address or linked to its pand, before the
//          reference time: each counts reliability (A 1, B 0.8, C 0.5, D 0.25, unknown 0.5)
//          times 0.5^(age / halfLife), times 2 points;
//        - repeated signals at the same pand: +1 for each linked signal after the first.
// Filters: themes (a signal counts only when its category belongs to a chosen theme, and with a
// theme filter an address needs at least one such signal), addresses visited (laatste_bezoek) on
// or after a date are left out, rows with score 0 are left out. The area filter is the caller's
// selection of candidates. The list is confidential: every output says so.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "geo/core/types.h"

namespace veldwacht::layers {

/// One address, pand or VAB that may go on the list.
struct AddressCandidate {
  std::string key{};      ///< e.g. the verblijfsobject identificatie, or vab_id
  std::string label{};    ///< e.g. "Hoofdweg 12, Loppersum"
  std::string pandKey{};  ///< the BAG pand it lies in (links signals to the same building)
  std::string vabKey{};   ///< the VAB object of that pand, if any
  geo::Point location{};
  bool vacant = false;
  bool partlyVacant = false;
  bool barn = false;       ///< words the explanation ("schuur" rather than "pand")
  double floorArea = 0.0;  ///< m2, 0 = unknown
  bool riskyUse = false;
  bool onBusinessPark = false;
  /// Percentile (0..100) of the address's risk-terrain cell over the study area; < 0 unknown.
  double riskPercentile = -1.0;
  std::optional<geo::TimeSeconds> lastVisit{};  ///< laatste_bezoek
};

/// A signal as the list needs it.
struct AddressSignal {
  geo::Point location;
  geo::TimeSeconds time = 0;
  char reliability = '?';  ///< 'A'..'D', anything else = unknown
  std::string category;    ///< e.g. "HENNEP"
  std::string pandKey;     ///< the pand it was reported at, if known
};

struct AddressScoreWeights {
  double vacant = 3.0, partlyVacant = 1.5;
  double perThousandSquareMetres = 1.0, floorAreaCap = 2.0;
  double riskyUse = 0.5, businessPark = 1.0;
  double riskTop5 = 2.0, riskTop10 = 1.0;
  double perSignal = 2.0, repeatedAtPand = 1.0;
  double reliabilityA = 1.0, reliabilityB = 0.8, reliabilityC = 0.5, reliabilityD = 0.25,
         reliabilityUnknown = 0.5;
};

struct AddressListOptions {
  geo::TimeSeconds referenceTime = 0;  ///< "now": later signals are ignored
  double signalRadius = 250.0;         ///< metres
  double halfLifeDays = 365.0;         ///< > 0
  double windowDays = 365.0;           ///< the "n signalen in 12 maanden" of the explanation
  /// Themes to keep (e.g. {"drugs"}); empty = all signals count.
  std::vector<std::string> themes{};
  /// Category -> themes; empty = defaultCategoryThemes().
  std::map<std::string, std::vector<std::string>> categoryThemes{};
  /// Leave out addresses with laatste_bezoek on or after this time.
  std::optional<geo::TimeSeconds> skipVisitedSince{};
  AddressScoreWeights weights{};
  std::size_t maxRows = 0;  ///< 0 = all
  void validate() const;
};

/// DRUGSAFVAL drugs+milieu, DRUGSLAB/HENNEP/OPSLAG drugs, HUISVESTING huisvesting,
/// MILIEU milieu, VERHUUR/ACTIVITEIT verhuur (docs/algorithms/risk.md).
const std::map<std::string, std::vector<std::string>>& defaultCategoryThemes();

struct AddressRow {
  std::size_t candidate = 0;  ///< index into the candidates
  std::size_t rank = 0;       ///< 1 = check first
  double score = 0.0;
  double hardScore = 0.0;
  double softScore = 0.0;
  /// The parts, by name: leegstand, oppervlakte, gebruik, bedrijventerrein, risicocel,
  /// signalen, herhaling (only the non-zero ones).
  std::map<std::string, double> parts;
  std::size_t signalCount = 0;       ///< counted signals (themes applied), all ages
  std::size_t signalsInWindow = 0;   ///< of which within windowDays
  std::size_t reliableInWindow = 0;  ///< of which graded A or B
  std::vector<std::string> themes;   ///< themes of the counted signals, sorted
  std::string explanation;           ///< plain Dutch
};

/// Scores, filters and ranks (highest score first; ties by candidate order).
std::vector<AddressRow> rankAddresses(std::span<const AddressCandidate> candidates,
                                      std::span<const AddressSignal> nearby,
                                      const AddressListOptions& options);

/// Marks every list output: a column on every row, the sheet/layer name and the CSV's first line.
inline constexpr const char* kConfidential = "VERTROUWELIJK";

/// The sheet for the handhavers, by extension: ".csv" (semicolons, UTF-8 with BOM, for Dutch
/// Excel; first line "# VERTROUWELIJK ...") or ".xlsx" (GDAL's XLSX driver, sheet
/// "VERTROUWELIJK_adreslijst"). Columns: rang, score, prioriteit, vaardigheid (adrescontrole,
/// for the patrol planner), adres, sleutel, pand, x, y, hard, zacht, the parts, signalen_venster,
/// betrouwbaar_venster, themas, toelichting, vertrouwelijkheid.
/// Throws OptionError for another extension, LibraryError when writing fails.
std::string addressSheetBytes(const std::string& path, std::span<const AddressCandidate> candidates,
                              std::span<const AddressRow> rows);

/// Writes addressSheetBytes to `path` through geo::OutputFile: an existing file is refused
/// (InputError naming it) unless `overwrite`; never half-written.
void writeAddressSheet(const std::string& path, std::span<const AddressCandidate> candidates,
                       std::span<const AddressRow> rows, bool overwrite = false);

/// "1.200" (Dutch thousands separator), for areas in explanations.
std::string dutchNumber(double value);

}  // namespace veldwacht::layers
