// veldwacht:kennissessie — for a Veldwacht store with public layers (`veldwacht publiceer`), the
// Kennissessie export into an output folder: kennissessie.pdf (four A4 landscape pages:
// overview, hot spots, trend per category, follow-up of reports) and kennissessie_1..4.png
// (1920x1080 slides). The same code as the menu action (exportKennissessie): only layers the
// store classifies public are loaded (addKennissessieLayers) and put on a map, the finished
// layout is checked again, and the export or its refusal is written to the store's audit log.
// The period limits the trend and follow-up charts (the maps show the public layers as
// published).
#include "plugin/json_compat.h"  // before any QGIS header

#include "plugin/processing/kennissessie_alg.h"

#include <qgsprocessingoutputs.h>
#include <qgsprocessingparameters.h>
#include <qgsproject.h>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include "plugin/processing/common.h"
#include "plugin/processing/provider.h"
#include "plugin/qgiscompat.h"
#include "plugin/store_source.h"
#include "plugin/ui/kennissessie.h"

namespace veldwacht::plugin {

namespace {

const QString kOutputFolder = QStringLiteral("OUTPUT_FOLDER");
const QString kSubtitle = QStringLiteral("SUBTITLE");
const QString kFrom = QStringLiteral("FROM");
const QString kTo = QStringLiteral("TO");
const QString kDays = QStringLiteral("FOLLOWUP_DAYS");
const QString kSlides = QStringLiteral("SLIDES");
const QString kKeepLayout = QStringLiteral("KEEP_LAYOUT");

class KennissessieAlgorithm : public Algorithm {
  Q_DECLARE_TR_FUNCTIONS(KennissessieAlgorithm)

 public:
  QString name() const override { return QStringLiteral("kennissessie"); }
  QString displayName() const override { return tr("Kennissessie export (PDF and slides)"); }
  QString group() const override { return tr("Follow-up"); }
  QString groupId() const override { return QStringLiteral("followup"); }
  QStringList tags() const override {
    return tr("kennissessie,ondernemers alert,presentatie,pdf,dia,slides,openbaar,public,layout")
        .split(QLatin1Char(','));
  }
  QString shortHelpString() const override {
    return tr(
        "Writes the Kennissessie export of a Veldwacht store into a folder: kennissessie.pdf, "
        "four A4 landscape pages (overview with the counts per area, hot spots of the masked "
        "points, the trend per category, the follow-up of reports), and kennissessie_1.png to "
        "kennissessie_4.png as 1920x1080 slides. Only layers the store classifies public are "
        "shown (build them with `veldwacht publiceer`); without them the export is refused. The "
        "period (YYYY-MM-DD, either end may be empty) limits the trend and follow-up charts. "
        "Every export and refusal is recorded in the store's audit log.");
  }
  /// Layouts of a private project are built and rendered in one thread, as QGIS's own layout
  /// exports are.
  compat::AlgorithmFlags flags() const override {
    return QgsProcessingAlgorithm::flags() | compat::kAlgNoThreading;
  }
  QString inputParameterName() const override { return kStore; }
  KennissessieAlgorithm* createInstance() const override { return new KennissessieAlgorithm(); }

  void initAlgorithm(const QVariantMap& = QVariantMap()) override {
    // A GeoPackage, a PostgreSQL connection string or a saved connection's name (as the store
    // algorithms take it: no extension, since Processing demands it of the value).
    auto* store = new QgsProcessingParameterFile(
        kStore, tr("Veldwacht store"), QgsProcessingParameterFile::File, QString(), QVariant(),
        false, QStringLiteral("All files (*)"));
    store->setHelp(QStringLiteral(
        "A GeoPackage, postgresql://… or the name of a PostgreSQL connection saved in QGIS"));
    addParameter(store);
    addParameter(new QgsProcessingParameterString(kTitle, tr("Title"),
                                                  QStringLiteral("Kennissessie"), false, true));
    addParameter(new QgsProcessingParameterString(
        kSubtitle, tr("Subtitle (e.g. the municipality or the evening)"), QVariant(), false, true));
    addParameter(new QgsProcessingParameterString(
        kFrom, tr("Period from (YYYY-MM-DD; empty = open)"), QVariant(), false, true));
    addParameter(new QgsProcessingParameterString(kTo, tr("Period to (YYYY-MM-DD; empty = open)"),
                                                  QVariant(), false, true));
    addParameter(new QgsProcessingParameterNumber(kDays, tr("Feedback is late after (days)"),
                                                  QgsProcessingParameterNumber::Integer, 14, false,
                                                  1, 3650));
    auto* keep = new QgsProcessingParameterBoolean(
        kKeepLayout,
        tr("Keep the layout in the current project (with its two layers; charts in the folder)"),
        false, true);
    keep->setFlags(keep->flags() | compat::kParamAdvanced);
    addParameter(keep);
    addParameter(new QgsProcessingParameterFolderDestination(kOutputFolder, tr("Output folder")));
    addOutput(new QgsProcessingOutputFile(QStringLiteral("PDF"), tr("Kennissessie PDF")));
    addOutput(new QgsProcessingOutputNumber(QStringLiteral("PAGES"), tr("Pages")));
    addOutput(new QgsProcessingOutputString(kSlides, tr("Slides (PNG paths, ; separated)")));
    addOutput(new QgsProcessingOutputString(QStringLiteral("LAYERS"), tr("Layers shown")));
  }

