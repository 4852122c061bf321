#include "layers/network/network_store.h"

#include <cctype>
#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <span>
#include <sstream>

#include <fmt/core.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "geo/core/error.h"
#include "geo/core/gdal.h"
#include "layers/store/checksum.h"

namespace veldwacht::layers {
namespace {

/// Creates a table without geometry (a bookkeeping table of the network) with these fields and
/// blob fields; throws LibraryError naming what could not be created.
OGRLayer* createPlainTable(GDALDataset& ds, const char* name, const char* description,
                           std::initializer_list<std::pair<const char*, OGRFieldType>> fields,
                           std::span<const char* const> blobs) {
  CPLStringList opts;
  opts.SetNameValue("DESCRIPTION", description);
  OGRLayer* layer = ds.CreateLayer(name, nullptr, wkbNone, opts.List());
  if (!layer)
    throw geo::LibraryError("cannot create " + std::string(name) + ": " + CPLGetLastErrorMsg());
  auto field = [&](const char* fieldName, OGRFieldType type) {
    OGRFieldDefn d(fieldName, type);
    if (layer->CreateField(&d) != OGRERR_NONE)
      throw geo::LibraryError(std::string("cannot create field ") + fieldName);
  };
  for (const auto& [fieldName, type] : fields) field(fieldName, type);
  for (const char* blob : blobs) field(blob, OFTBinary);
  return layer;
}

constexpr int kFormatVersion = 1;

std::string text(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  return {};
}

std::int64_t integer(const Value& v, const Record& r, const char* field) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return std::int64_t(*d);
  throw geo::InputError({"wegvakken", r.sourceRow, field}, "expected an integer, got NULL");
}

geo::SpeedTable speedTable(const NetworkSource& source) {
  if (source.speedsJson.empty()) return {};
  return geo::SpeedTable::fromJson(source.speedsJson, "speed table");
}

// NDW speed limits: wvk_id → km/h.
std::map<std::int64_t, double> readSpeedLimits(const std::string& path) {
  std::map<std::int64_t, double> limits;
  if (path.empty()) return limits;
  std::ifstream in(path);
  if (!in) throw geo::InputError({path, std::nullopt, {}}, "cannot read the speed-limit file");
  std::string line;
  std::getline(in, line);
  if (line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
  const char sep = line.find(';') != std::string::npos ? ';' : ',';
  auto split = [&](const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
      const std::size_t end = s.find(sep, start);
      std::string cell =
          s.substr(start, end == std::string::npos ? std::string::npos : end - start);
      while (!cell.empty() && (cell.back() == '\r' || cell.back() == ' ')) cell.pop_back();
      if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"')
        cell = cell.substr(1, cell.size() - 2);
      out.push_back(cell);
      if (end == std::string::npos) break;
      start = end + 1;
    }
    return out;
  };
  const auto header = split(line);
  int idCol = -1, speedCol = -1;
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::string h = header[i];
    for (char& c : h) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (h == "wvk_id") idCol = int(i);
    if (h == "maxsnelheid" || h == "max_speed" || h == "maximumsnelheid" || h == "snelheid")
      speedCol = int(i);
  }
  if (idCol < 0 || speedCol < 0)
    throw geo::InputError({path, 1, idCol < 0 ? "wvk_id" : "maxsnelheid"},
                          "expected the columns wvk_id and maxsnelheid (or max_speed)");
  std::int64_t row = 1;
  while (std::getline(in, line)) {
    ++row;
    if (line.empty() || line == "\r") continue;
    const auto cells = split(line);
    if (int(cells.size()) <= std::max(idCol, speedCol))
      throw geo::InputError({path, row, {}}, "too few columns");
    try {
      std::size_t used = 0;
      const std::int64_t id = std::stoll(cells[std::size_t(idCol)], &used);
      std::string sp = cells[std::size_t(speedCol)];
      for (char& c : sp)
        if (c == ',') c = '.';
      if (sp.empty()) continue;  // no limit known
      const double kmh = std::stod(sp, &used);
      if (!(kmh > 0.0)) throw std::invalid_argument("speed");
      limits[id] = kmh;
    } catch (const std::exception&) {
      throw geo::InputError({path, row, header[std::size_t(speedCol)]},
                            "expected a WVK_ID and a speed > 0 km/h");
    }
  }
  return limits;
}

