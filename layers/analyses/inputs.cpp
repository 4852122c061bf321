#include "layers/analyses/inputs.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include <fmt/core.h>

#include "geo/core/error.h"

namespace veldwacht::layers {

namespace {

const LayerDef& knownLayer(const std::string& name, const char* option) {
  for (const auto& d : layerDefs())
    if (d.name == name) return d;
  std::string known;
  for (const auto& d : layerDefs())
    if (d.geometry != GeometryKind::None) known += (known.empty() ? "" : ", ") + d.name;
  throw geo::OptionError(option, "unknown layer '" + name + "' (layers: " + known + ")");
}

/// User text → checked filter (OptionError "where" naming the position) → the store. The text
/// never reaches SQL itself; `applied` gets the normalised filter for the metadata.
std::vector<Record> readFiltered(Store& store, const LayerDef& def, const std::string& where,
                                 std::string* applied = nullptr) {
  const FilterSql filter = compileFilter(def, where, "where");
  if (applied) *applied = filter.text();
  return store.read(def.name, filter);
}

std::string keyText(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
  return {};
}

/// Codes of one text field → dense indexes, names sorted (so the numbering is stable).
void codeField(const std::vector<Record>& records, int field, std::vector<std::int64_t>& codes,
               std::vector<std::string>& names) {
  if (field < 0) return;
  std::map<std::string, std::int64_t> index;
  for (const auto& r : records)
    if (const auto* s = std::get_if<std::string>(&r.values[field])) index.emplace(*s, 0);
  std::int64_t next = 0;
  for (auto& [name, code] : index) {
    code = next++;
    names.push_back(name);
  }
  codes.reserve(records.size());
  for (const auto& r : records) {
    const auto* s = std::get_if<std::string>(&r.values[field]);
    codes.push_back(s ? index.at(*s) : -1);
  }
}

int parseInt(std::string_view s, std::size_t pos, std::size_t len, bool& ok) {
  int v = 0;
  if (pos + len > s.size()) {
    ok = false;
    return 0;
  }
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (s[i] < '0' || s[i] > '9') {
      ok = false;
      return 0;
    }
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-Compatible
/// Low-Level Date Algorithms").
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civilFromDays(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
}

std::vector<std::uint8_t> toWkb(const OGRGeometry& g) {
  std::vector<std::uint8_t> wkb(g.WkbSize());
  g.exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
  return wkb;
}

bool isPolygonal(GeometryKind k) { return k == GeometryKind::MultiPolygon; }

}  // namespace

std::string PointSelection::describe() const {
  std::string s = layer;
  if (!where.empty()) s += " [" + where + "]";
  if (!weightField.empty()) s += " (gewicht " + weightField + ")";
  return s;
}

std::optional<geo::TimeSeconds> parseIsoTime(std::string_view s) {
  bool ok = true;
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  const int y = parseInt(s, 0, 4, ok), mo = parseInt(s, 5, 2, ok), d = parseInt(s, 8, 2, ok);
  if (!ok || mo < 1 || mo > 12 || d < 1) return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[mo - 1] + (mo == 2 && leap ? 1 : 0)) return std::nullopt;
  int h = 0, mi = 0, sec = 0;
  if (s.size() > 10) {
    if ((s[10] != 'T' && s[10] != ' ') || s.size() < 16 || s[13] != ':') return std::nullopt;
    h = parseInt(s, 11, 2, ok);
    mi = parseInt(s, 14, 2, ok);
    if (s.size() > 16) {
      if (s[16] != ':' || s.size() < 19) return std::nullopt;
      sec = parseInt(s, 17, 2, ok);
      std::size_t rest = 19;
      if (rest < s.size() && s[rest] == '.') {  // fractions of a second are dropped
        ++rest;
        while (rest < s.size() && s[rest] >= '0' && s[rest] <= '9') ++rest;
      }
      if (rest != s.size()) return std::nullopt;
    }
    if (!ok || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  }
  return daysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 +
         mi * 60 + sec;
}

std::string formatIsoDateTime(geo::TimeSeconds t) {
  const std::int64_t days = (t >= 0 ? t : t - 86399) / 86400;
  const std::int64_t rest = t - days * 86400;
  int y = 0;
  unsigned m = 0, d = 0;
  civilFromDays(days, y, m, d);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", y, m, d, rest / 3600, rest / 60 % 60,
                     rest % 60);
}

std::string formatIsoDate(geo::TimeSeconds t) { return formatIsoDateTime(t).substr(0, 10); }

PointInput readPoints(Store& store, const PointSelection& sel, geo::Progress& progress) {
  const LayerDef& def = knownLayer(sel.layer, "layer");
  if (def.geometry == GeometryKind::None)
    throw geo::OptionError("layer", "'" + def.name + "' has no geometry");
  int weightIndex = -1;
  if (!sel.weightField.empty()) {
    weightIndex = def.fieldIndex(sel.weightField);
    if (weightIndex < 0 || (def.fields[weightIndex].type != FieldType::Integer &&
                            def.fields[weightIndex].type != FieldType::Real))
      throw geo::OptionError("weight-field",
                             "'" + sel.weightField + "' is not a numeric field of " + def.name);
  }
  geo::ProgressStep step(progress, 0.0, 1.0, "reading " + def.name);
  std::string applied;
  std::vector<Record> records = readFiltered(store, def, sel.where, &applied);
  if (records.empty())
    throw geo::InputError({sel.describe(), std::nullopt, ""},
                          "the selection holds no rows; nothing to analyse");

  PointInput in;
  in.layer = def.name;
  in.where = applied;
  const int keyIndex = def.fieldIndex(def.key);
  int fromIndex = -1, toIndex = -1, categoryIndex = -1, sourceIndex = -1;
  if (def.name == "signalen") {
    fromIndex = def.fieldIndex("waargenomen_van");
    toIndex = def.fieldIndex("waargenomen_tot");
    categoryIndex = def.fieldIndex("categorie");
    sourceIndex = def.fieldIndex("brontype");
  } else if (def.name == "incidenten") {
    fromIndex = def.fieldIndex("datum");
    categoryIndex = def.fieldIndex("misdrijf_code");
  } else if (def.name == "vab") {
    categoryIndex = def.fieldIndex("leegstand");
  }

  in.points.reserve(records.size());
  in.keys.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const Record& r = records[i];
    if (!r.geometry || r.geometry->IsEmpty())
      throw geo::InputError({def.name, r.sourceRow, "geom"}, "the row has no geometry");
    if (wkbFlatten(r.geometry->getGeometryType()) == wkbPoint) {
      const OGRPoint* p = r.geometry->toPoint();
      in.points.push_back({p->getX(), p->getY()});
    } else {
      OGRPoint c;
      if (r.geometry->Centroid(&c) != OGRERR_NONE)
        throw geo::InputError({def.name, r.sourceRow, "geom"}, "no centroid");
      in.points.push_back({c.getX(), c.getY()});
    }
    in.keys.push_back(keyIndex >= 0 ? keyText(r.values[keyIndex]) : std::to_string(r.sourceRow));
    if (fromIndex >= 0) {
      const auto from = parseIsoTime(keyText(r.values[fromIndex]));
      if (!from)
        throw geo::InputError({def.name, r.sourceRow, def.fields[fromIndex].name},
                              "not an ISO date or datetime");
      std::optional<geo::TimeSeconds> to;
      if (toIndex >= 0 && !isNull(r.values[toIndex])) to = parseIsoTime(keyText(r.values[toIndex]));
      in.timeFrom.push_back(*from);
      in.timeTo.push_back(to && *to >= *from ? *to : *from);
    }
    if (weightIndex >= 0) {
      const Value& v = r.values[weightIndex];
      double w = 0;
      if (const auto* iv = std::get_if<std::int64_t>(&v))
        w = double(*iv);
      else if (const auto* dv = std::get_if<double>(&v))
        w = *dv;
      else
        throw geo::InputError({def.name, r.sourceRow, sel.weightField}, "the weight is NULL");
      if (!(w >= 0) || !std::isfinite(w))
        throw geo::InputError({def.name, r.sourceRow, sel.weightField},
                              "a weight must be finite and >= 0");
      in.weights.push_back(w);
    }
    step.tick(i + 1, records.size());
  }
  codeField(records, categoryIndex, in.categories, in.categoryNames);
  codeField(records, sourceIndex, in.sources, in.sourceNames);
  return in;
}

