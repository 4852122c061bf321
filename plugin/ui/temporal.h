// Time for the layers the plugin opens from a store: signalen and incidenten get QGIS temporal
// properties, so that the Temporal Controller animates them, and the project's time range grows
// to what they span. The same expressions as the sample project (make_project.py): a signal
// lasts its observation window (an instant when waargenomen_tot is empty), an incident its day.
#pragma once

#include <QString>

class QgsProject;
class QgsVectorLayer;

namespace veldwacht::plugin {

/// Start and end expressions of a store table; both empty when the table has no time.
struct TemporalExpressions {
  QString start;
  QString end;
};
TemporalExpressions temporalExpressionsOf(const QString& table);

/// Makes `layer` (store table `table`) temporal when the table has a time; returns whether it
/// did. With a project, that project's temporal range is widened to the layer's extent.
bool applyTemporalProperties(QgsVectorLayer* layer, const QString& table,
                             QgsProject* project = nullptr);

}  // namespace veldwacht::plugin
