// C7 mechanisms: the PM's position in the communication graph changes what
// actually travels in a run -- the customer "why" of each item started
// (market -> originator -> builder) and each routed problem signal
// (observer -> owner) -- and removing a PM that bridges silos fragments the
// org. The tiny configurations below have hand-computable paths (graph
// defaults: inter-team edge 2 days / fidelity 0.8, market edge 3 days /
// 0.85). No test here says which design earns more.
#include <gtest/gtest.h>

#include <string>

#include "engine/model/run.h"

namespace orgsim::model {
namespace {

kernel::StreamKey Key(std::uint32_t rep) {
  return {.seed = 11, .design_point = 0, .replication = rep};
}

TeamConfig Team(const std::string& name, Role role, int headcount,
                const std::string& reports_to = "") {
  TeamConfig t;
  t.name = name;
  t.role = role;
  t.initial_headcount = headcount;
  t.reports_to = reports_to;
  return t;
}

// Founder, one engineer (the lead: no intra-team hop), one salesperson; no
// delivery layers and no direct customer contact for engineering, no dated
// sales requests, every problem signal sent to product. Every why and every
// signal then takes a path whose latency and fidelity can be read off the
// org chart.
ModelConfig Tiny() {
  ModelConfig c;
  c.horizon_days = 365;
  c.organization.teams = {Team("founders", Role::kExecutive, 1),
                          Team("eng", Role::kEngineering, 1, "founders"),
                          Team("sales", Role::kSales, 1, "founders")};
  c.organization.operating.layers_between_engineers_and_customers = 0;
  c.organization.operating.engineer_customer_hours_per_week = 0;
  c.organization.operating.signal_routing = 1.0;
  SegmentConfig s;
  s.name = "smb";
  s.request_share = 0.0;
  c.market.segments = {s};
  return c;
}

// Tiny() plus a PM who reports to the founder; no founder ideas and no
// initial backlog, so every customer "why" starts at the PM (discovery
// ideas and signal fixes).
ModelConfig TinyWithPm(GraphGenerator generator) {
  ModelConfig c = Tiny();
  c.organization.teams.push_back(Team("product", Role::kProduct, 1, "founders"));
  c.organization.graph.generator = generator;
  c.work.executive_ideas_per_week = 0;
  c.work.initial_backlog = 0;
  return c;
}

TEST(Glue, FlowMetricsEqualHandComputedPathsWithoutPm) {
  // Every why comes from the founder: market -> founder (3 d, 0.85) ->
  // engineer (2 d, 0.8). Every signal is heard by the salesperson and owned
  // by the founder (the issuer without a PM): one inter-team hop (2 d, 0.8),
  // shorter than the detour over the market (6 d, 0.7225).
  const PreparedModel m(Tiny());
  const RunOutcome out = RunReplication(m, Key(1));
  ASSERT_GT(out.Metric("items_completed"), 0);
  ASSERT_GT(out.Metric("signals_routed"), 0);
  EXPECT_NEAR(out.Metric("why_path_latency_days"), 5.0, 1e-9);
  EXPECT_NEAR(out.Metric("why_path_fidelity"), 0.85 * 0.8, 1e-6);
  EXPECT_EQ(out.Metric("why_paths_broken"), 0.0);
  EXPECT_NEAR(out.Metric("signal_latency_days"), 2.0, 1e-9);
  EXPECT_NEAR(out.Metric("signal_fidelity"), 0.8, 1e-6);
  EXPECT_EQ(out.Metric("signals_unreachable"), 0.0);

  // The trace tells the same story, item by item.
  int starts_with_path = 0;
  RunOptions traced;
  traced.trace = [&starts_with_path](const TraceEvent& e) {
    if (e.kind == "start" &&
        std::string(e.text).find(
            "from the market via founders/0 in 5.00 days, path fidelity 0.68") !=
            std::string::npos) {
      ++starts_with_path;
    }
  };
  const RunOutcome again = RunReplication(m, Key(1), traced);
  EXPECT_EQ(again.metrics, out.metrics);
  EXPECT_GT(starts_with_path, 0);
}

TEST(Glue, HubPmShortensWhatTravelsComparedWithHierarchy) {
  // Hub: the PM talks to every lead. The why goes market -> PM (3 d, 0.85)
  // -> engineer (2 d, 0.8); a signal goes salesperson -> PM in one hop
  // (2 d, 0.8).
  const PreparedModel hub(TinyWithPm(GraphGenerator::kHubAndSpoke));
  // Hierarchy: the PM reaches engineering and sales only through the
  // founder, one inter-team hop more: the why takes 3 + 2 + 2 days at
  // 0.85 x 0.8 x 0.8 (the detour over the market is worse: 8 d, 0.85^3 x
  // 0.8); a signal's fastest path is salesperson -> founder -> PM (4 d),
  // its most reliable one salesperson -> market -> PM (0.85 x 0.85 beats
  // 0.8 x 0.8).
  const PreparedModel hierarchy(TinyWithPm(GraphGenerator::kHierarchy));
  for (std::uint32_t rep = 0; rep < 3; ++rep) {
    const RunOutcome h = RunReplication(hub, Key(rep));
    const RunOutcome r = RunReplication(hierarchy, Key(rep));
    ASSERT_GT(h.Metric("signals_routed"), 0) << rep;
    ASSERT_GT(r.Metric("signals_routed"), 0) << rep;
    ASSERT_GT(h.Metric("why_path_fidelity"), 0) << rep;  // some PM items were started
    ASSERT_GT(r.Metric("why_path_fidelity"), 0) << rep;
    EXPECT_NEAR(h.Metric("why_path_latency_days"), 5.0, 1e-9) << rep;
    EXPECT_NEAR(h.Metric("why_path_fidelity"), 0.85 * 0.8, 1e-6) << rep;
    EXPECT_NEAR(h.Metric("signal_latency_days"), 2.0, 1e-9) << rep;
    EXPECT_NEAR(h.Metric("signal_fidelity"), 0.8, 1e-6) << rep;
    EXPECT_NEAR(r.Metric("why_path_latency_days"), 7.0, 1e-9) << rep;
    EXPECT_NEAR(r.Metric("why_path_fidelity"), 0.85 * 0.8 * 0.8, 1e-6) << rep;
    EXPECT_NEAR(r.Metric("signal_latency_days"), 4.0, 1e-9) << rep;
    EXPECT_NEAR(r.Metric("signal_fidelity"), 0.85 * 0.85, 1e-6) << rep;
    EXPECT_EQ(h.Metric("why_paths_broken"), 0.0) << rep;
    EXPECT_EQ(r.Metric("why_paths_broken"), 0.0) << rep;
    // The structural measure agrees on the direction.
    EXPECT_GT(h.Metric("pm_betweenness"), r.Metric("pm_betweenness")) << rep;
  }
}

// Silos in small: functions talk to each other only through the PM. Without
// the PM the org falls apart completely (shipped scenarios may not fall
// apart, so scenarios/claims/c07_pm_as_glue.textproto leaves silos to this
// test).
ModelConfig Silos(bool with_pm) {
  ModelConfig c = Tiny();
  c.organization.teams.push_back(Team("marketing", Role::kMarketing, 1, "founders"));
  c.organization.graph.generator = GraphGenerator::kExplicit;
  c.organization.graph.edges.clear();
  if (with_pm) {
    c.organization.teams.push_back(Team("product", Role::kProduct, 1, "founders"));
    for (const char* team : {"founders", "eng", "sales", "marketing"}) {
      EdgeConfig e;
      e.from = "product";
      e.to = team;
      c.organization.graph.edges.push_back(e);
    }
  }
  return c;
}

TEST(Glue, RemovingTheBridgingPmFragmentsTheOrgAndBreaksWhatTravels) {
  const PreparedModel silos(Silos(true));
  const PreparedModel without(Silos(false));
  for (std::uint32_t rep = 0; rep < 2; ++rep) {
    const RunOutcome s = RunReplication(silos, Key(rep));
    const RunOutcome w = RunReplication(without, Key(rep));
    // Structure: without the PM, engineering is cut off from everyone
    // (founders, sales and marketing still meet at the market vertex).
    EXPECT_GT(s.Metric("components_without_pm"), 1.0) << rep;
    EXPECT_GT(s.Metric("pairs_disconnected_without_pm"), 0.0) << rep;
    EXPECT_GT(s.Metric("pm_betweenness"), 0.0) << rep;
    // Flow: with the PM every why and every signal arrives ...
    ASSERT_GT(s.Metric("signals_routed"), 0) << rep;
    EXPECT_EQ(s.Metric("why_paths_broken"), 0.0) << rep;
    EXPECT_EQ(s.Metric("signals_unreachable"), 0.0) << rep;
    EXPECT_GT(s.Metric("why_path_fidelity"), 0.0) << rep;
    // ... without it no why reaches the engineer (the founder's ideas have
    // no path), so the builders start from nothing.
    ASSERT_GT(w.Metric("items_completed"), 0) << rep;
    EXPECT_EQ(w.Metric("why_paths_broken"), 1.0) << rep;
    EXPECT_EQ(w.Metric("why_path_fidelity"), 0.0) << rep;
    EXPECT_EQ(w.Metric("why_path_latency_days"), 0.0) << rep;
    EXPECT_LT(w.Metric("engineer_why_understanding"), s.Metric("engineer_why_understanding"))
        << rep;
  }
}

TEST(Glue, SignalsWithNoPathToAnOwnerAreCountedApart) {
  // A PM nobody talks to (no edges, no customer contact) owns every signal
  // and every discovery item: the signals the policy routes to product find
  // no path and are counted apart from the routed ones.
  ModelConfig c = Tiny();
  c.organization.teams.push_back(Team("product", Role::kProduct, 1, "founders"));
  c.organization.pm.customer_interaction_hours_per_week = 0;
  c.organization.graph.generator = GraphGenerator::kExplicit;
  c.organization.graph.edges.clear();
  const RunOutcome out = RunReplication(PreparedModel(c), Key(3));
  ASSERT_GT(out.Metric("signals_emitted"), 0);
  EXPECT_EQ(out.Metric("signals_routed"), 0.0);
  EXPECT_GT(out.Metric("signals_unreachable"), 0.0);
  EXPECT_EQ(out.Metric("signal_latency_days"), 0.0);
  EXPECT_EQ(out.Metric("signal_fidelity"), 0.0);
}

TEST(Glue, EachContactWithAnotherTeamCostsPmHours) {
  // Hierarchy: the PM's one contact is the founder it reports to; hub: the
  // lead of every other team (founders, eng, sales). Every week each
  // contact takes pm.contact_hours_per_week of the PM's time.
  const RunOutcome hierarchy =
      RunReplication(PreparedModel(TinyWithPm(GraphGenerator::kHierarchy)), Key(5));
  const RunOutcome hub =
      RunReplication(PreparedModel(TinyWithPm(GraphGenerator::kHubAndSpoke)), Key(5));
  EXPECT_NEAR(hierarchy.Metric("pm_contact_hours"), 52.0, 1.0);  // one hour a week for a year
  EXPECT_DOUBLE_EQ(hub.Metric("pm_contact_hours"), 3 * hierarchy.Metric("pm_contact_hours"));
  ModelConfig free_glue = TinyWithPm(GraphGenerator::kHubAndSpoke);
  free_glue.organization.pm.contact_hours_per_week = 0;
  EXPECT_EQ(RunReplication(PreparedModel(free_glue), Key(5)).Metric("pm_contact_hours"), 0.0);
  ModelConfig no_pm = Tiny();
  EXPECT_EQ(RunReplication(PreparedModel(no_pm), Key(5)).Metric("pm_contact_hours"), 0.0);
}

}  // namespace
}  // namespace orgsim::model
