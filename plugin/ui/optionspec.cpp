#include "plugin/ui/optionspec.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace veldwacht::ui {

namespace {
OptionSpec make(QString name, QString label, OptionSpec::Kind kind, QVariant def) {
  OptionSpec s;
  s.name = std::move(name);
  s.label = std::move(label);
  s.kind = kind;
  s.defaultValue = std::move(def);
  return s;
}
}  // namespace

OptionSpec OptionSpec::integer(QString name, QString label, int def, QVariant min, QVariant max) {
  OptionSpec s = make(std::move(name), std::move(label), Kind::Integer, def);
  s.minimum = std::move(min);
  s.maximum = std::move(max);
  return s;
}

OptionSpec OptionSpec::real(QString name, QString label, double def, QVariant min, QVariant max) {
  OptionSpec s = make(std::move(name), std::move(label), Kind::Double, def);
  s.minimum = std::move(min);
  s.maximum = std::move(max);
  return s;
}

OptionSpec OptionSpec::boolean(QString name, QString label, bool def) {
  return make(std::move(name), std::move(label), Kind::Boolean, def);
}

OptionSpec OptionSpec::choice(QString name, QString label, QStringList choices, int def) {
  OptionSpec s = make(std::move(name), std::move(label), Kind::Choice, def);
  s.choices = std::move(choices);
  s.minimum = 0;
  s.maximum = std::max<int>(0, int(s.choices.size()) - 1);
  return s;
}

OptionSpec OptionSpec::text(QString name, QString label, QString def) {
  return make(std::move(name), std::move(label), Kind::Text, std::move(def));
}

int toIntClamped(const QVariant& v, int fallback) {
  bool ok = false;
  const double x = v.toDouble(&ok);
  if (!ok || std::isnan(x)) return fallback;
  if (x >= double(std::numeric_limits<int>::max())) return std::numeric_limits<int>::max();
  if (x <= double(std::numeric_limits<int>::min())) return std::numeric_limits<int>::min();
  return int(std::llround(x));
}

QVariant OptionSpec::normalise(const QVariant& value) const {
  if (!value.isValid() || value.isNull()) return defaultValue;
  bool ok = false;
  switch (kind) {
    case Kind::Integer:
    case Kind::Choice: {
      (void)value.toDouble(&ok);
      if (!ok) return defaultValue;
      int v = toIntClamped(value, 0);
      if (minimum.isValid()) v = std::max(v, toIntClamped(minimum, v));
      if (maximum.isValid()) v = std::min(v, toIntClamped(maximum, v));
      return v;
    }
    case Kind::Double: {
      double v = value.toDouble(&ok);
      if (!ok) return defaultValue;
      if (minimum.isValid()) v = std::max(v, minimum.toDouble());
      if (maximum.isValid()) v = std::min(v, maximum.toDouble());
      return v;
    }
    case Kind::Boolean:
      return value.toBool();
    case Kind::Text:
      return value.toString();
  }
  return defaultValue;
}

QVariantMap defaultValues(const OptionSpecs& specs) {
  QVariantMap m;
  for (const OptionSpec& s : specs) m.insert(s.name, s.defaultValue);
  return m;
}

}  // namespace veldwacht::ui
