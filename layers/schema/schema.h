// The domain's layers and fields (docs/schema.md is the same contract in prose).
// Declared once here; the store creates tables from it, importers validate against it, the CLI
// and the plugin list it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "geo/core/gdal.h"

namespace veldwacht::layers {

enum class FieldType { Text, Integer, Real, Boolean, Date, DateTime };
enum class GeometryKind { None, Point, LineString, MultiPolygon };

struct FieldDef {
  std::string name;  ///< Dutch field name as users see it
  FieldType type = FieldType::Text;
  bool required = false;             ///< NOT NULL
  bool unique = false;               ///< the layer's natural key (an index is created)
  std::vector<std::string> allowed;  ///< closed value list; empty = any
  std::string reference;             ///< "layer.field" foreign key, empty = none
  int width = 0;                     ///< text width (e.g. 16 for BAG ids), 0 = unbounded
  std::string help;                  ///< one line for users (Dutch)
  bool commaList = false;            ///< text is a comma-joined list of `allowed` values
  bool indexed = false;              ///< queries filter or join on it: create an index
  std::string defaultValue;          ///< SQL default (e.g. "0"); used when a record leaves it NULL
  int sinceVersion = 1;              ///< schema version that introduced the field
};

struct LayerDef {
  std::string name;   ///< table name, e.g. "signalen"
  std::string title;  ///< title shown in QGIS, e.g. "Signalen"
  std::string
      group;  ///< layer-tree group: Signalen, Panden & VAB, Bedrijventerreinen, Partners, Context
  GeometryKind geometry = GeometryKind::Point;
  std::vector<FieldDef> fields;  ///< without fid and geometry; includes synthetisch, import_id
  std::string key;               ///< name of the unique natural-key field
  std::string help;              ///< one line for users (Dutch), stored as the layer description
  int sinceVersion = 1;          ///< schema version that introduced the layer

  const FieldDef* field(std::string_view name) const;
  int fieldIndex(std::string_view name) const;  ///< -1 when absent
};

/// All domain and context layers, in the order they are drawn (bottom first). This is not the
/// order of inserts: the store writes referenced layers first whatever the order.
const std::vector<LayerDef>& layerDefs();
/// Throws veldwacht::geo::Error for an unknown layer name.
const LayerDef& layerDef(std::string_view name);

/// The layers as they were in an older schema `version` (1..kSchemaVersion): layers and fields
/// introduced later are left out. Used by migrations and to build old stores in tests.
std::vector<LayerDef> layerDefsForVersion(int version);

/// The current schema version written to veldwacht_meta.schema_version.
/// History: 1 = first release; 2 = adds partner_werkgebieden and signalen.terugkoppeling_op;
/// 3 = adds schouwresultaten and signalen.bron_partner_id; 4 = adds the context layers
/// gewaspercelen (BRP) and misdrijven_per_buurt (police figures, CBS StatLine).
inline constexpr int kSchemaVersion = 4;

/// Name of the geometry column of every layer, and of the feature-id column.
inline constexpr const char* kGeometryColumn = "geom";
inline constexpr const char* kFidColumn = "fid";

/// A field value as held in memory: NULL, integer (also booleans), real, or text (also dates
/// and datetimes in ISO form).
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

inline bool isNull(const Value& v) { return std::holds_alternative<std::monostate>(v); }

/// One row of a layer: values parallel to LayerDef::fields, geometry in EPSG:28992.
struct Record {
  std::vector<Value> values;
  veldwacht::geo::GeometryPtr geometry;  ///< null for layers without geometry
  std::int64_t sourceRow = 0;            ///< row or feature id in the source, for messages
};

/// One seeded category of signaal_categorieen (DOMAIN.md "Signal categories").
struct CategorySeed {
  std::string code;
  std::string naam;
  std::string indicatoren;
};
/// The ten categories a new store starts with.
const std::vector<CategorySeed>& signalCategorySeeds();

/// A table the store derives from a layer and keeps (a cache): when an import changes the layer
/// (register update, issue 13), the import empties it in the same transaction and says so; its
/// consumer rebuilds it on next use (`rebuild` tells the user how to do it now).
struct DerivedTable {
  std::string table;    ///< e.g. "veldwacht_netwerk"
  std::string source;   ///< the layer it is built from, e.g. "wegvakken"
  std::string rebuild;  ///< e.g. "rebuilt on the next route or matrix (veldwacht network ...)"
};
/// Every derived table of the store (the road network and its contraction hierarchies).
const std::vector<DerivedTable>& derivedTables();

/// Registers: layers that are a copy of a national register (BAG, NWB, CBS, IBIS, BRP, police
/// figures), whose newer version replaces the older by key (`veldwacht import --update`).
/// Veldwacht's own layers (signalen, vab, partners, ...) are not registers.
bool isRegisterLayer(std::string_view layer);

/// Readable name of a field type ("TEXT", "DATE", ...) for messages and docs.
const char* fieldTypeName(FieldType type);

}  // namespace veldwacht::layers
