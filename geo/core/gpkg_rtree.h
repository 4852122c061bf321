// Bulk creation of a GeoPackage spatial index ("gpkg_rtree_index") by Sort-Tile-Recursive packing.
//
// Why: GDAL 3.6 fills the index with one `INSERT INTO rtree_<t>_<g>` per feature, and SQLite's
// rtree module pays a choose-subtree/split per insert (Guttman 1984): for 1M points that is ~8x
// the cost of writing the features themselves. GDAL >= 3.7 builds the tree in memory and writes
// SQLite's rtree shadow tables directly; this is the same idea for GDAL 3.6. The tree is packed
// with STR (Leutenegger, Lopez & Edgington, "STR: a simple and efficient algorithm for R-tree
// packing", ICDE 1997): sort by x, cut into sqrt(P) vertical slices, sort each slice by y, fill
// nodes in order; repeat one level up on the node boxes until one root remains.
//
// The result is an ordinary SQLite rtree (same virtual table, same node format as ext/rtree/
// rtree.c: big-endian, float32 boxes rounded outwards) plus the exact triggers and
// gpkg_extensions row GDAL 3.6 writes, so later edits through GDAL/QGIS keep it up to date.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "geo/core/progress.h"

struct sqlite3;

namespace veldwacht::geo {

struct GpkgRtreeOptions {
  /// Fraction of a node's capacity STR fills (1 = full nodes, as GDAL >= 3.7). Lower leaves
  /// room for later inserts without immediate splits. In (0, 1].
  double fillFactor = 1.0;
  /// Fill the index with plain INSERTs into the virtual table instead of writing the shadow
  /// tables (the slow path; used as fallback and as a reference in tests).
  bool forcePlainInserts = false;

  void validate() const;
};

struct GpkgRtreeResult {
  std::int64_t indexed = 0;       ///< rows with a non-empty geometry, now in the index
  std::int64_t skippedEmpty = 0;  ///< NULL or empty geometries (not indexed, as GDAL)
  int depth = 0;                  ///< tree depth (0 = the root is a leaf)
  std::int64_t nodes = 0;         ///< rtree nodes written
  bool bulk = false;              ///< true when the shadow tables were written directly
  std::string fallbackReason;     ///< why plain INSERTs were used, when bulk is false
};

/// One leaf entry of the index: a row's fid and its bounding box as SQLite's rtree stores it
/// (float32, rounded outwards so that it contains the double box).
struct GpkgRtreeEntry {
  std::int64_t fid = 0;
  float minx = 0, maxx = 0, miny = 0, maxy = 0;
  /// The entry of row `fid` with the double box [minx, maxx] x [miny, maxy] (rounded as
  /// ext/rtree/rtree.c rounds: rtreeValueDown / rtreeValueUp).
  static GpkgRtreeEntry of(std::int64_t fid, double minx, double maxx, double miny, double maxy);
};

/// Creates the GeoPackage R-tree spatial index of `table`.`geomColumn` on an open connection,
/// all in one SAVEPOINT (nothing changes on error or cancel). The table must be a feature
/// table listed in gpkg_geometry_columns without an index yet (GDAL layer creation option
/// SPATIAL_INDEX=NO). Throws InputError for an unknown table/column or an existing index,
/// LibraryError for SQLite errors, CancelledError on cancel.
GpkgRtreeResult bulkCreateGpkgRtree(sqlite3* db, const std::string& table,
                                    const std::string& geomColumn, Progress& progress,
                                    const GpkgRtreeOptions& options = {});

/// Same, from entries the caller collected while inserting the rows (one per non-empty
/// geometry; `skippedEmpty` NULL or empty ones), so the table is not read back: what
/// geo::GpkgWriter does. The entries are consumed (reordered, then freed).
GpkgRtreeResult bulkCreateGpkgRtree(sqlite3* db, const std::string& table,
                                    const std::string& geomColumn,
                                    std::vector<GpkgRtreeEntry>&& entries,
                                    std::int64_t skippedEmpty, Progress& progress,
                                    const GpkgRtreeOptions& options = {});

/// Leaf entries collected with bounded memory, for tables too large to hold every entry (24
/// bytes each: 10M rows would be 240 MB, plus the rowid map). Up to `runEntries` are kept in
/// memory; each full run is sorted in STR's x order and written to an anonymous temporary file,
/// and bulkCreateGpkgRtree merges the runs and packs the leaves one x slice at a time. The index
/// is the same, node for node, as from the same entries in one vector. Issue 13.
class GpkgRtreeEntrySpool {
 public:
  explicit GpkgRtreeEntrySpool(std::size_t runEntries = std::size_t(1) << 20);
  ~GpkgRtreeEntrySpool();
  GpkgRtreeEntrySpool(GpkgRtreeEntrySpool&&) noexcept;
  GpkgRtreeEntrySpool& operator=(GpkgRtreeEntrySpool&&) noexcept;

  /// Throws LibraryError when the temporary file cannot be written.
  void add(const GpkgRtreeEntry& e);
  std::int64_t size() const;
  /// True once a run went to the temporary file.
  bool spilled() const;

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Same, from a spool (consumed). Memory: one run while collecting; while packing, one x slice
/// of about sqrt(n * 50) entries, the boxes of the upper levels (n / 50) and a 4-byte leaf
/// number per fid between the smallest and largest fid.
GpkgRtreeResult bulkCreateGpkgRtree(sqlite3* db, const std::string& table,
                                    const std::string& geomColumn, GpkgRtreeEntrySpool&& entries,
                                    std::int64_t skippedEmpty, Progress& progress,
                                    const GpkgRtreeOptions& options = {});

/// Same, opening `gpkgPath` read-write with plain SQLite. No other connection (GDAL dataset)
/// may be writing the file at the same time.
GpkgRtreeResult bulkCreateGpkgRtree(const std::string& gpkgPath, const std::string& table,
                                    const std::string& geomColumn, Progress& progress,
                                    const GpkgRtreeOptions& options = {});

}  // namespace veldwacht::geo
