// A form of editors built from an algorithm's OptionSpecs: spin boxes with ranges and units,
// check boxes, combo boxes; advanced options hidden until "Show advanced options" is ticked.
#pragma once

#include <QCheckBox>
#include <QFormLayout>
#include <QWidget>

#include "plugin/ui/optionspec.h"

namespace veldwacht::ui {

class ParameterForm : public QWidget {
  Q_OBJECT

 public:
  explicit ParameterForm(QWidget* parent = nullptr);

  /// Replaces all editors by ones for `specs`, set to their defaults.
  void setSpecs(const OptionSpecs& specs);
  const OptionSpecs& specs() const { return specs_; }

  /// Current values, keyed by OptionSpec::name, normalised to each spec.
  QVariantMap values() const;
  /// Sets the editors of the names present in `values`; others keep their value.
  void setValues(const QVariantMap& values);
  /// The editor of one option (nullptr when unknown), e.g. for tests.
  QWidget* editor(const QString& name) const;

  bool advancedShown() const;
  void setAdvancedShown(bool shown);

 signals:
  void valuesChanged();

 private:
  QWidget* makeEditor(const OptionSpec& spec);
  static QVariant editorValue(const QWidget* editor, const OptionSpec& spec);
  static void setEditorValue(QWidget* editor, const OptionSpec& spec, const QVariant& value);

  OptionSpecs specs_;
  QList<QWidget*> editors_;  // parallel to specs_, owned by the form
  QFormLayout* layout_ = nullptr;
  QCheckBox* advanced_ = nullptr;
};

}  // namespace veldwacht::ui
