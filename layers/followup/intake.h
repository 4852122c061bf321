// Intake of an evening's reports (issue 12, Ondernemers Alert): one signal entered by hand — in
// the dock's intake form, from a slip of paper or a conversation at the evening — and written
// into the store. No second rule set: the words are translated as the signals-export importer
// translates them (layers/importers/signal_export: SignalVocabulary, so "hennepkwekerij" is
// HENNEP and "b" is B), and the record is written with Store::append, which checks it exactly
// as an import is checked (validateRecord: required fields, allowed values, date formats, RD
// bounds; the category against signaal_categorieen; the signaal_id against the stored ones) and
// writes it in ONE transaction together with its veldwacht_imports row. A refusal writes
// nothing and throws the store's ValidationError, whose problems name the field.
//
// Rules (docs/followup.md):
// - signaal_id = generatedSignalId over the entered values (as a signals export without an id
//   column gets), so entering the same report twice is refused as a duplicate.
// - status = nieuw; terugkoppeling stays empty (the follow-up starts here).
// - gemeld_op is the moment of the evening (the follow-up groups "per avond" by its date).
// - The import row names the form as its source (kIntakeSource) and the canvas CRS the point
//   was clicked in.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "layers/store/store.h"

namespace veldwacht::layers {

/// bron_bestand of the veldwacht_imports row of a signal entered in the intake form.
inline constexpr const char* kIntakeSource = "invoerformulier Veldwacht-paneel";

struct IntakeEntry {
  /// The location in EPSG:28992 (the form transforms the clicked point from the canvas CRS).
  double x = std::numeric_limits<double>::quiet_NaN();
  double y = std::numeric_limits<double>::quiet_NaN();
  std::string categorie{};               ///< a code, label or everyday word of signaal_categorieen
  std::string brontype{};                ///< a brontype or an everyday word for it
  std::string betrouwbaarheid{};         ///< A–D or the words for them; empty = not given (NULL)
  std::string waargenomenVan{};          ///< YYYY-MM-DDTHH:MM:SS, the moment observed
  std::string gemeldOp{};                ///< YYYY-MM-DDTHH:MM:SS, the evening; empty = now
  std::string omschrijving{};            ///< free text; empty = NULL
  double locatiePrecisieM = 0;           ///< radius in metres; 0 = unknown (NULL)
  std::string sourceCrs = "EPSG:28992";  ///< the CRS the point was entered in
  std::string transformation{};          ///< how it was transformed, for the import row
};

struct IntakeResult {
  std::string signaalId;
  std::int64_t importId = 0;
  /// Words that were translated ("categorie: 'hennepkwekerij' -> 'HENNEP'").
  std::vector<std::string> translated;
};

/// Writes one signal (see the file comment). Throws ValidationError (a geo::InputError; every
/// problem with its field, file kIntakeSource, row 1) and writes nothing when the store refuses
/// the record; StorageError when the store cannot be written.
IntakeResult enterSignal(Store& store, const IntakeEntry& entry);

/// The record enterSignal writes (values parallel to layerDef("signalen").fields), without
/// writing it; `translated` receives the words translated.
Record intakeRecord(Store& store, const IntakeEntry& entry,
                    std::vector<std::string>* translated = nullptr);

/// The categories the store knows (code, naam), by code: the form's value list.
std::vector<std::pair<std::string, std::string>> signalCategories(Store& store);

}  // namespace veldwacht::layers
