#include "layers/pgstore/sync.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <set>
#include <unordered_map>

#include "geo/core/error.h"
#include "geo/core/gdal.h"
#include "layers/pgstore/ddl.h"
#include "layers/pgstore/pg.h"
#include "layers/pgstore/pg_audit.h"
#include "layers/pgstore/pg_store.h"
#include "layers/pgstore/pg_values.h"
#include "layers/pgstore/sync_access.h"
#include "layers/results/results.h"
#include "layers/store/checksum.h"
#include "layers/store/ogr_values.h"

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
  // Appended rather than `"'" + canon(...)`: GCC 12 at -O3 reports a false -Wrestrict in the
  // inlined concatenation (bug 105329), an error in a Release build with warnings as errors.
  std::string out(1, '\'');
  out += canon(v, type);
  out += '\'';
  return out;
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

/// The key of field `keyField` of a row as text.
std::string keyOf(const LayerDef& def, const Record& r, int keyField) {
  return canon(valueAt(r, std::size_t(keyField)), def.fields[std::size_t(keyField)].type);
}

/// The basis of a row: SHA-256 of its whole compared content.
std::string digest(const LayerDef& def, const Record& r) { return sha256Hex(contentKey(def, r)); }

ImportBatch batchFor(const LayerDef& def, const Store& from) {
  ImportBatch b;
  b.layer = def.name;
  b.sourceFile = from.path() + " (" + def.name + ")";
  b.sourceCrs = "EPSG:28992";
  b.transformation = "veldwacht sync";
  return b;
}

/// Every field of `lap` and `srv` that differs, with both values.
std::vector<std::string> differencesOf(const LayerDef& def, const Record& lap, const Record& srv) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < def.fields.size(); ++i) {
    const FieldDef& f = def.fields[i];
    if (!compared(f)) continue;
    const Value &a = valueAt(lap, i), &s = valueAt(srv, i);
    if (canon(a, f.type) != canon(s, f.type))
      out.push_back(f.name + ": " + shown(a, f.type) + " on the laptop, " + shown(s, f.type) +
                    " on the server");
  }
  if (geometryKey(lap) != geometryKey(srv)) out.push_back("the geometry differs");
  return out;
}

/// The values of a row, for a conflict where the other side deleted it.
std::string valuesOf(const LayerDef& def, const Record& r) {
  std::string out;
  for (std::size_t i = 0; i < def.fields.size(); ++i) {
    if (!compared(def.fields[i])) continue;
    out += (out.empty() ? "" : ", ") + def.fields[i].name + " " +
           shown(valueAt(r, i), def.fields[i].type);
  }
  return out;
}

/// What one layer's sync does.
struct LayerPlan {
  const LayerDef* def = nullptr;
  ImportBatch upNew, downNew;
  std::vector<std::pair<std::int64_t, Record>> upChanged, downChanged;       ///< (target fid, row)
  std::vector<std::pair<std::int64_t, std::string>> upDeleted, downDeleted;  ///< (fid, key)
  /// The basis after this sync: key -> digest.
  std::map<std::string, std::string> basis;
};

/// Everything one layer's plan needs besides the rows.
struct PlanContext {
  const SyncOptions& options;
  ServerAccess& access;
  SyncReport& report;
  /// Rows the server's login may not write or not read, refused before anything is written.
  std::vector<Problem>& refusals;
  std::string laptopPath;
};

/// "the laptop" / "the server".
const char* sideName(SyncSide side) {
  return side == SyncSide::Laptop ? "the laptop" : "the server";
}