PolygonInput readPolygons(Store& store, const std::string& layer, const std::string& where) {
  const LayerDef& def = knownLayer(layer, "layer");
  if (!isPolygonal(def.geometry))
    throw geo::OptionError("layer", "'" + layer + "' is not a polygon layer");
  PolygonInput out;
  out.layer = layer;
  out.records = readFiltered(store, def, where);
  if (out.records.empty())
    throw geo::InputError({layer + (where.empty() ? "" : " [" + where + "]"), std::nullopt, ""},
                          "the selection holds no polygons");
  const int keyIndex = def.fieldIndex(def.key);
  for (const auto& r : out.records) {
    if (!r.geometry) throw geo::InputError({layer, r.sourceRow, "geom"}, "no geometry");
    out.wkb.push_back(toWkb(*r.geometry));
    out.keys.push_back(keyIndex >= 0 ? keyText(r.values[keyIndex]) : std::to_string(r.sourceRow));
  }
  return out;
}

PolygonUnits readPolygonUnits(Store& store, const std::string& layer, const std::string& where,
                              const std::string& valueField) {
  const LayerDef& def = knownLayer(layer, "layer");
  int vi = -1;
  if (!valueField.empty()) {
    vi = def.fieldIndex(valueField);
    if (vi < 0 || (def.fields[std::size_t(vi)].type != FieldType::Integer &&
                   def.fields[std::size_t(vi)].type != FieldType::Real))
      throw geo::OptionError("value-field",
                             "'" + valueField + "' is not a numeric field of " + layer);
  }
  PolygonInput polys = readPolygons(store, layer, where);
  PolygonUnits u;
  u.layer = layer;
  u.where = where;
  int nameIndex = def.fieldIndex("plan_naam");
  if (nameIndex < 0) nameIndex = def.fieldIndex("naam");
  for (std::size_t i = 0; i < polys.records.size(); ++i) {
    const auto& values = polys.records[i].values;
    const Value* name = nameIndex >= 0 ? &values[std::size_t(nameIndex)] : nullptr;
    u.names.push_back(
        name && std::holds_alternative<std::string>(*name) ? std::get<std::string>(*name) : "");
    if (vi >= 0) {
      const Value& v = values[std::size_t(vi)];
      if (const auto* iv = std::get_if<std::int64_t>(&v))
        u.values.emplace_back(double(*iv));
      else if (const auto* dv = std::get_if<double>(&v))
        u.values.emplace_back(*dv);
      else
        u.values.emplace_back(std::nullopt);
    }
  }
  u.wkb = std::move(polys.wkb);
  u.keys = std::move(polys.keys);
  return u;
}

