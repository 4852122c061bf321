#include "layers/pgstore/sync.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <unordered_map>

#include "geo/core/error.h"
#include "layers/pgstore/ddl.h"
#include "layers/results/results.h"

namespace veldwacht::layers::pgstore {

namespace {

/// A value as text for comparing the two stores: NULL apart from every text, reals to 15
/// digits (both stores keep doubles; this only hides printing), date-times as ISO to seconds.
std::string canon(const Value& v, FieldType type) {
  if (std::holds_alternative<std::monostate>(v)) return std::string("\x01NULL");
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.15g", *d);
    return buf;
  }
  std::string s = std::get<std::string>(v);
  if (type == FieldType::DateTime) {
    if (s.size() > 10 && s[10] == ' ') s[10] = 'T';
    s = s.substr(0, 19);
  }
  return s;
}

std::string shown(const Value& v, FieldType type) {
  if (std::holds_alternative<std::monostate>(v)) return "NULL";
  return "'" + canon(v, type) + "'";
}

std::string geometryKey(const Record& r) {
  if (!r.geometry) return {};
  std::vector<unsigned char> wkb(std::size_t(r.geometry->WkbSize()));
  r.geometry->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
  return std::string(wkb.begin(), wkb.end());
}

const Value& valueAt(const Record& r, std::size_t i) {
  static const Value kNull;
  return i < r.values.size() ? r.values[i] : kNull;
}

/// Fields compared: every field but import_id (a store's own bookkeeping).
bool compared(const FieldDef& f) { return f.name != "import_id"; }

/// The whole content of a row as one string (layers without a natural key).
std::string contentKey(const LayerDef& def, const Record& r) {
  std::string k;
  for (std::size_t i = 0; i < def.fields.size(); ++i) {
    if (!compared(def.fields[i])) continue;
    k += canon(valueAt(r, i), def.fields[i].type);
    k += '\x1f';
  }
  return k + geometryKey(r);
}

Record copyOf(const Record& r, int importField) {
  Record c;
  c.values = r.values;
  if (importField >= 0 && std::size_t(importField) < c.values.size())
    c.values[std::size_t(importField)] = Value{};
  if (r.geometry) c.geometry.reset(r.geometry->clone());
  c.sourceRow = r.sourceRow;
  return c;
}

/// The rows of `layer` in `from` that `to` lacks, as a batch for `to`; conflicts (same key,
/// other content) into `conflicts`. `fromIsLaptop` orients the conflict's row numbers.
ImportBatch newRows(const LayerDef& def, Store& from, Store& to, bool fromIsLaptop,
                    std::vector<SyncConflict>& conflicts) {
  const std::vector<Record> src = from.read(def.name);
  const std::vector<Record> dst = to.read(def.name);
  ImportBatch b;
  b.layer = def.name;
  b.sourceFile = from.path() + " (" + def.name + ")";
  b.sourceCrs = "EPSG:28992";
  b.transformation = "veldwacht sync";
  const int importField = def.fieldIndex("import_id");
  if (def.key.empty()) {
    std::set<std::string> there;
    for (const auto& r : dst) there.insert(contentKey(def, r));
    for (const auto& r : src)
      if (!there.count(contentKey(def, r))) b.records.push_back(copyOf(r, importField));
    return b;
  }
  const int keyField = def.fieldIndex(def.key);
  if (keyField < 0) throw geo::Error("layer '" + def.name + "' has no key field " + def.key);
  const FieldType keyType = def.fields[std::size_t(keyField)].type;
  std::unordered_map<std::string, const Record*> there;
  for (const auto& r : dst) there.emplace(canon(valueAt(r, std::size_t(keyField)), keyType), &r);
  for (const auto& r : src) {
    const std::string key = canon(valueAt(r, std::size_t(keyField)), keyType);
    const auto it = there.find(key);
    if (it == there.end()) {
      b.records.push_back(copyOf(r, importField));
      continue;
    }
    const Record& other = *it->second;
    const Record& lap = fromIsLaptop ? r : other;
    const Record& srv = fromIsLaptop ? other : r;
    SyncConflict c;
    for (std::size_t i = 0; i < def.fields.size(); ++i) {
      const FieldDef& f = def.fields[i];
      if (!compared(f)) continue;
      const Value &a = valueAt(lap, i), &s = valueAt(srv, i);
      if (canon(a, f.type) != canon(s, f.type))
        c.differences.push_back(f.name + ": " + shown(a, f.type) + " on the laptop, " +
                                shown(s, f.type) + " on the server");
    }
    if (geometryKey(lap) != geometryKey(srv)) c.differences.push_back("the geometry differs");
    if (c.differences.empty()) continue;  // the same row on both sides
    c.layer = def.name;
    c.keyField = def.key;
    c.key = key;
    c.laptopRow = lap.sourceRow;
    c.serverRow = srv.sourceRow;
    conflicts.push_back(std::move(c));
  }
  return b;
}

/// Registry rows per result layer (the last one of each name), tables only.
std::map<std::string, ResultInfo> resultTables(Store& s) {
  std::map<std::string, ResultInfo> out;
  for (auto& r : listResults(s))
    if (r.file.empty()) out[r.layer] = std::move(r);
  return out;
}

std::string isoOf(std::string t) {
  if (t.size() > 10 && t[10] == ' ') t[10] = 'T';
  return t.substr(0, 19);
}

}  // namespace

