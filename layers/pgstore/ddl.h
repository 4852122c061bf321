// The PostGIS schema, generated from the same LayerDefs (layers/schema) that the GeoPackage
// store is created from: one definition, two dialects. References are FOREIGN KEYs (ON DELETE
// RESTRICT), closed value lists are CHECKs (each item of a comma list), widths varchar(n),
// geometry columns typed geometry(<kind>, 28992) with a GiST index, indexed fields a b-tree.
#pragma once

#include <string>
#include <vector>

#include "layers/schema/schema.h"

namespace veldwacht::layers::pgstore {

/// Name of the schema-history table (one row per schema version applied).
inline constexpr const char* kSchemaHistoryTable = "veldwacht_schemaversies";

/// The PostgreSQL type of a field ("text", "varchar(16)", "bigint", "double precision",
/// "boolean", "date", "timestamp").
std::string pgType(const FieldDef& field);
/// "geometry(Point, 28992)" etc.; empty for GeometryKind::None.
std::string pgGeometryType(GeometryKind kind);

/// CREATE TABLE (+ COMMENTs, indexes) for one domain layer: fid bigserial primary key, the
/// fields with NOT NULL / UNIQUE / DEFAULT / CHECK / REFERENCES, the geometry column.
std::vector<std::string> createLayerSql(const LayerDef& layer);

/// Every statement that creates a store of `version` in an empty schema: bookkeeping tables
/// (veldwacht_meta, veldwacht_imports, veldwacht_resultaten, the schema history), the domain
/// layers referenced ones first, and the seeded signal categories. Run in one transaction.
std::vector<std::string> createStoreSql(int version);

/// The statements that bring a store of schema version `from` to `from + 1`: new layers
/// created whole, new fields added (NULL in existing rows), every value-list CHECK made again.
/// Run in the migrating transaction. Throws geo::Error when there is no such step.
std::vector<std::string> migrationSql(int from);

/// The domain layers of `version` in an order where every layer follows those it references.
std::vector<LayerDef> layersInInsertOrder(int version);

}  // namespace veldwacht::layers::pgstore
