// Communication-graph mechanisms: hops, fidelity, betweenness, fragmentation.
#include "engine/model/graph.h"

#include <gtest/gtest.h>

#include "engine/model/org.h"
#include "engine/model/presets.h"

namespace orgsim::model {
namespace {

GraphMeasures Measure(const ModelConfig& c, Roster* roster_out = nullptr) {
  Roster roster = BuildRoster(c);
  GraphMeasures m = MeasureGraph(BuildCommGraph(c, roster), roster);
  if (roster_out) *roster_out = roster;
  return m;
}

TEST(CommGraph, MoreLayersLowerFidelityAndAddHops) {
  ModelConfig c = HeadlineCompany();
  ApplyProjectMode(c);
  double last_fidelity = 2.0, last_hops = -1.0;
  for (int layers = 0; layers <= 3; ++layers) {
    c.organization.operating.layers_between_engineers_and_customers = layers;
    const GraphMeasures m = Measure(c);
    EXPECT_LT(m.market_to_engineers_fidelity, last_fidelity) << layers;
    EXPECT_GT(m.market_to_engineers_hops, last_hops) << layers;
    last_fidelity = m.market_to_engineers_fidelity;
    last_hops = m.market_to_engineers_hops;
  }
}

TEST(CommGraph, PathFidelityIsProductOfEdgeFidelities) {
  ModelConfig c = HeadlineCompany();
  ApplyProjectMode(c);
  c.organization.operating.layers_between_engineers_and_customers = 0;
  Roster roster;
  const GraphMeasures m = Measure(c, &roster);
  // sales rep -> sales lead is one intra-team hop.
  const int t = roster.FindTeam("sales");
  const int lead = roster.teams[t].agents[0], rep = roster.teams[t].agents[1];
  EXPECT_NEAR(m.Fidelity(rep, lead), c.organization.graph.intra_team_fidelity, 1e-6);
  EXPECT_EQ(m.Hops(rep, lead), 1);
}

TEST(CommGraph, RemovingThePmDisconnectsOrLengthensPaths) {
  ModelConfig c = HeadlineCompany();
  ApplyProductLed(c);
  c.organization.graph.generator = GraphGenerator::kExplicit;     // PM is the only bridge
  c.organization.operating.engineer_customer_hours_per_week = 0;  // no direct market edge
  c.organization.graph.edges = {{"product", "eng_core"},
                                {"product", "eng_growth"},
                                {"product", "sales"},
                                {"product", "marketing"},
                                {"product", "founders"}};
  const GraphMeasures m = Measure(c);
  EXPECT_GT(m.components_without_pm, m.components);
  EXPECT_GT(m.anchor_pairs_disconnected_without_pm, 0.0);
  EXPECT_GT(m.pm_betweenness, 0.0);

  ApplyProductLed(c);
  c.organization.graph.generator = GraphGenerator::kHubAndSpoke;
  c.organization.graph.edges.clear();
  const GraphMeasures hub = Measure(c);
  EXPECT_GE(hub.anchor_latency_mean_without_pm, hub.anchor_latency_mean);
}

TEST(CommGraph, StarCentreHasBetweennessOne) {
  ModelConfig c;
  TeamConfig t;
  t.name = "eng";
  t.initial_headcount = 5;  // lead + 4 members: a star
  c.organization.teams = {t};
  c.organization.operating.layers_between_engineers_and_customers = 0;
  Roster roster;
  const GraphMeasures m = Measure(c, &roster);
  // The market vertex is isolated here; the lead lies on the shortest path
  // of every member pair: 6 of the (6-1)(6-2)/2 = 10 pairs that exclude it.
  EXPECT_NEAR(m.betweenness[roster.teams[0].agents[0]], 6.0 / 10.0, 1e-9);
}

TEST(CommGraph, ExportsContainMeasures) {
  ModelConfig c = HeadlineCompany();
  ApplyProductLed(c);
  const std::string dot = WriteGraphDot(c);
  EXPECT_NE(dot.find("betweenness="), std::string::npos);
  EXPECT_NE(dot.find("latency_days="), std::string::npos);
  const std::string ml = WriteGraphMl(c);
  EXPECT_NE(ml.find("<graphml"), std::string::npos);
  EXPECT_NE(ml.find("market_fidelity"), std::string::npos);
}

}  // namespace
}  // namespace orgsim::model
