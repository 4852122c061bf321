#include "layers/privacy/presenter.h"

#include "layers/privacy/audit.h"

namespace veldwacht::layers {

std::vector<PresenterStep> publicFace(
    std::span<const ProjectLayer> layers,
    const std::function<Sensitivity(const std::string&)>& sensitivityOf) {
  std::vector<PresenterStep> out;
  out.reserve(layers.size());
  for (const auto& l : layers) {
    PresenterStep s{l.id, l.visible, false};
    if (l.storeLayer.empty()) {
      if (!l.basemap) s = {l.id, false, true};  // unknown data: fail safe
    } else if (sensitivityOf(l.storeLayer) == Sensitivity::Confidential) {
      s = {l.id, false, true};
    } else if (l.storeLayer.starts_with("openbaar_")) {
      s.visible = true;
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<PresenterStep> workingFace(std::span<const ProjectLayer> saved) {
  std::vector<PresenterStep> out;
  out.reserve(saved.size());
  for (const auto& l : saved) out.push_back({l.id, l.visible, false});
  return out;
}

void recordPresenterSwitch(Store& store, bool toPublic, const std::string& project,
                           std::span<const ProjectLayer> layers,
                           std::span<const PresenterStep> steps) {
  std::string locked;
  int n = 0;
  for (std::size_t i = 0; i < steps.size() && i < layers.size(); ++i)
    if (steps[i].locked) {
      ++n;
      const auto& l = layers[i];
      locked += (locked.empty() ? "" : ", ") + (l.storeLayer.empty() ? l.id : l.storeLayer);
    }
  std::string remark = toPublic ? std::to_string(n) + " lagen verborgen en vergrendeld" +
                                      (locked.empty() ? "" : ": " + locked)
                                : "terug naar de werkweergave";
  recordAudit(store, {.action = "presentatie",
                      .layer = "project",
                      .filter = toPublic ? "aan" : "uit",
                      .destination = project,
                      .sensitivity = toPublic ? Sensitivity::Public : Sensitivity::Confidential,
                      .remark = remark});
}

}  // namespace veldwacht::layers