template <class T>
void putBlob(OGRFeature& f, const char* field, const std::vector<T>& v) {
  f.SetField(f.GetFieldIndex(field), int(v.size() * sizeof(T)),
             reinterpret_cast<const GByte*>(v.data()));
}

template <class T>
std::vector<T> getBlob(OGRFeature& f, const char* field) {
  int bytes = 0;
  const GByte* data = f.GetFieldAsBinary(f.GetFieldIndex(field), &bytes);
  if (bytes < 0 || std::size_t(bytes) % sizeof(T) != 0)
    throw geo::InputError({kNetworkTable, f.GetFID(), field}, "stored array has a bad size");
  std::vector<T> v(std::size_t(bytes) / sizeof(T));
  if (bytes) std::memcpy(v.data(), data, std::size_t(bytes));
  return v;
}

const char* kBlobFields[] = {"junction_id", "wvk_id",     "van",        "naar",
                             "lengte",      "richting",   "soort",      "beheerder",
                             "snelheid",    "lijn_start", "coordinaten"};

void storeNetwork(Store& store, const geo::RoadNetwork& net, const std::string& checksum,
                  const std::string& importIds, const NetworkSource& source) {
  const auto a = net.arrays();
  store.transaction([&](GDALDataset& ds) {
    // The old network and the hierarchies built on it go together.
    for (int i = ds.GetLayerCount() - 1; i >= 0; --i) {
      const std::string name = ds.GetLayer(i)->GetName();
      if (name == kNetworkTable || name == kHierarchyTable) ds.DeleteLayer(i);
    }
    OGRLayer* layer = createPlainTable(ds, kNetworkTable, "Routeerbaar wegennetwerk (Veldwacht)",
                                       {{"formaat", OFTInteger},
                                        {"checksum", OFTString},
                                        {"import_ids", OFTString},
                                        {"snelheden", OFTString},
                                        {"gebouwd_op", OFTString},
                                        {"wegvakken", OFTInteger64},
                                        {"juncties", OFTInteger64}},
                                       kBlobFields);
    geo::FeaturePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    f->SetField("formaat", kFormatVersion);
    f->SetField("checksum", checksum.c_str());
    f->SetField("import_ids", importIds.c_str());
    f->SetField("snelheden", source.speedsJson.c_str());
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", std::localtime(&now));
    f->SetField("gebouwd_op", buf);
    f->SetField("wegvakken", GIntBig(net.wegvakCount()));
    f->SetField("juncties", GIntBig(net.nodeCount()));
    putBlob(*f, "junction_id", a.junctionId);
    putBlob(*f, "wvk_id", a.wvkId);
    putBlob(*f, "van", a.from);
    putBlob(*f, "naar", a.to);
    putBlob(*f, "lengte", a.length);
    putBlob(*f, "richting", a.direction);
    putBlob(*f, "soort", a.kind);
    putBlob(*f, "beheerder", a.wegbeheerder);
    putBlob(*f, "snelheid", a.speed);
    putBlob(*f, "lijn_start", a.lineStart);
    putBlob(*f, "coordinaten", a.coords);
    if (layer->CreateFeature(f.get()) != OGRERR_NONE)
      throw geo::LibraryError("cannot write the road network: " +
                              std::string(CPLGetLastErrorMsg()));
  });
}