/// The three-way comparison of one keyed layer (see sync.h). `srvRows` are the rows the server's
/// login sees; with LayerAccess::partial a key it does not see may still be there (asked with
/// ServerAccess::existing), and then the row is left alone on both sides.
LayerPlan planKeyed(const LayerDef& def, bool upLayer, const std::vector<Record>& lapRows,
                    const std::vector<Record>& srvRows,
                    const std::map<std::string, std::string>& oldBasis, Store& laptop,
                    Store& server, PlanContext& ctx) {
  LayerPlan p;
  p.def = &def;
  p.upNew = batchFor(def, laptop);
  p.downNew = batchFor(def, server);
  SyncReport& report = ctx.report;
  const LayerAccess& access = ctx.access.of(def.name);
  const int keyField = def.fieldIndex(def.key);
  if (keyField < 0) throw geo::Error("layer '" + def.name + "' has no key field " + def.key);
  const int importField = def.fieldIndex("import_id");
  std::map<std::string, const Record*> lap, srv;
  for (const auto& r : lapRows) lap.emplace(keyOf(def, r, keyField), &r);
  for (const auto& r : srvRows) srv.emplace(keyOf(def, r, keyField), &r);
  std::set<std::string> keys;
  for (const auto& [k, r] : lap) keys.insert(k);
  for (const auto& [k, r] : srv) keys.insert(k);
  for (const auto& [k, r] : oldBasis) keys.insert(k);
  // Keys on the laptop the login does not see on the server: there or not?
  std::set<std::string> hidden;
  if (access.partial) {
    std::vector<std::string> unseen;
    for (const auto& [k, r] : lap)
      if (!srv.count(k)) unseen.push_back(k);
    for (std::size_t i = 0; i < unseen.size(); i += 1000) {
      const std::vector<std::string> part(
          unseen.begin() + std::ptrdiff_t(i),
          unseen.begin() + std::ptrdiff_t(std::min(unseen.size(), i + 1000)));
      for (auto& k : ctx.access.existing(def, part)) hidden.insert(std::move(k));
    }
  }
  std::vector<std::string> hiddenKept;
  auto conflict = [&](const std::string& key, const Record* l, const Record* s,
                      std::vector<std::string> differences, std::optional<SyncSide> taken) {
    SyncConflict c;
    c.layer = def.name;
    c.keyField = def.key;
    c.key = key;
    c.laptopRow = l ? l->sourceRow : 0;
    c.serverRow = s ? s->sourceRow : 0;
    c.differences = std::move(differences);
    c.taken = taken;
    (taken ? report.taken : report.conflicts).push_back(std::move(c));
    if (taken) return;
    if (const auto it = oldBasis.find(key); it != oldBasis.end()) p.basis[key] = it->second;
  };
  auto note = [&](const std::string& key, const std::string& what) {
    report.notes.push_back(def.name + " " + def.key + " '" + key + "': " + what);
  };
  // The side --take names for this row; a register row cannot be taken from the laptop (the
  // registers are the server's), so that stays a conflict, saying so.
  auto take = [&](const std::string& key, std::vector<std::string>& d) -> std::optional<SyncSide> {
    const auto side = ctx.options.takeFor(def.name, key);
    if (side == SyncSide::Laptop && !upLayer) {
      d.push_back("--take laptop does not apply: " + def.name +
                  " is a register, whose rows only come down (--take server brings the "
                  "server's version down)");
      return std::nullopt;
    }
    return side;
  };
  for (const auto& key : keys) {
    const auto li = lap.find(key), si = srv.find(key);
    const Record* l = li == lap.end() ? nullptr : li->second;
    const Record* s = si == srv.end() ? nullptr : si->second;
    const auto bi = oldBasis.find(key);
    const std::string* b = bi == oldBasis.end() ? nullptr : &bi->second;
    const std::string hl = l ? digest(def, *l) : std::string(), hs = s ? digest(def, *s) : "";
    if (l && s) {
      if (hl == hs) {
        p.basis[key] = hl;
      } else if (b && *b == hs) {  // changed on the laptop only
        if (upLayer) {
          p.upChanged.emplace_back(s->sourceRow, copyOf(*l, importField));
          p.basis[key] = hl;
        } else {
          note(key,
               "changed on the laptop; registers only come down, so the change stays on the "
               "laptop and the server's row is not brought down over it");
          p.basis[key] = *b;
        }
      } else if (b && *b == hl) {  // changed on the server only
        p.downChanged.emplace_back(l->sourceRow, copyOf(*s, importField));
        p.basis[key] = hs;
      } else {
        auto d = differencesOf(def, *l, *s);
        if (b) d.insert(d.begin(), "changed on both sides since the last sync");
        const auto side = take(key, d);
        if (side == SyncSide::Server) {
          p.downChanged.emplace_back(l->sourceRow, copyOf(*s, importField));
          p.basis[key] = hs;
        } else if (side == SyncSide::Laptop) {
          p.upChanged.emplace_back(s->sourceRow, copyOf(*l, importField));
          p.basis[key] = hl;
        }
        conflict(key, l, s, std::move(d), side);
      }
    } else if (l) {             // not on the server, or not seen there
      if (hidden.count(key)) {  // there, but not for this login: left alone on both sides
        hiddenKept.push_back(key);
        if (b) p.basis[key] = *b;
      } else if (!b) {
        if (upLayer) {
          p.upNew.records.push_back(copyOf(*l, importField));
          p.basis[key] = hl;
        }
      } else if (*b == hl) {  // deleted on the server
        p.downDeleted.emplace_back(l->sourceRow, key);
      } else {
        std::vector<std::string> d{
            "changed on the laptop and deleted on the server since the last sync; the laptop "
            "has " +
            valuesOf(def, *l)};
        const auto side = take(key, d);
        if (side == SyncSide::Server) {
          p.downDeleted.emplace_back(l->sourceRow, key);
        } else if (side == SyncSide::Laptop) {
          p.upNew.records.push_back(copyOf(*l, importField));
          p.basis[key] = hl;
        }
        conflict(key, l, nullptr, std::move(d), side);
      }
    } else if (s) {  // not on the laptop
      if (!b) {
        if (!upLayer) {
          p.downNew.records.push_back(copyOf(*s, importField));
          p.basis[key] = hs;
        }
      } else if (*b == hs) {  // deleted on the laptop
        if (upLayer) {
          p.upDeleted.emplace_back(s->sourceRow, key);
        } else {
          note(key, "deleted on the laptop; registers only come down, so the server keeps it");
          p.basis[key] = *b;
        }
      } else {
        std::vector<std::string> d{
            "deleted on the laptop and changed on the server since the last sync; the server "
            "has " +
            valuesOf(def, *s)};
        const auto side = take(key, d);
        if (side == SyncSide::Server) {
          p.downNew.records.push_back(copyOf(*s, importField));
          p.basis[key] = hs;
        } else if (side == SyncSide::Laptop) {
          p.upDeleted.emplace_back(s->sourceRow, key);
        }
        conflict(key, nullptr, s, std::move(d), side);
      }
    }
    // Neither side has it any more (or the login sees neither): it leaves the basis.
  }
  if (!hiddenKept.empty()) {
    std::string some;
    for (std::size_t i = 0; i < hiddenKept.size() && i < 5; ++i)
      some += (i ? ", '" : "'") + hiddenKept[i] + "'";
    if (hiddenKept.size() > 5) some += ", …";
    report.notes.push_back(std::to_string(hiddenKept.size()) + " rows of " + def.name + " (" +
                           def.key + " " + some + ") are on the server outside what " +
                           ctx.access.who() + " may see; left as they are on both sides");
  }
  return p;
}

