// The descriptions of `risk` and `adreslijst`: defaults read from the requests, set writes the
// bound field, bad values refused naming the option, the builders' tables are the
// descriptions', and both are in the registry (docs/options.md, the plugin's list).
#include <gtest/gtest.h>

#include "layers/catalog/catalog.h"
#include "layers/risk/address_runner.h"
#include "layers/risk/risk_runner.h"

using namespace veldwacht;
using namespace veldwacht::layers;

namespace {

template <class R>
void expectRefused(const describe::Analysis<R>& a, const std::string& name,
                   const std::string& text) {
  R r = a.defaults();
  try {
    a.setText(r, name, text);
    ADD_FAILURE() << name << " accepted '" << text << "'";
  } catch (const geo::OptionError& e) {
    EXPECT_EQ(e.option(), "--" + name) << text << ": " << e.what();
  }
}

}  // namespace

TEST(DescribeRisk, DefaultsComeFromTheRequestAndSetWritesTheFields) {
  const auto& a = describe::riskAnalyses().front();
  EXPECT_EQ(a.id, "risk_terrain");
  EXPECT_EQ(a.command, "risk");
  EXPECT_EQ(std::get<double>(a.find("cell-size")->defaultValue), RiskRequest{}.cellSize);
  EXPECT_EQ(std::get<std::string>(a.find("factors")->defaultValue),
            "vab,bedrijventerrein,afgelegen,wegtoegang,doodlopend,veldweg,buurt");
  EXPECT_EQ(std::get<std::string>(a.find("distances")->defaultValue),
            "100,200,300,400,500,600,700,800,900,1000");
  EXPECT_EQ(std::get<std::int64_t>(a.find("folds")->defaultValue), 10);
  RiskRequest r = a.defaults();
  a.setText(r, "factors", "wegtoegang, vab");
  ASSERT_EQ(r.factors.size(), 2u);
  EXPECT_EQ(r.factors[0].name, "wegtoegang");
  EXPECT_EQ(r.factors[0].kind, FactorKind::RoadAccess);
  EXPECT_EQ(r.factors[1].layer, "vab");
  a.setText(r, "distances", "250,500.5");
  EXPECT_EQ(r.influence.distances, (std::vector<double>{250, 500.5}));
  a.setText(r, "folds", "5");
  EXPECT_EQ(r.model.cv.folds, 5u);
  a.setText(r, "alpha", "0.25");
  EXPECT_EQ(r.model.net.alpha, 0.25);
  a.setText(r, "one-se", "true");
  EXPECT_TRUE(r.model.oneStandardError);
  EXPECT_EQ(a.get(r, "factors"), describe::OptionValue(std::string("wegtoegang,vab")));
}

TEST(DescribeRisk, EarlierSignalsFactorsHalfLivesAndResponseStart) {
  const auto& a = describe::riskAnalyses().front();
  EXPECT_EQ(std::get<std::string>(a.find("half-lives")->defaultValue), "30,90,180,365");
  EXPECT_EQ(std::get<std::string>(a.find("response-from")->defaultValue), "");
  RiskRequest r = a.defaults();
  a.setText(r, "factors", "vab,eerder,eerder:HENNEP");
  ASSERT_EQ(r.factors.size(), 3u);
  EXPECT_EQ(r.factors[1].kind, FactorKind::EarlierSignals);
  EXPECT_EQ(r.factors[1].category, "");
  EXPECT_EQ(r.factors[2].name, "eerder:HENNEP");
  EXPECT_EQ(r.factors[2].category, "HENNEP");
  a.setText(r, "half-lives", "14,60.5");
  EXPECT_EQ(r.influence.halfLivesDays, (std::vector<double>{14, 60.5}));
  a.setText(r, "response-from", "2025-01-01");
  EXPECT_EQ(r.responseFrom, *parseIsoTime("2025-01-01"));
  EXPECT_EQ(a.get(r, "response-from"), describe::OptionValue(std::string("2025-01-01T00:00:00")));
  EXPECT_EQ(a.get(r, "factors"), describe::OptionValue(std::string("vab,eerder,eerder:HENNEP")));
  for (const char* v : {"eerder:", "eerder:A B", "eerder,eerder", "eerder:X'"})
    expectRefused(a, "factors", v);
  for (const char* v : {"", "0", "90,30", "x", "40000"}) expectRefused(a, "half-lives", v);
  for (const char* v : {"gisteren", "2025-13-01"}) expectRefused(a, "response-from", v);
  // The factor table has the half-life column.
  EXPECT_NO_THROW(a.result("FACTORS").field("halfwaardetijd_d"));
}

