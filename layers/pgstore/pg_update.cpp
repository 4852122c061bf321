#include "layers/pgstore/pg_update.h"

#include <algorithm>
#include <map>

#include "layers/importers/register_update.h"
#include "layers/pgstore/ddl.h"
#include "layers/pgstore/pg.h"
#include "layers/pgstore/pg_audit.h"
#include "layers/pgstore/pg_values.h"
#include "layers/pgstore/sync.h"
#include "layers/store/ogr_values.h"

namespace veldwacht::layers::pgstore {

namespace {

using pg::ident;
using pg::literal;

/// A value as the key compares (the text PostgreSQL gives for ::text).
std::string keyText(const Value& v) { return valueText(v).value_or(""); }

/// Where a record came from, for messages.
struct Source {
  std::size_t batch = 0, record = 0;
};

/// What the update does to one register.
struct LayerUpdate {
  const LayerDef* def = nullptr;
  RegisterUpdateSummary summary;
  std::vector<ImportBatch> added;  ///< per source batch, only the new keys
  std::vector<std::pair<std::int64_t, const Record*>> changed;  ///< (stored fid, new row)
  std::vector<std::pair<std::int64_t, std::string>> removed;    ///< (stored fid, key)
  const ImportBatch* first = nullptr;                           ///< for the import row
};

/// A record as the store would keep it: NULLs of fields with a default given the default, the
/// geometry made fit for the layer (Polygon -> MultiPolygon, 2D); so that its content compares
/// with the stored row's.
Record normalised(const LayerDef& def, const Record& r) {
  Record c;
  c.values = r.values;
  c.values.resize(def.fields.size());
  for (std::size_t i = 0; i < def.fields.size(); ++i)
    if (std::holds_alternative<std::monostate>(c.values[i]) && !def.fields[i].defaultValue.empty())
      c.values[i] = valueOf(def.fields[i].defaultValue, def.fields[i].type);
  if (r.geometry) c.geometry = geometryForLayer(*r.geometry, def.geometry);
  c.sourceRow = r.sourceRow;
  return c;
}

/// Rows of other layers that refer to a removed key and would block the removal (which fields:
/// removalBlockers, shared with the GeoPackage store's update).
std::vector<Problem> referrers(pg::Connection& c, const LayerUpdate& u, const std::string& file) {
  std::vector<Problem> problems;
  if (u.removed.empty()) return problems;
  constexpr std::size_t kShown = 20;
  const LayerDef& def = *u.def;
  std::string keys;
  for (const auto& [fid, key] : u.removed) keys += (keys.empty() ? "" : ", ") + literal(key);
  for (const RemovalBlocker& by : removalBlockers(def)) {
    const LayerDef& other = *by.layer;
    if (!pg::tableExists(c, other.name)) continue;
    const std::string id = other.key.empty() ? ident(kFidColumn) : ident(other.key);
    const std::string field = ident(by.field->name);
    const std::string extra = by.bySiteLayer ? " AND site_laag = " + literal(def.name) : "";
    for (const auto& row : c.query("SELECT " + id + "::text, " + field + "::text FROM " +
                                   ident(other.name) + " WHERE " + field + "::text IN (" + keys +
                                   ")" + extra + " ORDER BY 1 LIMIT " + std::to_string(kShown))) {
      if (problems.size() >= kShown) break;
      problems.push_back(
          {{file, std::nullopt, def.key},
           removalBlockedMessage(def, row[1].value_or(""), by, row[0].value_or(""))});
    }
  }
  return problems;
}

/// The UPDATE of one changed row: every field (import_id = the update's import) and the
/// geometry, by fid.
void updateRow(pg::Connection& c, const LayerDef& def, std::int64_t fid, const Record& r,
               const std::string& importId) {
  std::string sql = "UPDATE " + ident(def.name) + " SET ";
  std::vector<std::optional<std::string>> params;
  for (std::size_t i = 0; i < def.fields.size(); ++i) {
    const FieldDef& f = def.fields[i];
    if (f.name == "import_id") {
      params.push_back(importId);
    } else {
      auto text = valueText(i < r.values.size() ? r.values[i] : Value{});
      if (!text && !f.defaultValue.empty()) text = f.defaultValue;
      params.push_back(text);
    }
    sql += (i ? ", " : "") + ident(f.name) + " = $" + std::to_string(params.size());
  }
  if (def.geometry != GeometryKind::None) {
    params.push_back(r.geometry ? std::optional<std::string>(ewkbHex(*r.geometry, def.geometry))
                                : std::nullopt);
    sql += ", " + ident(kGeometryColumn) + " = $" + std::to_string(params.size());
  }
  params.push_back(std::to_string(fid));
  sql += " WHERE " + ident(kFidColumn) + " = $" + std::to_string(params.size());
  c.query(sql, params);
}

}  // namespace

ImportReport importUpdate(PgStore& store, std::span<const std::string> paths,
                          const ImportOptions& options, geo::Progress& progress) {
  if (!options.update)
    throw geo::OptionError("update", "importUpdate is the --update import; expected it set");
  ImportOptions o = options;
  o.keepRecords = true;
  ImportReport report;
  std::vector<ImportBatch> batches;
  std::vector<Problem> errors;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    geo::SubProgress sub(progress, 0.6 * double(i) / double(paths.size()),
                         0.6 * double(i + 1) / double(paths.size()));
    ValidationReport v = validateFile(paths[i], o, sub);
    for (auto& b : v.batches) batches.push_back(std::move(b));
    for (auto& s : v.sources) {
      errors.insert(errors.end(), s.errors.begin(), s.errors.end());
      report.sources.push_back(std::move(s));
    }
  }
  if (!errors.empty()) throw ValidationError(std::move(errors));