/// A layer the server's login may not read at all: nothing comes down and the laptop keeps it
/// as it is. For a layer whose rows go up, every row new, changed or deleted on the laptop since
/// the last sync would have to go up without the server's rows to compare with: refused.
LayerPlan planUnreadable(const LayerDef& def, bool upLayer, const std::vector<Record>& lapRows,
                         const std::map<std::string, std::string>& oldBasis, PlanContext& ctx) {
  LayerPlan p;
  p.def = &def;
  p.basis = oldBasis;
  ctx.report.unreadable.push_back(def.name);
  if (!upLayer) return p;
  const int keyField = def.fieldIndex(def.key);
  const std::string where = ctx.laptopPath + " (" + def.name + ")";
  std::set<std::string> onLaptop;
  for (const auto& r : lapRows) {
    const std::string key = keyOf(def, r, keyField);
    onLaptop.insert(key);
    const auto b = oldBasis.find(key);
    if (b != oldBasis.end() && b->second == digest(def, r)) continue;
    ctx.refusals.push_back({{where, r.sourceRow, ""},
                            def.key + " '" + key + "' is " +
                                (b == oldBasis.end() ? "new" : "changed") + " on the laptop, but " +
                                ctx.access.who() + " may not read layer " + def.name +
                                " on the server, so it cannot go up; sync with a login that may"});
  }
  for (const auto& [key, h] : oldBasis)
    if (!onLaptop.count(key))
      ctx.refusals.push_back({{where, std::nullopt, ""},
                              def.key + " '" + key + "' was deleted on the laptop, but " +
                                  ctx.access.who() + " may not read layer " + def.name +
                                  " on the server, so the deletion cannot go up"});
  return p;
}