TEST(DescribeRisk, BadValuesAreRefusedNamingTheOption) {
  const auto& a = describe::riskAnalyses().front();
  for (const char* v : {"0", "-5", "nan", "1e9"}) expectRefused(a, "cell-size", v);
  for (const char* v : {"", "vab,wapens", "vab,vab"}) expectRefused(a, "factors", v);
  for (const char* v : {"", "0", "100,50", "abc", "100,,x", "20000"})
    expectRefused(a, "distances", v);
  for (const char* v : {"1", "51", "2.5"}) expectRefused(a, "folds", v);
  for (const char* v : {"-0.1", "1.1"}) expectRefused(a, "alpha", v);
}

TEST(DescribeAddressList, DefaultsSetAndRefusals) {
  const auto& a = describe::addressListAnalyses().front();
  EXPECT_EQ(a.id, "address_list");
  EXPECT_EQ(a.command, "adreslijst");
  EXPECT_EQ(std::get<std::string>(a.find("candidates")->defaultValue), "panden");
  EXPECT_EQ(std::get<double>(a.find("signal-radius")->defaultValue),
            AddressListOptions{}.signalRadius);
  EXPECT_EQ(std::get<std::string>(a.find("skip-visited-since")->defaultValue), "");
  AddressListRequest r = a.defaults();
  a.setText(r, "candidates", "verblijfsobjecten");
  EXPECT_EQ(r.candidates, CandidateSource::Verblijfsobjecten);
  a.setText(r, "themes", "drugs,verhuur");
  EXPECT_EQ(r.list.themes, (std::vector<std::string>{"drugs", "verhuur"}));
  a.setText(r, "skip-visited-since", "2025-01-01");
  EXPECT_EQ(r.list.skipVisitedSince, parseIsoTime("2025-01-01"));
  a.setText(r, "reference-date", "2025-06-01");
  EXPECT_EQ(r.list.referenceTime, *parseIsoTime("2025-06-01"));
  a.setText(r, "max-rows", "50");
  EXPECT_EQ(r.list.maxRows, 50u);
  expectRefused(a, "candidates", "huizen");
  expectRefused(a, "themes", "wapens");
  expectRefused(a, "skip-visited-since", "gisteren");
  expectRefused(a, "reference-date", "2025-13-45");
  expectRefused(a, "signal-radius", "-1");
  expectRefused(a, "half-life-days", "0");
  expectRefused(a, "max-rows", "-3");
}

TEST(DescribeRisk, BothAreInTheRegistryAndTheirTablesAreTheBuildersOnes) {
  EXPECT_EQ(describe::info("risk_terrain").command, "risk");
  EXPECT_EQ(describe::info("address_list").command, "adreslijst");
  EXPECT_EQ(describe::forCommand("adreslijst").size(), 1u);
  const std::string md = describe::optionsMarkdown();
  EXPECT_NE(md.find("`veldwacht:risk_terrain`"), std::string::npos);
  EXPECT_NE(md.find("`--skip-visited-since`"), std::string::npos);

  // The list builder fills the description's OUTPUT table, field for field.
  AddressInput in;
  in.candidateLayer = "vab";
  AddressCandidate c;
  c.key = "VAB-1";
  c.vacant = true;
  c.location = {250000, 590000};
  in.candidates.push_back(c);
  AddressListRequest req;
  req.list.referenceTime = 1000000;
  const AddressListOutput out = buildAddressList(in, req, RunClock{});
  const auto& spec = describe::addressListAnalyses().front().result("OUTPUT");
  ASSERT_EQ(out.result.layers.size(), 1u);
  const ResultLayer& l = out.result.layers[0];
  ASSERT_EQ(l.fields.size(), spec.fields.size());
  for (std::size_t i = 0; i < l.fields.size(); ++i) {
    EXPECT_EQ(l.fields[i].name, spec.fields[i].name);
    EXPECT_EQ(l.fields[i].type, spec.fields[i].type);
  }
  ASSERT_EQ(l.records.size(), 1u);
  EXPECT_EQ(l.records[0].values.size(), spec.fields.size());
  EXPECT_EQ(l.style, "risk_adreslijst");
}