std::optional<geo::RoadNetwork> loadStored(Store& store, const std::string& checksum) {
  GDALDataset& ds = store.dataset();
  if (!ds.GetLayerByName(kNetworkTable)) return std::nullopt;
  // Through a result set that is released at once: an open read of the table would keep its
  // SQLite statement alive and lock tables that a result writer drops afterwards.
  struct Release {
    GDALDataset* ds;
    void operator()(OGRLayer* l) const { ds->ReleaseResultSet(l); }
  };
  std::unique_ptr<OGRLayer, Release> rs(
      ds.ExecuteSQL((std::string("SELECT * FROM ") + kNetworkTable + " LIMIT 1").c_str(), nullptr,
                    nullptr),
      Release{&ds});
  if (!rs) return std::nullopt;
  geo::FeaturePtr f(rs->GetNextFeature());
  if (!f || f->GetFieldAsInteger("formaat") != kFormatVersion ||
      checksum != f->GetFieldAsString("checksum"))
    return std::nullopt;
  geo::RoadNetwork::Arrays a;
  a.junctionId = getBlob<std::int64_t>(*f, "junction_id");
  a.wvkId = getBlob<std::int64_t>(*f, "wvk_id");
  a.from = getBlob<std::uint32_t>(*f, "van");
  a.to = getBlob<std::uint32_t>(*f, "naar");
  a.length = getBlob<double>(*f, "lengte");
  a.direction = getBlob<geo::Direction>(*f, "richting");
  a.kind = getBlob<geo::RoadKind>(*f, "soort");
  a.wegbeheerder = getBlob<char>(*f, "beheerder");
  a.speed = getBlob<std::array<float, geo::kTravelModeCount>>(*f, "snelheid");
  a.lineStart = getBlob<std::uint32_t>(*f, "lijn_start");
  a.coords = getBlob<geo::Point>(*f, "coordinaten");
  f.reset();
  rs.reset();
  return geo::RoadNetwork::fromArrays(std::move(a));
}

constexpr int kHierarchyFormat = 1;

const char* costName(geo::CostKind c) { return c == geo::CostKind::Time ? "time" : "length"; }

const char* kHierarchyBlobs[] = {"vorm",     "rang",     "op_start",  "op_kop",    "op_kosten",
                                 "op_ander", "af_start", "af_staart", "af_kosten", "af_ander"};

void storeHierarchy(Store& store, const geo::ContractionHierarchy& ch, const std::string& checksum,
                    const geo::SearchGraph& graph) {
  const auto a = ch.arrays();
  const std::string mode(geo::travelModeName(graph.mode()));
  const std::string cost = costName(graph.costKind());
  store.transaction([&](GDALDataset& ds) {
    OGRLayer* layer = ds.GetLayerByName(kHierarchyTable);
    if (!layer)
      layer = createPlainTable(ds, kHierarchyTable, "Contraction hierarchies van het wegennetwerk",
                               {{"formaat", OFTInteger},
                                {"checksum", OFTString},
                                {"modus", OFTString},
                                {"kosten", OFTString},
                                {"gebouwd_op", OFTString},
                                {"snelwegen", OFTInteger64}},
                               kHierarchyBlobs);
    // Rows of older networks, and an older row for this mode and cost, go.
    std::vector<GIntBig> stale;
    layer->ResetReading();
    for (geo::FeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature()))
      if (checksum != f->GetFieldAsString("checksum") ||
          (mode == f->GetFieldAsString("modus") && cost == f->GetFieldAsString("kosten")))
        stale.push_back(f->GetFID());
    for (const GIntBig fid : stale)
      if (layer->DeleteFeature(fid) != OGRERR_NONE)
        throw geo::LibraryError("cannot replace a stored contraction hierarchy");
    geo::FeaturePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    f->SetField("formaat", kHierarchyFormat);
    f->SetField("checksum", checksum.c_str());
    f->SetField("modus", mode.c_str());
    f->SetField("kosten", cost.c_str());
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", std::localtime(&now));
    f->SetField("gebouwd_op", buf);
    f->SetField("snelwegen", GIntBig(ch.shortcutCount()));
    putBlob(*f, "vorm", a.shape);
    putBlob(*f, "rang", a.rank);
    putBlob(*f, "op_start", a.upStart);
    putBlob(*f, "op_kop", a.upHead);
    putBlob(*f, "op_kosten", a.upCost);
    putBlob(*f, "op_ander", a.upOther);
    putBlob(*f, "af_start", a.downStart);
    putBlob(*f, "af_staart", a.downHead);
    putBlob(*f, "af_kosten", a.downCost);
    putBlob(*f, "af_ander", a.downOther);
    if (layer->CreateFeature(f.get()) != OGRERR_NONE)
      throw geo::LibraryError("cannot write the contraction hierarchy: " +
                              std::string(CPLGetLastErrorMsg()));
  });
}

