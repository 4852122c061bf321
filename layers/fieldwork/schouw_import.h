// Back from the field: importing a schouw result file (CSV as a form or a phone app exports it)
// into the store's schouwresultaten, and turning findings into signals.
//
// Columns are recognised by Dutch and English names, case-insensitively (spaces, '-' and '.'
// count as '_'); see docs/fieldwork.md for the full list:
//   site (site_id, plek, locatie, object, ...) and optionally site_laag (laag, layer);
//   partner (partner_id, waarnemer, schouwer, ...);
//   the time: tijdstip (datumtijd, moment, timestamp, ...) or datum + tijd;
//   bevinding (opmerking, waarneming, finding, notes, ...);
//   optional categorie (category), signaal (ja/nee: the finding is a signal), foto (photo),
//   schouw_id (id, kenmerk: the form's own id; else SCH-<partner>-<tijdstip>-<site>).
// A row with a categorie, or marked as a signal, also becomes a row of signalen: categorie,
// brontype from the partner's type, bron_partner_id = the partner, waargenomen_van = tijdstip,
// status nieuw, omschrijving = bevinding, at the site's location; schouwresultaten.signaal_id
// links back to it.
//
// Every bad row is named (file, row, field, what was expected): unknown partner, unknown or
// ambiguous site, bad or future time, unknown categorie, a signal without categorie. When any row
// is bad nothing is written; otherwise all rows of all files go in with one Store::append.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "geo/core/progress.h"
#include "layers/store/store.h"

namespace veldwacht::layers {

struct SchouwImportOptions {
  char csvDelimiter = 0;  ///< 0 = sniff
  /// "Now" for the future check, YYYY-MM-DDTHH:MM:SS local time; empty = the clock.
  std::string now;
  /// A time at most this far in the future is accepted (clocks of phones drift).
  int futureSlackMinutes = 15;
  /// Mark every imported row (and signal) synthetisch = 1.
  bool synthetic = false;
  /// Throws geo::OptionError.
  void validate() const;
};

struct SchouwImportReport {
  std::vector<std::string> files;
  std::int64_t rows = 0;         ///< schouw results read (and written)
  std::int64_t signalCount = 0;  ///< signals made from findings (not `signals`: a Qt macro)
  std::vector<std::string> encodings;
  std::string str() const;
};

/// The records an import would write, after every check passed.
struct SchouwBatches {
  ImportBatch results;      ///< layer schouwresultaten, one batch for all files
  ImportBatch signalBatch;  ///< layer signalen (may be empty)
  SchouwImportReport report;
};

/// Reads and checks `paths` against the store (partners, sites, categories); writes nothing.
/// Throws ValidationError with every problem of every file, geo::InputError for a file that is
/// not CSV, geo::OptionError for bad options.
SchouwBatches prepareSchouwImport(Store& store, std::span<const std::string> paths,
                                  const SchouwImportOptions& options,
                                  geo::Progress& progress = geo::nullProgress());

/// prepareSchouwImport, then one Store::append of the results and their signals.
SchouwImportReport importSchouw(Store& store, std::span<const std::string> paths,
                                const SchouwImportOptions& options,
                                geo::Progress& progress = geo::nullProgress());

/// True when the CSV's header has a site, a partner and a time column (as recognised above):
/// lets `veldwacht import` hand such files to importSchouw. False for unreadable files.
bool looksLikeSchouwCsv(const std::string& path);

/// The brontype of signals from a partner of `partnerType` (jager_wbe -> jager, wijkagent ->
/// politie, ...).
std::string brontypeForPartnerType(const std::string& partnerType);

}  // namespace veldwacht::layers
