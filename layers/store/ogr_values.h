// Conversions between the schema's Values and OGR fields/geometries, shared by the store and
// the result writer.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "geo/core/gdal.h"
#include "layers/schema/schema.h"

namespace veldwacht::layers {

/// The OGR field for a FieldDef: type, subtype (boolean), width, NOT NULL, UNIQUE, default.
std::unique_ptr<OGRFieldDefn> toOgrField(const FieldDef& def);
OGRwkbGeometryType toOgrGeometryType(GeometryKind kind);

/// Sets (or unsets, for NULL) field `index` of `feature` from a Value of the given type. Text
/// dates are parsed; booleans and integers come as int64.
void setOgrField(OGRFeature& feature, int index, FieldType type, const Value& value);
/// Reads field `index` of `feature` as a Value of the given type (dates as ISO text).
Value getOgrField(const OGRFeature& feature, int index, FieldType type);

/// A copy of `geometry` fit for a layer of `kind`: 2D (Z and M dropped), Polygon promoted to
/// MultiPolygon.
geo::GeometryPtr geometryForLayer(const OGRGeometry& geometry, GeometryKind kind);

/// For each of `fields`, the index of the same-named field of `defn`, or -1.
std::vector<int> ogrFieldIndexes(const OGRFeatureDefn& defn, const std::vector<FieldDef>& fields);

/// Creates an OGR layer for `def` (EPSG:28992, geometry column "geom", spatial index) with its
/// fields; `fidName` names the feature-id column. Extra layer-creation options may be given.
OGRLayer& createOgrLayer(GDALDataset& ds, const LayerDef& def, const std::string& fidName = "fid",
                         const std::vector<std::string>& extraOptions = {});
/// Adds one field to an existing layer (ALTER TABLE ADD COLUMN).
void addOgrField(OGRLayer& layer, const FieldDef& def);

}  // namespace veldwacht::layers
