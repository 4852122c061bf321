#include "plugin/processing/layout_label.h"

#include <qgslayout.h>
#include <qgslayoutitem.h>
#include <qgslayoutitemregistry.h>
#include <qgsreadwritecontext.h>

#include <QDomDocument>
#include <QFont>
#include <QList>
#include <QPair>

namespace veldwacht::plugin {

QgsLayoutItem* addLayoutLabel(QgsLayout& layout, const QString& text, double x, double y, double w,
                              double h, double pointSize, bool bold, const QColor& color,
                              Qt::Alignment align) {
  QDomDocument doc;
  QDomElement items = doc.createElement(QStringLiteral("Items"));
  doc.appendChild(items);
  QDomElement e = doc.createElement(QStringLiteral("LayoutItem"));
  const QString position = QStringLiteral("%1,%2,mm").arg(x).arg(y);
  const QList<QPair<QString, QString>> attributes = {
      {QStringLiteral("type"), QString::number(QgsLayoutItemRegistry::LayoutLabel)},
      {QStringLiteral("labelText"), text},
      {QStringLiteral("halign"), QString::number(int(align))},
      {QStringLiteral("valign"), QString::number(int(Qt::AlignTop))},
      {QStringLiteral("marginX"), QStringLiteral("0")},
      {QStringLiteral("marginY"), QStringLiteral("0")},
      {QStringLiteral("htmlState"), QStringLiteral("0")},
      {QStringLiteral("position"), position},
      {QStringLiteral("positionOnPage"), position},
      {QStringLiteral("size"), QStringLiteral("%1,%2,mm").arg(w).arg(h)},
      {QStringLiteral("frame"), QStringLiteral("false")},
      {QStringLiteral("background"), QStringLiteral("false")},
      {QStringLiteral("zValue"), QStringLiteral("10")},
      {QStringLiteral("opacity"), QStringLiteral("1")},
      {QStringLiteral("visibility"), QStringLiteral("1")}};
  for (const auto& [name, value] : attributes) e.setAttribute(name, value);
  QFont font(QStringLiteral("Sans"));
  font.setPointSizeF(pointSize);
  font.setBold(bold);
  QDomElement fontElement = doc.createElement(QStringLiteral("LabelFont"));
  fontElement.setAttribute(QStringLiteral("description"), font.toString());
  e.appendChild(fontElement);
  QDomElement colour = doc.createElement(QStringLiteral("FontColor"));
  colour.setAttribute(QStringLiteral("red"), color.red());
  colour.setAttribute(QStringLiteral("green"), color.green());
  colour.setAttribute(QStringLiteral("blue"), color.blue());
  colour.setAttribute(QStringLiteral("alpha"), color.alpha());
  e.appendChild(colour);
  items.appendChild(e);
  const QList<QgsLayoutItem*> added = layout.addItemsFromXml(items, doc, QgsReadWriteContext());
  return added.size() == 1 ? added.front() : nullptr;
}

}  // namespace veldwacht::plugin
