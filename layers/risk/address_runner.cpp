#include "layers/risk/address_runner.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>

#include <fmt/core.h>

#include "geo/core/error.h"
#include "geo/core/output_file.h"
#include "geo/density/geotiff.h"
#include "layers/filter/filter.h"
#include "layers/privacy/classification.h"

namespace veldwacht::layers {

namespace fs = std::filesystem;
using nlohmann::json;

void AddressListRequest::validate() const {
  checkOutputName(output);
  list.validate();
  if (areaLayer.empty() && !areaWhere.empty())
    throw geo::OptionError("--area-where", "needs --area-layer");
  for (const auto* p : {&csvPath, &xlsxPath}) {
    if (p->empty()) continue;
    std::string ext = fs::path(*p).extension().string();
    for (auto& ch : ext) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    const std::string want = p == &csvPath ? ".csv" : ".xlsx";
    if (ext != want)
      throw geo::OptionError(p == &csvPath ? "--csv" : "--xlsx",
                             "expected a " + want + " file, got '" + *p + "'");
  }
}

namespace {

const std::string* text(const Record& r, const LayerDef& def, const char* field) {
  const int i = def.fieldIndex(field);
  if (i < 0) return nullptr;
  const auto* s = std::get_if<std::string>(&r.values[std::size_t(i)]);
  return s && !s->empty() ? s : nullptr;
}

std::optional<double> number(const Record& r, const LayerDef& def, const char* field) {
  const int i = def.fieldIndex(field);
  if (i < 0) return std::nullopt;
  const Value& v = r.values[std::size_t(i)];
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* n = std::get_if<std::int64_t>(&v)) return double(*n);
  return std::nullopt;
}

geo::Point pointOf(const Record& r, const std::string& layer) {
  if (!r.geometry || r.geometry->IsEmpty())
    throw geo::InputError({layer, r.sourceRow, "geom"}, "the row has no geometry");
  if (wkbFlatten(r.geometry->getGeometryType()) == wkbPoint) {
    const auto* p = r.geometry->toPoint();
    return {p->getX(), p->getY()};
  }
  // A polygon's point on its surface: inside even for an L-shaped barn.
  geo::GeometryPtr surface(OGRGeometry::FromHandle(
      OGR_G_PointOnSurface(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(r.geometry.get())))));
  if (surface && wkbFlatten(surface->getGeometryType()) == wkbPoint && !surface->IsEmpty())
    return {surface->toPoint()->getX(), surface->toPoint()->getY()};
  OGRPoint c;
  r.geometry->Centroid(&c);
  return {c.getX(), c.getY()};
}

/// Percentile (0..100) of each value among the raster's valid values: the share of valid
/// pixels with a lower value, so the top 5 % of cells have a percentile >= 95.
struct RiskPercentiles {
  geo::Raster raster;
  std::vector<double> sorted;
  double at(const geo::Point& p) const {
    const auto& g = raster.grid;
    const double c = std::floor((p.x - g.originX) / g.pixelSize);
    const double r = std::floor((g.originY - p.y) / g.pixelSize);
    if (c < 0 || r < 0 || c >= g.cols || r >= g.rows) return -1.0;
    const double v = raster.at(std::int32_t(c), std::int32_t(r));
    if (v == raster.nodata || sorted.empty()) return -1.0;
    const auto below = std::lower_bound(sorted.begin(), sorted.end(), v) - sorted.begin();
    return 100.0 * double(below) / double(sorted.size());
  }
};

/// What the VAB layer says about a pand.
struct VabInfo {
  std::string key;
  std::string pand;
  geo::Point location{};
  std::string leegstand;
  double floorArea = 0.0;
  std::optional<geo::TimeSeconds> lastVisit;
  bool used = false;  ///< joined to a pand or verblijfsobject candidate
};

