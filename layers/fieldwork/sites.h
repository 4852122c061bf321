// Where a visited site is: the sites a schouw result or a plan can name, looked up by layer and
// id. Site layers are the schema's point and area layers with a natural key (vab,
// verblijfsobjecten, panden, bedrijventerreinen, incidenten, signalen) and, for sites of other
// layers (e.g. hot-spot cells), every plan's `<naam>_bezoeken` result table (site_laag, site_id,
// point at the site).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "layers/store/store.h"

namespace veldwacht::layers {

struct SiteInfo {
  std::string laag;       ///< layer name, lower case
  std::string id;         ///< the site's key in that layer
  double x = 0, y = 0;    ///< location (EPSG:28992): the point, or a point on an area's surface
  std::string bagPandId;  ///< BAG pand of the site when known (panden, vab, verblijfsobjecten)
};

/// The schema layers a site can be in, with their key field.
const std::vector<std::pair<std::string, std::string>>& siteLayers();

class SiteIndex {
 public:
  /// Reads every site layer and every `*_bezoeken` result table of `store`.
  explicit SiteIndex(Store& store);

  /// The site `id` in layer `laag` (case-insensitive), or nullptr.
  const SiteInfo* find(std::string_view laag, std::string_view id) const;
  /// Every site with this id in any layer (several when ids collide across layers).
  std::vector<const SiteInfo*> findAnyLayer(std::string_view id) const;
  /// True when `laag` is a layer sites can be in (a site layer or a planned site_laag).
  bool knowsLayer(std::string_view laag) const;
  /// The known layer names, sorted (for messages).
  std::vector<std::string> layers() const;

 private:
  void add(SiteInfo info);
  std::map<std::pair<std::string, std::string>, SiteInfo> sites_;
  std::multimap<std::string, std::string> layersById_;
};

}  // namespace veldwacht::layers
