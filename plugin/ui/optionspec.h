// A Qt-only description of one field of a core algorithm's Options struct: what the parameter
// form shows and what the Processing adapter turns into a QgsProcessingParameter. Declared once
// per algorithm in plugin/processing/, used by both (no QGIS types here, so this builds with
// Qt 5 and Qt 6).
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVariantMap>

namespace veldwacht::ui {

struct OptionSpec {
  enum class Kind { Integer, Double, Boolean, Choice, Text };

  QString name;   ///< parameter name (upper case, as Processing names them: "EPS")
  QString label;  ///< translated label
  Kind kind = Kind::Double;
  QVariant defaultValue;  ///< int, double, bool, int (choice index) or QString
  QVariant minimum;       ///< numeric kinds; invalid = unbounded
  QVariant maximum;       ///< numeric kinds; invalid = unbounded
  QStringList choices;    ///< Kind::Choice: translated labels, value = index
  bool advanced = false;  ///< hidden behind "advanced" in the form and in Processing
  QString unit;           ///< shown as a suffix ("m", "dagen"); empty = none
  QString help;           ///< one translated line, shown as tooltip

  static OptionSpec integer(QString name, QString label, int def, QVariant min = {},
                            QVariant max = {});
  static OptionSpec real(QString name, QString label, double def, QVariant min = {},
                         QVariant max = {});
  static OptionSpec boolean(QString name, QString label, bool def);
  static OptionSpec choice(QString name, QString label, QStringList choices, int def);
  static OptionSpec text(QString name, QString label, QString def);

  /// Builder-style setters, so a list of specs reads as one table.
  OptionSpec& asAdvanced() {
    advanced = true;
    return *this;
  }
  OptionSpec& withUnit(QString u) {
    unit = std::move(u);
    return *this;
  }
  OptionSpec& withHelp(QString h) {
    help = std::move(h);
    return *this;
  }

  /// Clamps/converts `value` to this spec's kind and range; invalid input gives the default.
  QVariant normalise(const QVariant& value) const;
};

/// An integer bound or value as an int, clamped to int's range: a description's bound of 2^53
/// (a seed) must become INT_MAX, not 0 (QVariant::toInt gives 0 out of range); `fallback` when
/// `v` is not a number.
int toIntClamped(const QVariant& v, int fallback);

using OptionSpecs = QList<OptionSpec>;

/// The defaults of all specs, keyed by name.
QVariantMap defaultValues(const OptionSpecs& specs);

}  // namespace veldwacht::ui