  // Per register, in first-met order: the incoming rows by key, then against the stored ones.
  std::vector<LayerUpdate> updates;
  auto updateOf = [&](const std::string& layer) -> LayerUpdate& {
    for (auto& u : updates)
      if (u.def->name == layer) return u;
    const LayerDef& def = layerDef(layer);
    if (!isRegisterLayer(def.name) || def.key.empty())
      throw geo::OptionError("update", "--update replaces a register by its key, and " + def.name +
                                           " is not a register");
    updates.push_back({});
    updates.back().def = &def;
    updates.back().summary.layer = def.name;
    updates.back().summary.key = def.key;
    return updates.back();
  };
  for (const auto& b : batches) updateOf(b.layer);
  for (auto& u : updates) {
    const LayerDef& def = *u.def;
    const int keyField = def.fieldIndex(def.key);
    std::map<std::string, Source> incoming;
    for (std::size_t bi = 0; bi < batches.size(); ++bi) {
      const ImportBatch& b = batches[bi];
      if (b.layer != def.name) continue;
      if (!u.first) u.first = &b;
      for (std::size_t ri = 0; ri < b.records.size(); ++ri) {
        const std::string key = keyText(b.records[ri].values[std::size_t(keyField)]);
        const auto [it, fresh] = incoming.emplace(key, Source{bi, ri});
        if (!fresh) {
          const ImportBatch& ob = batches[it->second.batch];
          errors.push_back({{b.sourceFile, b.records[ri].sourceRow, def.key},
                            "duplicate " + def.key + " '" + key + "' (also in " + ob.sourceFile +
                                " row " + std::to_string(ob.records[it->second.record].sourceRow) +
                                "); expected each key once in a register's new version"});
        }
      }
    }
    std::map<std::string, const Record*> storedByKey;
    const std::vector<Record> stored = store.read(def.name);
    for (const auto& r : stored) storedByKey.emplace(keyText(r.values[std::size_t(keyField)]), &r);
    std::map<std::size_t, ImportBatch> addedPerBatch;
    // In the order met in the files (the key's first occurrence).
    for (std::size_t bi = 0; bi < batches.size(); ++bi) {
      if (batches[bi].layer != def.name) continue;
      for (std::size_t ri = 0; ri < batches[bi].records.size(); ++ri) {
        const Record& r = batches[bi].records[ri];
        const std::string key = keyText(r.values[std::size_t(keyField)]);
        const Source& src = incoming.at(key);
        if (src.batch != bi || src.record != ri) continue;  // a duplicate, refused above
        const auto it = storedByKey.find(key);
        if (it == storedByKey.end()) {
          auto [ab, fresh] = addedPerBatch.try_emplace(bi);
          if (fresh) {
            const ImportBatch& b = batches[bi];
            ab->second.layer = b.layer;
            ab->second.sourceFile = b.sourceFile;
            ab->second.sourceSha256 = b.sourceSha256;
            ab->second.sourceCrs = b.sourceCrs;
            ab->second.transformation = b.transformation;
            ab->second.warnings = b.warnings;
          }
          ab->second.records.push_back(normalised(def, r));
          if (u.summary.addedKeys.size() < RegisterUpdateSummary::kShownKeys)
            u.summary.addedKeys.push_back(key);
          ++u.summary.added;
        } else if (rowContent(def, normalised(def, r)) != rowContent(def, *it->second)) {
          u.changed.emplace_back(it->second->sourceRow, &r);
          if (u.summary.changedKeys.size() < RegisterUpdateSummary::kShownKeys)
            u.summary.changedKeys.push_back(key);
          ++u.summary.changed;
        } else {
          ++u.summary.unchanged;
        }
      }
    }
    for (const auto& [key, r] : storedByKey)
      if (!incoming.count(key)) {
        u.removed.emplace_back(r->sourceRow, key);
        if (u.summary.removedKeys.size() < RegisterUpdateSummary::kShownKeys)
          u.summary.removedKeys.push_back(key);  // sorted: the map's order
        ++u.summary.removed;
      }
    for (auto& [bi, b] : addedPerBatch) u.added.push_back(std::move(b));
    for (auto& p : referrers(store.connection(), u, u.first->sourceFile))
      errors.push_back(std::move(p));
  }
  if (!errors.empty()) throw ValidationError(std::move(errors));

