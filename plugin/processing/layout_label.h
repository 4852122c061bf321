// A text label on a QGIS print layout, built from its XML form: Debian's QGIS 3.22 headers cannot
// include qgslayoutitemlabel.h (it needs qgswebframe.h, which the package lacks). Used by the
// route cards and the Kennissessie export.
#pragma once

#include <QColor>
#include <QString>
#include <Qt>

class QgsLayout;
class QgsLayoutItem;

namespace veldwacht::plugin {

/// Adds a label with `text` (expressions in [% %] are evaluated, per atlas page too) at x, y
/// (mm, on the first page), w × h mm, in a Sans font of `pointSize`. Returns the new item, or
/// nullptr when QGIS did not accept it (the caller says what could not be built).
QgsLayoutItem* addLayoutLabel(QgsLayout& layout, const QString& text, double x, double y, double w,
                              double h, double pointSize, bool bold,
                              const QColor& color = Qt::black, Qt::Alignment align = Qt::AlignLeft);

}  // namespace veldwacht::plugin
