// Analysis results in a PostGIS store: the PostGIS side of layers/results' writeResultSet
// (dispatched through Store::resultWriter()). Each result is a table with its typed geometry
// column and GiST index, a row in veldwacht_resultaten, its metadata as the table's COMMENT (the
// line QGIS shows as the layer's description) and its style as the default style in QGIS's
// public.layer_styles, the table QGIS reads a PostGIS layer's default style from. A set is
// written in ONE transaction: replacing a result drops the old table, styles and registry rows
// and writes the new ones, so readers see the old set or the new one, never a mix.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "layers/pgstore/pg.h"
#include "layers/results/results.h"

namespace veldwacht::layers::pgstore {

class PgStore;

class PgResultWriter : public ResultSetWriter {
 public:
  explicit PgResultWriter(PgStore& store) : store_(store) {}
  /// Checks everything first (names, fields, every record with validateRecord, that a table of
  /// that name is a Veldwacht result), then writes the set in one transaction; result files are
  /// moved into place as the last step before COMMIT. Two writers of the same result name wait
  /// for each other (an advisory lock per name).
  void writeResultSet(std::vector<ResultLayer>&& results, std::vector<ResultFile>&& files,
                      geo::Progress& progress) override;
  /// Drops the result table (or a file's registration), its styles and registry rows in one
  /// transaction. geo::Error when `name` is not a registered result.
  void deleteResult(const std::string& name) override;
  /// `directory`/<database>_<name>.tif; a PostGIS store has no folder of its own, so an empty
  /// `directory` is refused (geo::OptionError "directory").
  std::string resultFilePath(const std::string& directory, const std::string& name) override;

 private:
  PgStore& store_;
};

/// QGIS's own definition of public.layer_styles (as QGIS 3.x creates it on "Save as default").
std::string createLayerStylesSql();
/// Stores `qml` as the default style of `table` in public.layer_styles (created when absent),
/// clearing useasdefault of the table's other styles and replacing a style of the same name. Runs
/// in the caller's transaction.
void embedDefaultStyle(pg::Connection& c, const std::string& table, GeometryKind geometry,
                       const std::string& styleName, const std::string& qml,
                       const std::string& description);
/// The QML QGIS applies when it opens `table` from this database (its default style), if any.
std::optional<std::string> defaultStyle(pg::Connection& c, const std::string& table);
/// Removes every style of `table`.
void removeStyles(pg::Connection& c, const std::string& table);

}  // namespace veldwacht::layers::pgstore
