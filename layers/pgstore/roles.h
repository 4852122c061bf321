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

#include <optional>
#include <string>
#include <vector>

#include "layers/pgstore/pg.h"
#include "layers/schema/schema.h"

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
/// The options the roles were installed with and the version of the grants (one row), so that
/// opening the store for writing can bring older grants up to date.
inline constexpr const char* kRolesTable = "veldwacht_rollen";
/// Version of the grants installRoles makes. 1 = session 10 (a hand list of public layers, no
/// grants on layer_styles); 2 = grants derived from sharingOf() for every layer of the schema,
/// layer_styles readable per layer.
/// 3: INSERT on veldwacht_audit for every role; 4: veldwacht_bestaande_sleutels and INSERT on
/// veldwacht_imports for partner (so that a partner's import and sync can add signals).
/// 5: SELECT on veldwacht_classificatie for partner and publiek.
/// 6: kFinishImportFunction for partner (so that a partner can import files: importFiles).
inline constexpr int kGrantsVersion = 6;
/// SECURITY DEFINER function (laag text, veld text, sleutels text[]) RETURNS SETOF text: which
/// of `sleutels` exist in laag.veld, for the keys of the per-partner layers and the fields those
/// layers reference (partners.partner_id, …), whatever the login may read. A partner sees only
/// part of signalen: sync and the import's key checks ask it whether a key it cannot see is
/// there (an INSERT of that key would be refused by the unique index; this only says so before
/// anything is written). It tells no more than those indexes and FOREIGN KEYs tell one INSERT
/// at a time; no row's content. Granted to partner only.
inline constexpr const char* kExistingKeysFunction = "veldwacht_bestaande_sleutels";
/// SECURITY DEFINER function (import_id bigint, rijen bigint) RETURNS void: sets the row count
/// of an import that the calling login started and that has no rows yet (rijen = 0), as the
/// streamed import (PgImportWriter::finish) does once its last chunk is written. Granted to
/// partner only, instead of UPDATE (rijen) on veldwacht_imports: a partner reads every
/// import_id (its signals carry it), so that column grant would let it rewrite the count of
/// every import in the store; the function changes only what the partner could have written
/// itself in its INSERT of that row (only the streamed import leaves rijen at 0, until its end).
inline constexpr const char* kFinishImportFunction = "veldwacht_import_afsluiten";

/// The field of `def` that references partners.partner_id (whose rows are a partner's), or
/// nullptr.
const FieldDef* partnerField(const LayerDef& def);
/// The condition the row-level-security policies of `table` put on the current login for
/// `command` ("SELECT", "INSERT", "UPDATE"; policies FOR ALL count for each), as SQL over the
/// table's columns: permissive ones OR'd, restrictive ones AND'd, as PostgreSQL combines them
/// (from pg_policies). `checks`: the WITH CHECK expression (USING when a policy has none);
/// else USING. "false" when no permissive policy applies; "((true))" for the analist.
std::string policyTest(pg::Connection& c, const std::string& table, const std::string& command,
                       bool checks);

/// How a layer of the schema is shared with the roles, derived from its definition (never from
/// a list of names, so a new layer gets its grants by what it is):
///   PerPartner    a field references partners.partner_id: its rows belong to a partner.
///                 Row-level security decides what a partner reads and adds (one set of
///                 policies per such layer in roles.cpp; installRoles refuses a PerPartner layer
///                 without them). publiek: nothing.
///   Openbaar      group "Context": the open registers (CBS areas, NWB, BRP parcels, police
///                 figures per buurt from CBS StatLine). Every role reads it.
///   Opzoeklijst   a table without geometry that a PerPartner layer references (the category
///                 list): partners read it to fill in their own rows; publiek not.
///   Vertrouwelijk everything else (VAB, incidents, partners, BAG addresses, bedrijventerreinen,
///                 results, the store's own tables): the analist only.
/// The analist reads and writes every layer whatever its class.
enum class Sharing { PerPartner, Openbaar, Opzoeklijst, Vertrouwelijk };
Sharing sharingOf(const LayerDef& def);
/// "per partner", "openbaar", "opzoeklijst", "vertrouwelijk".
const char* sharingName(Sharing s);

