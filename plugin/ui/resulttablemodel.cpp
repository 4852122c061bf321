#include "plugin/ui/resulttablemodel.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

namespace veldwacht::ui {

ResultTableModel::ResultTableModel(QObject* parent) : QAbstractTableModel(parent) {}

int ResultTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(rows_.size());
}

int ResultTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QString ResultTableModel::statusText(ResultRow::Status status) {
  switch (status) {
    case ResultRow::Status::Running:
      return tr("Running");
    case ResultRow::Status::Succeeded:
      return tr("Done");
    case ResultRow::Status::Failed:
      return tr("Failed");
    case ResultRow::Status::Cancelled:
      return tr("Cancelled");
  }
  return {};
}

QVariant ResultTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rows_.size()) return {};
  const ResultRow& r = rows_.at(index.row());
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case Algorithm:
        return r.algorithm;
      case Input:
        return r.input;
      case Started:
        return QLocale().toString(r.started.time(), QLocale::ShortFormat);
      case Duration:
        return r.status == ResultRow::Status::Running
                   ? QString()
                   : QLocale().toString(r.seconds, 'f', 1) + QStringLiteral(" s");
      case Status:
        return statusText(r.status);
      case Message:
        return r.message;
      default:
        return {};
    }
  }
  if (role == Qt::ToolTipRole && index.column() == Message) return r.message;
  if (role == Qt::ForegroundRole && index.column() == Status) {
    if (r.status == ResultRow::Status::Failed) return QBrush(QColor(0xb0, 0x00, 0x20));
    if (r.status == ResultRow::Status::Succeeded) return QBrush(QColor(0x1b, 0x6e, 0x20));
  }
  if (role == Qt::UserRole) return r.runId;
  return {};
}

QVariant ResultTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Algorithm:
      return tr("Analysis");
    case Input:
      return tr("Input");
    case Started:
      return tr("Started");
    case Duration:
      return tr("Duration");
    case Status:
      return tr("Status");
    case Message:
      return tr("Result");
    default:
      return {};
  }
}

void ResultTableModel::addRun(const ResultRow& row) {
  beginInsertRows(QModelIndex(), 0, 0);
  rows_.prepend(row);
  endInsertRows();
}

bool ResultTableModel::finishRun(const QString& runId, ResultRow::Status status, double seconds,
                                 const QString& message) {
  for (int i = 0; i < rows_.size(); ++i) {
    if (rows_[i].runId != runId) continue;
    rows_[i].status = status;
    rows_[i].seconds = seconds;
    rows_[i].message = message;
    emit dataChanged(index(i, 0), index(i, ColumnCount - 1));
    return true;
  }
  return false;
}

const ResultRow* ResultTableModel::run(const QString& runId) const {
  for (const ResultRow& r : rows_)
    if (r.runId == runId) return &r;
  return nullptr;
}

void ResultTableModel::clear() {
  beginResetModel();
  rows_.clear();
  endResetModel();
}

}  // namespace veldwacht::ui
