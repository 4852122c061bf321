// Who may see what in a shared PostGIS store: three group roles with row-level security and
// views, all in the database (so QGIS connecting as a partner sees exactly what the CLI does).
//
//   <prefix>analist  everything: read and write every table, create result tables.
//   <prefix>partner  signals inside its own werkgebieden in full (and may add signals there in
//                    its own name), its own werkgebieden and schouwresultaten, the context
//                    layers, and the rest of the signals only as signalen_geaggregeerd (counts per
//                    km cell, category and month; cells with fewer than minAggregateCount
//                    signals left out). No VAB, incidents, partner list or import records.
//   <prefix>publiek  only the public-safe layers (CBS areas, bedrijventerreinen, NWB, BAG,
//                    the category list), read only.
//
// A login (PostgreSQL role with LOGIN) belongs to one group; a partner login is tied to one
// partners.partner_id in veldwacht_gebruikers. Superusers and the store's owner bypass RLS.
#pragma once

#include <string>
#include <vector>

#include "layers/pgstore/pg.h"

namespace veldwacht::layers::pgstore {

enum class Role { Analist, Partner, Publiek };

struct RoleOptions {
  /// Prefix of the group roles (roles are shared by every database of a server).
  std::string prefix = "veldwacht_";
  /// signalen_geaggregeerd leaves out groups with fewer signals than this; >= 1.
  int minAggregateCount = 3;
  /// Cell size of signalen_geaggregeerd in metres; in [100, 100000].
  double cellSize = 1000.0;

  /// Throws geo::OptionError.
  void validate() const;
  std::string groupRole(Role role) const;
};

/// Name of the table tying logins to roles and partners.
inline constexpr const char* kUsersTable = "veldwacht_gebruikers";
/// Layers every role may read.
const std::vector<std::string>& publicLayers();

/// Creates (or brings up to date) the group roles, grants, row-level-security policies, the
/// helper functions and signalen_geaggregeerd, in one transaction. Run as the store's owner
/// with CREATEROLE (or a superuser). Running it again is harmless.
void installRoles(pg::Connection& owner, const RoleOptions& options = {});

/// Creates login role `login` in the group of `role` (password empty: none, for peer/trust
/// authentication) and records it in veldwacht_gebruikers; a partner needs `partnerId`, which
/// must be in partners. Throws geo::OptionError for a bad name or a missing partner id.
void addLogin(pg::Connection& owner, const std::string& login, Role role,
              const std::string& partnerId = {}, const std::string& password = {},
              const RoleOptions& options = {});

}  // namespace veldwacht::layers::pgstore