std::vector<std::vector<std::uint8_t>> readPolygonsWkb(Store& store, const std::string& layer,
                                                       const std::string& where) {
  return readPolygons(store, layer, where).wkb;
}

}  // namespace veldwacht::layers

namespace veldwacht::layers {

std::vector<std::uint8_t> unionWkb(const std::vector<std::vector<std::uint8_t>>& polygons) {
  if (polygons.size() == 1) return polygons.front();
  OGRMultiPolygon all;
  for (const auto& w : polygons) {
    OGRGeometry* g = nullptr;
    if (OGRGeometryFactory::createFromWkb(w.data(), nullptr, &g, w.size(), wkbVariantIso) !=
            OGRERR_NONE ||
        !g)
      throw geo::LibraryError("cannot read a polygon (WKB)");
    geo::GeometryPtr owned(g);
    if (wkbFlatten(g->getGeometryType()) == wkbPolygon) {
      all.addGeometry(g);
    } else if (wkbFlatten(g->getGeometryType()) == wkbMultiPolygon) {
      for (const auto* part : *g->toMultiPolygon()) all.addGeometry(part);
    }
  }
  geo::GeometryPtr u(all.UnionCascaded());
  if (!u) throw geo::LibraryError("cannot union the study-area polygons: " + geo::lastGdalError());
  std::vector<std::uint8_t> wkb(u->WkbSize());
  u->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
  return wkb;
}

}  // namespace veldwacht::layers
