#include "plugin/ui/parameterform.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QSpinBox>

#include <algorithm>
#include <cmath>
#include <limits>

namespace veldwacht::ui {

ParameterForm::ParameterForm(QWidget* parent) : QWidget(parent) {
  layout_ = new QFormLayout(this);
  layout_->setContentsMargins(0, 0, 0, 0);
  advanced_ = new QCheckBox(tr("Show advanced options"), this);
  advanced_->setObjectName(QStringLiteral("showAdvanced"));
  connect(advanced_, &QCheckBox::toggled, this, &ParameterForm::setAdvancedShown);
}

void ParameterForm::setSpecs(const OptionSpecs& specs) {
  // Remove the old rows (the check box is re-added at the end).
  layout_->removeWidget(advanced_);
  while (layout_->rowCount() > 0) layout_->removeRow(0);
  editors_.clear();
  specs_ = specs;

  bool anyAdvanced = false;
  for (const OptionSpec& spec : specs_) {
    QWidget* editor = makeEditor(spec);
    editor->setObjectName(spec.name);
    editor->setToolTip(spec.help);
    layout_->addRow(spec.label, editor);
    editors_.append(editor);
    anyAdvanced = anyAdvanced || spec.advanced;
  }
  layout_->addRow(advanced_);
  advanced_->setVisible(anyAdvanced);
  setAdvancedShown(advanced_->isChecked());
}

namespace {

/// Decimals that show the default and the bounds exactly (at least 3, at most 10): a default
/// of 1e-4 (k-means' tolerance) must not become 0 in a 3-decimal spin box and so differ from
/// what the description says.
int decimalsFor(const OptionSpec& spec) {
  int decimals = 3;
  for (const QVariant& v : {spec.defaultValue, spec.minimum, spec.maximum}) {
    if (!v.isValid()) continue;
    const double x = std::fabs(v.toDouble());
    if (!(x > 0) || !std::isfinite(x) || x >= 1e12) continue;
    int k = decimals;
    for (; k < 10; ++k) {
      const double scale = std::pow(10.0, k);
      if (std::fabs(std::round(x * scale) / scale - x) <= 1e-12 * x) break;
    }
    decimals = std::max(decimals, k);
  }
  return decimals;
}

}  // namespace

QWidget* ParameterForm::makeEditor(const OptionSpec& spec) {
  QWidget* editor = nullptr;
  const QString suffix = spec.unit.isEmpty() ? QString() : QStringLiteral(" ") + spec.unit;
  switch (spec.kind) {
    case OptionSpec::Kind::Integer: {
      auto* box = new QSpinBox(this);
      box->setRange(toIntClamped(spec.minimum, std::numeric_limits<int>::min()),
                    toIntClamped(spec.maximum, std::numeric_limits<int>::max()));
      box->setSuffix(suffix);
      connect(box, qOverload<int>(&QSpinBox::valueChanged), this, &ParameterForm::valuesChanged);
      editor = box;
      break;
    }
    case OptionSpec::Kind::Double: {
      auto* box = new QDoubleSpinBox(this);
      box->setDecimals(decimalsFor(spec));  // before the range and value, which it rounds
      box->setRange(spec.minimum.isValid() ? spec.minimum.toDouble() : -1e12,
                    spec.maximum.isValid() ? spec.maximum.toDouble() : 1e12);
      box->setSuffix(suffix);
      connect(box, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
              &ParameterForm::valuesChanged);
      editor = box;
      break;
    }
    case OptionSpec::Kind::Boolean: {
      auto* box = new QCheckBox(this);
      connect(box, &QCheckBox::toggled, this, &ParameterForm::valuesChanged);
      editor = box;
      break;
    }
    case OptionSpec::Kind::Choice: {
      auto* box = new QComboBox(this);
      box->addItems(spec.choices);
      connect(box, qOverload<int>(&QComboBox::currentIndexChanged), this,
              &ParameterForm::valuesChanged);
      editor = box;
      break;
    }
    case OptionSpec::Kind::Text: {
      auto* edit = new QLineEdit(this);
      connect(edit, &QLineEdit::textChanged, this, &ParameterForm::valuesChanged);
      editor = edit;
      break;
    }
  }
  setEditorValue(editor, spec, spec.defaultValue);
  return editor;
}

QVariant ParameterForm::editorValue(const QWidget* editor, const OptionSpec& spec) {
  switch (spec.kind) {
    case OptionSpec::Kind::Integer:
      return static_cast<const QSpinBox*>(editor)->value();
    case OptionSpec::Kind::Double:
      return static_cast<const QDoubleSpinBox*>(editor)->value();
    case OptionSpec::Kind::Boolean:
      return static_cast<const QCheckBox*>(editor)->isChecked();
    case OptionSpec::Kind::Choice:
      return static_cast<const QComboBox*>(editor)->currentIndex();
    case OptionSpec::Kind::Text:
      return static_cast<const QLineEdit*>(editor)->text();
  }
  return {};
}

void ParameterForm::setEditorValue(QWidget* editor, const OptionSpec& spec, const QVariant& value) {
  const QVariant v = spec.normalise(value);
  switch (spec.kind) {
    case OptionSpec::Kind::Integer:
      static_cast<QSpinBox*>(editor)->setValue(toIntClamped(v, 0));
      break;
    case OptionSpec::Kind::Double:
      static_cast<QDoubleSpinBox*>(editor)->setValue(v.toDouble());
      break;
    case OptionSpec::Kind::Boolean:
      static_cast<QCheckBox*>(editor)->setChecked(v.toBool());
      break;
    case OptionSpec::Kind::Choice:
      static_cast<QComboBox*>(editor)->setCurrentIndex(v.toInt());
      break;
    case OptionSpec::Kind::Text:
      static_cast<QLineEdit*>(editor)->setText(v.toString());
      break;
  }
}

QVariantMap ParameterForm::values() const {
  QVariantMap m;
  for (int i = 0; i < specs_.size(); ++i)
    m.insert(specs_[i].name, specs_[i].normalise(editorValue(editors_[i], specs_[i])));
  return m;
}

void ParameterForm::setValues(const QVariantMap& values) {
  for (int i = 0; i < specs_.size(); ++i) {
    const auto it = values.constFind(specs_[i].name);
    if (it != values.constEnd()) setEditorValue(editors_[i], specs_[i], it.value());
  }
}

QWidget* ParameterForm::editor(const QString& name) const {
  for (int i = 0; i < specs_.size(); ++i)
    if (specs_[i].name == name) return editors_[i];
  return nullptr;
}

bool ParameterForm::advancedShown() const { return advanced_->isChecked(); }

void ParameterForm::setAdvancedShown(bool shown) {
  if (advanced_->isChecked() != shown) advanced_->setChecked(shown);  // re-enters once
  for (int i = 0; i < specs_.size(); ++i) {
    if (!specs_[i].advanced) continue;
    // QWidget::isHidden (not isVisible) tells whether the row is meant to show, also before the
    // form itself is shown.
    editors_[i]->setHidden(!shown);
    if (QWidget* label = layout_->labelForField(editors_[i])) label->setHidden(!shown);
  }
}

}  // namespace veldwacht::ui
