#include "geo/network/road_kinds.h"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "geo/core/error.h"

namespace veldwacht::geo {
namespace {

std::string upperTrimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  std::string out(s);
  for (char& c : out) c = char(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool isMotorRoad(RoadKind kind, char wegbeheerder) {
  if (kind == RoadKind::MotorwayLink) return true;
  return wegbeheerder == 'R' && (kind == RoadKind::Carriageway || kind == RoadKind::Roundabout);
}

double positive(const nlohmann::json& v, const std::string& key, const std::string& source) {
  if (!v.is_number() || !(v.get<double>() > 0.0))
    throw InputError({source, std::nullopt, key}, "expected a speed > 0 km/h");
  return v.get<double>();
}

}  // namespace

std::string_view travelModeName(TravelMode mode) {
  switch (mode) {
    case TravelMode::Auto:
      return "auto";
    case TravelMode::Landbouw:
      return "landbouw";
    case TravelMode::Fiets:
      return "fiets";
    case TravelMode::Lopen:
      return "lopen";
  }
  return "auto";
}

TravelMode parseTravelMode(std::string_view name) {
  std::string s(name);
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  for (TravelMode m : kTravelModes)
    if (travelModeName(m) == s) return m;
  throw OptionError("mode",
                    "expected auto, landbouw, fiets or lopen, got '" + std::string(name) + "'");
}

std::optional<Direction> parseDirection(std::string_view rijrichtng) {
  const std::string s = upperTrimmed(rijrichtng);
  if (s.empty() || s == "B" || s == "O") return Direction::Both;
  if (s == "H") return Direction::Forward;
  if (s == "T") return Direction::Backward;
  return std::nullopt;
}

std::optional<RoadKind> roadKindOf(std::string_view bstCode) {
  static const std::map<std::string, RoadKind, std::less<>> kinds{
      {"", RoadKind::Carriageway},     {"RB", RoadKind::Carriageway},
      {"HR", RoadKind::Carriageway},   {"PAR", RoadKind::Carriageway},
      {"VWG", RoadKind::Carriageway},  {"GRB", RoadKind::Carriageway},
      {"YYY", RoadKind::Carriageway},  {"AF", RoadKind::MotorwayLink},
      {"OP", RoadKind::MotorwayLink},  {"VBD", RoadKind::MotorwayLink},
      {"VBI", RoadKind::MotorwayLink}, {"VBK", RoadKind::MotorwayLink},
      {"VBR", RoadKind::MotorwayLink}, {"VBS", RoadKind::MotorwayLink},
      {"VBW", RoadKind::MotorwayLink}, {"NRB", RoadKind::Roundabout},
      {"MRB", RoadKind::Roundabout},   {"TRB", RoadKind::Roundabout},
      {"ROT", RoadKind::Roundabout},   {"ERF", RoadKind::Erf},
      {"PKP", RoadKind::Parking},      {"PKB", RoadKind::Parking},
      {"BST", RoadKind::Parking},      {"BU", RoadKind::Bus},
      {"BUS", RoadKind::Bus},          {"OVB", RoadKind::Bus},
      {"FP", RoadKind::Cycle},         {"VP", RoadKind::Foot},
      {"VZ", RoadKind::Foot},          {"RP", RoadKind::Bridleway},
      {"VDV", RoadKind::VehicleFerry}, {"VDF", RoadKind::CycleFerry},
      {"CADO", RoadKind::Emergency},
  };
  const auto it = kinds.find(upperTrimmed(bstCode));
  if (it == kinds.end()) return std::nullopt;
  return it->second;
}

std::optional<char> parseWegbeheerder(std::string_view wegbehsrt) {
  const std::string s = upperTrimmed(wegbehsrt);
  if (s.empty()) return 'T';
  if (s.size() == 1 && std::string_view("RPGWT").find(s[0]) != std::string_view::npos) return s[0];
  return std::nullopt;
}

bool modeMayUse(TravelMode mode, RoadKind kind, char wegbeheerder) {
  switch (kind) {
    case RoadKind::Bus:
    case RoadKind::Emergency:
      return false;
    case RoadKind::Cycle:
    case RoadKind::CycleFerry:
      return mode == TravelMode::Fiets || mode == TravelMode::Lopen;
    case RoadKind::Foot:
    case RoadKind::Bridleway:
      return mode == TravelMode::Lopen;
    case RoadKind::Erf:
    case RoadKind::Parking:
    case RoadKind::VehicleFerry:
      return true;
    case RoadKind::Carriageway:
    case RoadKind::MotorwayLink:
    case RoadKind::Roundabout:
      return mode == TravelMode::Auto || !isMotorRoad(kind, wegbeheerder);
  }
  return false;
}

bool modeKeepsDirection(TravelMode mode) { return mode != TravelMode::Lopen; }

void SpeedTable::validate() const {
  auto check = [](double v, const char* name) {
    if (!(v > 0.0)) throw OptionError(name, "expected a speed > 0 km/h");
  };
  for (const auto& [k, p] : byWegbeheerder) {
    check(p.outside, "wegbeheerder.buiten");
    check(p.inside, "wegbeheerder.binnen");
  }
  for (const auto& [k, v] : byBaansubsoort) check(v, "baansubsoort");
  check(fallbackKmh, "fallback_kmh");
  check(landbouwMaxKmh, "landbouw_max_kmh");
  check(fietsKmh, "fiets_kmh");
  check(lopenKmh, "lopen_kmh");
  if (!(realDrivingFactor > 0.0 && realDrivingFactor <= 1.5))
    throw OptionError("factor", "expected a factor in (0, 1.5]");
}

SpeedTable SpeedTable::fromJson(std::string_view json, const std::string& source) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(json);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError({source, std::nullopt, {}}, std::string("not valid JSON: ") + e.what());
  }
  if (!j.is_object()) throw InputError({source, std::nullopt, {}}, "expected a JSON object");
  SpeedTable t;
  for (const auto& [key, value] : j.items()) {
    if (key == "wegbeheerder") {
      if (!value.is_object())
        throw InputError({source, std::nullopt, key}, "expected an object by R/P/G/W/T");
      for (const auto& [letter, speeds] : value.items()) {
        const auto w = parseWegbeheerder(letter);
        if (!w || letter.empty())
          throw InputError({source, std::nullopt, key + "." + letter},
                           "expected a WEGBEHSRT letter R, P, G, W or T");
        Pair& p = t.byWegbeheerder[*w];
        if (speeds.is_number()) {
          p.outside = p.inside = positive(speeds, key + "." + letter, source);
          continue;
        }
        if (!speeds.is_object())
          throw InputError({source, std::nullopt, key + "." + letter},
                           "expected a speed or {\"buiten\": km/h, \"binnen\": km/h}");
        if (speeds.contains("buiten"))
          p.outside = positive(speeds["buiten"], key + "." + letter + ".buiten", source);
        if (speeds.contains("binnen"))
          p.inside = positive(speeds["binnen"], key + "." + letter + ".binnen", source);
      }
    } else if (key == "baansubsoort") {
      if (!value.is_object())
        throw InputError({source, std::nullopt, key}, "expected an object by BST_CODE");
      for (const auto& [code, v] : value.items())
        t.byBaansubsoort[upperTrimmed(code)] = positive(v, key + "." + code, source);
    } else if (key == "fallback_kmh") {
      t.fallbackKmh = positive(value, key, source);
    } else if (key == "factor") {
      if (!value.is_number() || !(value.get<double>() > 0.0 && value.get<double>() <= 1.5))
        throw InputError({source, std::nullopt, key}, "expected a factor in (0, 1.5]");
      t.realDrivingFactor = value.get<double>();
    } else if (key == "landbouw_max_kmh") {
      t.landbouwMaxKmh = positive(value, key, source);
    } else if (key == "fiets_kmh") {
      t.fietsKmh = positive(value, key, source);
    } else if (key == "lopen_kmh") {
      t.lopenKmh = positive(value, key, source);
    } else {
      throw InputError({source, std::nullopt, key},
                       "unknown key; expected wegbeheerder, baansubsoort, fallback_kmh, factor, "
                       "landbouw_max_kmh, fiets_kmh or lopen_kmh");
    }
  }
  return t;
}

double SpeedTable::speedKmh(TravelMode mode, RoadKind kind, char wegbeheerder,
                            std::string_view bstCode, bool builtUp, double limitKmh) const {
  if (!modeMayUse(mode, kind, wegbeheerder)) return 0.0;
  // The posted or tabled limit for motor traffic.
  double limit = fallbackKmh;
  if (limitKmh > 0.0) {
    limit = limitKmh;
  } else if (const auto b = byBaansubsoort.find(upperTrimmed(bstCode)); b != byBaansubsoort.end()) {
    limit = b->second;
  } else if (const auto w = byWegbeheerder.find(wegbeheerder); w != byWegbeheerder.end()) {
    limit = builtUp ? w->second.inside : w->second.outside;
  }
  switch (mode) {
    case TravelMode::Auto:
      return limit * realDrivingFactor;
    case TravelMode::Landbouw:
      return std::min(limit * realDrivingFactor, landbouwMaxKmh);
    case TravelMode::Fiets:
      return std::min(limit, fietsKmh);
    case TravelMode::Lopen:
      return std::min(limit, lopenKmh);
  }
  return fallbackKmh;
}

}  // namespace veldwacht::geo
