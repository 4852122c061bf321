// Values between layers::Record and PostgreSQL's text forms (COPY, query results), shared by the
// PostGIS store's import (pg_store.cpp) and result writer (pg_results.cpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "geo/core/gdal.h"
#include "layers/schema/schema.h"

namespace veldwacht::layers::pgstore {

/// A double as text that reads back to the same double (%.17g).
std::string realText(double d);
/// A value as text, as PostgreSQL reads it (and as keys compare): NULL as nullopt.
std::optional<std::string> valueText(const Value& v);
/// Value of the text PostgreSQL returned for a field of `type` (booleans as 0/1, timestamps with
/// T).
Value valueOf(const std::optional<std::string>& text, FieldType type);
/// EWKB (little endian, with SRID 28992) of `g` as hex, fit for a geometry column of `kind`.
std::string ewkbHex(const OGRGeometry& g, GeometryKind kind);
/// One row of `d` in COPY's text format, in copyColumns(d) order: the fields in order, then the
/// geometry as EWKB hex (when the layer has one); import_id is `importId` (NULL when empty); a NULL
/// field with a default gets the default. Ends with a newline.
void appendCopyRow(std::string& data, const LayerDef& d, const Record& r,
                   const std::string& importId);
/// The SELECT list that reads a layer's rows as recordOfRow takes them: fid, every field as
/// text, the geometry as WKB (when the layer has one).
std::string recordColumns(const LayerDef& def);
/// A row selected with recordColumns as a Record (fid as sourceRow).
Record recordOfRow(const LayerDef& def, const std::vector<std::optional<std::string>>& row);
/// A geometry from ST_AsBinary's bytea as text ("\x0101…").
geo::GeometryPtr geometryFromHex(const std::string& text);
/// The columns of layer `d` as an import's COPY lists them: its fields, then its geometry.
std::string copyColumns(const LayerDef& d);

}  // namespace veldwacht::layers::pgstore