  std::vector<ImportBatch> inserts;
  for (auto& u : updates)
    for (auto& b : u.added) inserts.push_back(std::move(b));
  const auto order = layersInInsertOrder(store.schemaVersion());
  auto changes = [&](pg::Connection& c) {
    for (auto& u : updates) {
      if (u.changed.empty()) continue;
      const LayerDef& def = *u.def;
      // The changed rows carry this update's import: the one append() just recorded for the
      // added rows of this layer, or a new one.
      std::string importId;
      if (u.summary.added > 0) {
        importId =
            c.query("SELECT max(import_id)::text FROM " + ident(kImportsTable) + " WHERE laag = $1",
                    {def.name})
                .at(0)
                .at(0)
                .value_or("");
      } else {
        const ImportBatch& b = *u.first;
        std::string warnings;
        for (const auto& w : b.warnings) warnings += (warnings.empty() ? "" : "\n") + w;
        importId = *c.query("INSERT INTO " + ident(kImportsTable) +
                                " (laag, bron_bestand, bestand_sha256, rijen, gestart_op, "
                                "bron_crs, transformatie, waarschuwingen) VALUES ($1, $2, $3, 0, "
                                "localtimestamp(0), $4, $5, $6) RETURNING import_id::text",
                            {def.name, b.sourceFile, b.sourceSha256, b.sourceCrs, b.transformation,
                             warnings})
                        .at(0)
                        .at(0);
      }
      for (const auto& [fid, r] : u.changed) {
        const Record n = normalised(def, *r);
        try {
          updateRow(c, def, fid, n, importId);
        } catch (const pg::PgError& e) {
          throw ValidationError({{{u.first->sourceFile, r->sourceRow, def.key},
                                  "the store refused the change of " + def.key + " '" +
                                      keyText(r->values[std::size_t(def.fieldIndex(def.key))]) +
                                      "' (" + e.what() + "); nothing was written"}});
        }
      }
      c.query("UPDATE " + ident(kImportsTable) + " SET rijen = rijen + $1 WHERE import_id = $2",
              {std::to_string(u.changed.size()), importId});
    }
    // Removed rows, referring layers first.
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
      const auto u = std::find_if(updates.begin(), updates.end(),
                                  [&](const LayerUpdate& x) { return x.def->name == it->name; });
      if (u == updates.end() || u->removed.empty()) continue;
      std::string fids;
      for (const auto& [fid, key] : u->removed)
        fids += (fids.empty() ? "" : ",") + std::to_string(fid);
      try {
        c.exec("DELETE FROM " + ident(it->name) + " WHERE " + ident(kFidColumn) + " = ANY ('{" +
               fids + "}'::bigint[])");
      } catch (const pg::PgError& e) {
        throw ValidationError(
            {{{u->first->sourceFile, std::nullopt, u->def->key},
              "rows of " + it->name +
                  " in none of the files (they would be removed) are still referred to (" +
                  e.detail() +
                  "); expected every removed row to be unreferenced; nothing was "
                  "written"}});
      }
    }
    // Derived tables of a changed layer: emptied, rebuilt by their consumer.
    for (auto& u : updates) {
      if (u.summary.added + u.summary.changed + u.summary.removed == 0) continue;
      for (const DerivedTable& d : derivedTables()) {
        if (d.source != u.def->name) continue;
        if (!pg::tableExists(c, d.table)) continue;
        c.exec("DELETE FROM " + ident(d.table));
        u.summary.derivedEmptied.push_back(d.table + " (" + d.rebuild + ")");
      }
    }
  };
  auto changesAndAudit = [&](pg::Connection& c) {
    changes(c);
    if (!hasAuditTable(c)) return;
    AuditEntry e;
    e.action = "import --update";
    std::string remark;
    for (const auto& u : updates) {
      e.layer += (e.layer.empty() ? "" : ", ") + u.def->name;
      remark += (remark.empty() ? "" : "; ") + u.summary.str();
    }
    std::string files;
    for (const auto& p : paths) files += (files.empty() ? "" : ", ") + p;
    e.destination = store.path();
    e.remark = "from " + files + ": " + remark;
    recordAudit(c, e);
  };
  geo::SubProgress writing(progress, 0.6, 1.0);
  store.append(inserts, writing, changesAndAudit);
  for (const auto& u : updates) {
    report.rowsPerLayer.emplace_back(u.def->name, u.summary.added);
    report.updates.push_back(u.summary);
  }
  return report;
}

}  // namespace veldwacht::layers::pgstore