std::string importIdsOf(Store& store) {
  // Joined here, not by group_concat/string_agg: the same SQL on either backend.
  std::string ids;
  for (const auto& r : store.query("SELECT DISTINCT CAST(import_id AS INTEGER) AS i FROM "
                                   "wegvakken WHERE import_id IS NOT NULL ORDER BY i"))
    if (r[0]) ids += (ids.empty() ? "" : ",") + *r[0];
  return ids;
}

double secondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

std::vector<geo::WegvakRecord> readWegvakken(Store& store, const NetworkSource& source,
                                             std::vector<std::string>& warnings) {
  const LayerDef& def = layerDef("wegvakken");
  const int iId = def.fieldIndex("wvk_id"), iBeg = def.fieldIndex("jte_id_beg"),
            iEnd = def.fieldIndex("jte_id_end"), iDir = def.fieldIndex("rijrichtng"),
            iBeh = def.fieldIndex("wegbehsrt"), iBst = def.fieldIndex("bst_code");
  const auto records = store.read("wegvakken");
  if (records.empty())
    throw geo::InputError({"wegvakken", std::nullopt, {}},
                          "the store has no wegvakken: import the NWB first (veldwacht import)");
  const auto limits = readSpeedLimits(source.speedLimitsCsv);
  std::size_t limited = 0;
  std::vector<geo::WegvakRecord> out;
  out.reserve(records.size());
  for (const Record& r : records) {
    geo::WegvakRecord w;
    w.wvkId = integer(r.values[std::size_t(iId)], r, "wvk_id");
    w.junctionBegin = integer(r.values[std::size_t(iBeg)], r, "jte_id_beg");
    w.junctionEnd = integer(r.values[std::size_t(iEnd)], r, "jte_id_end");
    w.rijrichting = text(r.values[std::size_t(iDir)]);
    w.wegbeheerder = text(r.values[std::size_t(iBeh)]);
    w.baansubsoort = text(r.values[std::size_t(iBst)]);
    w.builtUp = source.builtUp;
    if (const auto it = limits.find(w.wvkId); it != limits.end()) {
      w.speedLimitKmh = it->second;
      ++limited;
    }
    const OGRGeometry* g = r.geometry.get();
    const OGRLineString* line = nullptr;
    if (g && wkbFlatten(g->getGeometryType()) == wkbLineString) {
      line = g->toLineString();
    } else if (g && wkbFlatten(g->getGeometryType()) == wkbMultiLineString &&
               g->toMultiLineString()->getNumGeometries() == 1) {
      line = g->toMultiLineString()->getGeometryRef(0);
    }
    if (!line)
      throw geo::InputError({"wegvakken", w.wvkId, "geometry"}, "expected one line string");
    for (int k = 0; k < line->getNumPoints(); ++k) w.line.push_back({line->getX(k), line->getY(k)});
    out.push_back(std::move(w));
  }
  if (!source.speedLimitsCsv.empty())
    warnings.push_back(fmt::format("speed limits from {} for {} of {} wegvakken",
                                   source.speedLimitsCsv, limited, out.size()));
  return out;
}

std::string roadsChecksum(Store& store, const NetworkSource& source) {
  // The geometry as hexadecimal text in the store's SQL: SQLite's hex() of the GeoPackage
  // blob, PostGIS's WKB (a PostGIS store says so in veldwacht_meta: backend = postgis).
  const std::string geometryHex =
      store.meta("backend") == "postgis" ? "encode(ST_AsBinary(geom), 'hex')" : "hex(geom)";
  const auto rows = store.query(
      "SELECT CAST(fid AS INTEGER), wvk_id, jte_id_beg, jte_id_end, rijrichtng, wegbehsrt, "
      "bst_code, " +
      geometryHex + " FROM wegvakken ORDER BY fid");
  std::string all;
  all.reserve(rows.size() * 200);
  for (const auto& r : rows) {
    for (const auto& v : r) {
      all += v ? *v : std::string("\x01");
      all += '\x1f';
    }
    all += '\n';
  }
  all += "speeds:" + source.speedsJson + "\nbuilt_up:" + (source.builtUp ? "1" : "0");
  if (!source.speedLimitsCsv.empty()) all += "\nlimits:" + fileSha256(source.speedLimitsCsv);
  return sha256Hex(all);
}

