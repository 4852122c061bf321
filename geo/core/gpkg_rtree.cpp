#include "geo/core/gpkg_rtree.h"

#include <ogr_geometry.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "geo/core/error.h"
#include "geo/core/gdal.h"
#include "geo/core/memory.h"

namespace veldwacht::geo {

void GpkgRtreeOptions::validate() const {
  if (!(fillFactor > 0.0 && fillFactor <= 1.0))
    throw OptionError("fillFactor", "must be in (0, 1], got " + std::to_string(fillFactor));
}

namespace {

// --- SQLite helpers ---------------------------------------------------------------------------

[[noreturn]] void throwSqlite(sqlite3* db, const std::string& what) {
  throw LibraryError("SQLite: " + what + ": " + sqlite3_errmsg(db));
}

void exec(sqlite3* db, const std::string& sql) {
  char* rawErr = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &rawErr);
  const std::unique_ptr<char, void (*)(void*)> err(rawErr, sqlite3_free);
  if (rc != SQLITE_OK)
    throw LibraryError("SQLite: " + std::string(err ? err.get() : "unknown error") +
                       " in: " + sql.substr(0, 200));
}

class Stmt {
 public:
  Stmt(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK)
      throwSqlite(db, "prepare '" + sql.substr(0, 200) + "'");
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  sqlite3_stmt* get() const { return stmt_; }
  /// SQLITE_ROW -> true, SQLITE_DONE -> false, else throws.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throwSqlite(db_, "step");
  }
  void run() {
    step();
    sqlite3_reset(stmt_);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

std::string quoteIdent(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

// --- GeoPackage geometry blob ------------------------------------------------------------------

double readDouble(const unsigned char* p, bool littleEndian) {
  std::uint64_t u;
  std::memcpy(&u, p, 8);
  if (littleEndian != (std::endian::native == std::endian::little)) u = __builtin_bswap64(u);
  return std::bit_cast<double>(u);
}

std::uint32_t readUint32(const unsigned char* p, bool littleEndian) {
  std::uint32_t u;
  std::memcpy(&u, p, 4);
  if (littleEndian != (std::endian::native == std::endian::little)) u = __builtin_bswap32(u);
  return u;
}

struct Envelope {
  double minx, maxx, miny, maxy;
};

/// Envelope of a GeoPackage geometry blob (GeoPackage 1.2 §2.1.3): "GP", version, flags
/// (bit 0 byte order, bits 1-3 envelope code, bit 4 empty), srs_id, envelope, ISO WKB.
/// Uses the header envelope when present (as GDAL's ST_MinX), else parses a point directly and
/// anything else through OGR. Returns false for an empty geometry.
bool envelopeOf(const unsigned char* blob, int size, std::int64_t fid, Envelope& env) {
  const auto bad = [&](const std::string& why) {
    return InputError({"", fid, ""}, "invalid GeoPackage geometry blob: " + why);
  };
  if (size < 8 || blob[0] != 'G' || blob[1] != 'P') throw bad("no 'GP' magic");
  const unsigned flags = blob[3];
  const bool le = flags & 1u;
  const unsigned envCode = (flags >> 1) & 7u;
  static constexpr int kEnvBytes[] = {0, 32, 48, 48, 64};
  if (envCode > 4) throw bad("envelope code " + std::to_string(envCode));
  const int wkbOffset = 8 + kEnvBytes[envCode];
  if (size < wkbOffset) throw bad("truncated header");
  if (flags & 0x10u) return false;  // empty geometry flag
  if (envCode > 0) {
    env = {readDouble(blob + 8, le), readDouble(blob + 16, le), readDouble(blob + 24, le),
           readDouble(blob + 32, le)};
    return !(std::isnan(env.minx) || std::isnan(env.miny));
  }
  const unsigned char* wkb = blob + wkbOffset;
  const int wkbSize = size - wkbOffset;
  if (wkbSize >= 21) {
    const bool wle = wkb[0] == 1;
    const std::uint32_t type = readUint32(wkb + 1, wle);
    if (type % 1000 == 1 && type < 4000) {  // ISO Point, PointZ, PointM, PointZM
      const double x = readDouble(wkb + 5, wle), y = readDouble(wkb + 13, wle);
      if (std::isnan(x) || std::isnan(y)) return false;
      env = {x, x, y, y};
      return true;
    }
  }
  OGRGeometry* raw = nullptr;
  if (OGRGeometryFactory::createFromWkb(wkb, nullptr, &raw, wkbSize) != OGRERR_NONE || !raw)
    throw bad("unreadable WKB");
  GeometryPtr g(raw);
  if (g->IsEmpty()) return false;
  OGREnvelope e;
  g->getEnvelope(&e);
  env = {e.MinX, e.MaxX, e.MinY, e.MaxY};
  return true;
}

// --- SQLite rtree node format (ext/rtree/rtree.c) -----------------------------------------------

// rtree.c stores coordinates as float32 and rounds the box outwards so that it always contains
// the double box: these copy rtreeValueDown / rtreeValueUp exactly.
constexpr double kRndTowards = 1.0 - 1.0 / 8388608.0;
constexpr double kRndAway = 1.0 + 1.0 / 8388608.0;
float valueDown(double d) {
  float f = static_cast<float>(d);
  if (f > d) f = static_cast<float>(d * (d < 0 ? kRndAway : kRndTowards));
  return f;
}
float valueUp(double d) {
  float f = static_cast<float>(d);
  if (f < d) f = static_cast<float>(d * (d < 0 ? kRndTowards : kRndAway));
  return f;
}

/// An entry of any level: `fid` is the rowid at the leaf level, else the index of the child
/// group one level down.
using Entry = GpkgRtreeEntry;

constexpr int kBytesPerCell = 8 + 4 * 4;  // rowid + 2 dimensions x (min, max) as float32
constexpr int kMaxDepth = 40;             // RTREE_MAX_DEPTH
constexpr std::size_t kPairsPerInsert =
    256;  // (key, value) rows per INSERT of the _rowid/_parent maps

void putBe16(unsigned char* p, unsigned v) {
  p[0] = static_cast<unsigned char>(v >> 8);
  p[1] = static_cast<unsigned char>(v);
}
void putBe64(unsigned char* p, std::uint64_t v) {
  for (int i = 7; i >= 0; --i, v >>= 8) p[i] = static_cast<unsigned char>(v);
}
void putBeFloat(unsigned char* p, float f) {
  const auto u = std::bit_cast<std::uint32_t>(f);
  p[0] = static_cast<unsigned char>(u >> 24);
  p[1] = static_cast<unsigned char>(u >> 16);
  p[2] = static_cast<unsigned char>(u >> 8);
  p[3] = static_cast<unsigned char>(u);
}

/// One level of the packed tree: its entries, reordered so that group g (one node) is
/// entries[start[g], start[g+1]).
struct Level {
  std::vector<Entry> entries;
  std::vector<std::size_t> start;
  std::size_t groups() const { return start.size() - 1; }
};

double centerX(const Entry& e) { return double(e.minx) + double(e.maxx); }
double centerY(const Entry& e) { return double(e.miny) + double(e.maxy); }

/// STR's orders: by the centre's x (slices), then y (within a slice); fid breaks ties, so the
/// order is total and a merge of sorted runs gives exactly what one sort gives.
bool xLess(const Entry& a, const Entry& b) {
  return centerX(a) < centerX(b) || (centerX(a) == centerX(b) && a.fid < b.fid);
}
bool yLess(const Entry& a, const Entry& b) {
  return centerY(a) < centerY(b) || (centerY(a) == centerY(b) && a.fid < b.fid);
}

/// An unsigned key whose order is the order of the double `d` (not NaN); -0.0 and 0.0 get one
/// key, as they compare equal.
std::uint64_t orderKey(double d) {
  if (d == 0) d = 0;
  const auto u = std::bit_cast<std::uint64_t>(d);
  return (u >> 63) ? ~u : u | (std::uint64_t(1) << 63);
}

/// Sorts `es` exactly as std::sort with xLess (`byY` false) or yLess (true) does: by the
/// centre, ties by fid. In place, without extra memory: the entries are first distributed into
/// up to 4096 buckets by the leading bits in which their centres differ (an American flag
/// sort's pass: counts, then cycles of swaps), in key order; each bucket is then sorted the
/// same way when large, else by std::sort with the comparator. Buckets only ever separate
/// entries whose centres differ, so the order is the comparator's. STR's comparison sorts of a
/// million entries were most of the packing time; this takes a fraction of it.
void sortByCentre(std::span<Entry> es, bool byY) {
  const auto less = byY ? yLess : xLess;
  constexpr std::size_t kSmall = 2048;
  if (es.size() < kSmall) {
    std::sort(es.begin(), es.end(), less);
    return;
  }
  const auto key = [byY](const Entry& e) { return orderKey(byY ? centerY(e) : centerX(e)); };
  std::uint64_t lo = ~std::uint64_t(0), hi = 0;
  for (const Entry& e : es) {
    if (std::isnan(byY ? centerY(e) : centerX(e))) {
      std::sort(es.begin(), es.end(), less);
      return;
    }
    const std::uint64_t k = key(e);
    lo = std::min(lo, k);
    hi = std::max(hi, k);
  }
  if (lo == hi) {  // one centre: the fids decide
    std::sort(es.begin(), es.end(), less);
    return;
  }
  constexpr int kBits = 12;
  constexpr std::size_t kBuckets = std::size_t(1) << kBits;
  const int shift = std::max(0, int(std::bit_width(hi - lo)) - kBits);
  const auto bucket = [&](const Entry& e) { return std::size_t((key(e) - lo) >> shift); };
  std::vector<std::size_t> start(kBuckets + 1, 0);
  for (const Entry& e : es) ++start[bucket(e) + 1];
  for (std::size_t b = 0; b < kBuckets; ++b) start[b + 1] += start[b];
  std::vector<std::size_t> next(start.begin(), start.end() - 1);
  for (std::size_t b = 0; b < kBuckets; ++b) {
    while (next[b] < start[b + 1]) {
      Entry& e = es[next[b]];
      const std::size_t target = bucket(e);
      if (target == b)
        ++next[b];
      else
        std::swap(e, es[next[target]++]);
    }
  }
  for (std::size_t b = 0; b < kBuckets; ++b)
    if (start[b + 1] > start[b] + 1)
      sortByCentre(es.subspan(start[b], start[b + 1] - start[b]), byY);
}

/// Entries per x slice when STR groups `n` entries into nodes of at most m.
std::size_t strSliceSize(std::size_t n, std::size_t m) {
  const std::size_t pages = (n + m - 1) / m;
  return static_cast<std::size_t>(std::ceil(std::sqrt(double(pages)))) * m;
}

/// Number of nodes strGroup makes of `n` entries.
std::size_t strGroups(std::size_t n, std::size_t m) {
  const std::size_t sliceSize = strSliceSize(n, m);
  std::size_t groups = 0;
  for (std::size_t s = 0; s < n; s += sliceSize)
    groups += (std::min(n, s + sliceSize) - s + m - 1) / m;
  return groups;
}

/// Sort-Tile-Recursive grouping of one level into nodes of at most m entries.
void strGroup(Level& level, std::size_t m) {
  auto& es = level.entries;
  const std::size_t n = es.size();
  const std::size_t sliceSize = strSliceSize(n, m);
  sortByCentre(es, false);
  level.start.assign(1, 0);
  for (std::size_t s = 0; s < n; s += sliceSize) {
    const std::size_t e = std::min(n, s + sliceSize);
    sortByCentre(std::span<Entry>(es).subspan(s, e - s), true);
    for (std::size_t g = s + m; g < e; g += m) level.start.push_back(g);
    level.start.push_back(e);
  }
}

/// The union of the boxes of [begin, end), as the entry `id` one level up.
Entry unionOf(std::int64_t id, const Entry* begin, const Entry* end) {
  Entry b = *begin;
  b.fid = id;
  for (const Entry* e = begin + 1; e != end; ++e) {
    b.minx = std::min(b.minx, e->minx);
    b.maxx = std::max(b.maxx, e->maxx);
    b.miny = std::min(b.miny, e->miny);
    b.maxy = std::max(b.maxy, e->maxy);
  }
  return b;
}

// Groups the top level's entries into parents, level on level, until they fit in the root,
// and makes the last level the root.
void groupUpToTheRoot(std::vector<Level>& levels, std::size_t capacity, std::size_t m,
                      Progress& progress) {
  while (levels.back().entries.size() > capacity) {
    progress.checkCancelled();
    Level& lv = levels.back();
    strGroup(lv, m);
    Level up;
    up.entries.reserve(lv.groups());
    for (std::size_t gi = 0; gi < lv.groups(); ++gi)
      up.entries.push_back(unionOf(std::int64_t(gi), lv.entries.data() + lv.start[gi],
                                   lv.entries.data() + lv.start[gi + 1]));
    levels.push_back(std::move(up));  // lv is not used after this
  }
  levels.back().start = {0, levels.back().entries.size()};
}

std::string fidColumnOf(sqlite3* db, const std::string& table) {
  Stmt info(db, "PRAGMA table_info(" + quoteIdent(table) + ")");
  std::string fid;
  int pkCount = 0;
  while (info.step()) {
    if (sqlite3_column_int(info.get(), 5) > 0) {
      ++pkCount;
      const auto* type = reinterpret_cast<const char*>(sqlite3_column_text(info.get(), 2));
      if (type && sqlite3_stricmp(type, "INTEGER") == 0)
        fid = reinterpret_cast<const char*>(sqlite3_column_text(info.get(), 1));
    }
  }
  if (pkCount != 1 || fid.empty())
    throw InputError({table, {}, ""}, "feature table has no INTEGER PRIMARY KEY column");
  return fid;
}

void createTriggers(sqlite3* db, const std::string& t, const std::string& g, const std::string& i,
                    const std::string& rtree) {
  // The exact trigger SQL GDAL 3.6.2 writes (ogrgeopackagetablelayer.cpp,
  // ReturnSQLCreateSpatialIndexTriggers; GeoPackage 1.2 annex "gpkg_rtree_index"), read back
  // from a file GDAL created, so GDAL and QGIS treat the index as their own.
  const std::string T = quoteIdent(t), G = quoteIdent(g), I = quoteIdent(i), R = quoteIdent(rtree);
  const std::string insertValues = "INSERT OR REPLACE INTO " + R + " VALUES (NEW." + I +
                                   ",ST_MinX(NEW." + G + "), ST_MaxX(NEW." + G + "),ST_MinY(NEW." +
                                   G + "), ST_MaxY(NEW." + G + ")); ";
  const auto name = [&](const std::string& suffix) { return quoteIdent(rtree + "_" + suffix); };
  exec(db, "CREATE TRIGGER " + name("insert") + " AFTER INSERT ON " + T + " WHEN (new." + G +
               " NOT NULL AND NOT ST_IsEmpty(NEW." + G + ")) BEGIN " + insertValues + "END");
  exec(db, "CREATE TRIGGER " + name("update1") + " AFTER UPDATE OF " + G + " ON " + T +
               " WHEN OLD." + I + " = NEW." + I + " AND (NEW." + G +
               " NOTNULL AND NOT ST_IsEmpty(NEW." + G + ")) BEGIN " + insertValues + "END");
  exec(db, "CREATE TRIGGER " + name("update2") + " AFTER UPDATE OF " + G + " ON " + T +
               " WHEN OLD." + I + " = NEW." + I + " AND (NEW." + G + " ISNULL OR ST_IsEmpty(NEW." +
               G + ")) BEGIN DELETE FROM " + R + " WHERE id = OLD." + I + "; END");
  exec(db, "CREATE TRIGGER " + name("update3") + " AFTER UPDATE ON " + T + " WHEN OLD." + I +
               " != NEW." + I + " AND (NEW." + G + " NOTNULL AND NOT ST_IsEmpty(NEW." + G +
               ")) BEGIN DELETE FROM " + R + " WHERE id = OLD." + I + "; " + insertValues + "END");
  exec(db, "CREATE TRIGGER " + name("update4") + " AFTER UPDATE ON " + T + " WHEN OLD." + I +
               " != NEW." + I + " AND (NEW." + G + " ISNULL OR ST_IsEmpty(NEW." + G +
               ")) BEGIN DELETE FROM " + R + " WHERE id IN (OLD." + I + ", NEW." + I + "); END");
  exec(db, "CREATE TRIGGER " + name("delete") + " AFTER DELETE ON " + T + " WHEN old." + G +
               " NOT NULL BEGIN DELETE FROM " + R + " WHERE id = OLD." + I + "; END");
}

void registerExtension(sqlite3* db, const std::string& t, const std::string& g) {
  exec(db,
       "CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT,column_name TEXT,"
       "extension_name TEXT NOT NULL,definition TEXT NOT NULL,scope TEXT NOT NULL,"
       "CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))");
  Stmt ins(db,
           "INSERT INTO gpkg_extensions (table_name,column_name,extension_name,definition,scope) "
           "VALUES (?,?,'gpkg_rtree_index','http://www.geopackage.org/spec120/#extension_rtree',"
           "'write-only')");
  sqlite3_bind_text(ins.get(), 1, t.c_str(), -1, SQLITE_STATIC);
  sqlite3_bind_text(ins.get(), 2, g.c_str(), -1, SQLITE_STATIC);
  ins.run();
}

/// The slow path: one INSERT per entry (the float boxes rtree.c would round to anyway).
void plainInserts(sqlite3* db, const std::string& rtree, const std::vector<Entry>& rows,
                  ProgressStep& step) {
  Stmt ins(db, "INSERT INTO " + quoteIdent(rtree) + " VALUES (?,?,?,?,?)");
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const Entry& r = rows[k];
    sqlite3_bind_int64(ins.get(), 1, r.fid);
    sqlite3_bind_double(ins.get(), 2, double(r.minx));
    sqlite3_bind_double(ins.get(), 3, double(r.maxx));
    sqlite3_bind_double(ins.get(), 4, double(r.miny));
    sqlite3_bind_double(ins.get(), 5, double(r.maxy));
    ins.run();
    step.tick(k + 1, rows.size());
  }
}

/// (key, value) rows for an rtree _rowid or _parent table, kPairsPerInsert per INSERT.
class PairWriter {
 public:
  PairWriter(sqlite3* db, const std::string& table, const char* columns)
      : one_(db, "INSERT INTO " + quoteIdent(table) + " " + columns + " VALUES (?,?)"),
        batch_(db, batchSql(table, columns)) {}
  void add(std::int64_t key, std::int64_t value) {
    pending_.emplace_back(key, value);
    if (pending_.size() < kPairsPerInsert) return;
    for (std::size_t k = 0; k < kPairsPerInsert; ++k) {
      sqlite3_bind_int64(batch_.get(), int(2 * k + 1), pending_[k].first);
      sqlite3_bind_int64(batch_.get(), int(2 * k + 2), pending_[k].second);
    }
    batch_.run();
    pending_.clear();
  }
  void finish() {
    for (const auto& [key, value] : pending_) {
      sqlite3_bind_int64(one_.get(), 1, key);
      sqlite3_bind_int64(one_.get(), 2, value);
      one_.run();
    }
    pending_.clear();
  }

 private:
  static std::string batchSql(const std::string& table, const char* columns) {
    std::string sql = "INSERT INTO " + quoteIdent(table) + " " + columns + " VALUES (?,?)";
    for (std::size_t k = 1; k < kPairsPerInsert; ++k) sql += ",(?,?)";
    return sql;
  }
  Stmt one_, batch_;
  std::vector<std::pair<std::int64_t, std::int64_t>> pending_;
};

/// The _rowid map (fid -> leaf node), written in fid order: a leaf number per fid in an array
/// over the fid range when the fids are dense, as a table's usually are (no sort of a million
/// pairs), else (fid, node) pairs sorted before writing.
class RowidMap {
 public:
  /// `n` entries with fids in [minFid, maxFid]; every leaf node number <= `maxNode`.
  RowidMap(std::int64_t minFid, std::int64_t maxFid, std::size_t n, std::int64_t maxNode)
      : minFid_(minFid) {
    const std::uint64_t span = n == 0 ? 0 : std::uint64_t(maxFid - minFid) + 1;
    dense_ = n > 0 && span <= 4 * std::uint64_t(n) + (1u << 20) && maxNode < kNone;
    if (dense_)
      assignLarge(leafOf_, std::size_t(span), kNone);
    else
      reserveLarge(pairs_, n);
  }
  void add(std::int64_t fid, std::int64_t node) {
    if (dense_)
      leafOf_[std::size_t(fid - minFid_)] = std::uint32_t(node);
    else
      pairs_.emplace_back(fid, node);
  }
  /// Writes the map in fid order, calling `tick()` once per row.
  template <typename Tick>
  void write(sqlite3* db, const std::string& rtree, const Tick& tick) {
    PairWriter rowid(db, rtree + "_rowid", "(rowid, nodeno)");
    if (dense_) {
      for (std::size_t i = 0; i < leafOf_.size(); ++i) {
        if (leafOf_[i] == kNone) continue;
        rowid.add(minFid_ + std::int64_t(i), leafOf_[i]);
        tick();
      }
    } else {
      std::sort(pairs_.begin(), pairs_.end());
      for (const auto& [fid, node] : pairs_) {
        rowid.add(fid, node);
        tick();
      }
    }
    rowid.finish();
    std::vector<std::uint32_t>().swap(leafOf_);
    std::vector<std::pair<std::int64_t, std::int64_t>>().swap(pairs_);
  }

 private:
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
  std::int64_t minFid_;
  bool dense_ = false;
  std::vector<std::uint32_t> leafOf_;
  std::vector<std::pair<std::int64_t, std::int64_t>> pairs_;
};

/// One node blob as rtree.c writes it: depth (root only), cell count, cells.
template <typename IdOf>
void fillNode(std::vector<unsigned char>& blob, bool root, int depth, const Entry* begin,
              const Entry* end, const IdOf& idOf) {
  std::fill(blob.begin(), blob.end(), 0);
  if (root) putBe16(blob.data(), unsigned(depth));
  putBe16(blob.data() + 2, unsigned(end - begin));
  unsigned char* cell = blob.data() + 4;
  for (const Entry* e = begin; e != end; ++e, cell += kBytesPerCell) {
    putBe64(cell, std::uint64_t(idOf(*e)));
    putBeFloat(cell + 8, e->minx);
    putBeFloat(cell + 12, e->maxx);
    putBeFloat(cell + 16, e->miny);
    putBeFloat(cell + 20, e->maxy);
  }
}

/// Writes node blobs into an rtree's _node table: the root (node 1, which creating the rtree
/// made) is updated, every other node inserted.
class NodeWriter {
 public:
  NodeWriter(sqlite3* db, const std::string& rtree)
      : root_(db, "UPDATE " + quoteIdent(rtree + "_node") + " SET data = ? WHERE nodeno = 1"),
        node_(db, "INSERT INTO " + quoteIdent(rtree + "_node") + " (nodeno, data) VALUES (?,?)") {}
  void write(std::int64_t self, const std::vector<unsigned char>& blob) {
    Stmt& out = self == 1 ? root_ : node_;
    if (self == 1) {
      sqlite3_bind_blob(out.get(), 1, blob.data(), int(blob.size()), SQLITE_STATIC);
    } else {
      sqlite3_bind_int64(out.get(), 1, self);
      sqlite3_bind_blob(out.get(), 2, blob.data(), int(blob.size()), SQLITE_STATIC);
    }
    out.run();
  }

 private:
  Stmt root_, node_;
};

/// Packs the leaf entries `rows` with STR and writes node 1 (root), the other nodes, _rowid and
/// _parent. `rows` is consumed.
void bulkWrite(sqlite3* db, const std::string& rtree, std::vector<Entry>&& rows,
               std::size_t nodeSize, double fillFactor, Progress& progress,
               GpkgRtreeResult& result) {
  const std::size_t capacity = (nodeSize - 4) / kBytesPerCell;
  const std::size_t m =
      std::clamp<std::size_t>(std::size_t(double(capacity) * fillFactor), 2, capacity);

  ProgressStep pack(progress, 0.0, 0.2, "packing");
  std::vector<Level> levels(1);
  const std::size_t leafCount = rows.size();
  std::int64_t minFid = rows.empty() ? 0 : rows.front().fid, maxFid = minFid;
  for (const Entry& e : rows) {
    minFid = std::min(minFid, e.fid);
    maxFid = std::max(maxFid, e.fid);
  }
  levels[0].entries = std::move(rows);
  groupUpToTheRoot(levels, capacity, m, progress);
  const int depth = int(levels.size()) - 1;
  if (depth > kMaxDepth) throw LibraryError("rtree would exceed SQLite's maximum depth");
  pack.done();

  // Node numbers: the root is 1 (rtree.c), then level by level from the top.
  std::vector<std::vector<std::int64_t>> nodeNo(levels.size());
  std::int64_t next = 2;
  nodeNo.back() = {1};
  for (int l = depth - 1; l >= 0; --l) {
    nodeNo[std::size_t(l)].resize(levels[std::size_t(l)].groups());
    for (auto& no : nodeNo[std::size_t(l)]) no = next++;
  }
  result.nodes = next - 1;
  result.depth = depth;

  ProgressStep write(progress, 0.2, 1.0, "writing index");
  NodeWriter nodes(db, rtree);
  std::vector<unsigned char> blob(nodeSize);
  // (rowid, leaf) and (child, parent) pairs, written after the nodes in key order: inserting
  // them in STR order would touch B-tree pages at random and spill SQLite's page cache.
  RowidMap rowidMap(minFid, maxFid, leafCount, result.nodes);
  std::vector<std::pair<std::int64_t, std::int64_t>> parentMap;
  const std::size_t total = std::size_t(result.nodes) + leafCount;
  std::size_t written = 0;
  for (int l = depth; l >= 0; --l) {
    const Level& lv = levels[std::size_t(l)];
    const auto childNo = [&](const Entry& e) {
      return l == 0 ? e.fid : nodeNo[std::size_t(l) - 1][std::size_t(e.fid)];
    };
    for (std::size_t gi = 0; gi < lv.groups(); ++gi) {
      const std::int64_t self = nodeNo[std::size_t(l)][gi];
      const Entry* b = lv.entries.data() + lv.start[gi];
      const Entry* e = lv.entries.data() + lv.start[gi + 1];
      fillNode(blob, self == 1, depth, b, e, childNo);
      nodes.write(self, blob);
      for (const Entry* c = b; c != e; ++c) {
        if (l == 0)
          rowidMap.add(c->fid, self);
        else
          parentMap.emplace_back(childNo(*c), self);
      }
      write.tick(++written, total);
    }
  }
  std::vector<Level>().swap(levels);  // the maps below are all that is left to write
  // The (key, value) maps go in kPairsPerInsert rows per INSERT (the leaf map has a row per
  // entry: one statement per row was most of the index's time).
  std::sort(parentMap.begin(), parentMap.end());
  PairWriter parent(db, rtree + "_parent", "(nodeno, parentnode)");
  for (const auto& [child, self] : parentMap) parent.add(child, self);
  parent.finish();
  // tick() reports (and checks cancel) at its own stride
  rowidMap.write(db, rtree, [&] { write.tick(++written, total); });
  write.done();
}

/// Checks that `table`.`geomColumn` is a feature table's geometry column without an index yet;
/// returns the table's fid column.
std::string checkTable(sqlite3* db, const std::string& table, const std::string& geomColumn,
                       const std::string& rtree) {
  {
    Stmt q(db,
           "SELECT 1 FROM gpkg_geometry_columns WHERE lower(table_name) = lower(?) AND "
           "lower(column_name) = lower(?)");
    sqlite3_bind_text(q.get(), 1, table.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(q.get(), 2, geomColumn.c_str(), -1, SQLITE_STATIC);
    if (!q.step())
      throw InputError({table, {}, geomColumn}, "not a geometry column in gpkg_geometry_columns");
  }
  {
    Stmt q(db, "SELECT 1 FROM sqlite_master WHERE lower(name) = lower(?)");
    sqlite3_bind_text(q.get(), 1, rtree.c_str(), -1, SQLITE_STATIC);
    if (q.step()) throw InputError({table, {}, geomColumn}, "already has a spatial index");
  }
  return fidColumnOf(db, table);
}

/// The leaf entries of every non-empty geometry of the table, read back from SQLite.
std::vector<Entry> readEntries(sqlite3* db, const std::string& table, const std::string& geomColumn,
                               const std::string& fid, Progress& progress,
                               GpkgRtreeResult& result) {
  std::int64_t count = 0;
  {
    Stmt q(db, "SELECT count(*) FROM " + quoteIdent(table));
    q.step();
    count = sqlite3_column_int64(q.get(), 0);
  }
  std::vector<Entry> rows;
  rows.reserve(std::size_t(count));
  ProgressStep step(progress, 0.0, 1.0, "reading geometries");
  Stmt q(db, "SELECT " + quoteIdent(fid) + ", " + quoteIdent(geomColumn) + " FROM " +
                 quoteIdent(table));
  std::size_t k = 0;
  while (q.step()) {
    const std::int64_t id = sqlite3_column_int64(q.get(), 0);
    const auto* blob = static_cast<const unsigned char*>(sqlite3_column_blob(q.get(), 1));
    const int size = sqlite3_column_bytes(q.get(), 1);
    Envelope env{};
    if (blob == nullptr || !envelopeOf(blob, size, id, env)) {
      ++result.skippedEmpty;
    } else {
      if (!(env.minx <= env.maxx && env.miny <= env.maxy))
        throw InputError({table, id, geomColumn}, "envelope with min > max or NaN");
      rows.push_back(Entry::of(id, env.minx, env.maxx, env.miny, env.maxy));
    }
    step.tick(++k, std::size_t(std::max<std::int64_t>(count, 1)));
  }
  return rows;
}

/// Creates the rtree virtual table, fills it from `rows` (consumed), adds GDAL's triggers and
/// the extension row.
void writeIndex(sqlite3* db, const std::string& table, const std::string& geomColumn,
                const std::string& fid, const std::string& rtree, std::vector<Entry>&& rows,
                Progress& progress, const GpkgRtreeOptions& options, GpkgRtreeResult& result) {
  result.indexed = std::int64_t(rows.size());
  exec(db,
       "CREATE VIRTUAL TABLE " + quoteIdent(rtree) + " USING rtree(id, minx, maxx, miny, maxy)");
  // rtree.c chose its node size from the page size on creation and wrote an empty root of
  // exactly that size; every node blob must have that length.
  std::size_t nodeSize = 0;
  {
    Stmt q(db, "SELECT length(data) FROM " + quoteIdent(rtree + "_node") + " WHERE nodeno = 1");
    if (q.step()) nodeSize = std::size_t(sqlite3_column_int64(q.get(), 0));
  }
  if (options.forcePlainInserts) {
    result.fallbackReason = "plain inserts requested";
  } else if (nodeSize < 4 + 3 * kBytesPerCell) {
    result.fallbackReason = "unexpected rtree node size " + std::to_string(nodeSize);
  } else if (rows.empty()) {
    result.fallbackReason = "no non-empty geometries: the empty index is already complete";
  }
  if (result.fallbackReason.empty()) {
    result.bulk = true;
    bulkWrite(db, rtree, std::move(rows), nodeSize, options.fillFactor, progress, result);
  } else {
    ProgressStep step(progress, 0.0, 1.0, "writing index");
    plainInserts(db, rtree, rows, step);
  }
  createTriggers(db, table, geomColumn, fid, rtree);
  registerExtension(db, table, geomColumn);
}

GpkgRtreeResult build(sqlite3* db, const std::string& table, const std::string& geomColumn,
                      Progress& progress, const GpkgRtreeOptions& options) {
  GpkgRtreeResult result;
  const std::string rtree = "rtree_" + table + "_" + geomColumn;
  const std::string fid = checkTable(db, table, geomColumn, rtree);
  std::vector<Entry> rows;
  {
    SubProgress read(progress, 0.0, 0.4);
    rows = readEntries(db, table, geomColumn, fid, read, result);
  }
  SubProgress rest(progress, 0.4, 1.0);
  writeIndex(db, table, geomColumn, fid, rtree, std::move(rows), rest, options, result);
  return result;
}

/// Runs `body` inside a SAVEPOINT: released on success, rolled back on any exception.
template <typename Body>
GpkgRtreeResult inSavepoint(sqlite3* db, Progress& progress, Body&& body) {
  exec(db, "SAVEPOINT veldwacht_gpkg_rtree");
  try {
    GpkgRtreeResult result = body();
    exec(db, "RELEASE veldwacht_gpkg_rtree");
    progress.setFraction(1.0);
    return result;
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK TO veldwacht_gpkg_rtree", nullptr, nullptr, nullptr);
    sqlite3_exec(db, "RELEASE veldwacht_gpkg_rtree", nullptr, nullptr, nullptr);
    throw;
  }
}

struct Connection {
  sqlite3* db = nullptr;
  ~Connection() { sqlite3_close(db); }
};

}  // namespace

// --- Bounded memory: entries spooled in sorted runs (issue 13) -----------------------------------

struct GpkgRtreeEntrySpool::Impl {
  std::size_t runEntries = 0;
  std::vector<GpkgRtreeEntry> run;
  std::FILE* file = nullptr;  // anonymous temporary file (tmpfile), removed when closed
  std::vector<std::size_t> runLengths;
  std::int64_t count = 0;
  std::int64_t minFid = std::numeric_limits<std::int64_t>::max();
  std::int64_t maxFid = std::numeric_limits<std::int64_t>::min();

  ~Impl() {
    if (file) std::fclose(file);
  }
  /// Sorts the run in memory by x and appends it to the file.
  void flushRun() {
    if (run.empty()) return;
    if (!file) {
      file = std::tmpfile();
      if (!file) throw LibraryError("cannot create a temporary file for the spatial index");
    }
    sortByCentre(run, false);
    if (std::fwrite(run.data(), sizeof(GpkgRtreeEntry), run.size(), file) != run.size() ||
        std::fflush(file) != 0)
      throw LibraryError("cannot write the spatial index's temporary file (disk full?)");
    runLengths.push_back(run.size());
    run.clear();
  }
};

GpkgRtreeEntrySpool::GpkgRtreeEntrySpool(std::size_t runEntries) : impl_(std::make_unique<Impl>()) {
  impl_->runEntries = std::max<std::size_t>(runEntries, 1);
}
GpkgRtreeEntrySpool::~GpkgRtreeEntrySpool() = default;
GpkgRtreeEntrySpool::GpkgRtreeEntrySpool(GpkgRtreeEntrySpool&&) noexcept = default;
GpkgRtreeEntrySpool& GpkgRtreeEntrySpool::operator=(GpkgRtreeEntrySpool&&) noexcept = default;

void GpkgRtreeEntrySpool::add(const GpkgRtreeEntry& e) {
  Impl& m = *impl_;
  if (m.run.capacity() == 0) m.run.reserve(std::min<std::size_t>(m.runEntries, 1 << 16));
  m.run.push_back(e);
  ++m.count;
  m.minFid = std::min(m.minFid, e.fid);
  m.maxFid = std::max(m.maxFid, e.fid);
  if (m.run.size() >= m.runEntries) m.flushRun();
}
std::int64_t GpkgRtreeEntrySpool::size() const { return impl_->count; }
bool GpkgRtreeEntrySpool::spilled() const { return !impl_->runLengths.empty(); }

namespace {

/// Merges the spool's sorted runs: entries in xLess order, a buffer of entries per run.
class RunMerger {
 public:
  explicit RunMerger(GpkgRtreeEntrySpool::Impl& sp) : fd_(fileno(sp.file)) {
    std::int64_t offset = 0;
    for (std::size_t len : sp.runLengths) {
      runs_.push_back({offset, len, {}, 0});
      offset += std::int64_t(len * sizeof(Entry));
    }
    for (std::size_t r = 0; r < runs_.size(); ++r)
      if (refill(runs_[r])) heap_.push_back(r);
    std::make_heap(heap_.begin(), heap_.end(), greater());
  }
  bool next(Entry& out) {
    if (heap_.empty()) return false;
    std::pop_heap(heap_.begin(), heap_.end(), greater());
    Run& run = runs_[heap_.back()];
    out = run.buffer[run.pos++];
    if (run.pos == run.buffer.size() && !refill(run))
      heap_.pop_back();
    else
      std::push_heap(heap_.begin(), heap_.end(), greater());
    return true;
  }

 private:
  static constexpr std::size_t kBuffer = 4096;  // entries read at a time per run (96 KiB)
  struct Run {
    std::int64_t offset;  // bytes, next unread entry
    std::size_t left;     // entries not yet read
    std::vector<Entry> buffer;
    std::size_t pos;
  };
  bool refill(Run& run) {
    const std::size_t k = std::min(run.left, kBuffer);
    run.buffer.resize(k);
    run.pos = 0;
    if (k == 0) return false;
    const auto bytes = static_cast<ssize_t>(k * sizeof(Entry));
    if (::pread(fd_, run.buffer.data(), std::size_t(bytes), off_t(run.offset)) != bytes)
      throw LibraryError("cannot read the spatial index's temporary file");
    run.offset += bytes;
    run.left -= k;
    return true;
  }
  /// Heap order: the run whose current entry is smallest on top.
  struct Greater {
    const std::vector<Run>* runs;
    bool operator()(std::size_t a, std::size_t b) const {
      const Run& ra = (*runs)[a];
      const Run& rb = (*runs)[b];
      return xLess(rb.buffer[rb.pos], ra.buffer[ra.pos]);
    }
  };
  Greater greater() const { return Greater{&runs_}; }
  int fd_;
  std::vector<Run> runs_;
  std::vector<std::size_t> heap_;
};

/// bulkWrite for spooled entries (more than one run, more than one node): the leaves are packed
/// one x slice at a time from the merged runs and written at once; the upper levels (a node's
/// worth of boxes per leaf) are packed in memory as bulkWrite does. Same nodes, same numbers.
void bulkWriteSpooled(sqlite3* db, const std::string& table, const std::string& geomColumn,
                      const std::string& rtree, GpkgRtreeEntrySpool::Impl& sp, std::size_t nodeSize,
                      double fillFactor, Progress& progress, GpkgRtreeResult& result) {
  const std::size_t capacity = (nodeSize - 4) / kBytesPerCell;
  const std::size_t m =
      std::clamp<std::size_t>(std::size_t(double(capacity) * fillFactor), 2, capacity);
  const std::size_t n = std::size_t(sp.count);
  // Entries per level as bulkWrite's loop makes them: count[l + 1] = nodes of level l.
  std::vector<std::size_t> count = {n};
  while (count.back() > capacity) count.push_back(strGroups(count.back(), m));
  const int depth = int(count.size()) - 1;
  if (depth > kMaxDepth) throw LibraryError("rtree would exceed SQLite's maximum depth");
  // Node numbers: the root is 1, then level by level from the top; the leaves come last.
  std::int64_t leafBase = 2;
  for (int l = depth - 1; l >= 1; --l) leafBase += std::int64_t(count[std::size_t(l) + 1]);
  result.depth = depth;
  result.nodes = leafBase - 1 + std::int64_t(count[1]);

  NodeWriter nodes(db, rtree);
  std::vector<unsigned char> blob(nodeSize);

  RowidMap rowidMap(sp.minFid, sp.maxFid, n, result.nodes);

  ProgressStep write(progress, 0.0, 1.0, "writing index");
  const std::size_t total = std::size_t(result.nodes) + n;
  std::size_t written = 0;
  Level up;  // level 1: one box per leaf, its fid the leaf's index
  up.entries.reserve(count[1]);
  std::vector<Entry> slice;
  const std::size_t sliceSize = strSliceSize(n, m);
  slice.reserve(sliceSize);
  const auto identity = [](const Entry& e) { return e.fid; };
  const auto packSlice = [&] {
    sortByCentre(slice, true);
    for (std::size_t g = 0; g < slice.size(); g += m) {
      const std::size_t e = std::min(slice.size(), g + m);
      const auto leaf = std::uint32_t(up.entries.size());
      const std::int64_t self = depth == 0 ? 1 : leafBase + leaf;
      fillNode(blob, self == 1, depth, slice.data() + g, slice.data() + e, identity);
      nodes.write(self, blob);
      for (std::size_t k = g; k < e; ++k) rowidMap.add(slice[k].fid, self);
      up.entries.push_back(unionOf(leaf, slice.data() + g, slice.data() + e));
      write.tick(++written, total);
    }
    slice.clear();
  };
  {
    RunMerger merge(sp);
    Entry e;
    while (merge.next(e)) {
      if (!(e.minx <= e.maxx && e.miny <= e.maxy))
        throw InputError({table, e.fid, geomColumn}, "envelope with min > max or NaN");
      slice.push_back(e);
      if (slice.size() == sliceSize) packSlice();
    }
    if (!slice.empty()) packSlice();
  }
  std::fclose(sp.file);  // the runs are read: free the disk space now
  sp.file = nullptr;
  std::vector<Entry>().swap(slice);
  if (up.entries.size() != count[1]) throw LibraryError("rtree packing: leaf count mismatch");

  // The upper levels, in memory, as bulkWrite.
  std::vector<Level> levels;
  levels.push_back(std::move(up));
  groupUpToTheRoot(levels, capacity, m, progress);
  // levels[k] is tree level k + 1; nodeNo[k] numbers its nodes.
  std::vector<std::vector<std::int64_t>> nodeNo(levels.size());
  std::int64_t next = 2;
  nodeNo.back() = {1};
  for (int k = int(levels.size()) - 2; k >= 0; --k) {
    nodeNo[std::size_t(k)].resize(levels[std::size_t(k)].groups());
    for (auto& no : nodeNo[std::size_t(k)]) no = next++;
  }
  if (next != leafBase) throw LibraryError("rtree packing: node numbering mismatch");
  PairWriter parent(db, rtree + "_parent", "(nodeno, parentnode)");
  std::vector<std::pair<std::int64_t, std::int64_t>> parentMap;
  for (int k = int(levels.size()) - 1; k >= 0; --k) {
    const Level& lv = levels[std::size_t(k)];
    const auto childNo = [&](const Entry& e) {
      return k == 0 ? leafBase + e.fid : nodeNo[std::size_t(k) - 1][std::size_t(e.fid)];
    };
    for (std::size_t gi = 0; gi < lv.groups(); ++gi) {
      const std::int64_t self = nodeNo[std::size_t(k)][gi];
      const Entry* b = lv.entries.data() + lv.start[gi];
      const Entry* e = lv.entries.data() + lv.start[gi + 1];
      fillNode(blob, self == 1, depth, b, e, childNo);
      nodes.write(self, blob);
      for (const Entry* c = b; c != e; ++c) parentMap.emplace_back(childNo(*c), self);
      write.tick(++written, total);
    }
  }
  std::vector<Level>().swap(levels);
  std::sort(parentMap.begin(), parentMap.end());
  for (const auto& [child, self] : parentMap) parent.add(child, self);
  parent.finish();
  rowidMap.write(db, rtree, [&] { write.tick(++written, total); });
  write.done();
}

}  // namespace

GpkgRtreeEntry GpkgRtreeEntry::of(std::int64_t fid, double minx, double maxx, double miny,
                                  double maxy) {
  return {fid, valueDown(minx), valueUp(maxx), valueDown(miny), valueUp(maxy)};
}

GpkgRtreeResult bulkCreateGpkgRtree(sqlite3* db, const std::string& table,
                                    const std::string& geomColumn, Progress& progress,
                                    const GpkgRtreeOptions& options) {
  options.validate();
  return inSavepoint(db, progress, [&] { return build(db, table, geomColumn, progress, options); });
}

GpkgRtreeResult bulkCreateGpkgRtree(sqlite3* db, const std::string& table,
                                    const std::string& geomColumn,
                                    std::vector<GpkgRtreeEntry>&& entries,
                                    std::int64_t skippedEmpty, Progress& progress,
                                    const GpkgRtreeOptions& options) {
  options.validate();
  std::vector<GpkgRtreeEntry> rows = std::move(entries);
  return inSavepoint(db, progress, [&] {
    GpkgRtreeResult result;
    result.skippedEmpty = skippedEmpty;
    const std::string rtree = "rtree_" + table + "_" + geomColumn;
    const std::string fid = checkTable(db, table, geomColumn, rtree);
    for (const GpkgRtreeEntry& e : rows)
      if (!(e.minx <= e.maxx && e.miny <= e.maxy))
        throw InputError({table, e.fid, geomColumn}, "envelope with min > max or NaN");
    writeIndex(db, table, geomColumn, fid, rtree, std::move(rows), progress, options, result);
    return result;
  });
}

GpkgRtreeResult bulkCreateGpkgRtree(sqlite3* db, const std::string& table,
                                    const std::string& geomColumn, GpkgRtreeEntrySpool&& entries,
                                    std::int64_t skippedEmpty, Progress& progress,
                                    const GpkgRtreeOptions& options) {
  options.validate();
  GpkgRtreeEntrySpool spool = std::move(entries);
  GpkgRtreeEntrySpool::Impl& sp = *spool.impl_;
  if (!spool.spilled()) {  // one run: in memory as before
    std::vector<GpkgRtreeEntry> rows = std::move(sp.run);
    return bulkCreateGpkgRtree(db, table, geomColumn, std::move(rows), skippedEmpty, progress,
                               options);
  }
  sp.flushRun();
  std::vector<GpkgRtreeEntry>().swap(sp.run);  // the run's buffer is not needed any more
  return inSavepoint(db, progress, [&] {
    GpkgRtreeResult result;
    result.skippedEmpty = skippedEmpty;
    result.indexed = sp.count;
    const std::string rtree = "rtree_" + table + "_" + geomColumn;
    const std::string fid = checkTable(db, table, geomColumn, rtree);
    exec(db,
         "CREATE VIRTUAL TABLE " + quoteIdent(rtree) + " USING rtree(id, minx, maxx, miny, maxy)");
    std::size_t nodeSize = 0;
    {
      Stmt q(db, "SELECT length(data) FROM " + quoteIdent(rtree + "_node") + " WHERE nodeno = 1");
      if (q.step()) nodeSize = std::size_t(sqlite3_column_int64(q.get(), 0));
    }
    const std::size_t capacity = nodeSize >= 4 ? (nodeSize - 4) / kBytesPerCell : 0;
    if (options.forcePlainInserts || nodeSize < 4 + 3 * kBytesPerCell ||
        std::size_t(sp.count) <= capacity) {
      // Rare paths (fallback, or everything fits in the root): the merged entries in memory.
      exec(db, "DROP TABLE " + quoteIdent(rtree));
      std::vector<GpkgRtreeEntry> rows;
      rows.reserve(std::size_t(sp.count));
      RunMerger merge(sp);
      for (GpkgRtreeEntry e; merge.next(e);) rows.push_back(e);
      for (const GpkgRtreeEntry& e : rows)
        if (!(e.minx <= e.maxx && e.miny <= e.maxy))
          throw InputError({table, e.fid, geomColumn}, "envelope with min > max or NaN");
      writeIndex(db, table, geomColumn, fid, rtree, std::move(rows), progress, options, result);
      return result;
    }
    result.bulk = true;
    bulkWriteSpooled(db, table, geomColumn, rtree, sp, nodeSize, options.fillFactor, progress,
                     result);
    createTriggers(db, table, geomColumn, fid, rtree);
    registerExtension(db, table, geomColumn);
    return result;
  });
}

GpkgRtreeResult bulkCreateGpkgRtree(const std::string& gpkgPath, const std::string& table,
                                    const std::string& geomColumn, Progress& progress,
                                    const GpkgRtreeOptions& options) {
  options.validate();
  Connection c;
  // One thread uses the connection: no mutex per SQLite call (as gpkg_writer.cpp's).
  if (sqlite3_open_v2(gpkgPath.c_str(), &c.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK)
    throw LibraryError("SQLite: cannot open '" + gpkgPath +
                       "': " + (c.db ? sqlite3_errmsg(c.db) : "out of memory"));
  sqlite3_busy_timeout(c.db, 5000);
  return bulkCreateGpkgRtree(c.db, table, geomColumn, progress, options);
}

}  // namespace veldwacht::geo
