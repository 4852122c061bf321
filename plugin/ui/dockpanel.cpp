#include "plugin/ui/dockpanel.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace veldwacht::ui {

DockPanel::DockPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);

  auto* openStore = new QPushButton(tr("Open a Veldwacht store…"), this);
  openStore->setObjectName(QStringLiteral("openStore"));
  connect(openStore, &QPushButton::clicked, this, &DockPanel::openStoreRequested);
  layout->addWidget(openStore);
  presenter_ = new QPushButton(tr("Presenter mode (public face)"), this);
  presenter_->setObjectName(QStringLiteral("presenterMode"));
  presenter_->setCheckable(true);
  connect(presenter_, &QPushButton::toggled, this, &DockPanel::presenterRequested);
  layout->addWidget(presenter_);

  auto* analysis = new QGroupBox(tr("Analysis"), this);
  auto* analysisLayout = new QVBoxLayout(analysis);
  auto* choose = new QFormLayout();
  algorithm_ = new QComboBox(analysis);
  algorithm_->setObjectName(QStringLiteral("algorithm"));
  input_ = new QComboBox(analysis);
  input_->setObjectName(QStringLiteral("inputLayer"));
  choose->addRow(tr("Algorithm"), algorithm_);
  choose->addRow(tr("Input layer"), input_);
  analysisLayout->addLayout(choose);
  form_ = new ParameterForm(analysis);
  analysisLayout->addWidget(form_);

  auto* buttons = new QHBoxLayout();
  run_ = new QPushButton(tr("Run"), analysis);
  run_->setObjectName(QStringLiteral("run"));
  dialog_ = new QPushButton(tr("Processing dialog…"), analysis);
  dialog_->setObjectName(QStringLiteral("dialog"));
  cancel_ = new QPushButton(tr("Cancel"), analysis);
  cancel_->setObjectName(QStringLiteral("cancel"));
  buttons->addWidget(run_);
  buttons->addWidget(dialog_);
  buttons->addWidget(cancel_);
  analysisLayout->addLayout(buttons);
  progress_ = new QProgressBar(analysis);
  progress_->setRange(0, 1000);
  progress_->setTextVisible(false);
  analysisLayout->addWidget(progress_);
  status_ = new QLabel(analysis);
  status_->setWordWrap(true);
  analysisLayout->addWidget(status_);
  layout->addWidget(analysis);

  results_ = new ResultTableModel(this);
  table_ = new QTableView(this);
  table_->setObjectName(QStringLiteral("results"));
  table_->setModel(results_);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setStretchLastSection(true);
  layout->addWidget(table_, 1);

  connect(algorithm_, qOverload<int>(&QComboBox::currentIndexChanged), this,
          &DockPanel::algorithmChanged);
  connect(run_, &QPushButton::clicked, this, [this] {
    if (!currentAlgorithm().isEmpty())
      emit runRequested(currentAlgorithm(), currentInputLayer(), form_->values());
  });
  connect(dialog_, &QPushButton::clicked, this, [this] {
    if (!currentAlgorithm().isEmpty()) emit dialogRequested(currentAlgorithm());
  });
  connect(cancel_, &QPushButton::clicked, this, &DockPanel::cancelRequested);
  setRunning(false);
}

void DockPanel::setAlgorithms(const QList<AlgorithmEntry>& algorithms) {
  const QString previous = currentAlgorithm();
  algorithms_ = algorithms;
  {
    const QSignalBlocker block(algorithm_);
    algorithm_->clear();
    for (const AlgorithmEntry& a : algorithms_)
      algorithm_->addItem(a.group.isEmpty() ? a.name : a.group + QStringLiteral(" — ") + a.name,
                          a.id);
  }
  const int index = algorithm_->findData(previous);
  algorithm_->setCurrentIndex(index >= 0 ? index : (algorithms_.isEmpty() ? -1 : 0));
  algorithmChanged(algorithm_->currentIndex());
  run_->setEnabled(!algorithms_.isEmpty() && !cancel_->isEnabled());
  dialog_->setEnabled(!algorithms_.isEmpty());
}

void DockPanel::setInputLayers(const QList<QPair<QString, QString>>& layers) {
  const QString previous = currentInputLayer();
  input_->clear();
  for (const auto& [id, name] : layers) input_->addItem(name, id);
  const int index = input_->findData(previous);
  if (index >= 0) input_->setCurrentIndex(index);
}

QString DockPanel::currentAlgorithm() const { return algorithm_->currentData().toString(); }

QString DockPanel::currentInputLayer() const { return input_->currentData().toString(); }

void DockPanel::selectAlgorithm(const QString& id) {
  const int index = algorithm_->findData(id);
  if (index >= 0) algorithm_->setCurrentIndex(index);
}

void DockPanel::addSection(QWidget* section) {
  auto* box = static_cast<QVBoxLayout*>(layout());
  box->insertWidget(box->indexOf(table_), section);
}

void DockPanel::algorithmChanged(int index) {
  form_->setSpecs(index >= 0 && index < algorithms_.size() ? algorithms_.at(index).specs
                                                           : OptionSpecs{});
}

void DockPanel::setRunning(bool running) {
  run_->setEnabled(!running && !algorithms_.isEmpty());
  cancel_->setEnabled(running);
  algorithm_->setEnabled(!running);
  if (!running) progress_->setValue(0);
}

void DockPanel::setProgress(double fraction) {
  if (!std::isfinite(fraction)) return;
  progress_->setValue(int(std::lround(std::clamp(fraction, 0.0, 1.0) * 1000.0)));
}

void DockPanel::setStatusText(const QString& text) { status_->setText(text); }

void DockPanel::setPresenterOn(bool on) {
  const QSignalBlocker block(presenter_);
  presenter_->setChecked(on);
}

}  // namespace veldwacht::ui