std::vector<VabInfo> readVab(Store& store, const std::string& where) {
  const LayerDef& def = layerDef("vab");
  std::vector<VabInfo> out;
  for (const auto& r : store.read("vab", compileFilter(def, where, "vab-where"))) {
    VabInfo v;
    v.key = text(r, def, "vab_id") ? *text(r, def, "vab_id") : std::to_string(r.sourceRow);
    if (const auto* p = text(r, def, "bag_pand_id")) v.pand = *p;
    v.location = pointOf(r, "vab");
    if (const auto* l = text(r, def, "leegstand")) v.leegstand = *l;
    v.floorArea = number(r, def, "oppervlakte_m2").value_or(0.0);
    if (const auto* visit = text(r, def, "laatste_bezoek")) {
      v.lastVisit = parseIsoTime(*visit);
      if (!v.lastVisit)
        throw geo::InputError({"vab", r.sourceRow, "laatste_bezoek"},
                              "expected a date YYYY-MM-DD, got '" + *visit + "'");
    }
    out.push_back(std::move(v));
  }
  return out;
}

void applyVab(AddressCandidate& c, const VabInfo& v) {
  c.vabKey = v.key;
  c.vacant = c.vacant || v.leegstand == "leeg";
  c.partlyVacant = c.partlyVacant || v.leegstand == "deels_leeg";
  c.barn = true;
  if (c.floorArea <= 0.0) c.floorArea = v.floorArea;
  if (v.lastVisit && (!c.lastVisit || *v.lastVisit > *c.lastVisit)) c.lastVisit = v.lastVisit;
}

AddressCandidate fromVab(const VabInfo& v) {
  AddressCandidate c;
  c.key = v.key;
  c.pandKey = v.pand;
  c.label = "VAB " + v.key + (v.pand.empty() ? "" : ", pand " + v.pand);
  c.location = v.location;
  applyVab(c, v);
  return c;
}

/// Uses that suit hidden activity: industrie and overige gebruiksfunctie (storage, barns).
bool riskyUse(const std::string& gebruiksdoel) {
  return gebruiksdoel.find("industriefunctie") != std::string::npos ||
         gebruiksdoel.find("overige gebruiksfunctie") != std::string::npos;
}

/// "Hoofdweg 12a-1, Loppersum" from a verblijfsobject.
std::string addressOf(const Record& r, const LayerDef& def) {
  std::string s;
  if (const auto* straat = text(r, def, "openbare_ruimte_naam")) s = *straat;
  if (const auto n = number(r, def, "huisnummer")) s += " " + std::to_string(std::int64_t(*n));
  if (const auto* l = text(r, def, "huisletter")) s += *l;
  if (const auto* t = text(r, def, "toevoeging")) s += "-" + *t;
  if (const auto* w = text(r, def, "woonplaats_naam")) s += (s.empty() ? "" : ", ") + *w;
  return s;
}

/// Address label per pand: the first verblijfsobject (lowest bag_id) in it.
std::map<std::string, std::string> pandAddresses(Store& store) {
  const LayerDef& def = layerDef("verblijfsobjecten");
  std::map<std::string, std::pair<std::string, std::string>> best;  // pand -> (bag_id, label)
  for (const auto& r : store.read("verblijfsobjecten")) {
    const auto* pand = text(r, def, "bag_pand_id");
    const auto* id = text(r, def, "bag_id");
    if (!pand || !id) continue;
    auto it = best.find(*pand);
    if (it == best.end() || *id < it->second.first) best[*pand] = {*id, addressOf(r, def)};
  }
  std::map<std::string, std::string> out;
  for (auto& [p, v] : best) out[p] = v.second;
  return out;
}

struct PandInfo {
  bool barn = false;
  double floorArea = 0.0;
  std::string use;
};

