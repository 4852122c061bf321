#include "layers/privacy/public_layers.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "geo/aggregation/polygon_counts.h"
#include "geo/core/error.h"
#include "geo/hotspots/inference.h"
#include "geo/privacy/reidentification.h"
#include "layers/privacy/classification.h"
#include "layers/results/results.h"

namespace veldwacht::layers {

void PublicLayersOptions::validate() const {
  if (!aggregate && !mask) throw geo::OptionError("aggregate", "nothing to build: enable one");
  checkOutputName(prefix + input.layer);
  suppression.validate();
  masking.validate();
  if (!input.weightField.empty())
    throw geo::OptionError("weightField", "public layers count points; weights are not used");
}

namespace {

std::string fieldText(const Record& r, const LayerDef& def, const char* name) {
  const int i = def.fieldIndex(name);
  if (i < 0) return {};
  const auto& v = r.values[std::size_t(i)];
  return std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : std::string{};
}

std::int64_t rowCount(Store& store, const std::string& layer) {
  const auto rows = store.query("SELECT COUNT(*) FROM \"" + layer + "\"");
  return rows.empty() ? 0 : std::stoll(rows[0][0].value_or("0"));
}

/// One published area of the hierarchy.
struct Area {
  std::string level;  ///< buurt, wijk, gemeente
  std::string code;
  std::string name;
  std::string parentCode;
  geo::GeometryPtr geometry;
  std::int64_t count = 0;
};

/// Areas of one level of the store, with the code of the level above.
void readLevel(Store& store, const std::string& layer, const std::string& level,
               const char* parentField, std::vector<Area>& out) {
  if (rowCount(store, layer) == 0) return;
  const auto polys = readPolygons(store, layer);
  const LayerDef& def = layerDef(layer);
  for (const auto& r : polys.records) {
    Area a;
    a.level = level;
    a.code = fieldText(r, def, "code");
    a.name = fieldText(r, def, "naam");
    a.parentCode = parentField ? fieldText(r, def, parentField) : std::string{};
    a.geometry.reset(r.geometry->clone());
    out.push_back(std::move(a));
  }
}

ResultLayer aggregateLayer(Store& store, const PublicLayersOptions& o, const PointInput& in,
                           const RunClock& clock, RunReport& report, geo::Progress& progress) {
  std::vector<Area> areas;
  readLevel(store, "buurten", "buurt", "wijkcode", areas);
  const std::size_t buurten = areas.size();
  if (buurten == 0)
    throw geo::InputError({"buurten", std::nullopt, ""},
                          "public counts are made per buurt, and the store has no buurten");
  readLevel(store, "wijken", "wijk", "gemeentecode", areas);
  readLevel(store, "gemeenten", "gemeente", nullptr, areas);

  // Count per buurt; a point on a shared edge counts once so that the totals add up.
  std::vector<std::vector<std::uint8_t>> wkb;
  for (std::size_t i = 0; i < buurten; ++i) {
    wkb.emplace_back(areas[i].geometry->WkbSize());
    areas[i].geometry->exportToWkb(wkbNDR, wkb.back().data(), wkbVariantIso);
  }
  geo::SubProgress countProgress(progress, 0.0, 0.6);
  const auto counts = geo::countPointsInPolygons(
      wkb, in.points, {}, {.boundary = geo::BoundaryRule::FirstCovering}, countProgress);

  // The hierarchy: buurt -> wijk (wijkcode), else -> gemeente; wijk -> gemeente.
  std::map<std::pair<std::string, std::string>, std::int32_t> byCode;
  for (std::size_t i = 0; i < areas.size(); ++i)
    byCode[{areas[i].level, areas[i].code}] = std::int32_t(i);
  auto find = [&](const std::string& level, const std::string& code) {
    const auto it = byCode.find({level, code});
    return it == byCode.end() ? -1 : it->second;
  };
  std::vector<std::int32_t> parent(areas.size(), -1);
  for (std::size_t i = 0; i < areas.size(); ++i) {
    auto& a = areas[i];
    if (a.level == "buurt") {
      parent[i] = find("wijk", a.parentCode);
      // A buurt whose wijk is missing hangs under its gemeente (GMxxxx of BUxxxxxxxx).
      if (parent[i] < 0 && a.code.size() >= 6)
        parent[i] = find("gemeente", "GM" + a.code.substr(2, 4));
      a.parentCode = parent[i] >= 0 ? areas[std::size_t(parent[i])].code : std::string{};
      a.count = std::int64_t(std::llround(counts.counts[i]));
    } else if (a.level == "wijk") {
      parent[i] = find("gemeente", a.parentCode);
      if (parent[i] < 0) a.parentCode.clear();
    }
  }
  // Totals bottom-up: buurten are first, so one pass per level.
  for (const char* level : {"buurt", "wijk"})
    for (std::size_t i = 0; i < areas.size(); ++i)
      if (areas[i].level == level && parent[i] >= 0)
        areas[std::size_t(parent[i])].count += areas[i].count;

  std::vector<std::int64_t> values(areas.size());
  for (std::size_t i = 0; i < areas.size(); ++i) values[i] = areas[i].count;
  const auto totals = geo::hierarchyTotals(parent);
  geo::SubProgress suppressProgress(progress, 0.6, 0.9);
  const auto sup = geo::suppressSmallCounts(values, totals, o.suppression, suppressProgress);
  if (!geo::determinedCells(areas.size(), totals, sup.status).empty())
    throw geo::Error("internal: complementary suppression left a determined cell");

  ResultLayer layer;
  layer.name = o.prefix + in.layer + "_per_gebied";
  layer.title = in.layer + " per buurt, wijk en gemeente (openbaar, kleine aantallen onderdrukt)";
  layer.geometry = GeometryKind::MultiPolygon;
  layer.style = kSuppressionStyle;
  layer.stylesDir = o.stylesDir;
  FieldDef niveau = resultField("niveau", FieldType::Text, "buurt, wijk of gemeente");
  niveau.allowed = {"buurt", "wijk", "gemeente"};
  layer.fields = {niveau,
                  resultField("code", FieldType::Text),
                  resultField("naam", FieldType::Text),
                  resultField("hoort_bij", FieldType::Text, "code van de wijk of gemeente"),
                  resultField("aantal", FieldType::Integer, "leeg = onderdrukt"),
                  resultField("onderdrukt", FieldType::Boolean)};
  for (std::size_t i = 0; i < areas.size(); ++i) {
    auto& a = areas[i];
    Record r;
    r.values = {a.level,
                a.code,
                a.name.empty() ? Value{} : Value{a.name},
                a.parentCode.empty() ? Value{} : Value{a.parentCode},
                sup.suppressed(i) ? Value{} : Value{a.count},
                std::int64_t{sup.suppressed(i) ? 1 : 0}};
    r.geometry = std::move(a.geometry);
    layer.records.push_back(std::move(r));
  }
  nlohmann::json params{{"k", o.suppression.k},
                        {"suppress_zero", o.suppression.suppressZero},
                        {"levels", {"buurt", "wijk", "gemeente"}},
                        {"primary", sup.primary},
                        {"complementary", sup.complementary},
                        {"outside", counts.outside}};
  layer.metadata =
      clock.metadata(kSuppressionAlgorithm, params, inputDescription(in), std::int64_t(in.size()));
  report.lines.push_back(fmt::format(
      "{}: {} areas, {} suppressed (count 1..{}), {} complementary; {} points outside every buurt",
      layer.name, areas.size(), sup.primary, o.suppression.k - 1, sup.complementary,
      counts.outside));
  for (const auto& w : sup.warnings) report.warnings.push_back(w);
  return layer;
}

ResultLayer maskedLayer(Store& store, const PublicLayersOptions& o, const PointInput& in,
                        const RunClock& clock, RunReport& report, geo::Progress& progress) {
  const auto addresses = readPoints(store, {o.addressLayer, "", ""});
  geo::DonutMaskOptions mo = o.masking;
  mo.seed =
      o.seed ? *o.seed : (std::uint64_t(std::random_device{}()) << 32) ^ std::random_device{}();
  geo::SubProgress maskProgress(progress, 0.0, 0.5);
  const auto mask = geo::donutMask(in.points, addresses.points, mo, maskProgress);
  geo::SubProgress attackProgress(progress, 0.5, 0.9);
  const auto attack =
      geo::nearestAddressAttack(in.points, mask.masked, addresses.points, attackProgress);

  // A shuffled order, so that the row order links no masked point to a signal.
  std::vector<std::size_t> order(in.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  geo::Rng rng = geo::Rng::stream(mo.seed, 0xfeedULL);
  for (std::size_t i = order.size(); i > 1; --i)
    std::swap(order[i - 1], order[rng.below(std::uint32_t(i))]);

  const bool category = o.keepCategory && !in.categories.empty();
  ResultLayer layer;
  layer.name = o.prefix + in.layer + "_gemaskeerd";
  layer.title = in.layer + " gemaskeerd (openbaar, donut k = " + std::to_string(mo.k) + ")";
  layer.geometry = GeometryKind::Point;
  layer.style = kMaskingStyle;
  layer.stylesDir = o.stylesDir;
  if (category) layer.fields.push_back(resultField("categorie", FieldType::Text));
  for (auto i : order) {
    Record r;
    if (category) {
      const auto c = in.categories[i];
      r.values.push_back(c < 0 ? Value{} : Value{in.categoryNames[std::size_t(c)]});
    }
    r.geometry = pointGeometry(mask.masked[i]);
    layer.records.push_back(std::move(r));
  }
  double minMoved = 0.0, medianMoved = 0.0;
  if (!mask.displacement.empty()) {
    auto d = mask.displacement;
    std::sort(d.begin(), d.end());
    minMoved = d.front();
    medianMoved = d[d.size() / 2];
  }
  nlohmann::json params{{"k", mo.k},
                        {"k_outer", mo.kOuter},
                        {"min_displacement", mo.minDisplacement},
                        {"min_ring_width", mo.minRingWidth},
                        {"addresses", o.addressLayer},
                        {"address_count", addresses.size()},
                        {"attack_success_rate", attack.successRate},
                        {"min_moved_m", minMoved},
                        {"median_moved_m", medianMoved}};
  layer.metadata = clock.metadata(kMaskingAlgorithm, params, inputDescription(in),
                                  std::int64_t(in.size()), std::int64_t(mo.seed));
  report.lines.push_back(fmt::format(
      "{}: {} points moved {:.0f}..{:.0f} m (median {:.0f} m); nearest-address attack {} of {} "
      "= {:.3f} (target <= 1/{} = {:.3f})",
      layer.name, in.size(), minMoved,
      mask.displacement.empty()
          ? 0.0
          : *std::max_element(mask.displacement.begin(), mask.displacement.end()),
      medianMoved, attack.hits, attack.points, attack.successRate, mo.k, 1.0 / double(mo.k)));
  if (attack.successRate > 1.0 / double(mo.k))
    report.warnings.push_back(fmt::format(
        "the nearest-address attack succeeds for {:.3f} of the masked points, above 1/{}: "
        "publiceer will refuse this layer; raise k",
        attack.successRate, mo.k));
  return layer;
}

}  // namespace

RunReport buildPublicLayers(Store& store, const PublicLayersOptions& o, geo::Progress& progress) {
  o.validate();
  if (!store.updatable())
    throw geo::Error("cannot write public layers: the store is open read-only");
  RunClock clock;
  geo::SubProgress readProgress(progress, 0.0, 0.1);
  const PointInput in = readPoints(store, o.input, readProgress);
  RunReport report;
  std::vector<ResultLayer> layers;
  if (o.aggregate) {
    geo::SubProgress p(progress, 0.1, 0.4);
    layers.push_back(aggregateLayer(store, o, in, clock, report, p));
  }
  if (o.mask) {
    geo::SubProgress p(progress, 0.4, 0.8);
    layers.push_back(maskedLayer(store, o, in, clock, report, p));
  }
  std::vector<std::pair<std::string, std::string>> reasons;
  for (const auto& l : layers)
    reasons.emplace_back(l.name, l.metadata.algorithm == kSuppressionAlgorithm
                                     ? fmt::format("aggregatie, aantallen 1..{} en complementen "
                                                   "onderdrukt",
                                                   o.suppression.k - 1)
                                     : fmt::format("donut-geomaskering, >= {} adressen, >= {} m",
                                                   o.masking.k, o.masking.minDisplacement));
  geo::SubProgress writeProgress(progress, 0.8, 1.0);
  writeResultLayers(store, std::move(layers), writeProgress);
  for (const auto& [name, reason] : reasons) {
    setClassification(store, name, Sensitivity::Public, reason);
    report.layers.push_back(name);
  }
  return report;
}

namespace {

std::int64_t intValue(const Value& v) {
  return std::holds_alternative<std::int64_t>(v) ? std::get<std::int64_t>(v) : 0;
}
std::string textValue(const Value& v) {
  return std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : std::string{};
}

std::vector<std::string> checkSuppressedLayer(const ResultLayer& r) {
  std::vector<std::string> problems;
  const auto params = nlohmann::json::parse(r.metadata.parametersJson, nullptr, false);
  const std::int64_t k = params.is_object() ? params.value("k", std::int64_t{5}) : 5;
  auto col = [&](const char* name) {
    for (std::size_t i = 0; i < r.fields.size(); ++i)
      if (r.fields[i].name == name) return std::int64_t(i);
    problems.push_back(std::string("field '") + name + "' is missing");
    return std::int64_t{-1};
  };
  const auto cCode = col("code"), cParent = col("hoort_bij"), cCount = col("aantal"),
             cLevel = col("niveau");
  if (!problems.empty()) return problems;
  if (k < 5)
    problems.push_back(
        fmt::format("counts were suppressed below k = {}; public maps need k >= 5", k));
  const std::set<std::string> allowed{"niveau",    "code",   "naam",
                                      "hoort_bij", "aantal", "onderdrukt"};
  for (const auto& f : r.fields)
    if (!allowed.count(f.name))
      problems.push_back("field '" + f.name + "' is not part of a public count layer");
  std::map<std::pair<std::string, std::string>, std::int32_t> index;
  for (std::size_t i = 0; i < r.records.size(); ++i)
    index[{textValue(r.records[i].values[std::size_t(cLevel)]),
           textValue(r.records[i].values[std::size_t(cCode)])}] = std::int32_t(i);
  std::vector<std::int32_t> parent(r.records.size(), -1);
  std::vector<geo::CellStatus> status(r.records.size(), geo::CellStatus::Published);
  for (std::size_t i = 0; i < r.records.size(); ++i) {
    const auto& v = r.records[i].values;
    const std::string level = textValue(v[std::size_t(cLevel)]);
    const std::string p = textValue(v[std::size_t(cParent)]);
    if (!p.empty()) {
      const std::string up = level == "buurt" && p.starts_with("WK") ? "wijk" : "gemeente";
      const auto it = index.find({up, p});
      if (it != index.end()) parent[i] = it->second;
    }
    if (isNull(v[std::size_t(cCount)])) {
      status[i] = geo::CellStatus::Complementary;
    } else if (const auto c = intValue(v[std::size_t(cCount)]); c >= 1 && c < k) {
      problems.push_back(fmt::format("{} {} publishes a count of {} (below k = {})", level,
                                     textValue(v[std::size_t(cCode)]), c, k));
    }
  }
  const auto totals = geo::hierarchyTotals(parent);
  for (auto c : geo::determinedCells(r.records.size(), totals, status))
    problems.push_back(fmt::format("the published totals give away the suppressed count of {}",
                                   textValue(r.records[c].values[std::size_t(cCode)])));
  return problems;
}

std::vector<std::string> checkMaskedLayer(const ResultLayer& r) {
  std::vector<std::string> problems;
  for (const auto& f : r.fields)
    if (f.name != "categorie")
      problems.push_back("field '" + f.name +
                         "' may identify a report; a masked layer carries "
                         "only the category");
  const auto params = nlohmann::json::parse(r.metadata.parametersJson, nullptr, false);
  if (!params.is_object() || !params.contains("attack_success_rate") || !params.contains("k")) {
    problems.push_back("the layer's masking parameters are missing");
    return problems;
  }
  const double rate = params["attack_success_rate"].get<double>();
  const auto k = params["k"].get<std::int64_t>();
  if (k < 8) problems.push_back(fmt::format("masked with k = {}; public maps need k >= 8", k));
  if (rate > 1.0 / double(k))
    problems.push_back(fmt::format(
        "the nearest-address attack succeeded for {:.3f} of the points, above 1/k = {:.3f}", rate,
        1.0 / double(k)));
  if (params.value("min_displacement", 0.0) < 25.0)
    problems.push_back("points were moved less than 25 m");
  return problems;
}

}  // namespace

std::vector<std::string> checkPublicLayer(Store& store, const std::string& layer) {
  const auto results = listResults(store);
  const auto it = std::find_if(results.begin(), results.end(),
                               [&](const ResultInfo& r) { return r.layer == layer; });
  if (it == results.end()) {
    if (defaultSensitivity(layer) == Sensitivity::Public) return {};
    return {"'" + layer +
            "' was not made by the privacy module (aggregation with suppression "
            "or masking), so it cannot be checked"};
  }
  const auto& algorithm = it->metadata.algorithm;
  if (algorithm != kSuppressionAlgorithm && algorithm != kMaskingAlgorithm)
    return {"'" + layer + "' is a result of '" + algorithm +
            "', which shows raw locations or small counts"};
  const ResultLayer r = readResultLayer(store, layer);
  return algorithm == kSuppressionAlgorithm ? checkSuppressedLayer(r) : checkMaskedLayer(r);
}

}  // namespace veldwacht::layers
