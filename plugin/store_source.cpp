#include "plugin/store_source.h"

#include <libpq-fe.h>

#include <qgsabstractproviderconnection.h>
#include <qgsexception.h>
#include <qgsmaplayer.h>
#include <qgsprocessingutils.h>
#include <qgsprovidermetadata.h>
#include <qgsproviderregistry.h>
#include <qgswkbtypes.h>

#include <QDateTime>
#include <QFileInfo>

#include <algorithm>
#include <memory>

#include "geo/core/error.h"
#include "layers/pgstore/pg_store.h"
#include "layers/results/results.h"
#include "layers/store/store.h"

namespace veldwacht::plugin {

namespace {

const QString kPostgres = QStringLiteral("postgres");

[[noreturn]] void refuse(const QString& given, const QString& what) {
  throw geo::InputError({given.toStdString(), std::nullopt, ""}, what.toStdString());
}

struct ConninfoOptionsDeleter {
  void operator()(PQconninfoOption* o) const noexcept { PQconninfoFree(o); }
};

/// The connection of a libpq connection string ("postgresql://…" or "key=value …") for QGIS's
/// postgres provider: host (a unix socket folder too), port, database, user, password, sslmode
/// or service. Other libpq options are not carried over.
QgsDataSourceUri connectionFromConninfo(const QString& given, const std::string& conninfo) {
  char* message = nullptr;
  std::unique_ptr<PQconninfoOption, ConninfoOptionsDeleter> options(
      PQconninfoParse(conninfo.c_str(), &message));
  if (!options) {
    const QString why = message ? QString::fromUtf8(message).trimmed() : QStringLiteral("?");
    PQfreemem(message);
    refuse(QString::fromStdString(layers::pgstore::withoutPassword(given.toStdString())),
           QStringLiteral("not a PostgreSQL connection string libpq can read: %1").arg(why));
  }
  QString host, port, dbname, user, password, sslmode, service;
  for (const PQconninfoOption* o = options.get(); o->keyword; ++o) {
    if (!o->val) continue;
    const QString key = QString::fromUtf8(o->keyword), value = QString::fromUtf8(o->val);
    if (key == QLatin1String("host"))
      host = value;
    else if (key == QLatin1String("port"))
      port = value;
    else if (key == QLatin1String("dbname"))
      dbname = value;
    else if (key == QLatin1String("user"))
      user = value;
    else if (key == QLatin1String("password"))
      password = value;
    else if (key == QLatin1String("sslmode"))
      sslmode = value;
    else if (key == QLatin1String("service"))
      service = value;
  }
  // libpq's default database is the user's name; QGIS matches styles on the database name.
  if (dbname.isEmpty()) dbname = user;
  const QgsDataSourceUri::SslMode ssl =
      sslmode.isEmpty() ? QgsDataSourceUri::SslPrefer : QgsDataSourceUri::decodeSslMode(sslmode);
  QgsDataSourceUri uri;
  if (!service.isEmpty())
    uri.setConnection(service, dbname, user, password, ssl);
  else
    uri.setConnection(host, port, dbname, user, password, ssl);
  return uri;
}

/// The PostgreSQL connection saved in QGIS under `name` (owned by the provider), or null.
QgsAbstractProviderConnection* savedConnection(const QString& name) {
  QgsProviderMetadata* md = QgsProviderRegistry::instance()->providerMetadata(kPostgres);
  if (!md) return nullptr;
  try {
    return md->findConnection(name);
  } catch (const QgsProviderConnectionException&) {
    return nullptr;
  }
}

}  // namespace

QString StoreSource::providerKey() const { return database ? kPostgres : QStringLiteral("ogr"); }

QString StoreSource::layerUri(const QString& table, const QString& schema,
                              const QString& geometryColumn, const QString& geometryType) const {
  if (!database) return QStringLiteral("%1|layername=%2").arg(store, table);
  QgsDataSourceUri uri(connection);
  uri.setDataSource(schema.isEmpty() ? QStringLiteral("public") : schema, table, geometryColumn,
                    QString(), QStringLiteral("fid"));
  uri.setSrid(QStringLiteral("28992"));
  // Without a type in the URI QGIS's postgres provider asks layer_styles for type
  // 'Unknown geometry' and finds no default style.
  if (!geometryType.isEmpty()) uri.setWkbType(QgsWkbTypes::parseType(geometryType));
  return uri.uri(false);
}

QString StoreSource::processingLayerUri(const QString& table, const QString& geometryType) const {
  if (!database) return layerUri(table);
  return QgsProcessingUtils::encodeProviderKeyAndUri(
      kPostgres, layerUri(table, {}, QStringLiteral("geom"), geometryType));
}

QString withoutPassword(const QString& store) {
  return QString::fromStdString(layers::pgstore::withoutPassword(store.toStdString()));
}

bool isConnectionString(const QString& text) {
  return layers::pgstore::isPostgresUrl(text.trimmed().toStdString());
}

bool namesDatabase(const QString& text) {
  const QString t = text.trimmed();
  if (isConnectionString(t)) return true;
  return !t.isEmpty() && !QFileInfo::exists(t) && savedConnection(t);
}

StoreSource resolveStoreSource(const QString& text) {
  StoreSource s;
  s.given = text;
  const QString t = text.trimmed();
  if (t.isEmpty()) refuse(text, QStringLiteral("no store given"));
  if (isConnectionString(t)) {
    s.database = true;
    s.store = t;
    s.shown = QString::fromStdString(layers::pgstore::withoutPassword(t.toStdString()));
    s.connection = connectionFromConninfo(t, layers::pgstore::conninfoOf(t.toStdString()));
    return s;
  }
  if (QFileInfo(t).isFile()) {
    s.store = t;
    s.shown = t;
    return s;
  }
  // A PostgreSQL connection saved in QGIS, by its name.
  QgsAbstractProviderConnection* saved = savedConnection(t);
  if (!saved)
    refuse(text, QStringLiteral("no such store: not a file, a PostgreSQL connection string "
                                "(postgresql://…) or the name of a PostgreSQL connection saved "
                                "in QGIS; create a store with `veldwacht init` and import data "
                                "first"));
  s.database = true;
  s.connection = QgsDataSourceUri(saved->uri());
  // libpq gets the connection with the authentication configuration's user and password.
  s.store = QStringLiteral("PG:") + s.connection.connectionInfo(true);
  s.shown = QStringLiteral("%1 (%2)").arg(
      t, QString::fromStdString(
             layers::pgstore::withoutPassword(s.connection.connectionInfo(false).toStdString())));
  return s;
}

bool sameStore(const StoreSource& a, const StoreSource& b) {
  if (a.database != b.database) return false;
  if (!a.database) {
    const QString ca = QFileInfo(a.store).canonicalFilePath();
    return !ca.isEmpty() && ca == QFileInfo(b.store).canonicalFilePath();
  }
  const QgsDataSourceUri &x = a.connection, &y = b.connection;
  const auto port = [](const QgsDataSourceUri& u) {
    return u.port().isEmpty() ? QStringLiteral("5432") : u.port();
  };
  if (!x.service().isEmpty() || !y.service().isEmpty())
    return x.service() == y.service() && x.database() == y.database();
  return x.host() == y.host() && port(x) == port(y) && x.database() == y.database();
}

std::optional<LayerStore> storeOfLayer(const QgsMapLayer* layer) {
  if (!layer) return std::nullopt;
  const QString provider = layer->providerType();
  if (provider == QLatin1String("ogr")) {
    const QVariantMap parts = QgsProviderRegistry::instance()->decodeUri(provider, layer->source());
    LayerStore out;
    out.source.store = out.source.shown = out.source.given =
        parts.value(QStringLiteral("path")).toString();
    out.table = parts.value(QStringLiteral("layerName")).toString();
    // A single-layer file (CSV, shapefile) has no store table.
    if (out.table.isEmpty() || out.source.store.isEmpty()) return std::nullopt;
    return out;
  }
  if (provider != kPostgres) return std::nullopt;
  LayerStore out;
  out.source.database = true;
  out.source.connection = QgsDataSourceUri(layer->source());
  out.table = out.source.connection.table();
  if (out.table.isEmpty()) return std::nullopt;  // a query layer
  // libpq gets the connection with the authentication configuration's user and password.
  out.source.store = QStringLiteral("PG:") + out.source.connection.connectionInfo(true);
  out.source.shown = out.source.given =
      withoutPassword(QStringLiteral("PG:") + out.source.connection.connectionInfo(false));
  return out;
}

QList<StoreTable> databaseTables(layers::Store& store) {
  QList<StoreTable> out;
  const auto rows = store.query(
      "SELECT f_table_schema, f_table_name, f_geometry_column, type FROM geometry_columns "
      "WHERE f_table_schema = ANY (current_schemas(false)) ORDER BY f_table_name");
  for (const auto& r : rows) {
    if (r.size() < 4 || !r[0] || !r[1] || !r[2]) continue;
    out.append({QString::fromStdString(*r[0]), QString::fromStdString(*r[1]),
                QString::fromStdString(*r[2]), QString::fromStdString(r[3].value_or(""))});
  }
  return out;
}

QList<ui::ResultRow> resultHistory(layers::Store& store, const StoreSource& source) {
  QList<ui::ResultRow> rows;
  for (const layers::ResultInfo& r : layers::listResults(store)) {
    ui::ResultRow row;
    row.runId = source.shown + QLatin1Char('|') + QString::fromStdString(r.layer);
    row.algorithm = QString::fromStdString(r.metadata.algorithm);
    row.input = QString::fromStdString(r.metadata.inputLayer);
    QString started =
        QString::fromStdString(r.metadata.startedAt.empty() ? r.writtenAt : r.metadata.startedAt);
    started.replace(QLatin1Char(' '), QLatin1Char('T'));  // PostgreSQL's text form
    row.started = QDateTime::fromString(started, Qt::ISODate);
    row.seconds = r.metadata.durationSeconds;
    row.status = ui::ResultRow::Status::Succeeded;
    row.message = QString::fromStdString(r.file.empty() ? r.layer : r.file);
    row.parameters.insert(QStringLiteral("parameters_json"),
                          QString::fromStdString(r.metadata.parametersJson));
    rows.append(row);
  }
  return rows;
}

}  // namespace veldwacht::plugin