std::vector<AddressCandidate> readCandidates(Store& store, const AddressListRequest& request,
                                             std::vector<VabInfo>& vab, std::string& layer) {
  std::map<std::string, std::vector<std::size_t>> vabByPand;
  for (std::size_t i = 0; i < vab.size(); ++i)
    if (!vab[i].pand.empty()) vabByPand[vab[i].pand].push_back(i);
  auto joinVab = [&](AddressCandidate& c) {
    if (c.pandKey.empty()) return;
    if (const auto it = vabByPand.find(c.pandKey); it != vabByPand.end())
      for (auto i : it->second) {
        applyVab(c, vab[i]);
        vab[i].used = true;
      }
  };
  std::vector<AddressCandidate> out;
  switch (request.candidates) {
    case CandidateSource::Vab: {
      layer = "vab";
      // The candidate filter applies to vab; --vab-where has already selected the rows.
      const LayerDef& def = layerDef("vab");
      for (const auto& r :
           store.read("vab", compileFilter(def, request.candidatesWhere, "where"))) {
        const auto* id = text(r, def, "vab_id");
        for (auto& v : vab)
          if (id && v.key == *id) {
            out.push_back(fromVab(v));
            v.used = true;
          }
      }
      return out;
    }
    case CandidateSource::Panden: {
      layer = "panden";
      const LayerDef& def = layerDef("panden");
      const auto addresses = pandAddresses(store);
      for (const auto& r :
           store.read("panden", compileFilter(def, request.candidatesWhere, "where"))) {
        AddressCandidate c;
        const auto* id = text(r, def, "bag_id");
        c.key = id ? *id : std::to_string(r.sourceRow);
        c.pandKey = c.key;
        c.location = pointOf(r, "panden");
        c.floorArea = number(r, def, "oppervlakte_m2").value_or(0.0);
        c.barn = number(r, def, "is_schuur").value_or(0.0) != 0.0;
        if (const auto* use = text(r, def, "gebruiksdoel")) c.riskyUse = riskyUse(*use);
        const auto a = addresses.find(c.key);
        c.label = a != addresses.end() && !a->second.empty() ? a->second : "pand " + c.key;
        joinVab(c);
        out.push_back(std::move(c));
      }
      break;
    }
    case CandidateSource::Verblijfsobjecten: {
      layer = "verblijfsobjecten";
      std::map<std::string, PandInfo> panden;
      {
        const LayerDef& pdef = layerDef("panden");
        for (const auto& r : store.read("panden")) {
          const auto* id = text(r, pdef, "bag_id");
          if (!id) continue;
          PandInfo p;
          p.barn = number(r, pdef, "is_schuur").value_or(0.0) != 0.0;
          panden[*id] = p;
        }
      }
      const LayerDef& def = layerDef("verblijfsobjecten");
      for (const auto& r :
           store.read("verblijfsobjecten", compileFilter(def, request.candidatesWhere, "where"))) {
        AddressCandidate c;
        const auto* id = text(r, def, "bag_id");
        c.key = id ? *id : std::to_string(r.sourceRow);
        if (const auto* p = text(r, def, "bag_pand_id")) c.pandKey = *p;
        c.location = pointOf(r, "verblijfsobjecten");
        c.floorArea = number(r, def, "oppervlakte_m2").value_or(0.0);
        if (const auto* use = text(r, def, "gebruiksdoel")) c.riskyUse = riskyUse(*use);
        if (const auto it = panden.find(c.pandKey); it != panden.end()) c.barn = it->second.barn;
        c.label = addressOf(r, def);
        if (c.label.empty()) c.label = "verblijfsobject " + c.key;
        joinVab(c);
        out.push_back(std::move(c));
      }
      break;
    }
  }
  // VAB objects no pand or address took up stay on the list in their own right.
  if (request.candidatesWhere.empty())
    for (auto& v : vab)
      if (!v.used) out.push_back(fromVab(v));
  return out;
}

std::vector<AddressSignal> storeSignals(Store& store, const std::string& where) {
  const LayerDef& def = layerDef("signalen");
  std::vector<AddressSignal> out;
  for (const auto& r : store.read("signalen", compileFilter(def, where, "signals-where"))) {
    AddressSignal s;
    s.location = pointOf(r, "signalen");
    const std::string* van = text(r, def, "waargenomen_van");
    const auto t = van ? parseIsoTime(*van) : std::nullopt;
    if (!t)
      throw geo::InputError({"signalen", r.sourceRow, "waargenomen_van"},
                            "expected a date-time YYYY-MM-DDTHH:MM:SS");
    s.time = *t;
    if (const auto* b = text(r, def, "betrouwbaarheid")) s.reliability = (*b)[0];
    if (const auto* c = text(r, def, "categorie")) s.category = *c;
    if (const auto* p = text(r, def, "bag_pand_id")) s.pandKey = *p;
    out.push_back(std::move(s));
  }
  return out;
}

std::string isoDate(geo::TimeSeconds t) { return formatIsoDateTime(t).substr(0, 10); }

}  // namespace

