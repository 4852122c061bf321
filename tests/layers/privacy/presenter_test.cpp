// layers/privacy presenter mode: the public face of a project hides and locks every confidential
// or unknown layer, shows the public layers the privacy module built, and the switch is audited.
#include "layers/privacy/presenter.h"

#include <gtest/gtest.h>

#include "layers/privacy/audit.h"
#include "layers/privacy/public_layers.h"
#include "tests/layers/privacy/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

// A project as the sample project has it: raw signals and addresses shown, the public layers
// not yet shown, context shown/hidden, a basemap, and a CSV of addresses dragged in.
const std::vector<ProjectLayer> kProject = {
    {"sig", "signalen", true, false},
    {"vbo", "verblijfsobjecten", true, false},
    {"hot", "hotspots_gi", true, false},
    {"pub1", "openbaar_signalen_per_gebied", false, false},
    {"pub2", "openbaar_signalen_gemaskeerd", false, false},
    {"gem", "gemeenten", true, false},
    {"brt", "buurten", false, false},
    {"bg", "", true, true},
    {"csv", "", true, false},
};

}  // namespace

TEST(Presenter, PublicFaceHidesAndLocksConfidentialAndUnknownLayers) {
  // As a store classifies after buildPublicLayers: the openbaar_* layers public, else defaults.
  const auto steps = publicFace(kProject, [](const std::string& layer) {
    return layer.starts_with("openbaar_") ? Sensitivity::Public : defaultSensitivity(layer);
  });
  ASSERT_EQ(steps.size(), kProject.size());
  // id -> (visible, locked), worked out from the classification defaults by hand.
  const std::vector<std::tuple<std::string, bool, bool>> expected = {
      {"sig", false, true},  {"vbo", false, true},  {"hot", false, true},
      {"pub1", true, false}, {"pub2", true, false}, {"gem", true, false},
      {"brt", false, false}, {"bg", true, false},   {"csv", false, true}};
  for (std::size_t i = 0; i < steps.size(); ++i) {
    SCOPED_TRACE(steps[i].id);
    EXPECT_EQ(steps[i].id, std::get<0>(expected[i]));
    EXPECT_EQ(steps[i].visible, std::get<1>(expected[i]));
    EXPECT_EQ(steps[i].locked, std::get<2>(expected[i]));
  }
}

TEST(Presenter, OpenbaarLayersFollowTheStoresClassificationNotTheirName) {
  // A layer named openbaar_* that the store does not classify public stays hidden and locked.
  const std::vector<ProjectLayer> one = {{"x", "openbaar_nep", true, false}};
  const auto steps = publicFace(one, [](const std::string&) { return Sensitivity::Confidential; });
  EXPECT_FALSE(steps[0].visible);
  EXPECT_TRUE(steps[0].locked);
}

TEST(Presenter, WorkingFaceRestoresTheSavedVisibilityUnlocked) {
  const auto steps = workingFace(kProject);
  ASSERT_EQ(steps.size(), kProject.size());
  for (std::size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(steps[i].visible, kProject[i].visible) << steps[i].id;
    EXPECT_FALSE(steps[i].locked) << steps[i].id;
  }
}

TEST(Presenter, EachSwitchIsAudited) {
  TempDir dir;
  auto store = privacyStore(dir);
  buildPublicLayers(*store, [] {
    PublicLayersOptions o;
    o.seed = 7;
    return o;
  }());
  const auto classify = [&](const std::string& layer) {
    return classification(*store, layer).sensitivity;
  };
  const auto on = publicFace(kProject, classify);
  EXPECT_TRUE(on[3].visible);  // classified public by buildPublicLayers
  recordPresenterSwitch(*store, true, "/tmp/eemsdelta.qgz", kProject, on);
  recordPresenterSwitch(*store, false, "/tmp/eemsdelta.qgz", kProject, workingFace(kProject));
  const auto audit = readAudit(*store);
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].action, "presentatie");
  EXPECT_EQ(audit[0].filter, "aan");
  EXPECT_EQ(audit[0].sensitivity, Sensitivity::Public);
  EXPECT_EQ(audit[0].destination, "/tmp/eemsdelta.qgz");
  EXPECT_EQ(audit[0].remark,
            "4 lagen verborgen en vergrendeld: signalen, verblijfsobjecten, hotspots_gi, csv");
  EXPECT_EQ(audit[1].filter, "uit");
  EXPECT_EQ(audit[1].who, currentOsUser());
}
