#include "layers/filter/filter.h"
#include "layers/risk/address_runner.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <fmt/core.h>

#include "geo/core/error.h"
#include "geo/density/geotiff.h"

namespace veldwacht::layers {

namespace fs = std::filesystem;
using nlohmann::json;

void AddressListRequest::validate() const {
  checkOutputName(output);
  list.validate();
}

namespace {

const std::string* text(const Record& r, const LayerDef& def, const char* field) {
  const int i = def.fieldIndex(field);
  if (i < 0) return nullptr;
  return std::get_if<std::string>(&r.values[std::size_t(i)]);
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

std::vector<AddressCandidate> vabCandidates(Store& store, const AddressListRequest& request,
                                            const RiskPercentiles* risk) {
  const LayerDef& def = layerDef("vab");
  std::vector<geo::GeometryPtr> parks;
  for (auto& r : store.read("bedrijventerreinen"))
    if (r.geometry) parks.push_back(std::move(r.geometry));
  std::vector<AddressCandidate> out;
  for (const auto& r : store.read("vab", compileFilter(def, request.vabWhere, "vab-where"))) {
    AddressCandidate c;
    c.key = text(r, def, "vab_id") ? *text(r, def, "vab_id") : std::to_string(r.sourceRow);
    c.pandKey = text(r, def, "bag_pand_id") ? *text(r, def, "bag_pand_id") : "";
    c.label = "VAB " + c.key + (c.pandKey.empty() ? "" : ", pand " + c.pandKey);
    c.location = pointOf(r, "vab");
    const std::string* leeg = text(r, def, "leegstand");
    c.vacant = leeg && *leeg == "leeg";
    c.partlyVacant = leeg && *leeg == "deels_leeg";
    c.barn = true;
    c.floorArea = number(r, def, "oppervlakte_m2").value_or(0.0);
    if (const auto* visit = text(r, def, "laatste_bezoek")) c.lastVisit = parseIsoTime(*visit);
    const OGRPoint p(c.location.x, c.location.y);
    for (const auto& park : parks) c.onBusinessPark = c.onBusinessPark || park->Contains(&p);
    if (risk) c.riskPercentile = risk->at(c.location);
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<AddressSignal> storeSignals(Store& store, const std::string& where) {
  const LayerDef& def = layerDef("signalen");
  std::vector<AddressSignal> out;
  for (const auto& r : store.read("signalen", compileFilter(def, where, "signal-where"))) {
    AddressSignal s;
    s.location = pointOf(r, "signalen");
    const std::string* van = text(r, def, "waargenomen_van");
    const auto t = van ? parseIsoTime(*van) : std::nullopt;
    if (!t)
      throw geo::InputError({"signalen", r.sourceRow, "waargenomen_van"},
                            "expected a date-time YYYY-MM-DDTHH:MM:SS");
    s.time = *t;
    if (const auto* b = text(r, def, "betrouwbaarheid"); b && !b->empty()) s.reliability = (*b)[0];
    if (const auto* c = text(r, def, "categorie")) s.category = *c;
    if (const auto* p = text(r, def, "bag_pand_id")) s.pandKey = *p;
    out.push_back(std::move(s));
  }
  return out;
}

ResultLayer listLayer(const AddressListRequest& request, std::span<const AddressCandidate> cands,
                      std::span<const AddressRow> rows, ResultMetadata metadata) {
  ResultLayer t;
  t.name = request.output;
  t.title = std::string(kConfidential) + " – adreslijst (" + request.output + ")";
  t.geometry = GeometryKind::Point;
  t.fields = {resultField("rang", FieldType::Integer, "1 = eerst controleren"),
              resultField("sleutel", FieldType::Text, "vab_id"),
              resultField("pand", FieldType::Text, "BAG-pand"),
              resultField("score", FieldType::Real, "Totaalscore (punten)"),
              resultField("prioriteit", FieldType::Real, "Prioriteit voor de planner (= score)"),
              resultField("vaardigheid", FieldType::Text, "Benodigde vaardigheid: adrescontrole"),
              resultField("hard", FieldType::Real, "Punten uit registers"),
              resultField("zacht", FieldType::Real, "Punten uit signalen"),
              resultField("signalen_venster", FieldType::Integer, "Signalen in het venster"),
              resultField("betrouwbaar_venster", FieldType::Integer, "Waarvan A of B"),
              resultField("themas", FieldType::Text, "Thema's van de signalen"),
              resultField("toelichting", FieldType::Text, "Waarom dit adres op de lijst staat"),
              resultField("vertrouwelijkheid", FieldType::Text, "VERTROUWELIJK")};
  for (const auto& r : rows) {
    const AddressCandidate& c = cands[r.candidate];
    std::string themes;
    for (std::size_t i = 0; i < r.themes.size(); ++i) themes += (i ? ", " : "") + r.themes[i];
    Record rec;
    rec.values = {std::int64_t(r.rank),
                  c.key,
                  c.pandKey.empty() ? Value{} : Value{c.pandKey},
                  r.score,
                  r.score,
                  std::string("adrescontrole"),
                  r.hardScore,
                  r.softScore,
                  std::int64_t(r.signalsInWindow),
                  std::int64_t(r.reliableInWindow),
                  themes,
                  r.explanation,
                  std::string(kConfidential)};
    rec.geometry = geo::GeometryPtr(new OGRPoint(c.location.x, c.location.y));
    t.records.push_back(std::move(rec));
  }
  t.metadata = std::move(metadata);
  return t;
}

}  // namespace

RunReport runAddressList(Store& store, const AddressListRequest& request, geo::Progress& progress) {
  request.validate();
  RunClock clock;
  std::optional<RiskPercentiles> risk;
  if (!request.riskRaster.empty()) {
    risk.emplace();
    risk->raster = geo::readRaster(request.riskRaster);
    for (std::size_t i = 0; i < risk->raster.values.size(); ++i)
      if (!risk->raster.isNodata(i)) risk->sorted.push_back(risk->raster.values[i]);
    std::sort(risk->sorted.begin(), risk->sorted.end());
  }
  const auto candidates = vabCandidates(store, request, risk ? &*risk : nullptr);
  const auto signals = storeSignals(store, request.signalsWhere);
  progress.setFraction(0.3);
  AddressListOptions options = request.list;
  if (options.referenceTime == 0) {
    for (const auto& s : signals) options.referenceTime = std::max(options.referenceTime, s.time);
    options.referenceTime += 86400;
  }
  const auto rows = rankAddresses(candidates, signals, options);

  json params = {{"vab_where", request.vabWhere},
                 {"signals_where", request.signalsWhere},
                 {"risk_raster", request.riskRaster},
                 {"reference_time", formatIsoDateTime(options.referenceTime)},
                 {"signal_radius", options.signalRadius},
                 {"half_life_days", options.halfLifeDays},
                 {"themes", options.themes},
                 {"vertrouwelijk", true}};
  if (options.skipVisitedSince)
    params["skip_visited_since"] = formatIsoDateTime(*options.skipVisitedSince);
  auto metadata =
      clock.metadata("address_list", params, "vab + signalen", std::int64_t(candidates.size()));
  const fs::path storePath = fs::absolute(store.path());
  const fs::path dir =
      request.directory.empty() ? storePath.parent_path() : fs::path(request.directory);
  const std::string stem = (dir / (storePath.stem().string() + "_" + request.output)).string();
  writeAddressSheet(stem + ".csv", candidates, rows);
  writeAddressSheet(stem + ".xlsx", candidates, rows);
  std::vector<ResultLayer> layers;
  layers.push_back(listLayer(request, candidates, rows, metadata));
  geo::SubProgress writeStep(progress, 0.6, 1.0);
  writeResultLayers(store, std::move(layers), writeStep);

  RunReport report;
  report.layers.push_back(request.output);
  report.files = {stem + ".csv", stem + ".xlsx"};
  report.lines.push_back(fmt::format("{}: {} of {} VAB objects on the list (reference {})",
                                     kConfidential, rows.size(), candidates.size(),
                                     formatIsoDateTime(options.referenceTime)));
  for (std::size_t i = 0; i < std::min<std::size_t>(5, rows.size()); ++i)
    report.lines.push_back(fmt::format("  {}. {} ({:.1f}): {}", rows[i].rank,
                                       candidates[rows[i].candidate].key, rows[i].score,
                                       rows[i].explanation));
  return report;
}

}  // namespace veldwacht::layers
