// Where a Veldwacht store lives, as the plugin is told: a GeoPackage/SpatiaLite file, a
// PostgreSQL connection string ("postgresql://…", "postgres://…" or GDAL's "PG:…"), or the name
// of a PostgreSQL connection saved in QGIS (Browser › PostgreSQL). One resolution for the dock's
// "Open a Veldwacht store", the Processing store algorithms (veldwacht:store_*) and the tests,
// so that every one of them opens a PostGIS store as it opens a GeoPackage one: the store
// through layers::openStore (the CLI's code), its layers through QGIS's "postgres" provider.
#pragma once

#include <qgsdatasourceuri.h>

#include <QList>
#include <QString>

#include <optional>

#include "plugin/ui/resulttablemodel.h"

namespace veldwacht::layers {
class Store;
}
class QgsMapLayer;

namespace veldwacht::plugin {

struct StoreSource {
  bool database = false;  ///< a PostgreSQL database (else a file)
  QString given;          ///< as the user gave it
  /// For layers::openStore: the file path, or a libpq connection string ("postgresql://…" as
  /// given, or "PG:<key=value …>" made from a saved connection, its password filled in).
  QString store;
  QString shown;  ///< for messages and layer tree tooltips: no password
  /// Database only: the connection for QGIS's postgres provider (a saved connection's
  /// authentication configuration stays a reference, as QGIS keeps it).
  QgsDataSourceUri connection;

  /// "ogr" for a file, "postgres" for a database.
  QString providerKey() const;
  /// The QGIS data source of table `table` (in `schema` for a database; empty = public).
  /// `geometryType` (a PostGIS or WKT type name, e.g. "POINT", "MultiPolygon") goes into a
  /// database layer's URI: QGIS looks the layer's default style up in layer_styles by it.
  QString layerUri(const QString& table, const QString& schema = {},
                   const QString& geometryColumn = QStringLiteral("geom"),
                   const QString& geometryType = {}) const;
  /// layerUri for Processing's "layers to load" (provider key encoded in it for a database).
  QString processingLayerUri(const QString& table, const QString& geometryType = {}) const;
};

/// `store` (a path or a connection string) with a password in it shown as "***", for messages.
QString withoutPassword(const QString& store);

/// True when `text` is a PostgreSQL connection string (not a saved connection's name).
bool isConnectionString(const QString& text);

/// True when `text` names a database store: a connection string, or the name of a PostgreSQL
/// connection saved in QGIS when no file of that name exists.
bool namesDatabase(const QString& text);

/// Resolves what the user gave. An existing file is a file store; a connection string a database
/// store; otherwise the name of a saved PostgreSQL connection. Throws geo::InputError saying what
/// was expected when it is none of these (or a connection string libpq cannot read).
StoreSource resolveStoreSource(const QString& text);

/// Whether two sources name the same store, whatever form each was given in: a file by its
/// canonical path, a database by its service or host, port and name (not the login).
bool sameStore(const StoreSource& a, const StoreSource& b);

/// The store a project layer reads, and its table.
struct LayerStore {
  /// A file (the OGR layer's file), or the layer's database: its postgres connection, `store`
  /// "PG:<key=value …>" with the password filled in, `shown` and `given` the same without it.
  StoreSource source;
  QString table;
};
/// The store and table of an OGR layer of a table in a file (GeoPackage, SQLite) or of a layer
/// of QGIS's postgres provider; nullopt for anything else (a CSV, a memory layer, a WMS). Whether
/// it is a Veldwacht store is for layers::openStore to say.
std::optional<LayerStore> storeOfLayer(const QgsMapLayer* layer);

/// A table of the store QGIS can show, as the store's database lists it.
struct StoreTable {
  QString schema;
  QString name;
  QString geometryColumn;
  QString geometryType;  ///< PostGIS type name, e.g. "POINT", "MULTIPOLYGON"
};

/// The spatial tables of a database store the login may read (PostGIS's geometry_columns, in
/// the connection's search path), sorted by name.
QList<StoreTable> databaseTables(layers::Store& store);

/// The store's result history (veldwacht_resultaten, oldest first) as finished rows of the dock's
/// run list: analysis, input, start, duration and the result layer or file. Run ids are
/// "<store shown>|<layer>", so listing the same store again adds nothing twice.
QList<ui::ResultRow> resultHistory(layers::Store& store, const StoreSource& source);

}  // namespace veldwacht::plugin
