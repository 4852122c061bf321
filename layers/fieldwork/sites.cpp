#include "layers/fieldwork/sites.h"

#include <set>

#include "layers/importers/values.h"
#include "layers/results/results.h"

namespace veldwacht::layers {

const std::vector<std::pair<std::string, std::string>>& siteLayers() {
  static const std::vector<std::pair<std::string, std::string>> layers = {
      {"vab", "vab_id"},
      {"verblijfsobjecten", "bag_id"},
      {"panden", "bag_id"},
      {"bedrijventerreinen", "rin_nummer"},
      {"incidenten", "incident_id"},
      {"signalen", "signaal_id"}};
  return layers;
}

namespace {

std::string textOf(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return std::to_string(*d);
  return {};
}

bool locate(const OGRGeometry* g, double& x, double& y) {
  if (!g || g->IsEmpty()) return false;
  OGRPoint p;
  if (wkbFlatten(g->getGeometryType()) == wkbPoint) {
    x = g->toPoint()->getX();
    y = g->toPoint()->getY();
    return true;
  }
  OGRErr err = OGRERR_FAILURE;
  if (OGR_GT_IsSubClassOf(g->getGeometryType(), wkbMultiSurface))
    err = g->toMultiSurface()->PointOnSurface(&p);
  else if (OGR_GT_IsSubClassOf(g->getGeometryType(), wkbCurvePolygon))
    err = g->toSurface()->PointOnSurface(&p);
  if (err != OGRERR_NONE && g->Centroid(&p) != OGRERR_NONE) return false;
  x = p.getX();
  y = p.getY();
  return true;
}

}  // namespace

SiteIndex::SiteIndex(Store& store) {
  for (const auto& [layer, key] : siteLayers()) {
    const LayerDef& def = layerDef(layer);
    const int k = def.fieldIndex(key);
    const int pand = layer == "panden" ? k : def.fieldIndex("bag_pand_id");
    for (const Record& r : store.read(layer)) {
      SiteInfo s;
      s.laag = layer;
      s.id = textOf(r.values[std::size_t(k)]);
      if (s.id.empty() || !locate(r.geometry.get(), s.x, s.y)) continue;
      if (pand >= 0) s.bagPandId = textOf(r.values[std::size_t(pand)]);
      add(std::move(s));
    }
  }
  // Sites of other layers, as the plans placed them.
  for (const ResultInfo& info : listResults(store)) {
    const std::string& name = info.layer;
    if (name.size() <= 9 || name.compare(name.size() - 9, 9, "_bezoeken") != 0) continue;
    const ResultLayer plan = readResultLayer(store, name);
    int laag = -1, id = -1;
    for (std::size_t i = 0; i < plan.fields.size(); ++i) {
      if (plan.fields[i].name == "site_laag") laag = int(i);
      if (plan.fields[i].name == "site_id") id = int(i);
    }
    if (laag < 0 || id < 0) continue;
    for (const Record& r : plan.records) {
      SiteInfo s;
      s.laag = toLowerAscii(textOf(r.values[std::size_t(laag)]));
      s.id = textOf(r.values[std::size_t(id)]);
      if (s.laag.empty() || s.id.empty() || !locate(r.geometry.get(), s.x, s.y)) continue;
      add(std::move(s));
    }
  }
}

void SiteIndex::add(SiteInfo info) {
  auto key = std::make_pair(info.laag, info.id);
  if (sites_.count(key)) return;  // the schema layer's own row wins over a plan's copy
  layersById_.emplace(info.id, info.laag);
  sites_.emplace(std::move(key), std::move(info));
}

const SiteInfo* SiteIndex::find(std::string_view laag, std::string_view id) const {
  auto it = sites_.find({toLowerAscii(laag), std::string(id)});
  return it == sites_.end() ? nullptr : &it->second;
}

std::vector<const SiteInfo*> SiteIndex::findAnyLayer(std::string_view id) const {
  std::vector<const SiteInfo*> out;
  auto [b, e] = layersById_.equal_range(std::string(id));
  for (auto it = b; it != e; ++it) out.push_back(find(it->second, id));
  return out;
}

bool SiteIndex::knowsLayer(std::string_view laag) const {
  const std::string l = toLowerAscii(laag);
  for (const auto& [layer, key] : siteLayers())
    if (layer == l) return true;
  for (const auto& [k, v] : sites_)
    if (k.first == l) return true;
  return false;
}

std::vector<std::string> SiteIndex::layers() const {
  std::set<std::string> names;
  for (const auto& [layer, key] : siteLayers()) names.insert(layer);
  for (const auto& [k, v] : sites_) names.insert(k.first);
  return {names.begin(), names.end()};
}

}  // namespace veldwacht::layers
