// The SQL that only SQLite-based stores (GeoPackage, SpatiaLite) need, kept in one place so that
// a PostGIS store can replace it (there: real FOREIGN KEY and CHECK clauses via ALTER TABLE).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "layers/schema/schema.h"

namespace veldwacht::layers::sqlite {

/// "name" with embedded quotes doubled.
std::string ident(std::string_view name);
/// 'text' with embedded quotes doubled.
std::string literal(std::string_view text);
/// A Value as an SQL literal (NULL, integer, real with round-trip precision, or quoted text).
std::string valueLiteral(const Value& value);

/// Persistent write-ahead journal (stays in the file header).
std::string walJournal();
/// How long a statement waits for another program's write lock (QGIS editing) before failing.
std::string busyTimeout(int milliseconds);
/// INSERT OR REPLACE of one meta value (veldwacht_meta.key is UNIQUE).
std::string setMeta(std::string_view key, std::string_view value);

/// Triggers enforcing, for `layer`: its references, its closed value lists (single values;
/// comma lists are checked by the importers and the store), text widths and booleans, in one
/// BEFORE INSERT and one BEFORE UPDATE trigger (dropped and re-created, so a migration that
/// adds fields simply calls this again); and BEFORE DELETE/UPDATE triggers on each referenced
/// table (ON DELETE RESTRICT). Each aborts with "veldwacht: <table>.<field>: <what>".
std::vector<std::string> constraintTriggers(const LayerDef& layer);
/// Drops the row-check insert trigger of `table` (see constraintTriggers). Used inside an
/// append's write transaction, whose rows were all checked beforehand; the trigger is re-created
/// before commit, so no other connection ever sees the table without it.
std::string suspendInsertChecks(std::string_view table);
/// CREATE INDEX for the fields queries filter or join on (unique fields have one already).
std::vector<std::string> indexes(const LayerDef& layer);

/// SELECT COUNT(*) of a table.
std::string countRows(std::string_view table);
/// SELECT minx, miny, maxx, maxy of a table's geometries (GDAL's ST_MinX.. for GeoPackage,
/// SpatiaLite's MbrMinX.. when `spatialite`). Read-only: unlike GDAL's GetExtent and
/// GetFeatureCount on a dataset open for update, it leaves nothing cached to write on close.
std::string extentOf(std::string_view table, std::string_view geometryColumn, bool spatialite);

/// SELECT of the values of `field` in `table` that are among `literals` (already SQL literals).
std::string selectExisting(std::string_view table, std::string_view field,
                           const std::vector<std::string>& literals, std::size_t begin,
                           std::size_t end);

}  // namespace veldwacht::layers::sqlite
