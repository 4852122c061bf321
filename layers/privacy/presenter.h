// Presenter mode, the host-free part: which layers of a project show and which are hidden and
// locked when the project switches to its public face (a map shown at an Ondernemers Alert
// evening), and the audit row of every switch. The QGIS plugin applies the steps to its layer
// tree (visibility, removable/identifiable flags) and keeps the saved state to switch back.
//
// Fail safe: a layer is shown in public only when its store classifies it public; a layer
// that comes from no store (a CSV of addresses dragged in) is hidden and locked like a
// confidential one, except a basemap the host marks as such.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "layers/privacy/classification.h"
#include "layers/store/store.h"

namespace veldwacht::layers {

/// One layer of the host's project.
struct ProjectLayer {
  std::string id;          ///< the host's layer id
  std::string storeLayer;  ///< the store table it shows; empty = not from a Veldwacht store
  bool visible = false;
  bool basemap = false;  ///< an online or background map without data of the store
};

/// What the host does with one layer.
struct PresenterStep {
  std::string id;
  bool visible = false;
  bool locked = false;  ///< not removable, not identifiable, not in the legend
};

/// The public face: confidential (or unknown) layers hidden and locked; the public layers the
/// privacy module built (openbaar_*) shown; other public layers (open context data) and
/// basemaps keep their visibility. `sensitivityOf` classifies a store layer (classification()).
std::vector<PresenterStep> publicFace(
    std::span<const ProjectLayer> layers,
    const std::function<Sensitivity(const std::string&)>& sensitivityOf);

/// Back to the working face: the visibility saved when switching, nothing locked.
std::vector<PresenterStep> workingFace(std::span<const ProjectLayer> saved);

/// Records the switch in the audit log: actie "presentatie", laag "project", filter "aan" or
/// "uit", bestemming the project (file), klasse openbaar when switching on; the remark names
/// the layers hidden and locked. Needs an updatable store.
void recordPresenterSwitch(Store& store, bool toPublic, const std::string& project,
                           std::span<const ProjectLayer> layers,
                           std::span<const PresenterStep> steps);

}  // namespace veldwacht::layers
