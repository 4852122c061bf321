// The Veldwacht dock's contents, Qt only: choose an analysis and an input layer, set its options,
// run it in the background (or open Processing's dialog), watch progress, cancel, and see this
// session's runs. The host (the QGIS plugin) fills the lists and reacts to the signals.
#pragma once

#include <QComboBox>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QWidget>

#include "plugin/ui/optionspec.h"
#include "plugin/ui/parameterform.h"
#include "plugin/ui/resulttablemodel.h"

namespace veldwacht::ui {

struct AlgorithmEntry {
  QString id;     ///< e.g. "veldwacht:dbscan"
  QString name;   ///< translated display name
  QString group;  ///< translated group
  OptionSpecs specs;
};

class DockPanel : public QWidget {
  Q_OBJECT

 public:
  explicit DockPanel(QWidget* parent = nullptr);

  void setAlgorithms(const QList<AlgorithmEntry>& algorithms);
  /// (layer id, display name) of the layers the analyses can take as input.
  void setInputLayers(const QList<QPair<QString, QString>>& layers);

  QString currentAlgorithm() const;
  QString currentInputLayer() const;
  void selectAlgorithm(const QString& id);
  /// Adds a part of the dock (e.g. the Planning panel) above the table of runs.
  void addSection(QWidget* section);

  ParameterForm* form() const { return form_; }
  ResultTableModel* results() const { return results_; }

 public slots:
  /// Disables "run" and enables "cancel" while an analysis runs.
  void setRunning(bool running);
  /// fraction in [0, 1].
  void setProgress(double fraction);
  void setStatusText(const QString& text);
  /// Shows whether presenter mode is on (the button's checked state) without emitting.
  void setPresenterOn(bool on);

 signals:
  void runRequested(const QString& algorithmId, const QString& inputLayerId,
                    const QVariantMap& values);
  void dialogRequested(const QString& algorithmId);
  void cancelRequested();
  void openStoreRequested();
  void presenterRequested(bool on);

 private:
  void algorithmChanged(int index);

  QList<AlgorithmEntry> algorithms_;
  QPushButton* presenter_ = nullptr;
  QComboBox* algorithm_ = nullptr;
  QComboBox* input_ = nullptr;
  ParameterForm* form_ = nullptr;
  QPushButton* run_ = nullptr;
  QPushButton* dialog_ = nullptr;
  QPushButton* cancel_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* status_ = nullptr;
  ResultTableModel* results_ = nullptr;
  QTableView* table_ = nullptr;
};

}  // namespace veldwacht::ui
