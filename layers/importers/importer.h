// Importing source files into the store: read (source_reader, a chunk of rows at a time),
// recognise or map the fields (recognise, mapping), convert Dutch values, check geometries and
// the CRS (geo/crs), transform to EPSG:28992, validate every record against its LayerDef —
// collecting ALL problems of every file. importFiles streams (issue 13): each chunk is written
// as soon as it is checked, through layers/store/batch_writer, inside ONE Store::transaction for
// all files; duplicates within the run and against the store are found by the store's unique
// indexes, references once every file is written. Any error refuses the import and the
// transaction rolls back, so the store is then as it was (all rows of all files, or none).
// Memory holds one chunk (20 000 source rows) plus SQLite's page cache (96 MiB), whatever the
// file's size. validateFile reads in chunks too and keeps the converted records (its batches)
// unless ImportOptions::keepRecords is off (then its memory is bounded as well). With
// ImportOptions::update a register's newer version updates the older by key (register_update.h).
//
// Derived values (documented rules):
// - panden.oppervlakte_m2, when the source has none: the footprint area of the pand polygon in
//   EPSG:28992 (m²). BAG has no pand area; oppervlakte_min/_max are areas of its verblijfsobjecten.
// - panden.is_schuur, when the source has none: 1 when the footprint is at least 150 m², no
//   gebruiksdoel is woonfunctie, and the pand either has no verblijfsobject or only
//   industriefunctie / overige gebruiksfunctie ones (DOMAIN.md: BAG has no agricultural use; a
//   barn is typically a pand without verblijfsobject, or with industrie/overige gebruiksfunctie);
//   else 0.
// - CBS figures -99995..-99999 (-99997 "geheim", suppressed) become NULL; water JA/NEE -> 1/0.
// - Text is trimmed (CBS and police codes come padded); BAG ids that arrive as integers are
//   zero-padded to 16 digits.
// - Police figures (misdrijven_per_buurt): StatLine's "." and "x" and CBS sentinels become
//   NULL; jaar and maand from the period (2023JJ00, 2024MM03, 2024KW01); sleutel =
//   regiocode|soort_misdrijf|periode when the source has none.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "geo/core/progress.h"
#include "layers/importers/mapping.h"
#include "layers/importers/register_update.h"
#include "layers/schema/validate.h"
#include "layers/store/store.h"

namespace veldwacht::layers {

struct ImportOptions {
  std::string layer;        ///< target layer; empty = recognise from the fields
  std::string mappingFile;  ///< JSON mapping file (see mapping.h); empty = none
  std::string mapping;      ///< "src=dst,src2=dst2" (command line); empty = none
  std::string sourceCrs;    ///< overrides the file's CRS ("EPSG:4326", WKT, ...); empty = file's
  bool makeValid =
      false;  ///< repair invalid polygons with GEOS MakeValid (reported) instead of refusing
  std::string
      sourceLayer;        ///< multi-layer sources: only this layer; empty = every recognised layer
  char csvDelimiter = 0;  ///< 0 = sniff
  /// Mark every imported row synthetisch = 1 (generated sample data), overriding a source column.
  /// Without it the source's synthetisch column is used, else the default 0.
  bool synthetic = false;
  /// Register update (issue 13, register_update.h): the files are the newer version of a
  /// register (BAG, NWB, CBS, IBIS) already in the store; rows are added, changed and removed
  /// by key instead of refusing stored keys. Refused for layers that are not registers and for
  /// a store that is not a GeoPackage.
  bool update = false;
  /// validateFile only: keep the converted records in ValidationReport::batches. Off, memory
  /// stays bounded whatever the file's size (the batches then carry no records; duplicate keys
  /// are found through a temporary SQLite file).
  bool keepRecords = true;
  /// Source rows read, checked and written at a time: memory holds one chunk, not the file
  /// (tests make it small to cross chunk boundaries with few rows).
  std::size_t chunkRows = 20000;

  /// Throws geo::OptionError (bad layer, CRS, delimiter, --map pairs) or geo::InputError (a
  /// mapping file that cannot be read, names an unknown layer or field).
  void validate() const;
  /// The mapping from mappingFile and/or mapping (pairs override the file's), validated.
  FieldMapping loadMapping() const;
};

/// What happened to one source layer of one file.
struct SourceReport {
  std::string file;
  std::string sourceLayer;     ///< layer inside the file (CSV: file stem)
  std::string recognisedAs;    ///< profile name, "explicit mapping", or empty when unrecognised
  std::string layer;           ///< target layer
  std::string sourceCrs;       ///< e.g. "EPSG:4326"
  std::string transformation;  ///< the one-line note from geo::CrsTransformer
  std::string encoding;        ///< CSV encoding or shapefile .cpg encoding
  std::int64_t rowsRead = 0;
  std::int64_t rowsValid = 0;
  std::int64_t repaired = 0;  ///< geometries repaired with MakeValid
  /// How the source was read, for the report: columns mapped and values translated (signals
  /// exports), ids generated, defaults applied.
  std::vector<std::string> notes;
  /// A problem repeated over rows is one entry "... in N rows: 2, 5, 9, …" located at its first
  /// row; file-level problems come first, then by row.
  std::vector<Problem> errors;
  std::vector<Problem> warnings;
};

struct ValidationReport {
  std::vector<SourceReport> sources;
  std::vector<ImportBatch> batches;  ///< the converted records, one batch per source layer
  bool ok() const;
  std::vector<Problem> errors() const;
  /// A readable multi-line report (per source: layer, rows, CRS, transformation, problems).
  std::string str() const;
};

/// Parses, maps and checks everything in `path`; writes nothing. Input problems never throw:
/// they are in the report (a missing or unreadable file is one file-level error). Throws
/// geo::OptionError / geo::InputError only for bad options or mapping file (before any work),
/// geo::CancelledError when cancelled.
ValidationReport validateFile(const std::string& path, const ImportOptions& options,
                              veldwacht::geo::Progress& progress = veldwacht::geo::nullProgress());

struct ImportReport {
  std::vector<SourceReport> sources;
  /// Rows inserted per layer (an updated register: its added rows).
  std::vector<std::pair<std::string, std::int64_t>> rowsPerLayer;
  /// ImportOptions::update: what happened to each register.
  std::vector<RegisterUpdateSummary> updates;
  std::string str() const;
};

/// Validates and writes every file chunk by chunk in ONE Store::transaction (also checked
/// against the store: keys already stored, references, signal categories). Throws
/// ValidationError with every problem of every file when any has an error — the transaction is
/// then rolled back and the store's content is as it was.
ImportReport importFiles(Store& store, std::span<const std::string> paths,
                         const ImportOptions& options,
                         veldwacht::geo::Progress& progress = veldwacht::geo::nullProgress());

}  // namespace veldwacht::layers
