// PreparedModelImpl: what is computed once per configuration (internal).
//
// Holds the validated configuration, the roster, the communication graph and
// its measures, and the derived per-team path tables the run needs. Shared
// read-only by every replication of the configuration.
#pragma once

#include <vector>

#include "engine/model/config.h"
#include "engine/model/graph.h"
#include "engine/model/lever_schedule.h"
#include "engine/model/org.h"

namespace orgsim::model {

class PreparedModelImpl {
 public:
  explicit PreparedModelImpl(const ModelConfig& config);

  ModelConfig config;
  Roster roster;
  CommGraph graph;
  GraphMeasures measures;
  // config.schedule resolved (lever_schedule.h); empty without one.
  std::vector<ScheduledChanges> schedule;

  // Mean over an engineering team's members of the most-reliable fidelity
  // from `agent` (row: agent id or the market vertex; column: roster team).
  // Used for the "why" of items that originate at that agent.
  std::vector<float> fidelity_to_team;  // [vertex * teams + team]
  std::vector<float> latency_to_team;   // [vertex * teams + team] (anchor)
  double FidelityToTeam(int vertex, int team) const {
    return fidelity_to_team[static_cast<std::size_t>(vertex) * roster.teams.size() + team];
  }
  double LatencyToTeam(int vertex, int team) const {
    return latency_to_team[static_cast<std::size_t>(vertex) * roster.teams.size() + team];
  }
  // Direct customer channel of each engineering team's members (fidelity of
  // a direct market edge × exposure share), 0 when there is none.
  std::vector<double> direct_channel;  // per team
  // What ceremonies buy (C4), fixed per design: the share of the lost why
  // they restore, and the share of integration conflicts they catch. Both
  // max·(1 − e^(−h/h_half)) at the ceremony hours (0 with ceremonies off).
  double ceremony_why_benefit = 0.0;
  double ceremony_coordination = 0.0;

  // For each agent: the nearest (fastest) product agent and its latency and
  // fidelity; -1 when there is no product agent or none reachable. Routed
  // problem signals travel this path (C5).
  std::vector<int> nearest_pm;
  std::vector<float> nearest_pm_latency;
  std::vector<float> nearest_pm_fidelity;
  // Same toward the executive lead (who plays product without a PM).
  int executive_lead = -1;
  // Per agent: communication-graph edges to agents of other teams (the
  // market vertex excluded). For product agents these are the contacts
  // that cost pm.contact_hours_per_week each (C7).
  std::vector<int> cross_team_contacts;

  int problem_dimensions = 0;
  int segments = 0;
};

}  // namespace orgsim::model
