#include "plugin/ui/temporal.h"

#include <qgsproject.h>
#include <qgsprojecttimesettings.h>
#include <qgsvectorlayer.h>
#include <qgsvectorlayertemporalproperties.h>

#include <algorithm>

namespace veldwacht::plugin {

TemporalExpressions temporalExpressionsOf(const QString& table) {
  if (table == QLatin1String("signalen"))
    return {QStringLiteral("\"waargenomen_van\""),
            QStringLiteral("coalesce(\"waargenomen_tot\", \"waargenomen_van\")")};
  if (table == QLatin1String("incidenten"))
    return {QStringLiteral("to_datetime(\"datum\")"),
            QStringLiteral("to_datetime(\"datum\") + to_interval('1 day')")};
  return {};
}

bool applyTemporalProperties(QgsVectorLayer* layer, const QString& table, QgsProject* project) {
  const TemporalExpressions e = temporalExpressionsOf(table);
  if (!layer || e.start.isEmpty()) return false;
  auto* props = qobject_cast<QgsVectorLayerTemporalProperties*>(layer->temporalProperties());
  if (!props) return false;
  props->setMode(Qgis::VectorTemporalMode::FeatureDateTimeStartAndEndFromExpressions);
  props->setStartExpression(e.start);
  props->setEndExpression(e.end);
  props->setIsActive(true);
  if (project) {
    const QgsDateTimeRange extent = props->calculateTemporalExtent(layer);
    if (extent.begin().isValid() && extent.end().isValid()) {
      const QgsDateTimeRange current = project->timeSettings()->temporalRange();
      if (current.begin().isValid() && current.end().isValid())
        project->timeSettings()->setTemporalRange(QgsDateTimeRange(
            std::min(current.begin(), extent.begin()), std::max(current.end(), extent.end())));
      else
        project->timeSettings()->setTemporalRange(extent);
    }
  }
  return true;
}

}  // namespace veldwacht::plugin