std::string pathForParameters(const std::string& file, const std::string& storePath) {
  std::error_code ec;
  if (file.empty() || storePath.empty() || !fs::is_regular_file(storePath, ec)) return file;
  // As the results registry records a result file (layers/results): relative to the store's
  // folder when inside it, so the recorded parameters name the same file as the registry.
  const fs::path target = fs::absolute(file).lexically_normal();
  const fs::path folder = fs::absolute(storePath).lexically_normal().parent_path();
  const fs::path relative = target.lexically_relative(folder);
  if (!relative.empty() && *relative.begin() != "..") return relative.string();
  return target.string();
}

AddressInput readAddressInput(Store& store, const AddressListRequest& request,
                              geo::Progress& progress) {
  request.validate();
  std::optional<RiskPercentiles> risk;
  if (!request.riskRaster.empty()) {
    if (!fs::exists(request.riskRaster))
      throw geo::InputError({request.riskRaster, std::nullopt, ""},
                            "no such risk raster; run `veldwacht risk` first");
    risk.emplace();
    risk->raster = geo::readRaster(request.riskRaster);
    for (std::size_t i = 0; i < risk->raster.values.size(); ++i)
      if (!risk->raster.isNodata(i)) risk->sorted.push_back(risk->raster.values[i]);
    std::sort(risk->sorted.begin(), risk->sorted.end());
  }
  AddressInput in;
  in.riskRasterRecorded = pathForParameters(request.riskRaster, store.path());
  auto vab = readVab(store, request.vabWhere);
  auto candidates = readCandidates(store, request, vab, in.candidateLayer);
  progress.setFraction(0.3);
  std::vector<geo::GeometryPtr> parks;
  for (auto& r : store.read("bedrijventerreinen"))
    if (r.geometry) parks.push_back(std::move(r.geometry));
  std::vector<geo::GeometryPtr> areas;
  if (!request.areaLayer.empty())
    for (const auto& wkb : readPolygonsWkb(store, request.areaLayer, request.areaWhere))
      areas.push_back(geometryFromWkb(wkb));
  for (auto& c : candidates) {
    const OGRPoint p(c.location.x, c.location.y);
    if (!areas.empty()) {
      bool inside = false;
      for (const auto& a : areas) inside = inside || a->Contains(&p);
      if (!inside) {
        ++in.leftOutByArea;
        continue;
      }
    }
    for (const auto& park : parks) c.onBusinessPark = c.onBusinessPark || park->Contains(&p);
    if (risk) c.riskPercentile = risk->at(c.location);
    in.candidates.push_back(std::move(c));
  }
  in.nearby = storeSignals(store, request.signalsWhere);
  progress.setFraction(0.6);
  return in;
}

