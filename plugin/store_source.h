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

#include "plugin/ui/resulttablemodel.h"

namespace veldwacht::layers {
class Store;
}

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

/// True when `text` is a PostgreSQL connection string (not a saved connection's name).
bool isConnectionString(const QString& text);

/// Resolves what the user gave. An existing file is a file store; a connection string a database
/// store; otherwise the name of a saved PostgreSQL connection. Throws geo::InputError saying what
/// was expected when it is none of these (or a connection string libpq cannot read).
StoreSource resolveStoreSource(const QString& text);

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