/// Layers every role may read: those of the current schema with Sharing::Openbaar.
std::vector<std::string> publicLayers();

/// Creates (or brings up to date) the group roles, grants, row-level-security policies, the
/// helper functions and signalen_geaggregeerd, in one transaction. Grants follow sharingOf()
/// for every layer of the schema; public.layer_styles (created when absent) is readable by
/// partner and publiek for exactly the tables they may read (a policy on the style's table),
/// written by the analist only. Records `options` and kGrantsVersion in veldwacht_rollen. Run
/// as the store's owner with CREATEROLE (or a superuser). Running it again is harmless.
void installRoles(pg::Connection& owner, const RoleOptions& options = {});

/// The options of the installed roles: from veldwacht_rollen, or for a store whose roles were
/// installed before that table existed, read back from the catalog (the prefix from the
/// analist policy, count and cell size from the view's comment). nullopt when no roles are
/// installed. `grantsVersion` gets the recorded version (1 for such an older install).
std::optional<RoleOptions> installedRoles(pg::Connection& c, int* grantsVersion = nullptr);

/// Brings the grants of an older install up to date (installRoles with its own options) when
/// the store has roles and their grants are older than kGrantsVersion or `force`. Returns true
/// when it ran. Used by PgStore::open for writing after a migration.
bool updateGrants(pg::Connection& owner, bool force = false);

/// Who has which role: one row per login in a group role of the store.
struct RoleMember {
  std::string role;       ///< "analist", "partner", "publiek"
  std::string login;      ///< the PostgreSQL login
  std::string partnerId;  ///< for a partner; empty otherwise
  bool canLogin = true;   ///< false for a role without LOGIN
};
/// Every member of the three group roles (from pg_auth_members, so also those granted outside
/// Veldwacht), with the partner id from veldwacht_gebruikers; sorted by role, then login.
std::vector<RoleMember> roleMembers(pg::Connection& c, const RoleOptions& options);

/// "analist" / "partner" / "publiek" to Role; geo::OptionError("role") names the three.
Role parseRole(const std::string& name);
const char* roleName(Role role);

/// Gives `login` role `role` (a partner: with `partnerId`) in one transaction: the login is
/// created (LOGIN, no password) when it does not exist, granted the group role and recorded in
/// veldwacht_gebruikers; `auditSql`, when not empty, runs in the same transaction. A login has
/// one role: one that already has another is refused (geo::OptionError naming it). A login
/// that may not grant roles gets geo::Error saying what it needs; nothing changes. With
/// `password`, the login's password is set (an existing login's replaced) in the same
/// transaction, sent as a SCRAM-SHA-256 verifier computed here (passwordVerifier), never as
/// text; an empty one is refused (geo::OptionError) before anything changes.
void grantRole(pg::Connection& admin, Role role, const std::string& login,
               const std::string& partnerId = {}, const RoleOptions& options = {},
               const std::string& auditSql = {},
               const std::optional<std::string>& password = std::nullopt);

/// The SCRAM-SHA-256 verifier of `password` for `login` ("SCRAM-SHA-256$4096:…"), computed by
/// libpq on this side, for `ALTER ROLE … PASSWORD '<verifier>'`: the server stores it as it is
/// and the password never travels or reaches a log. geo::OptionError for an empty password.
std::string passwordVerifier(pg::Connection& c, const std::string& login,
                             const std::string& password);
/// Takes `role` from `login` (the login itself is kept) and removes its veldwacht_gebruikers
/// row, in one transaction with `auditSql`. geo::OptionError when the login does not have it.
void revokeRole(pg::Connection& admin, Role role, const std::string& login,
                const RoleOptions& options = {}, const std::string& auditSql = {});

/// Creates login role `login` in the group of `role` (password empty: none, for peer/trust
/// authentication; else set as its verifier, passwordVerifier) and records it in
/// veldwacht_gebruikers; a partner needs `partnerId`, which must be in partners. Throws
/// geo::OptionError for a bad name or a missing partner id.
void addLogin(pg::Connection& owner, const std::string& login, Role role,
              const std::string& partnerId = {}, const std::string& password = {},
              const RoleOptions& options = {});

}  // namespace veldwacht::layers::pgstore