LoadedNetwork rebuildNetwork(Store& store, const NetworkSource& source, geo::Progress& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  LoadedNetwork out{
      geo::RoadNetwork{}, roadsChecksum(store, source), importIdsOf(store), true, 0.0, {}};
  geo::SubProgress readPart(progress, 0.0, 0.4);
  readPart.setPhase("reading wegvakken");
  const auto records = readWegvakken(store, source, out.warnings);
  geo::SubProgress buildPart(progress, 0.4, 0.9);
  out.network = geo::RoadNetwork::build(records, {speedTable(source), "wegvakken"}, buildPart);
  for (const auto& w : out.network.warnings()) out.warnings.push_back(w);
  if (store.updatable()) {
    progress.setPhase("storing network");
    storeNetwork(store, out.network, out.checksum, out.importIds, source);
  }
  progress.setFraction(1.0);
  out.seconds = secondsSince(t0);
  return out;
}

LoadedNetwork networkForStore(Store& store, const NetworkSource& source, geo::Progress& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  (void)speedTable(source);  // refuse a bad speed table before anything else
  const std::string checksum = roadsChecksum(store, source);
  if (auto stored = loadStored(store, checksum)) {
    LoadedNetwork out{std::move(*stored), checksum, importIdsOf(store), false, 0.0, {}};
    out.seconds = secondsSince(t0);
    progress.setFraction(1.0);
    return out;
  }
  return rebuildNetwork(store, source, progress);
}

std::optional<geo::ContractionHierarchy> storedHierarchy(Store& store, const std::string& checksum,
                                                         const geo::SearchGraph& graph) {
  GDALDataset& ds = store.dataset();
  if (!ds.GetLayerByName(kHierarchyTable)) return std::nullopt;
  for (const char c : checksum)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
  struct Release {
    GDALDataset* ds;
    void operator()(OGRLayer* l) const { ds->ReleaseResultSet(l); }
  };
  const std::string sql = fmt::format(
      "SELECT * FROM {} WHERE formaat = {} AND checksum = '{}' AND modus = '{}' AND kosten = '{}' "
      "LIMIT 1",
      kHierarchyTable, kHierarchyFormat, checksum, geo::travelModeName(graph.mode()),
      costName(graph.costKind()));
  std::unique_ptr<OGRLayer, Release> rs(ds.ExecuteSQL(sql.c_str(), nullptr, nullptr), Release{&ds});
  if (!rs) return std::nullopt;
  geo::FeaturePtr f(rs->GetNextFeature());
  if (!f) return std::nullopt;
  geo::ContractionHierarchy::Arrays a;
  a.shape = getBlob<std::uint64_t>(*f, "vorm");
  a.rank = getBlob<std::uint32_t>(*f, "rang");
  a.upStart = getBlob<std::uint32_t>(*f, "op_start");
  a.upHead = getBlob<std::uint32_t>(*f, "op_kop");
  a.upCost = getBlob<double>(*f, "op_kosten");
  a.upOther = getBlob<double>(*f, "op_ander");
  a.downStart = getBlob<std::uint32_t>(*f, "af_start");
  a.downHead = getBlob<std::uint32_t>(*f, "af_staart");
  a.downCost = getBlob<double>(*f, "af_kosten");
  a.downOther = getBlob<double>(*f, "af_ander");
  f.reset();
  rs.reset();
  auto ch = geo::ContractionHierarchy::fromArrays(std::move(a));
  if (!ch.matches(graph)) return std::nullopt;
  return ch;
}

LoadedHierarchy hierarchyForStore(Store& store, const LoadedNetwork& network,
                                  const geo::SearchGraph& graph, geo::Progress& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  if (auto stored = storedHierarchy(store, network.checksum, graph)) {
    progress.setFraction(1.0);
    return {std::move(*stored), false, true, secondsSince(t0)};
  }
  progress.setPhase("contraction hierarchy");
  LoadedHierarchy out{geo::ContractionHierarchy::build(graph, {}, progress), true, false, 0.0};
  if (store.updatable()) {
    storeHierarchy(store, out.hierarchy, network.checksum, graph);
    out.stored = true;
  }
  out.seconds = secondsSince(t0);
  return out;
}

}  // namespace veldwacht::layers
