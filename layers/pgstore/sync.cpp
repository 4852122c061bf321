#include "layers/pgstore/sync.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <set>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "geo/core/error.h"
#include "geo/core/gdal.h"
#include "layers/pgstore/ddl.h"
#include "layers/pgstore/pg.h"
#include "layers/pgstore/pg_audit.h"
#include "layers/pgstore/pg_store.h"
#include "layers/pgstore/pg_values.h"
#include "layers/pgstore/sync_access.h"
#include "layers/pgstore/sync_rows.h"
#include "layers/results/results.h"
#include "layers/store/batch_writer.h"
#include "layers/store/checksum.h"
#include "layers/store/ogr_values.h"
#include "layers/store/store_internal.h"

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

ImportBatch batchFor(const LayerDef& def, const std::string& from) {
  ImportBatch b;
  b.layer = def.name;
  b.sourceFile = from + " (" + def.name + ")";
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

/// The new basis of one layer as a list of changes to the old one (key -> digest, or none:
/// the key leaves the basis), kept in a temporary file: the first sync of a register changes
/// the basis of every row, and memory stays bounded.
class BasisDelta {
 public:
  BasisDelta() : file_(std::tmpfile()) {
    if (!file_) throw geo::LibraryError("cannot create a temporary file for the sync basis");
  }
  ~BasisDelta() {
    if (file_) std::fclose(file_);
  }
  BasisDelta(BasisDelta&& o) noexcept : file_(std::exchange(o.file_, nullptr)), size_(o.size_) {}
  BasisDelta& operator=(BasisDelta&&) = delete;
  BasisDelta(const BasisDelta&) = delete;
  BasisDelta& operator=(const BasisDelta&) = delete;

  void put(const std::string& key, const std::optional<std::string>& digest) {
    write(key);
    write(digest.value_or(""));
    ++size_;
  }
  std::size_t size() const { return size_; }
  /// Calls `f(key, digest)` for every change in the order put (digest empty: leaves).
  template <class F>
  void forEach(F&& f) {
    std::rewind(file_);
    std::string key, digest;
    for (std::size_t i = 0; i < size_; ++i) {
      read(key);
      read(digest);
      f(key, digest);
    }
  }

 private:
  void write(const std::string& s) {
    const auto n = std::uint32_t(s.size());
    if (std::fwrite(&n, sizeof n, 1, file_) != 1 || (n && std::fwrite(s.data(), 1, n, file_) != n))
      throw geo::LibraryError("cannot write the temporary file of the sync basis (disk full?)");
  }
  void read(std::string& s) {
    std::uint32_t n = 0;
    if (std::fread(&n, sizeof n, 1, file_) != 1) throw geo::LibraryError("sync basis file short");
    s.resize(n);
    if (n && std::fread(s.data(), 1, n, file_) != n)
      throw geo::LibraryError("sync basis file short");
  }
  std::FILE* file_ = nullptr;
  std::size_t size_ = 0;
};

/// What one layer's sync does. What goes up is held whole (the field's own new and changed rows);
/// what comes down only by fid, fetched again when it is written.
struct LayerPlan {
  const LayerDef* def = nullptr;
  ImportBatch upNew;
  std::vector<std::pair<std::int64_t, Record>> upChanged;          ///< (server fid, laptop's row)
  std::vector<std::pair<std::int64_t, std::string>> upDeleted;     ///< (server fid, key)
  std::vector<std::int64_t> downNew;                               ///< server fids
  std::vector<std::pair<std::int64_t, std::int64_t>> downChanged;  ///< (laptop fid, server fid)
  std::vector<std::pair<std::int64_t, std::string>> downDeleted;   ///< (laptop fid, key)
  BasisDelta basis;
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

/// The three-way comparison of one keyed layer (see sync.h), one key at a time as the merge of
/// the two stores' rows and the basis (all in key order) meets it. The server's rows are those
/// its login sees; with LayerAccess::partial a key it does not see may still be there (asked
/// with ServerAccess::existing, a thousand keys at a time), and then the row is left alone on
/// both sides.
class LayerPlanner {
 public:
  LayerPlanner(const LayerDef& def, bool upLayer, Store& laptop, PlanContext& ctx)
      : def_(def),
        upLayer_(upLayer),
        ctx_(ctx),
        partial_(ctx.access.of(def.name).partial),
        keyField_(def.fieldIndex(def.key)),
        importField_(def.fieldIndex("import_id")) {
    if (keyField_ < 0) throw geo::Error("layer '" + def.name + "' has no key field " + def.key);
    p_.def = &def;
    p_.upNew = batchFor(def, laptop.path());
  }

  /// One key: its laptop row, server row and basis, each nullptr when absent.
  void visit(const std::string& key, const Record* l, const Record* s, const std::string* b) {
    if (l && !s && partial_) {  // not seen on the server: there or not? Asked in bulk.
      pending_.push_back({key, copyOf(*l, importField_), b ? std::optional(*b) : std::nullopt});
      if (pending_.size() >= 1000) resolvePending();
      return;
    }
    decide(key, l, s, b);
  }

  /// After the last key.
  LayerPlan finish() {
    resolvePending();
    if (!hiddenKept_.empty()) {
      std::string some;
      for (std::size_t i = 0; i < hiddenKept_.size(); ++i)
        some += (i ? ", '" : "'") + hiddenKept_[i] + "'";
      if (hidden_ > hiddenKept_.size()) some += ", …";
      ctx_.report.notes.push_back(std::to_string(hidden_) + " rows of " + def_.name + " (" +
                                  def_.key + " " + some + ") are on the server outside what " +
                                  ctx_.access.who() + " may see; left as they are on both sides");
    }
    return std::move(p_);
  }

 private:
  struct Pending {
    std::string key;
    Record laptop;
    std::optional<std::string> basis;
  };

  void resolvePending() {
    if (pending_.empty()) return;
    std::vector<std::string> keys;
    for (const auto& p : pending_) keys.push_back(p.key);
    const std::set<std::string> there = ctx_.access.existing(def_, keys);
    for (const auto& p : pending_) {
      if (there.count(p.key)) {  // there, but not for this login: left alone on both sides
        if (hiddenKept_.size() < 5) hiddenKept_.push_back(p.key);
        ++hidden_;
        continue;  // the basis stays as it was
      }
      decide(p.key, &p.laptop, nullptr, p.basis ? &*p.basis : nullptr);
    }
    pending_.clear();
  }

  void setBasis(const std::string& key, const std::string* old,
                const std::optional<std::string>& now) {
    if ((old ? std::optional<std::string>(*old) : std::nullopt) != now) p_.basis.put(key, now);
  }

  void conflict(const std::string& key, const Record* l, const Record* s,
                std::vector<std::string> differences, std::optional<SyncSide> taken) {
    SyncConflict c;
    c.layer = def_.name;
    c.keyField = def_.key;
    c.key = key;
    c.laptopRow = l ? l->sourceRow : 0;
    c.serverRow = s ? s->sourceRow : 0;
    c.differences = std::move(differences);
    c.taken = taken;
    (taken ? ctx_.report.taken : ctx_.report.conflicts).push_back(std::move(c));
  }

  void note(const std::string& key, const std::string& what) {
    ctx_.report.notes.push_back(def_.name + " " + def_.key + " '" + key + "': " + what);
  }

  /// The side --take names for this row; a register row cannot be taken from the laptop (the
  /// registers are the server's), so that stays a conflict, saying so.
  std::optional<SyncSide> take(const std::string& key, std::vector<std::string>& d) const {
    const auto side = ctx_.options.takeFor(def_.name, key);
    if (side == SyncSide::Laptop && !upLayer_) {
      d.push_back("--take laptop does not apply: " + def_.name +
                  " is a register, whose rows only come down (--take server brings the "
                  "server's version down)");
      return std::nullopt;
    }
    return side;
  }

  void decide(const std::string& key, const Record* l, const Record* s, const std::string* b) {
    const std::string hl = l ? digest(def_, *l) : std::string(), hs = s ? digest(def_, *s) : "";
    const std::optional<std::string> keep = b ? std::optional(*b) : std::nullopt;
    std::optional<std::string> now;  // the basis after this sync; none: the key leaves it
    if (l && s) {
      if (hl == hs) {
        now = hl;
      } else if (b && *b == hs) {  // changed on the laptop only
        if (upLayer_) {
          p_.upChanged.emplace_back(s->sourceRow, copyOf(*l, importField_));
          now = hl;
        } else {
          note(key,
               "changed on the laptop; registers only come down, so the change stays on the "
               "laptop and the server's row is not brought down over it");
          now = keep;
        }
      } else if (b && *b == hl) {  // changed on the server only
        p_.downChanged.emplace_back(l->sourceRow, s->sourceRow);
        now = hs;
      } else {
        auto d = differencesOf(def_, *l, *s);
        if (b) d.insert(d.begin(), "changed on both sides since the last sync");
        const auto side = take(key, d);
        if (side == SyncSide::Server) {
          p_.downChanged.emplace_back(l->sourceRow, s->sourceRow);
          now = hs;
        } else if (side == SyncSide::Laptop) {
          p_.upChanged.emplace_back(s->sourceRow, copyOf(*l, importField_));
          now = hl;
        } else {
          now = keep;
        }
        conflict(key, l, s, std::move(d), side);
      }
    } else if (l) {  // not on the server
      if (!b) {
        if (upLayer_) {
          p_.upNew.records.push_back(copyOf(*l, importField_));
          now = hl;
        }
      } else if (*b == hl) {  // deleted on the server
        p_.downDeleted.emplace_back(l->sourceRow, key);
      } else {
        std::vector<std::string> d{
            "changed on the laptop and deleted on the server since the last sync; the laptop "
            "has " +
            valuesOf(def_, *l)};
        const auto side = take(key, d);
        if (side == SyncSide::Server) {
          p_.downDeleted.emplace_back(l->sourceRow, key);
        } else if (side == SyncSide::Laptop) {
          p_.upNew.records.push_back(copyOf(*l, importField_));
          now = hl;
        } else {
          now = keep;
        }
        conflict(key, l, nullptr, std::move(d), side);
      }
    } else if (s) {  // not on the laptop
      if (!b) {
        if (!upLayer_) {
          p_.downNew.push_back(s->sourceRow);
          now = hs;
        }
      } else if (*b == hs) {  // deleted on the laptop
        if (upLayer_) {
          p_.upDeleted.emplace_back(s->sourceRow, key);
        } else {
          note(key, "deleted on the laptop; registers only come down, so the server keeps it");
          now = keep;
        }
      } else {
        std::vector<std::string> d{
            "deleted on the laptop and changed on the server since the last sync; the server "
            "has " +
            valuesOf(def_, *s)};
        const auto side = take(key, d);
        if (side == SyncSide::Server) {
          p_.downNew.push_back(s->sourceRow);
          now = hs;
        } else if (side == SyncSide::Laptop) {
          p_.upDeleted.emplace_back(s->sourceRow, key);
        } else {
          now = keep;
        }
        conflict(key, nullptr, s, std::move(d), side);
      }
    }
    // Neither side has it any more (or the login sees neither): it leaves the basis.
    setBasis(key, b, now);
  }

  const LayerDef& def_;
  bool upLayer_;
  PlanContext& ctx_;
  bool partial_;
  int keyField_, importField_;
  LayerPlan p_;
  std::vector<Pending> pending_;
  std::vector<std::string> hiddenKept_;  ///< the first few, for the note
  std::size_t hidden_ = 0;
};

/// Walks the laptop's rows, the server's and the basis of one layer together in key order and
/// hands each key to `visit(key, laptopRow, serverRow, basis)`; `server` may be null (a layer
/// the login may not read). Throws when a side does not come in key order (a collation that
/// differs), rather than comparing wrongly.
template <class Visit>
void mergeByKey(const LayerDef& def, RowCursor& laptop, RowCursor* server, BasisCursor& basis,
                Visit&& visit) {
  const FieldType keyType = def.field(def.key)->type;
  const int keyField = def.fieldIndex(def.key);
  auto keyOfRow = [&](const Record* r) { return r ? keyOf(def, *r, keyField) : std::string(); };
  const Record* l = laptop.next();
  const Record* s = server ? server->next() : nullptr;
  const auto* b = basis.next();
  std::string lk = keyOfRow(l), sk = keyOfRow(s);
  auto advance = [&](auto&& cursorNext, auto& current, std::string& k, const char* side) {
    const std::string before = k;
    current = cursorNext();
    if (current) {
      if constexpr (std::is_same_v<std::decay_t<decltype(current)>, const Record*>)
        k = keyOfRow(current);
      else
        k = current->first;
      if (!keyLess(keyType, before, k))
        throw geo::Error(std::string("the rows of ") + def.name + " on " + side +
                         " do not come in the order of " + def.key + " ('" + before + "' before '" +
                         k + "'), so sync cannot compare them");
    }
  };
  std::string bk = b ? b->first : std::string();
  while (l || s || b) {
    const std::string* key = nullptr;
    for (const auto* k : {l ? &lk : nullptr, s ? &sk : nullptr, b ? &bk : nullptr})
      if (k && (!key || keyLess(keyType, *k, *key))) key = k;
    const std::string at = *key;
    const bool inL = l && lk == at, inS = s && sk == at, inB = b && bk == at;
    visit(at, inL ? l : nullptr, inS ? s : nullptr, inB ? &b->second : nullptr);
    if (inL) advance([&] { return laptop.next(); }, l, lk, "the laptop");
    if (inS) advance([&] { return server->next(); }, s, sk, "the server");
    if (inB) advance([&] { return basis.next(); }, b, bk, "the laptop (sync basis)");
  }
}

/// A layer the server's login may not read at all: nothing comes down and the laptop keeps it
/// as it is. For a layer whose rows go up, every row new, changed or deleted on the laptop since
/// the last sync would have to go up without the server's rows to compare with: refused.
LayerPlan planUnreadable(const LayerDef& def, bool upLayer, RowCursor& laptopRows,
                         BasisCursor& basis, PlanContext& ctx) {
  LayerPlan p;
  p.def = &def;
  ctx.report.unreadable.push_back(def.name);
  if (!upLayer) return p;
  const std::string where = ctx.laptopPath + " (" + def.name + ")";
  const std::string cannot =
      ", but " + ctx.access.who() + " may not read layer " + def.name + " on the server, so ";
  mergeByKey(def, laptopRows, nullptr, basis,
             [&](const std::string& key, const Record* l, const Record*, const std::string* b) {
               if (l && b && *b == digest(def, *l)) return;
               if (l)
                 ctx.refusals.push_back({{where, l->sourceRow, ""},
                                         def.key + " '" + key + "' is " + (b ? "changed" : "new") +
                                             " on the laptop" + cannot +
                                             "it cannot go up; sync with a login that may"});
               else
                 ctx.refusals.push_back({{where, std::nullopt, ""},
                                         def.key + " '" + key + "' was deleted on the laptop" +
                                             cannot + "the deletion cannot go up"});
             });
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
  ImportBatch b = batchFor(def, from.path());
  const int importField = def.fieldIndex("import_id");
  std::set<std::string> there;
  for (const auto& r : dst) there.insert(contentKey(def, r));
  for (const auto& r : src)
    if (!there.count(contentKey(def, r))) b.records.push_back(copyOf(r, importField));
  return b;
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
void applyDown(GDALDataset& ds, const LayerPlan& p, const std::string& laptopPath,
               RowSource& server) {
  const LayerDef& def = *p.def;
  if (p.downChanged.empty() && p.downDeleted.empty()) return;
  OGRLayer* layer = ds.GetLayerByName(def.name.c_str());
  if (!layer) throw geo::Error("the laptop's store has no layer '" + def.name + "'");
  const std::vector<int> idx = ogrFieldIndexes(*layer->GetLayerDefn(), def.fields);
  const int importField = def.fieldIndex("import_id");
  // The server's rows fetched again by fid, a few thousand at a time.
  constexpr std::size_t kChunk = 5000;
  for (std::size_t start = 0; start < p.downChanged.size(); start += kChunk) {
    const std::size_t end = std::min(p.downChanged.size(), start + kChunk);
    std::vector<std::int64_t> fids;
    for (std::size_t i = start; i < end; ++i) fids.push_back(p.downChanged[i].second);
    std::unordered_map<std::int64_t, Record> rows;
    for (auto& r : server.byFid(def, fids)) rows.emplace(r.sourceRow, std::move(r));
    for (std::size_t i = start; i < end; ++i) {
      const auto [fid, serverFid] = p.downChanged[i];
      const auto it = rows.find(serverFid);
      if (it == rows.end())
        throw geo::Error("the server's " + def.name + " row " + std::to_string(serverFid) +
                         " went away during the sync; nothing came down; sync again");
      const Record& rec = it->second;
      std::unique_ptr<OGRFeature> f(layer->GetFeature(fid));
      if (!f)
        throw geo::Error(laptopPath + ": " + def.name + " row " + std::to_string(fid) + " is gone");
      for (std::size_t k = 0; k < def.fields.size(); ++k)
        if (int(k) != importField && idx[k] >= 0)
          setOgrField(*f, idx[k], def.fields[k].type, valueAt(rec, k));
      if (def.geometry != GeometryKind::None)
        f->SetGeometryDirectly(
            rec.geometry ? geometryForLayer(*rec.geometry, def.geometry).release() : nullptr);
      geo::GdalErrorCapture capture;
      if (layer->SetFeature(f.get()) != OGRERR_NONE)
        throw ValidationError({{{laptopPath + " (" + def.name + ")", fid, ""},
                                "the laptop's store refused the server's change of " + def.key +
                                    " '" + keyOf(def, rec, def.fieldIndex(def.key)) +
                                    "': " + geo::lastGdalError() + "; nothing came down"}});
    }
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

/// Writes the new rows coming down into the laptop (inside its transaction), one import per
/// layer through the streaming BatchWriter: checked as an import (validateRecord, unique values,
/// references), the server's rows fetched by fid a few thousand at a time. A refusal names the
/// server's layer and row and throws, so the transaction rolls back.
void writeDownNew(GDALDataset& ds, const std::vector<LayerPlan>& plans,
                  const std::vector<ImportBatch>& byContent, RowSource& server,
                  const std::string& serverPath, geo::ProgressStep& step) {
  const std::string started = localNowIso();
  std::vector<std::unique_ptr<BatchWriter>> writers;
  std::vector<Problem> problems;
  std::size_t total = 0, done = 0;
  for (const auto& p : plans) total += p.downNew.size();
  for (const auto& b : byContent) total += b.records.size();
  auto write = [&](const LayerDef& def, std::vector<Record>& rows, BatchWriter& w,
                   std::int64_t& n) {
    const std::string where = serverPath + " (" + def.name + ")";
    const int importField = def.fieldIndex("import_id");
    for (auto& r : rows) {
      const std::int64_t serverRow = r.sourceRow;
      if (importField >= 0 && std::size_t(importField) < r.values.size())
        r.values[std::size_t(importField)] = Value{};
      std::vector<Problem> found;
      if (!validateRecord(def, r, where, found))
        for (auto& f : found) problems.push_back({{where, serverRow, f.where.field}, f.message});
      r.sourceRow = ++n;  // the laptop's fid is fidBase() + sourceRow
    }
    if (!problems.empty()) throw ValidationError(std::move(problems));
    for (const UniqueConflict& c : w.write(rows))
      problems.push_back({{where, std::nullopt, c.field},
                          c.field + " '" + *valueText(c.value) +
                              "' is already on the laptop (row " + std::to_string(c.otherFid) +
                              "); nothing came down"});
    if (!problems.empty()) throw ValidationError(std::move(problems));
    step.tick(done += rows.size(), total);
  };
  for (const auto& p : plans) {
    if (p.downNew.empty()) continue;
    const LayerDef& def = *p.def;
    ImportBatch info = batchFor(def, serverPath);
    writers.push_back(std::make_unique<BatchWriter>(ds, info, started));
    std::int64_t n = 0;
    constexpr std::size_t kChunk = 5000;
    for (std::size_t start = 0; start < p.downNew.size(); start += kChunk) {
      const std::span<const std::int64_t> fids(p.downNew.data() + start,
                                               std::min(p.downNew.size() - start, kChunk));
      std::vector<Record> rows = server.byFid(def, fids);
      if (rows.size() != fids.size())
        throw geo::Error("rows of the server's " + def.name +
                         " went away during the sync; nothing came down; sync again");
      write(def, rows, *writers.back(), n);
    }
    writers.back()->finish();
  }
  for (const auto& b : byContent) {
    const LayerDef& def = layerDef(b.layer);
    writers.push_back(std::make_unique<BatchWriter>(ds, b, started));
    std::vector<Record> rows;
    for (const auto& r : b.records) rows.push_back(copyOf(r, def.fieldIndex("import_id")));
    std::int64_t n = 0;
    write(def, rows, *writers.back(), n);
    writers.back()->finish();
  }
  for (const auto& w : writers)
    for (const MissingReference& m : w->missingReferences())
      problems.push_back({{serverPath, std::nullopt, m.field},
                          m.field + " '" + m.value + "' (laptop row " + std::to_string(m.fid) +
                              ") refers to a row the laptop does not have; nothing came down"});
  if (!problems.empty()) throw ValidationError(std::move(problems));
}

/// Applies one layer's basis changes to veldwacht_sync_basis (inside the laptop's transaction),
/// 500 keys per statement.
void writeBasis(GDALDataset& ds, LayerPlan& p, const std::string& serverName) {
  const std::string where = "server = " + pg::literal(serverName) +
                            " AND laag = " + pg::literal(p.def->name) + " AND sleutel IN (";
  std::string keys, rows;
  std::size_t n = 0;
  auto flush = [&] {
    if (!n) return;
    runLaptopSql(ds,
                 std::string("DELETE FROM ") + kSyncBasisTable + " WHERE " + where + keys + ")");
    if (!rows.empty())
      runLaptopSql(ds, std::string("INSERT INTO ") + kSyncBasisTable +
                           " (server, laag, sleutel, inhoud) VALUES " + rows);
    keys.clear();
    rows.clear();
    n = 0;
  };
  p.basis.forEach([&](const std::string& key, const std::string& digest) {
    keys += (n ? ", " : "") + pg::literal(key);
    if (!digest.empty())
      rows += std::string(rows.empty() ? "" : ", ") + "(" + pg::literal(serverName) + ", " +
              pg::literal(p.def->name) + ", " + pg::literal(key) + ", " + pg::literal(digest) + ")";
    if (++n == 500) flush();
  });
  flush();
}

/// Writes `p`'s changes and deletions going up on the server connection (inside append's
/// transaction). A refusal names the laptop's row.
void applyUp(pg::Connection& c, const LayerPlan& p, const std::string& laptopPath) {
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
      throw ValidationError({{{laptopPath + " (" + def.name + ")", std::nullopt, ""},
                              def.key + " '" + key +
                                  "' was deleted on the laptop, but the server cannot delete it (" +
                                  refused + "); nothing went up"}});
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
  const auto laptopRows = rowSource(laptop), serverRows = rowSource(server);

  // Compare: every keyed layer three-way, streamed (both stores and the basis in key order,
  // merged), the key-less ones by content (new rows down); what the server's login may not
  // read or write decided here, before anything is written.
  ServerAccess access(server);
  std::vector<Problem> refusals;
  PlanContext ctx{options, access, report, refusals, laptop.path()};
  std::vector<LayerPlan> plans;
  std::vector<ImportBatch> downByContent;
  {
    geo::ProgressStep step(progress, 0.0, 0.4, "comparing");
    std::size_t done = 0;
    for (const auto& def : layers) {
      step.tick(done++, layers.size());
      const LayerAccess& a = access.of(def.name);  // asked before a cursor holds the connection
      if (def.key.empty()) {
        if (isUp(def.name)) continue;
        if (!a.read) {
          report.unreadable.push_back(def.name);
          continue;
        }
        ImportBatch b = newRowsByContent(def, server, laptop);
        if (!b.records.empty()) downByContent.push_back(std::move(b));
        continue;
      }
      BasisCursor basis(laptop, kSyncBasisTable, serverName, def);
      const auto lap = laptopRows->ordered(def);
      if (!a.read) {
        plans.push_back(planUnreadable(def, isUp(def.name), *lap, basis, ctx));
        continue;
      }
      LayerPlanner planner(def, isUp(def.name), laptop, ctx);
      {
        const auto srv = serverRows->ordered(def);
        mergeByKey(def, *lap, srv.get(), basis,
                   [&](const std::string& key, const Record* l, const Record* s,
                       const std::string* b) { planner.visit(key, l, s, b); });
      }
      plans.push_back(planner.finish());
    }
    refuseUnwritable(plans, ctx);
    if (!refusals.empty()) throw ValidationError(std::move(refusals));
  }
  for (const auto& p : plans) {
    const std::string& n = p.def->name;
    if (!p.upNew.records.empty()) report.up[n] = std::int64_t(p.upNew.records.size());
    if (!p.downNew.empty()) report.down[n] = std::int64_t(p.downNew.size());
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
          applyUp(c, *it, laptop.path());
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
    // Down: the new rows, the changes, the deletions and the new basis in ONE transaction of
    // the laptop, the server's rows fetched by fid while they are written.
    {
      geo::ProgressStep step(progress, 0.6, 0.8, "down");
      laptop.executeSql(std::string("CREATE TABLE IF NOT EXISTS ") + kSyncBasisTable +
                        " (server TEXT NOT NULL, laag TEXT NOT NULL, sleutel TEXT NOT NULL, "
                        "inhoud TEXT NOT NULL, PRIMARY KEY (server, laag, sleutel))");
      laptop.transaction([&](GDALDataset& ds) {
        writeDownNew(ds, plans, downByContent, *serverRows, server.path(), step);
        for (auto it = plans.rbegin(); it != plans.rend(); ++it)
          applyDown(ds, *it, laptop.path(), *serverRows);
        for (auto& p : plans) writeBasis(ds, p, serverName);
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