/// Refuses, before anything is written, what the server's login may not write: rows going up
/// into a layer without the privilege, and new or changed rows its row-level-security policies
/// would refuse (a partner's signal outside its area or in another partner's name).
void refuseUnwritable(const std::vector<LayerPlan>& plans, PlanContext& ctx) {
  for (const auto& p : plans) {
    const LayerDef& def = *p.def;
    const LayerAccess& a = ctx.access.of(def.name);
    const int keyField = def.fieldIndex(def.key);
    const std::string where = ctx.laptopPath + " (" + def.name + ")";
    auto refuse = [&](const Record& r, const std::string& what) {
      ctx.refusals.push_back(
          {{where, r.sourceRow, ""}, def.key + " '" + keyOf(def, r, keyField) + "' " + what});
    };
    const std::string who = ctx.access.who();
    auto check = [&](const std::vector<const Record*>& rows, bool allowed, const char* command,
                     const std::string& verb) {
      if (rows.empty()) return;
      if (!allowed) {
        for (const Record* r : rows)
          refuse(*r, verb + " on the laptop, but " + who + " may not " + command + " rows of " +
                         def.name + " on the server");
        return;
      }
      for (std::size_t i : ctx.access.refusedByPolicies(def, command, rows))
        refuse(*rows[i], verb + " on the laptop, but the row-level security of " + def.name +
                             " does not let " + who +
                             " write it (e.g. outside its area or in another partner's name)");
    };
    std::vector<const Record*> added, changed;
    for (const auto& r : p.upNew.records) added.push_back(&r);
    for (const auto& [fid, r] : p.upChanged) changed.push_back(&r);
    check(added, a.insert, "INSERT", "is new");
    check(changed, a.update, "UPDATE", "was changed");
    if (!a.remove)
      for (const auto& [fid, key] : p.upDeleted)
        ctx.refusals.push_back({{where, std::nullopt, ""},
                                def.key + " '" + key + "' was deleted on the laptop, but " + who +
                                    " may not DELETE rows of " + def.name + " on the server"});
  }
}

/// The new rows of a key-less layer: the server's rows whose whole content the laptop lacks.
ImportBatch newRowsByContent(const LayerDef& def, Store& from, Store& to) {
  const std::vector<Record> src = from.read(def.name);
  const std::vector<Record> dst = to.read(def.name);
  ImportBatch b = batchFor(def, from);
  const int importField = def.fieldIndex("import_id");
  std::set<std::string> there;
  for (const auto& r : dst) there.insert(contentKey(def, r));
  for (const auto& r : src)
    if (!there.count(contentKey(def, r))) b.records.push_back(copyOf(r, importField));
  return b;
}

bool hasBasisTable(Store& laptop) {
  return !laptop
              .query(std::string("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ") +
                     pg::literal(kSyncBasisTable))
              .empty();
}

/// The basis of every layer for this server: layer -> key -> digest.
std::map<std::string, std::map<std::string, std::string>> readBasis(Store& laptop,
                                                                    const std::string& server) {
  std::map<std::string, std::map<std::string, std::string>> out;
  if (!hasBasisTable(laptop)) return out;
  for (const auto& row : laptop.query(std::string("SELECT laag, sleutel, inhoud FROM ") +
                                      kSyncBasisTable + " WHERE server = " + pg::literal(server)))
    if (row.size() == 3 && row[0] && row[1] && row[2]) out[*row[0]][*row[1]] = *row[2];
  return out;
}