 protected:
  QVariantMap processAlgorithm(const QVariantMap& parameters, QgsProcessingContext& context,
                               QgsProcessingFeedback* feedback) override {
    const QString store = parameterAsFile(parameters, kStore, context);
    const QString folder = parameterAsString(parameters, kOutputFolder, context);
    KennissessieOptions options;
    options.store = store;
    const QString title = parameterAsString(parameters, kTitle, context).trimmed();
    if (!title.isEmpty()) options.title = title;
    options.subtitle = parameterAsString(parameters, kSubtitle, context).trimmed();
    options.from = dateParameter(parameters, kFrom, context);
    options.to = dateParameter(parameters, kTo, context);
    if (options.from.isValid() && options.to.isValid() && options.to < options.from)
      throw QgsProcessingException(
          tr("%1: the period ends (%2) before it starts (%3)")
              .arg(kTo, options.to.toString(Qt::ISODate), options.from.toString(Qt::ISODate)));
    options.followupDays = parameterAsInt(parameters, kDays, context);
    if (store.isEmpty() || (!QFileInfo::exists(store) && !namesDatabase(store)))
      throw QgsProcessingException(
          tr("%1: no such store '%2'").arg(kStore, withoutPassword(store)));
    if (folder.isEmpty())
      throw QgsProcessingException(tr("%1: no folder given").arg(kOutputFolder));
    if (!QDir().mkpath(folder))
      throw QgsProcessingException(tr("%1: cannot create %2").arg(kOutputFolder, folder));
    options.pdf = QDir(folder).filePath(QStringLiteral("kennissessie.pdf"));
    options.slidesDir = folder;

    // A project of its own, unless the layout is to stay in the context's project (the sample
    // project); its layers are then added only when the project lacks them.
    options.keepLayout = parameterAsBoolean(parameters, kKeepLayout, context);
    options.chartsDir = folder;
    QgsProject own;
    own.setCrs(workingCrs());
    QgsProject* project = &own;
    if (options.keepLayout) {
      project = context.project();
      if (!project)
        throw QgsProcessingException(
            tr("%1: there is no project to keep the layout in").arg(kKeepLayout));
    }
    QVariantMap outputs;
    try {
      const int loaded = addKennissessieLayers(project, store);
      if (feedback)
        feedback->pushInfo(tr("%n public layer(s) of the store loaded", nullptr, loaded));
      const KennissessieResult r = exportKennissessie(project, options);
      if (feedback)
        feedback->pushInfo(tr("%1 pages in %2, %3 slides; layers shown: %4 (recorded in the "
                              "audit log)")
                               .arg(r.pages)
                               .arg(options.pdf)
                               .arg(r.slides.size())
                               .arg(r.layers.join(QStringLiteral(", "))));
      outputs.insert(QStringLiteral("PDF"), options.pdf);
      outputs.insert(QStringLiteral("PAGES"), r.pages);
      outputs.insert(kSlides, r.slides.join(QLatin1Char(';')));
      outputs.insert(QStringLiteral("LAYERS"), r.layers.join(QStringLiteral(",")));
      outputs.insert(kOutputFolder, folder);
    } catch (const KennissessieRefused& e) {
      throw QgsProcessingException(tr("Kennissessie refused (recorded in the audit log): %1")
                                       .arg(QString::fromUtf8(e.what())));
    } catch (const QgsProcessingException&) {
      throw;
    } catch (const std::exception& e) {
      throw QgsProcessingException(QString::fromUtf8(e.what()));
    }
    return outputs;
  }

 private:
  QDate dateParameter(const QVariantMap& parameters, const QString& name,
                      QgsProcessingContext& context) const {
    const QString text = parameterAsString(parameters, name, context).trimmed();
    if (text.isEmpty()) return {};
    const QDate d = QDate::fromString(text, Qt::ISODate);
    if (!d.isValid() || text.size() != 10)
      throw QgsProcessingException(tr("%1: expected a date YYYY-MM-DD, got '%2'").arg(name, text));
    return d;
  }
};

}  // namespace

QgsProcessingAlgorithm* createKennissessieAlgorithm() { return new KennissessieAlgorithm(); }

}  // namespace veldwacht::plugin
