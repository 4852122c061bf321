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
/// The hidden key/value table veldwacht_meta (not registered in gpkg_contents).
std::string createMetaTable();
/// INSERT OR REPLACE of one meta value.
std::string setMeta(std::string_view key, std::string_view value);

/// Triggers enforcing, for `layer`: its references (BEFORE INSERT/UPDATE on the layer, and
/// BEFORE DELETE/UPDATE on each referenced table = ON DELETE RESTRICT), its closed value lists
/// (single values; comma lists are checked by the importers and the store) and text widths.
/// Each trigger aborts with a message "veldwacht: <table>.<field>: <what>".
std::vector<std::string> constraintTriggers(const LayerDef& layer);
/// CREATE INDEX for the fields queries filter or join on (unique fields have one already).
std::vector<std::string> indexes(const LayerDef& layer);

/// SELECT of the values of `field` in `table` that are among `literals` (already SQL literals).
std::string selectExisting(std::string_view table, std::string_view field,
                           const std::vector<std::string>& literals, std::size_t begin,
                           std::size_t end);

}  // namespace veldwacht::layers::sqlite