void runLaptopSql(GDALDataset& ds, const std::string& sql) {
  geo::GdalErrorCapture capture;
  CPLErrorReset();
  OGRLayer* rs = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
  if (rs) ds.ReleaseResultSet(rs);
  if (CPLGetLastErrorType() >= CE_Failure)
    throw geo::LibraryError("the laptop's store refused the sync: " + geo::lastGdalError());
}

/// Writes `p`'s changes and deletions coming down into the laptop (inside its transaction).
void applyDown(GDALDataset& ds, const LayerPlan& p, const std::string& laptopPath) {
  const LayerDef& def = *p.def;
  if (p.downChanged.empty() && p.downDeleted.empty()) return;
  OGRLayer* layer = ds.GetLayerByName(def.name.c_str());
  if (!layer) throw geo::Error("the laptop's store has no layer '" + def.name + "'");
  const std::vector<int> idx = ogrFieldIndexes(*layer->GetLayerDefn(), def.fields);
  const int importField = def.fieldIndex("import_id");
  for (const auto& [fid, rec] : p.downChanged) {
    std::unique_ptr<OGRFeature> f(layer->GetFeature(fid));
    if (!f)
      throw geo::Error(laptopPath + ": " + def.name + " row " + std::to_string(fid) + " is gone");
    for (std::size_t i = 0; i < def.fields.size(); ++i)
      if (int(i) != importField && idx[i] >= 0)
        setOgrField(*f, idx[i], def.fields[i].type, valueAt(rec, i));
    if (def.geometry != GeometryKind::None)
      f->SetGeometryDirectly(rec.geometry ? geometryForLayer(*rec.geometry, def.geometry).release()
                                          : nullptr);
    geo::GdalErrorCapture capture;
    if (layer->SetFeature(f.get()) != OGRERR_NONE)
      throw ValidationError({{{laptopPath + " (" + def.name + ")", fid, ""},
                              "the laptop's store refused the server's change of " + def.key +
                                  " '" + keyOf(def, rec, def.fieldIndex(def.key)) +
                                  "': " + geo::lastGdalError() + "; nothing came down"}});
  }
  for (const auto& [fid, key] : p.downDeleted) {
    geo::GdalErrorCapture capture;
    if (layer->DeleteFeature(fid) != OGRERR_NONE)
      throw ValidationError(
          {{{laptopPath + " (" + def.name + ")", fid, ""},
            "the server deleted " + def.key + " '" + key + "', but the laptop cannot delete it (" +
                geo::lastGdalError() + "); nothing came down"}});
  }
}

/// Writes `p`'s changes and deletions going up on the server connection (inside append's
/// transaction). A refusal names the laptop's row.
void applyUp(pg::Connection& c, const LayerPlan& p, const std::string& laptopPath,
             const std::map<std::string, std::int64_t>& laptopFid) {
  const LayerDef& def = *p.def;
  const int importField = def.fieldIndex("import_id");
  const int keyField = def.fieldIndex(def.key);
  for (const auto& [fid, rec] : p.upChanged) {
    std::string sql = "UPDATE " + pg::ident(def.name) + " SET ";
    std::vector<std::optional<std::string>> params;
    for (std::size_t i = 0; i < def.fields.size(); ++i) {
      if (int(i) == importField) continue;
      params.push_back(valueText(valueAt(rec, i)));
      sql += (params.size() > 1 ? ", " : "") + pg::ident(def.fields[i].name) + " = $" +
             std::to_string(params.size());
    }
    if (def.geometry != GeometryKind::None) {
      params.push_back(rec.geometry
                           ? std::optional<std::string>(ewkbHex(*rec.geometry, def.geometry))
                           : std::nullopt);
      sql += ", " + pg::ident(kGeometryColumn) + " = $" + std::to_string(params.size());
    }
    params.push_back(std::to_string(fid));
    sql +=
        " WHERE " + pg::ident(kFidColumn) + " = $" + std::to_string(params.size()) + " RETURNING 1";
    std::string refused;
    try {
      // No row: row-level security did not let the login change it (or it is gone).
      if (c.query(sql, params).empty()) refused = "no row it may change has that fid";
    } catch (const pg::PgError& e) {
      refused = e.what();
    }
    if (!refused.empty())
      throw ValidationError(
          {{{laptopPath + " (" + def.name + ")", rec.sourceRow, ""},
            "the server refused the change of " + def.key + " '" + keyOf(def, rec, keyField) +
                "' (" + refused + "); nothing went up"}});
  }
  for (const auto& [fid, key] : p.upDeleted) {
    std::string refused;
    try {
      if (c.query("DELETE FROM " + pg::ident(def.name) + " WHERE " + pg::ident(kFidColumn) +
                      " = $1 RETURNING 1",
                  {std::to_string(fid)})
              .empty())
        refused = "no row it may delete has that fid";
    } catch (const pg::PgError& e) {
      refused = e.what();
    }
    if (!refused.empty()) {
      const auto it = laptopFid.find(key);
      throw ValidationError(
          {{{laptopPath + " (" + def.name + ")",
             it == laptopFid.end() ? std::optional<std::int64_t>() : it->second, ""},
            def.key + " '" + key +
                "' was deleted on the laptop, but the server cannot delete it (" + refused +
                "); nothing went up"}});
    }
  }
}