void SyncOptions::validate() const {
  for (const auto& name : upLayers) {
    const LayerDef& d = layerDef(name);  // geo::Error for an unknown one
    if (d.key.empty())
      throw geo::OptionError("upLayers", "layer '" + name +
                                             "' has no natural key, so its rows cannot be "
                                             "matched between the stores");
  }
}

std::string SyncConflict::describe() const {
  std::string s = layer + " " + keyField + " '" + key + "' (laptop row " +
                  std::to_string(laptopRow) + ", server row " + std::to_string(serverRow) + "): ";
  for (std::size_t i = 0; i < differences.size(); ++i) s += (i ? "; " : "") + differences[i];
  return s;
}

SyncReport syncStores(Store& laptop, Store& server, const SyncOptions& options,
                      geo::Progress& progress) {
  options.validate();
  if (laptop.schemaVersion() != kSchemaVersion || server.schemaVersion() != kSchemaVersion)
    throw geo::Error("both stores must have schema version " + std::to_string(kSchemaVersion) +
                     " (laptop " + std::to_string(laptop.schemaVersion()) + ", server " +
                     std::to_string(server.schemaVersion()) +
                     "); open them for writing once to migrate them");
  SyncReport report;
  const auto layers = layersInInsertOrder(kSchemaVersion);
  auto isUp = [&](const std::string& name) {
    return std::find(options.upLayers.begin(), options.upLayers.end(), name) !=
           options.upLayers.end();
  };

  // Up: one append to the server (one transaction).
  {
    geo::ProgressStep step(progress, 0.0, 0.4, "signals up");
    std::vector<ImportBatch> up;
    for (const auto& def : layers) {
      if (!isUp(def.name)) continue;
      ImportBatch b = newRows(def, laptop, server, true, report.conflicts);
      if (!b.records.empty()) {
        report.up[def.name] = std::int64_t(b.records.size());
        up.push_back(std::move(b));
      }
    }
    if (!up.empty() && !options.dryRun) server.append(up);
  }

  // Down, registers: one append to the laptop.
  {
    geo::ProgressStep step(progress, 0.4, 0.8, "registers down");
    std::vector<ImportBatch> down;
    for (const auto& def : layers) {
      if (isUp(def.name)) continue;
      ImportBatch b = newRows(def, server, laptop, false, report.conflicts);
      if (!b.records.empty()) {
        report.down[def.name] = std::int64_t(b.records.size());
        down.push_back(std::move(b));
      }
    }
    if (!down.empty() && !options.dryRun) laptop.append(down);
  }

  // Down, results: the server's result tables the laptop lacks or has older, in one set.
  {
    geo::ProgressStep step(progress, 0.8, 1.0, "results down");
    const auto there = resultTables(server), here = resultTables(laptop);
    std::vector<ResultLayer> results;
    for (const auto& [name, info] : there) {
      const auto it = here.find(name);
      if (it != here.end()) {
        const ResultMetadata &a = it->second.metadata, &b = info.metadata;
        if (isoOf(a.startedAt) == isoOf(b.startedAt) && a.algorithm == b.algorithm &&
            a.parametersJson == b.parametersJson)
          continue;  // up to date
        if (isoOf(a.startedAt) > isoOf(b.startedAt)) {
          report.notes.push_back("result '" + name + "' on the laptop (" + isoOf(a.startedAt) +
                                 ") is newer than the server's (" + isoOf(b.startedAt) +
                                 "); kept the laptop's");
          continue;
        }
      }
      report.resultsDown.push_back(name);
      if (options.dryRun) continue;
      ResultLayer r = readResultLayer(server, name);
      r.metadata.startedAt = isoOf(r.metadata.startedAt);  // PostgreSQL prints "… 10:00:00"
      results.push_back(std::move(r));
    }
    if (!results.empty()) writeResultSet(laptop, std::move(results));
  }
  progress.setFraction(1.0);
  return report;
}

}  // namespace veldwacht::layers::pgstore
