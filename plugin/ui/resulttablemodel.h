// The runs of this session, one row per algorithm run: what ran, on what, how long, how it ended.
#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QVariantMap>

namespace veldwacht::ui {

struct ResultRow {
  enum class Status { Running, Succeeded, Failed, Cancelled };

  QString runId;      ///< unique per run (the model's key)
  QString algorithm;  ///< display name
  QString input;      ///< input layer name
  QVariantMap parameters;
  QDateTime started;
  double seconds = 0.0;
  Status status = Status::Running;
  QString message;  ///< output layer names, or the error
};

class ResultTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { Algorithm, Input, Started, Duration, Status, Message, ColumnCount };

  explicit ResultTableModel(QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  int columnCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  /// Newest first: a new run goes to row 0.
  void addRun(const ResultRow& row);
  /// Finishes the run `runId`; false when unknown.
  bool finishRun(const QString& runId, ResultRow::Status status, double seconds,
                 const QString& message);
  const ResultRow* run(const QString& runId) const;
  const ResultRow& rowAt(int row) const { return rows_.at(row); }
  void clear();

  static QString statusText(ResultRow::Status status);

 private:
  QList<ResultRow> rows_;
};

}  // namespace veldwacht::ui
