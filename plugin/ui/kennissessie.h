// The Kennissessie export: a multi-page A4 PDF and slide-ready PNGs (1920x1080) for a knowledge
// session or an Ondernemers Alert evening, from QGIS layouts with the project's styles:
//
//   1. Overzicht — the counts per area (small counts suppressed) and the public context layers;
//   2. Hot spots — the density of the masked points (a heatmap of the public masked layer);
//   3. Trend per categorie — signals per category per month, as a chart (layers/followup
//      categoryTrend: regional totals, no places);
//   4. Opvolging van meldingen — reported, feedback given and handled per month, and the median
//      days to feedback (layers/followup followupReport).
//
// Only layers the store classifies public are put on a map (PresenterMode::isPublicLayer); the
// finished layouts are checked again (confidentialLayoutLayers) and a layout that would show a
// confidential layer is refused. Every export, and every refusal, is recorded in the store's
// audit log (actie "print", bestemming the PDF, klasse openbaar).
#pragma once

#include <QDate>
#include <QString>
#include <QStringList>

#include <stdexcept>

class QgsProject;

namespace veldwacht::plugin {

struct KennissessieOptions {
  QString store;      ///< the Veldwacht store whose public layers are in the project
  QString pdf;        ///< the A4 PDF to write
  QString slidesDir;  ///< folder for kennissessie_<n>.png (1920x1080); empty = no slides
  QString title = QStringLiteral("Kennissessie");
  QString subtitle;  ///< e.g. the municipality or the evening
  QString source = QStringLiteral("Veldwacht; meldingen van ondernemers en partners");
  QDate date = QDate::currentDate();
  int followupDays = 14;
  /// The period of the trend and follow-up charts (inclusive; a null date = open).
  QDate from;
  QDate to;
  /// Also keep the A4 layout in the project as kennissessieLayoutName(), with the two layers
  /// its maps draw (in an unchecked group of that name) and its charts written to chartsDir
  /// (kennissessie_trend.png, kennissessie_opvolging.png). For the sample project
  /// (make_project.py); an existing layout of that name is replaced.
  bool keepLayout = false;
  QString chartsDir;  ///< needed with keepLayout
};

/// The name of the layout keepLayout leaves in the project (and of its layer group).
QString kennissessieLayoutName();

struct KennissessieResult {
  int pages = 0;
  QStringList slides;  ///< PNG paths, in page order
  QStringList layers;  ///< the store tables on the maps
};

/// Refused: the layouts would show a confidential layer, or there is no public layer at all.
class KennissessieRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Writes the PDF (and the slides). Throws KennissessieRefused, or std::runtime_error when a
/// file cannot be written.
KennissessieResult exportKennissessie(QgsProject* project, const KennissessieOptions& options);

/// Adds to `project` the layers of `store` that the export can use and the store classifies
/// public: the openbaar_* layers and the context polygons (gemeenten, bedrijventerreinen), with
/// the store's default styles. For a project of its own (the Processing algorithm
/// veldwacht:kennissessie); the menu action uses the layers already in the user's project.
/// Tables of the store the project shows already are not added again. Returns the number
/// added; confidential layers are never added.
int addKennissessieLayers(QgsProject* project, const QString& store);

/// The page titles, in order (for tests and the dock's message).
QStringList kennissessiePageTitles();

}  // namespace veldwacht::plugin
