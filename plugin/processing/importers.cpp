// Processing adapter for layers/importers: any QGIS layer or file into a Veldwacht store.
#include <qgsprocessingparameters.h>

#include <QFileInfo>

#include "layers/importers/importer.h"
#include "layers/pgstore/backend.h"
#include "layers/schema/schema.h"
#include "layers/schema/validate.h"
#include "layers/store/store.h"
#include "plugin/processing/algorithms.h"
#include "plugin/processing/common.h"
#include "plugin/store_source.h"

namespace veldwacht::plugin {

namespace {
const QString kInput = QStringLiteral("INPUT");
const QString kLayer = QStringLiteral("LAYER");
const QString kCrs = QStringLiteral("SOURCE_CRS");
const QString kMapping = QStringLiteral("MAPPING");
const QString kMakeValid = QStringLiteral("MAKE_VALID");
const QString kValidateOnly = QStringLiteral("VALIDATE_ONLY");
const QString kCreate = QStringLiteral("CREATE_STORE");
const QString kUpdate = QStringLiteral("UPDATE");

/// Target layer choices: "recognise", then every store layer of docs/schema.md.
QStringList layerNames() {
  QStringList names;
  for (const layers::LayerDef& def : layers::layerDefs()) names << QString::fromStdString(def.name);
  return names;
}

/// `updateHint` stands in for the core's "--update" (in QGIS the same switch is UPDATE).
void reportProblems(const std::vector<layers::Problem>& problems, QgsProcessingFeedback* feedback,
                    bool errors, const QString& updateHint = QString()) {
  for (const layers::Problem& p : problems) {
    QString text = QString::fromStdString(p.str());
    if (!updateHint.isEmpty()) text.replace(QStringLiteral("import it with --update"), updateHint);
    if (errors)
      feedback->reportError(text, false);
    else
      feedback->pushWarning(text);
  }
}
}  // namespace

QString ImportAlgorithm::name() const { return QStringLiteral("import"); }
QString ImportAlgorithm::displayName() const { return tr("Import into a Veldwacht store"); }
QString ImportAlgorithm::group() const { return tr("Store"); }
QString ImportAlgorithm::groupId() const { return QStringLiteral("store"); }
QStringList ImportAlgorithm::tags() const {
  return tr("import,store,bag,cbs,nwb,ibis,csv,signalen").split(',');
}
QString ImportAlgorithm::shortHelpString() const {
  return tr(
      "Imports a layer (any QGIS layer, or a file: BAG, CBS wijk- en buurtkaart, NWB, IBIS, "
      "analysts' CSV exports with ; and decimal commas) into a Veldwacht store. The target "
      "layer is recognised from the fields unless chosen; other field names can be mapped "
      "as bron=doel,bron2=doel2. Coordinates are transformed to EPSG:28992. Every problem "
      "of every row is reported; when there is any, nothing is written (one "
      "transaction). With 'validate only' nothing is written at all. With 'update a register' "
      "the input is the newer version of a register already in the store (BAG panden or "
      "verblijfsobjecten by bag_id, NWB wegvakken by wvk_id, CBS gemeenten/wijken/buurten by "
      "code, IBIS bedrijventerreinen by rin_nummer): rows are added, changed and removed by key "
      "instead of refusing stored keys, and the log reports what was added, changed and "
      "removed (the same as veldwacht import --update).");
}

ui::OptionSpecs ImportAlgorithm::optionSpecs() const {
  QStringList choices{tr("Recognise from the fields")};
  choices << layerNames();
  return {
      ui::OptionSpec::choice(kLayer, tr("Target layer"), choices, 0),
      ui::OptionSpec::text(kMapping, tr("Field mapping (bron=doel,…)"), QString()).asAdvanced(),
      ui::OptionSpec::boolean(kMakeValid, tr("Repair invalid polygons"), false).asAdvanced(),
      ui::OptionSpec::boolean(kValidateOnly, tr("Validate only (write nothing)"), false),
      ui::OptionSpec::boolean(kUpdate, tr("Update a register already in the store (newer version)"),
                              false),
      ui::OptionSpec::boolean(kCreate, tr("Create the store when it does not exist"), true)
          .asAdvanced(),
  };
}

void ImportAlgorithm::initAlgorithm(const QVariantMap&) {
  addParameter(new QgsProcessingParameterFeatureSource(kInput, tr("Layer or file to import"),
                                                       QList<int>() << compat::kSourceVector));
  auto* store = new QgsProcessingParameterFileDestination(kStore, tr("Veldwacht store"),
                                                          tr("Veldwacht store (*.gpkg *.sqlite)"),
                                                          QVariant(), false, false);
  store->setHelp(QStringLiteral(
      "A GeoPackage (created when it does not exist), or a PostGIS store made with veldwacht "
      "init: postgresql://… or the name of a PostgreSQL connection saved in QGIS"));
  addParameter(store);
  auto* crs = new QgsProcessingParameterCrs(kCrs, tr("Source CRS (overrides the layer's)"),
                                            QVariant(), true);
  crs->setFlags(crs->flags() | compat::kParamAdvanced);
  addParameter(crs);
  addOptionParameters(optionSpecs(), [this](auto* p) { return addParameter(p); });
  addOutput(new QgsProcessingOutputNumber(QStringLiteral("ROWS"), tr("Rows imported")));
  addOutput(new QgsProcessingOutputString(QStringLiteral("REPORT"), tr("Report")));
  // UPDATE: totals over the updated registers (0 without UPDATE).
  addOutput(new QgsProcessingOutputNumber(QStringLiteral("ADDED"), tr("Register rows added")));
  addOutput(new QgsProcessingOutputNumber(QStringLiteral("CHANGED"), tr("Register rows changed")));
  addOutput(new QgsProcessingOutputNumber(QStringLiteral("REMOVED"), tr("Register rows removed")));
  addOutput(
      new QgsProcessingOutputNumber(QStringLiteral("UNCHANGED"), tr("Register rows unchanged")));
}

QVariantMap ImportAlgorithm::processAlgorithm(const QVariantMap& parameters,
                                              QgsProcessingContext& context,
                                              QgsProcessingFeedback* feedback) {
  const QVariantMap v = optionValues(*this, optionSpecs(), parameters, context);
  layers::ImportOptions options;
  const int layerChoice = v.value(kLayer).toInt();
  if (layerChoice > 0) options.layer = layerNames().value(layerChoice - 1).toStdString();
  options.mapping = v.value(kMapping).toString().toStdString();
  options.makeValid = v.value(kMakeValid).toBool();
  options.update = v.value(kUpdate).toBool();
  const QgsCoordinateReferenceSystem crs = parameterAsCrs(parameters, kCrs, context);
  if (crs.isValid()) options.sourceCrs = crs.authid().toStdString();
  const QString storePath = parameterAsFileOutput(parameters, kStore, context);
  // A file QGIS reads through OGR is imported as it is (the core reads CSVs itself); any other
  // layer (memory, PostGIS, a selection) is first written to a temporary GeoPackage.
  QString sourceLayer;
  const QString path = parameterAsCompatibleSourceLayerPathAndLayerName(
      parameters, kInput, context,
      {QStringLiteral("gpkg"), QStringLiteral("shp"), QStringLiteral("csv"),
       QStringLiteral("geojson"), QStringLiteral("json"), QStringLiteral("sqlite")},
      QStringLiteral("gpkg"), feedback, &sourceLayer);
  if (path.isEmpty()) throw QgsProcessingException(invalidSourceError(parameters, kInput));
  options.sourceLayer = sourceLayer.toStdString();

  QVariantMap outputs;
  QString shownStore = storePath;  // without a password
  runCore([&] {
    options.validate();
    FeedbackProgress progress(feedback);
    const std::string file = path.toStdString();
    if (v.value(kValidateOnly).toBool()) {
      const layers::ValidationReport report = layers::validateFile(file, options, progress);
      for (const layers::SourceReport& s : report.sources) {
        reportProblems(s.errors, feedback, true);
        reportProblems(s.warnings, feedback, false);
      }
      feedback->pushInfo(QString::fromStdString(report.str()));
      outputs.insert(QStringLiteral("ROWS"), 0);
      outputs.insert(QStringLiteral("REPORT"), QString::fromStdString(report.str()));
      if (!report.ok()) throw QgsProcessingException(tr("The input has errors; see the log"));
      return;
    }
    std::unique_ptr<layers::Store> store;
    if (namesDatabase(storePath)) {
      // A PostGIS store (postgresql://…, PG:…, a saved connection's name) is made with
      // `veldwacht init`; here it is opened, or refused with the store's own message.
      const StoreSource source = resolveStoreSource(storePath);
      shownStore = source.shown;
      store = layers::openStore(source.store.toStdString(), true);
    } else if (!QFileInfo::exists(storePath)) {
      if (!v.value(kCreate).toBool())
        throw QgsProcessingException(tr("Store %1 does not exist").arg(storePath));
      store = layers::Store::create(storePath.toStdString());
    } else {
      store = layers::Store::open(storePath.toStdString(), true);
    }
    try {
      const std::string paths[] = {file};
      // The CLI's dispatch: a register update on PostGIS is compared and written on the server
      // (pgstore::importUpdate), everything else is importFiles.
      const layers::ImportReport report = layers::importIntoStore(*store, paths, options, progress);
      for (const layers::SourceReport& s : report.sources)
        reportProblems(s.warnings, feedback, false);
      std::int64_t rows = 0;
      for (const auto& [layer, n] : report.rowsPerLayer) rows += n;
      feedback->pushInfo(QString::fromStdString(report.str()));
      std::int64_t added = 0, changed = 0, removed = 0, unchanged = 0;
      for (const layers::RegisterUpdateSummary& u : report.updates) {
        added += u.added;
        changed += u.changed;
        removed += u.removed;
        unchanged += u.unchanged;
      }
      outputs.insert(QStringLiteral("ADDED"), qlonglong(added));
      outputs.insert(QStringLiteral("CHANGED"), qlonglong(changed));
      outputs.insert(QStringLiteral("REMOVED"), qlonglong(removed));
      outputs.insert(QStringLiteral("UNCHANGED"), qlonglong(unchanged));
      outputs.insert(QStringLiteral("ROWS"), qlonglong(rows));
      outputs.insert(QStringLiteral("REPORT"), QString::fromStdString(report.str()));
    } catch (const layers::ValidationError& e) {
      reportProblems(e.problems(), feedback, true,
                     tr("import it with the parameter 'Update a register already in the store "
                        "(newer version)' (UPDATE; veldwacht import --update)"));
      throw QgsProcessingException(
          tr("%1 problem(s) found; nothing was written to the store").arg(e.problems().size()));
    }
  });
  outputs.insert(kStore, shownStore);
  return outputs;
}

}  // namespace veldwacht::plugin
