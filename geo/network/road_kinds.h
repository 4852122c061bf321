// NWB road kinds, travel modes and the speed table: the one place that says which wegvak a
// travel mode may use, in which direction, and how fast.
//
// NWB fields (docs.ndw.nu, "NWB-wegen"): WEGBEHSRT is the kind of road authority (R rijk,
// P provincie, G gemeente, W waterschap, T overig); RIJRICHTNG the direction fast traffic may use
// (H with the digitised direction, T against it, B both, O unknown, empty = both); BST_CODE the
// baansubsoort. The BST_CODE values this table knows (unknown codes are treated as RB, an
// ordinary carriageway, and counted in a warning):
//
//   kind          codes                                        auto landbouw fiets lopen
//   Carriageway   RB rijbaan, HR hoofdrijbaan, PAR parallel-    yes  yes*     yes*  yes*
//                 rijbaan, VWG ventweg, GRB, YYY overig, empty
//   MotorwayLink  AF afrit, OP oprit, VBD VBI VBK VBR VBS VBW    yes  no       no    no
//                 verbindingswegen
//   Roundabout    NRB, MRB, TRB rotondebanen (and ROT)          yes  yes*     yes*  yes*
//   Erf           ERF woonerf                                   yes  yes      yes   yes
//   Parking       PKP, PKB parkeerplaats, BST benzinestation    yes  yes      yes   yes
//   Bus           BU, BUS busbaan, OVB OV-baan                   no   no       no    no
//   Cycle         FP fietspad                                   no   no       yes   yes
//   Foot          VP voetpad, VZ voetgangerszone                 no   no       no    yes
//   Bridleway     RP ruiterpad                                  no   no       no    yes
//   VehicleFerry  VDV veerdienst voertuigen                     yes  yes      yes   yes
//   CycleFerry    VDF veerdienst fietsers/voetgangers            no   no       yes   yes
//   Emergency     CADO calamiteitendoorsteek                    no   no       no    no
//   (*) not where WEGBEHSRT is R (rijkswegen are motorways or autowegen).
//
// Direction: auto, landbouw and fiets keep RIJRICHTNG; lopen walks every wegvak both ways.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace veldwacht::geo {

enum class TravelMode : std::uint8_t { Auto = 0, Landbouw = 1, Fiets = 2, Lopen = 3 };
inline constexpr std::size_t kTravelModeCount = 4;
inline constexpr std::array<TravelMode, kTravelModeCount> kTravelModes{
    TravelMode::Auto, TravelMode::Landbouw, TravelMode::Fiets, TravelMode::Lopen};

/// "auto", "landbouw", "fiets", "lopen".
std::string_view travelModeName(TravelMode mode);
/// Parses a mode name (case-insensitive); throws OptionError("mode") for anything else.
TravelMode parseTravelMode(std::string_view name);

/// Which way a wegvak may be driven, relative to its digitised direction.
enum class Direction : std::uint8_t { Both = 0, Forward = 1, Backward = 2 };
/// RIJRICHTNG → Direction (H Forward, T Backward, B/O/empty Both); nullopt for other values.
std::optional<Direction> parseDirection(std::string_view rijrichtng);

enum class RoadKind : std::uint8_t {
  Carriageway,
  MotorwayLink,
  Roundabout,
  Erf,
  Parking,
  Bus,
  Cycle,
  Foot,
  Bridleway,
  VehicleFerry,
  CycleFerry,
  Emergency,
};
/// BST_CODE → kind (case-insensitive, trimmed); nullopt for an unknown code (callers use
/// Carriageway and warn).
std::optional<RoadKind> roadKindOf(std::string_view bstCode);

/// WEGBEHSRT as one upper-case letter R/P/G/W/T; empty → 'T'; nullopt for anything else.
std::optional<char> parseWegbeheerder(std::string_view wegbehsrt);

/// May `mode` use a wegvak of this kind and authority at all?
bool modeMayUse(TravelMode mode, RoadKind kind, char wegbeheerder);
/// Does `mode` keep RIJRICHTNG (true for auto, landbouw, fiets)?
bool modeKeepsDirection(TravelMode mode);

/// Speeds in km/h. Editable by the user (JSON, see fromJson); defaults are Dutch practice.
struct SpeedTable {
  struct Pair {
    double outside = 60.0;  ///< outside the built-up area (buiten de bebouwde kom)
    double inside = 50.0;   ///< inside the built-up area
  };
  /// By WEGBEHSRT letter.
  std::map<char, Pair> byWegbeheerder{{'R', {100.0, 100.0}},
                                      {'P', {80.0, 80.0}},
                                      {'G', {60.0, 50.0}},
                                      {'W', {60.0, 50.0}},
                                      {'T', {60.0, 50.0}}};
  /// By BST_CODE (upper case); wins over byWegbeheerder.
  std::map<std::string, double> byBaansubsoort{
      {"NRB", 30.0}, {"MRB", 30.0}, {"TRB", 30.0}, {"ROT", 30.0}, {"ERF", 15.0}, {"PKP", 20.0},
      {"PKB", 20.0}, {"BST", 20.0}, {"AF", 70.0},  {"OP", 70.0},  {"VBD", 80.0}, {"VBI", 80.0},
      {"VBK", 80.0}, {"VBR", 60.0}, {"VBS", 80.0}, {"VBW", 80.0}, {"VDV", 10.0}, {"VDF", 10.0}};
  /// Used when nothing else applies, so that no wegvak is ever without a speed.
  double fallbackKmh = 50.0;
  /// Real driving versus the limit, applied to every auto and landbouw speed.
  double realDrivingFactor = 0.85;
  double landbouwMaxKmh = 25.0;
  double fietsKmh = 15.0;
  double lopenKmh = 5.0;

  void validate() const;
  /// Overrides the defaults with the keys present in `json`:
  ///   {"wegbeheerder": {"G": {"buiten": 60, "binnen": 50}}, "baansubsoort": {"NRB": 30},
  ///    "fallback_kmh": 50, "factor": 0.85, "landbouw_max_kmh": 25, "fiets_kmh": 15,
  ///    "lopen_kmh": 5}
  /// Throws InputError (with `source` as file) on bad JSON or a speed <= 0.
  static SpeedTable fromJson(std::string_view json, const std::string& source = "speed table");

  /// Speed in km/h for `mode` on a wegvak; `limitKmh` > 0 is a posted limit (e.g. from the NDW
  /// Wegkenmerkendatabase) that wins over the table. Returns 0 when the mode may not use it.
  double speedKmh(TravelMode mode, RoadKind kind, char wegbeheerder, std::string_view bstCode,
                  bool builtUp, double limitKmh = 0.0) const;
};

}  // namespace veldwacht::geo