/// The audit row of a sync: the layers that moved, the counts, the laptop as destination.
AuditEntry auditOf(const SyncReport& r, const std::string& laptopPath) {
  std::set<std::string> layers;
  std::int64_t up[3] = {0, 0, 0}, down[3] = {0, 0, 0};
  auto add = [&](const std::map<std::string, std::int64_t>& m, std::int64_t& sum) {
    for (const auto& [layer, n] : m) {
      layers.insert(layer);
      sum += n;
    }
  };
  add(r.up, up[0]);
  add(r.changedUp, up[1]);
  add(r.deletedUp, up[2]);
  add(r.down, down[0]);
  add(r.changedDown, down[1]);
  add(r.deletedDown, down[2]);
  for (const auto& res : r.resultsDown) layers.insert(res);
  AuditEntry e;
  e.action = "sync";
  for (const auto& l : layers) e.layer += (e.layer.empty() ? "" : ", ") + l;
  e.destination = laptopPath;
  e.sensitivity = Sensitivity::Confidential;
  e.remark = "up: " + std::to_string(up[0]) + " new, " + std::to_string(up[1]) + " changed, " +
             std::to_string(up[2]) + " deleted; down: " + std::to_string(down[0]) + " new, " +
             std::to_string(down[1]) + " changed, " + std::to_string(down[2]) + " deleted, " +
             std::to_string(r.resultsDown.size()) + " results; " +
             std::to_string(r.conflicts.size()) + " conflicts";
  // What --take resolved, per side, with the rows (the first 20).
  for (SyncSide side : {SyncSide::Laptop, SyncSide::Server}) {
    std::string rows;
    std::size_t n = 0;
    for (const auto& c : r.taken) {
      if (c.taken != side) continue;
      if (++n <= 20) rows += (n > 1 ? ", " : "") + c.layer + " '" + c.key + "'";
      layers.insert(c.layer);
    }
    if (n > 20) rows += ", …";
    if (n)
      e.remark += "; " + std::to_string(n) + " conflicts resolved by taking " + sideName(side) +
                  "'s version (--take): " + rows;
  }
  e.layer.clear();
  for (const auto& l : layers) e.layer += (e.layer.empty() ? "" : ", ") + l;
  return e;
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

std::string rowContent(const LayerDef& def, const Record& r) {
  return sha256Hex(contentKey(def, r));
}

TakeRule TakeRule::parse(const std::string& text) {
  TakeRule rule;
  const auto colon = text.find(':');
  const std::string side = text.substr(0, colon);
  if (side == "laptop")
    rule.side = SyncSide::Laptop;
  else if (side == "server")
    rule.side = SyncSide::Server;
  else
    throw geo::OptionError("take", "'" + text +
                                       "': expected laptop or server, optionally followed by "
                                       ":LAYER or :LAYER:KEY (e.g. server:signalen:SIG-1)");
  if (colon == std::string::npos) return rule;
  const std::string rest = text.substr(colon + 1);
  const auto second = rest.find(':');
  rule.layer = rest.substr(0, second);
  if (second != std::string::npos) rule.key = rest.substr(second + 1);
  if (rule.layer.empty() || (second != std::string::npos && rule.key.empty()))
    throw geo::OptionError("take", "'" + text + "': an empty layer or key");
  return rule;
}

void SyncOptions::validate() const {
  for (const auto& name : upLayers) {
    const LayerDef& d = layerDef(name);  // geo::Error for an unknown one
    if (d.key.empty())
      throw geo::OptionError("upLayers", "layer '" + name +
                                             "' has no natural key, so its rows cannot be "
                                             "matched between the stores");
  }
  for (std::size_t i = 0; i < take.size(); ++i) {
    const TakeRule& t = take[i];
    if (!t.layer.empty()) {
      const auto defs = layerDefs();
      const auto it = std::find_if(defs.begin(), defs.end(),
                                   [&](const LayerDef& d) { return d.name == t.layer; });
      if (it == defs.end())
        throw geo::OptionError("take", "no layer '" + t.layer + "' in the schema");
      if (it->key.empty())
        throw geo::OptionError(
            "take", "layer '" + t.layer + "' has no natural key: its rows never conflict");
    }
    for (std::size_t j = 0; j < i; ++j)
      if (take[j].layer == t.layer && take[j].key == t.key && take[j].side != t.side)
        throw geo::OptionError("take", "two rules for the same rows take different sides");
  }
}

std::optional<SyncSide> SyncOptions::takeFor(const std::string& layer,
                                             const std::string& key) const {
  std::optional<SyncSide> found;
  int best = -1;
  for (const auto& t : take) {
    if (!t.layer.empty() && t.layer != layer) continue;
    if (!t.key.empty() && t.key != key) continue;
    const int specificity = t.layer.empty() ? 0 : t.key.empty() ? 1 : 2;
    if (specificity > best) {
      best = specificity;
      found = t.side;
    }
  }
  return found;
}

std::string SyncConflict::describe() const {
  std::string s = layer + " " + keyField + " '" + key + "' (laptop row " +
                  std::to_string(laptopRow) + ", server row " + std::to_string(serverRow) + "): ";
  for (std::size_t i = 0; i < differences.size(); ++i) s += (i ? "; " : "") + differences[i];
  if (taken) s += std::string("; took ") + sideName(*taken) + "'s version";
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
  const std::string serverName = withoutPassword(server.path());
  auto basis = readBasis(laptop, serverName);

  // Compare: every keyed layer three-way, the key-less ones by content (new rows down); what
  // the server's login may not read or write decided here, before anything is written.
  ServerAccess access(server);
  std::vector<Problem> refusals;
  PlanContext ctx{options, access, report, refusals, laptop.path()};
  std::vector<LayerPlan> plans;
  std::vector<ImportBatch> downByContent;
  std::map<std::string, std::map<std::string, std::int64_t>> laptopFids;  // up layers: key -> fid
  {
    geo::ProgressStep step(progress, 0.0, 0.4, "comparing");
    for (const auto& def : layers) {
      const bool readable = access.of(def.name).read;
      if (def.key.empty()) {
        if (isUp(def.name)) continue;
        if (!readable) {
          report.unreadable.push_back(def.name);
          continue;
        }
        ImportBatch b = newRowsByContent(def, server, laptop);
        if (!b.records.empty()) downByContent.push_back(std::move(b));
        continue;
      }
      const auto lapRows = laptop.read(def.name);
      if (!readable) {
        plans.push_back(planUnreadable(def, isUp(def.name), lapRows, basis[def.name], ctx));
        continue;
      }
      const auto srvRows = server.read(def.name);
      plans.push_back(
          planKeyed(def, isUp(def.name), lapRows, srvRows, basis[def.name], laptop, server, ctx));
      if (isUp(def.name)) {
        const int kf = def.fieldIndex(def.key);
        for (const auto& r : lapRows) laptopFids[def.name][keyOf(def, r, kf)] = r.sourceRow;
      }
    }
    refuseUnwritable(plans, ctx);
    if (!refusals.empty()) throw ValidationError(std::move(refusals));
  }
  for (const auto& p : plans) {
    const std::string& n = p.def->name;
    if (!p.upNew.records.empty()) report.up[n] = std::int64_t(p.upNew.records.size());
    if (!p.downNew.records.empty()) report.down[n] = std::int64_t(p.downNew.records.size());
    if (!p.upChanged.empty()) report.changedUp[n] = std::int64_t(p.upChanged.size());
    if (!p.upDeleted.empty()) report.deletedUp[n] = std::int64_t(p.upDeleted.size());
    if (!p.downChanged.empty()) report.changedDown[n] = std::int64_t(p.downChanged.size());
    if (!p.downDeleted.empty()) report.deletedDown[n] = std::int64_t(p.downDeleted.size());
  }
  for (const auto& b : downByContent) report.down[b.layer] += std::int64_t(b.records.size());

  if (!options.dryRun) {
    // Up: new rows, changes and deletions in ONE server transaction.
    {
      geo::ProgressStep step(progress, 0.4, 0.6, "up");
      std::vector<ImportBatch> up;
      bool more = false;
      for (auto& p : plans) {
        if (!p.upNew.records.empty()) up.push_back(std::move(p.upNew));
        more = more || !p.upChanged.empty() || !p.upDeleted.empty();
      }
      auto changes = [&](pg::Connection& c) {
        for (auto it = plans.rbegin(); it != plans.rend(); ++it)  // referencing layers first
          applyUp(c, *it, laptop.path(), laptopFids[it->def->name]);
        // What went up and what the laptop gets (a copy of the server's rows: an export), in
        // the same transaction as the rows that went up.
        if (hasAuditTable(c)) recordAudit(c, auditOf(report, laptop.path()));
      };
      if (auto* pgServer = dynamic_cast<PgStore*>(&server)) {
        pgServer->append(up, geo::nullProgress(), changes);
      } else if (more) {
        throw geo::Error("sending changes and deletions up needs a PostGIS server store; " +
                         server.path() + " is not one");
      } else if (!up.empty()) {
        server.append(up);
      }
    }
    // Down: the new rows in one append, then the changes, deletions and the new basis in one
    // transaction of the laptop.
    {
      geo::ProgressStep step(progress, 0.6, 0.8, "down");
      std::vector<ImportBatch> down = std::move(downByContent);
      for (auto& p : plans)
        if (!p.downNew.records.empty()) down.push_back(std::move(p.downNew));
      if (!down.empty()) laptop.append(down);
      laptop.executeSql(std::string("CREATE TABLE IF NOT EXISTS ") + kSyncBasisTable +
                        " (server TEXT NOT NULL, laag TEXT NOT NULL, sleutel TEXT NOT NULL, "
                        "inhoud TEXT NOT NULL, PRIMARY KEY (server, laag, sleutel))");
      laptop.transaction([&](GDALDataset& ds) {
        for (auto it = plans.rbegin(); it != plans.rend(); ++it) applyDown(ds, *it, laptop.path());
        runLaptopSql(ds, std::string("DELETE FROM ") + kSyncBasisTable +
                             " WHERE server = " + pg::literal(serverName));
        for (const auto& p : plans) {
          std::string sql;
          std::size_t n = 0;
          auto flush = [&] {
            if (n)
              runLaptopSql(ds, std::string("INSERT INTO ") + kSyncBasisTable +
                                   " (server, laag, sleutel, inhoud) VALUES " + sql);
            sql.clear();
            n = 0;
          };
          for (const auto& [key, h] : p.basis) {
            sql += std::string(n ? ", " : "") + "(" + pg::literal(serverName) + ", " +
                   pg::literal(p.def->name) + ", " + pg::literal(key) + ", " + pg::literal(h) + ")";
            if (++n == 500) flush();
          }
          flush();
        }
      });
    }
  }

  // Down, results: the server's result tables the laptop lacks or has older, in one set.
  {
    geo::ProgressStep step(progress, 0.8, 1.0, "results down");
    if (!access.of(kResultsTable).read) {
      report.unreadable.push_back(kResultsTable);
      progress.setFraction(1.0);
      return report;
    }
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
