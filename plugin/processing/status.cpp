// veldwacht:store_status — moves a signal along its status path (nieuw -> in_behandeling ->
// doorgezet -> afgesloten/ongegrond) and/or records feedback to its reporter, with the CLI's
// Qt-free logic (layers/followup: `veldwacht status` in cli/commands/followup.cpp). The status,
// the history row in veldwacht_opvolging and the audit row are written in one transaction by
// layers::changeStatus; an unknown signal or a jump the path does not allow is refused with the
// signal, its status and the allowed next ones.
#include "plugin/json_compat.h"  // before any QGIS header

#include "plugin/processing/status.h"

#include <qgsprocessingoutputs.h>
#include <qgsprocessingparameters.h>

#include <QCoreApplication>
#include <QFileInfo>

#include "geo/core/error.h"
#include "layers/followup/followup.h"
#include "layers/store/store.h"
#include "plugin/processing/common.h"
#include "plugin/processing/provider.h"

namespace veldwacht::plugin {

namespace {

const QString kSignal = QStringLiteral("SIGNAL");
const QString kStatus = QStringLiteral("STATUS");
const QString kFeedback = QStringLiteral("FEEDBACK");
const QString kDate = QStringLiteral("DATE");

/// The choices of STATUS: index 0 keeps the status (feedback only), then the statuses a change
/// can move to (nieuw is only ever the start).
const std::vector<layers::SignalStatus>& targets() {
  using S = layers::SignalStatus;
  static const std::vector<S> list{S::InBehandeling, S::Doorgezet, S::Afgesloten, S::Ongegrond};
  return list;
}

class StatusAlgorithm : public Algorithm {
  Q_DECLARE_TR_FUNCTIONS(StatusAlgorithm)

 public:
  QString name() const override { return QStringLiteral("store_status"); }
  QString displayName() const override { return tr("Change a signal's follow-up status"); }
  QString group() const override { return tr("Follow-up"); }
  QString groupId() const override { return QStringLiteral("followup"); }
  QStringList tags() const override {
    return tr("status,opvolging,terugkoppeling,feedback,signaal,follow-up").split(QLatin1Char(','));
  }
  QString shortHelpString() const override {
    return tr(
        "Moves a signal of a Veldwacht store along its status path (nieuw -> in_behandeling -> "
        "doorgezet -> afgesloten or ongegrond; afgesloten and ongegrond are final) and/or "
        "records feedback to its reporter (terugkoppeling and its date). Every change is "
        "written to signalen, the follow-up history (veldwacht_opvolging) and the audit log in "
        "one transaction, as `veldwacht status` does. A jump the path does not allow is "
        "refused with the allowed next statuses.");
  }
  QString inputParameterName() const override { return kStore; }
  StatusAlgorithm* createInstance() const override { return new StatusAlgorithm(); }

  void initAlgorithm(const QVariantMap& = QVariantMap()) override {
    addParameter(new QgsProcessingParameterFile(
        kStore, tr("Veldwacht store"), QgsProcessingParameterFile::File, QStringLiteral("gpkg")));
    addParameter(new QgsProcessingParameterString(kSignal, tr("Signal (signaal_id)")));
    QStringList choices{tr("(unchanged: feedback only)")};
    for (const auto s : targets()) choices << QString::fromLatin1(layers::statusName(s));
    addParameter(new QgsProcessingParameterEnum(kStatus, tr("New status"), choices, false, 0));
    addParameter(new QgsProcessingParameterString(kFeedback, tr("Feedback to the reporter"),
                                                  QVariant(), true, true));
    addParameter(new QgsProcessingParameterString(
        kDate, tr("Date of the change (YYYY-MM-DD; empty = today)"), QVariant(), false, true));
    addOutput(new QgsProcessingOutputString(QStringLiteral("FROM"), tr("Status before")));
    addOutput(new QgsProcessingOutputString(QStringLiteral("TO"), tr("Status after")));
    addOutput(new QgsProcessingOutputBoolean(QStringLiteral("FEEDBACK_RECORDED"),
                                             tr("Feedback recorded")));
  }

 protected:
  QVariantMap processAlgorithm(const QVariantMap& parameters, QgsProcessingContext& context,
                               QgsProcessingFeedback* feedback) override {
    const QString path = parameterAsFile(parameters, kStore, context);
    layers::StatusChange change;
    change.signal = parameterAsString(parameters, kSignal, context).trimmed().toStdString();
    change.feedback = parameterAsString(parameters, kFeedback, context).toStdString();
    change.date = parameterAsString(parameters, kDate, context).trimmed().toStdString();
    QVariantMap outputs;
    runCore([&] {
      // The status by its name (as the CLI takes it) or by its index in the choices.
      const QVariant raw = parameters.value(kStatus);
      const QString name = raw.toString();
      bool isIndex = false;
      const int index = name.toInt(&isIndex);
      if (!name.isEmpty() && !isIndex) {
        change.to = layers::parseStatus(name.toStdString());
      } else {
        const int i = isIndex ? index : parameterAsEnum(parameters, kStatus, context);
        if (i < 0 || std::size_t(i) > targets().size())
          throw geo::OptionError(kStatus.toStdString(),
                                 "expected 0 to " + std::to_string(targets().size()));
        if (i > 0) change.to = targets()[std::size_t(i - 1)];
      }
      change.validate();
      if (path.isEmpty()) throw geo::OptionError(kStore.toStdString(), "no store given");
      if (!QFileInfo::exists(path))
        throw geo::InputError({path.toStdString(), std::nullopt, ""}, "no such store");
      auto store = layers::Store::open(path.toStdString(), true);
      const layers::StatusChangeResult r = layers::changeStatus(*store, change);
      const QString from = QString::fromLatin1(layers::statusName(r.from));
      const QString to = QString::fromLatin1(layers::statusName(r.to));
      if (feedback)
        feedback->pushInfo(tr("%1: %2 -> %3%4 (recorded in the audit log)")
                               .arg(QString::fromStdString(change.signal), from, to,
                                    r.feedbackRecorded ? tr("; feedback recorded") : QString()));
      outputs.insert(QStringLiteral("FROM"), from);
      outputs.insert(QStringLiteral("TO"), to);
      outputs.insert(QStringLiteral("FEEDBACK_RECORDED"), r.feedbackRecorded);
    });
    return outputs;
  }
};

}  // namespace

QgsProcessingAlgorithm* createStatusAlgorithm() { return new StatusAlgorithm(); }

}  // namespace veldwacht::plugin