AddressListOutput buildAddressList(const AddressInput& in, const AddressListRequest& request,
                                   const RunClock& clock) {
  AddressListOutput out;
  out.options = request.list;
  if (out.options.referenceTime == 0) {
    for (const auto& s : in.nearby)
      out.options.referenceTime = std::max(out.options.referenceTime, s.time);
    out.options.referenceTime += 86400;
  }
  out.rows = rankAddresses(in.candidates, in.nearby, out.options);
  const auto& options = out.options;

  static const char* const kSources[] = {"panden", "verblijfsobjecten", "vab"};
  json params = {{"candidates", kSources[int(request.candidates)]},
                 {"candidates_where", request.candidatesWhere},
                 {"vab_where", request.vabWhere},
                 {"signals_where", request.signalsWhere},
                 {"area_layer", request.areaLayer},
                 {"area_where", request.areaWhere},
                 {"risk_raster", in.riskRasterRecorded},
                 {"reference_time", formatIsoDateTime(options.referenceTime)},
                 {"signal_radius", options.signalRadius},
                 {"half_life_days", options.halfLifeDays},
                 {"window_days", options.windowDays},
                 {"themes", options.themes},
                 {"max_rows", options.maxRows},
                 {"vertrouwelijk", true}};
  if (options.skipVisitedSince)
    params["skip_visited_since"] = formatIsoDateTime(*options.skipVisitedSince);
  auto metadata = clock.metadata("address_list", params, in.candidateLayer + " + vab + signalen",
                                 std::int64_t(in.candidates.size()));

  const auto& spec = describe::addressListAnalyses().front().result("OUTPUT");
  ResultLayer t;
  t.name = request.output + spec.suffix;
  t.title = std::string(kConfidential) + " – adreslijst (" + request.output + ")";
  t.geometry = spec.geometry;
  t.fields = spec.fieldDefs();
  t.style = spec.style;
  for (const auto& r : out.rows) {
    const AddressCandidate& c = in.candidates[r.candidate];
    std::string themes;
    for (std::size_t i = 0; i < r.themes.size(); ++i) themes += (i ? ", " : "") + r.themes[i];
    auto textOrNull = [](const std::string& s) { return s.empty() ? Value{} : Value{s}; };
    Record rec;
    rec.values = {std::int64_t(r.rank),
                  c.key,
                  textOrNull(c.label),
                  textOrNull(c.pandKey),
                  textOrNull(c.vabKey),
                  r.score,
                  r.score,
                  std::string("adrescontrole"),
                  r.hardScore,
                  r.softScore,
                  std::int64_t(r.signalsInWindow),
                  std::int64_t(r.reliableInWindow),
                  themes,
                  c.lastVisit ? Value{isoDate(*c.lastVisit)} : Value{},
                  r.explanation,
                  std::string(kConfidential)};
    rec.geometry = geo::GeometryPtr(new OGRPoint(c.location.x, c.location.y));
    t.records.push_back(std::move(rec));
  }
  t.metadata = std::move(metadata);
  out.result.layers.push_back(std::move(t));

  auto& report = out.result.report;
  std::size_t visited = 0;
  if (options.skipVisitedSince)
    for (const auto& c : in.candidates)
      visited += c.lastVisit && *c.lastVisit >= *options.skipVisitedSince ? 1 : 0;
  report.lines.push_back(fmt::format(
      "{}: {} of {} candidates ({}) on the list (reference {}){}{}", kConfidential, out.rows.size(),
      in.candidates.size(), in.candidateLayer, isoDate(options.referenceTime),
      in.leftOutByArea ? fmt::format(", {} outside the area", in.leftOutByArea) : std::string(),
      options.skipVisitedSince ? fmt::format(", {} left out (visited since {})", visited,
                                             isoDate(*options.skipVisitedSince))
                               : std::string()));
  for (std::size_t i = 0; i < std::min<std::size_t>(5, out.rows.size()); ++i) {
    const auto& c = in.candidates[out.rows[i].candidate];
    report.lines.push_back(fmt::format("  {}. {} ({:.1f}): {}", out.rows[i].rank,
                                       c.label.empty() ? c.key : c.label, out.rows[i].score,
                                       out.rows[i].explanation));
  }
  return out;
}

RunReport writeAddressList(Store& store, const AddressListRequest& request,
                           const AddressInput& input, AddressListOutput&& output,
                           geo::Progress& progress) {
  // Sheets: content and target checks before the store changes; renamed into place after.
  geo::OutputFileOptions fileOptions;
  fileOptions.overwrite = request.overwrite;
  std::vector<std::unique_ptr<geo::OutputFile>> sheets;
  for (const auto* path : {&request.csvPath, &request.xlsxPath}) {
    if (path->empty()) continue;
    const std::string bytes = addressSheetBytes(*path, input.candidates, output.rows);
    sheets.push_back(std::make_unique<geo::OutputFile>(*path, fileOptions));
    sheets.back()->write(bytes);
  }
  RunReport report = writeToStore(store, std::move(output.result), progress);
  // Lists are confidential: recorded as such (again) on every run, so that a table of the
  // same name that was once made public cannot pass its classification to a new list.
  setClassification(store, request.output, Sensitivity::Confidential,
                    "adreslijst: adressen voor een thematische adrescontrole (VERTROUWELIJK)");
  for (auto& s : sheets) {
    s->commit();
    report.files.push_back(s->path());
  }
  return report;
}

RunReport runAddressList(Store& store, const AddressListRequest& request, geo::Progress& progress) {
  request.validate();
  RunClock clock;
  geo::SubProgress readStep(progress, 0.0, 0.5);
  const AddressInput in = readAddressInput(store, request, readStep);
  AddressListOutput out = buildAddressList(in, request, clock);
  geo::SubProgress writeStep(progress, 0.6, 1.0);
  return writeAddressList(store, request, in, std::move(out), writeStep);
}

}  // namespace veldwacht::layers
