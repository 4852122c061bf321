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
};

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

/// The page titles, in order (for tests and the dock's message).
QStringList kennissessiePageTitles();

}  // namespace veldwacht::plugin
