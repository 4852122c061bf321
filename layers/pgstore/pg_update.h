// `veldwacht import --update "postgresql://…" FILES` (issue 13 on the PostGIS store): the files
// are a register's newer version (BAG panden/verblijfsobjecten by bag_id, NWB wegvakken by
// wvk_id, CBS gemeenten/wijken/buurten by code, IBIS bedrijventerreinen by rin_nummer), whole. As
// on the GeoPackage store (layers/importers/register_update.h): a key in the files and not in the
// store is added, a key in both whose fields or geometry differ is changed in place (same fid,
// this update's import_id), a key in the store and in none of the files is removed; the derived
// tables of the layer are emptied when anything changed; the report is the same
// (RegisterUpdateSummary::str()).
//
// Everything in ONE server transaction (PgStore::append with the changes and removals inside),
// so a refusal leaves the store as it was. Refused, naming the rows: a key twice in the files; a
// removed row that other layers still refer to (a declared reference, the bag_pand_id of
// Veldwacht's own layers, a schouwresultaat's site; registers referring to registers do not
// block when they are updated from the same files); a file of a layer that is not a register.
// Unlike the plain import (streamed, pg_import.h) the update validates the files whole and reads
// the stored layer whole: the client's memory grows with the register (~2.4 KB a row).
#pragma once

#include <span>
#include <string>

#include "geo/core/progress.h"
#include "layers/importers/importer.h"
#include "layers/pgstore/pg_store.h"

namespace veldwacht::layers::pgstore {

/// Validates `paths` with `options` (options.update must be set) and updates the registers
/// they hold. Throws ValidationError (nothing written) for any problem.
ImportReport importUpdate(PgStore& store, std::span<const std::string> paths,
                          const ImportOptions& options,
                          geo::Progress& progress = geo::nullProgress());

}  // namespace veldwacht::layers::pgstore
