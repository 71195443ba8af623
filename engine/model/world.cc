#include "engine/model/world.h"

#include <string>

namespace orgsim::model {
namespace {

kernel::RandomStream Named(const kernel::StreamKey& key, const std::string& name) {
  return kernel::RandomStream(kernel::WithStream(key, name));
}

}  // namespace

Streams::Streams(const kernel::StreamKey& key, const PreparedModelImpl& prep)
    : work_arrivals(Named(key, "market/work_arrivals")),
      work_effort(Named(key, "market/work_effort")),
      ideas(Named(key, "org/ideas")),
      discovery(Named(key, "org/discovery")),
      decisions(Named(key, "org/decisions")),
      launches(Named(key, "org/launches")),
      measures(Named(key, "org/measures")),
      routing(Named(key, "org/signal_routing")),
      hiring(Named(key, "org/hiring")),
      commitments(Named(key, "org/commitments")),
      batching(Named(key, "org/sprint_batching")),
      intray(Named(key, "org/intray")),
      exceptions(Named(key, "org/exceptions")),
      priority_churn(Named(key, "org/priority_churn")),
      beliefs(Named(key, "org/beliefs")),
      influence(Named(key, "org/influence")),
      workforce(Named(key, "org/workforce")) {
  for (const SegmentConfig& sc : prep.config.market.segments) {
    leads.push_back(Named(key, "market/leads/" + sc.name));
    accounts.push_back(Named(key, "market/accounts/" + sc.name));
    drift.push_back(Named(key, "market/drift/" + sc.name));
    needs.push_back(Named(key, "market/needs/" + sc.name));
    signals.push_back(Named(key, "market/signals/" + sc.name));
  }
  for (const TeamInfo& team : prep.roster.teams) {
    pull.push_back(Named(key, "org/pull/" + team.name));
    rework.push_back(Named(key, "org/rework/" + team.name));
    integration.push_back(Named(key, "org/integration/" + team.name));
  }
}

std::uint64_t Streams::MarketDraws() const {
  std::uint64_t sum = work_arrivals.draws() + work_effort.draws();
  for (const auto* group : {&leads, &accounts, &drift, &needs, &signals}) {
    for (const kernel::RandomStream& s : *group) sum += s.draws();
  }
  return sum;
}

void Streams::MixInto(kernel::Simulation& sim) const {
  for (const auto* group :
       {&leads, &accounts, &drift, &needs, &signals, &pull, &rework, &integration}) {
    for (const kernel::RandomStream& s : *group) sim.MixIntoFingerprint(s.draws());
  }
  for (const kernel::RandomStream* s :
       {&work_arrivals, &work_effort, &ideas, &discovery, &decisions, &launches, &measures,
        &routing, &hiring, &commitments, &batching}) {
    sim.MixIntoFingerprint(s->draws());
  }
  // Only runs with in-trays draw here; the others keep their fingerprints.
  if (intray.draws() > 0) sim.MixIntoFingerprint(intray.draws());
  if (exceptions.draws() > 0) sim.MixIntoFingerprint(exceptions.draws());
  if (priority_churn.draws() > 0) sim.MixIntoFingerprint(priority_churn.draws());
  if (beliefs.draws() > 0) sim.MixIntoFingerprint(beliefs.draws());
  if (influence.draws() > 0) sim.MixIntoFingerprint(influence.draws());
  if (workforce.draws() > 0) sim.MixIntoFingerprint(workforce.draws());
}

void Tracer::Emit(kernel::SimTime time, int agent, std::string_view kind, double v1, double v2,
                  std::string text) const {
  TraceEvent event;
  event.time = time;
  event.agent = agent;
  event.agent_name = agent >= 0 && agent < static_cast<int>(roster_.agents.size())
                         ? std::string_view(roster_.agents[agent].name)
                         : std::string_view("market");
  event.kind = kind;
  event.value1 = v1;
  event.value2 = v2;
  event.text = std::move(text);
  (*sink_)(event);
}

World::World(const PreparedModelImpl& prepared, const kernel::StreamKey& key,
             const RunOptions& opts)
    : prep(prepared),
      live_config(prepared.config),
      schedule(prepared.schedule),
      cfg(live_config),
      roster(prepared.roster),
      options(opts),
      rng(key, prepared),
      trace(&opts.trace, prepared.roster),
      market_(*this),
      sales_(*this),
      backlog_(*this),
      delivery_(*this, backlog_),
      product_(*this),
      books_(*this),
      arrivals_(*this),
      structure_(*this),
      intray_(*this),
      retention_(*this, key),
      funnel_(*this, key),
      predictability_(*this),
      unit_economics_(*this),
      exceptions_(*this),
      priority_churn_(*this),
      awareness_(*this),
      capital_allocation_(*this, key),
      overhead_(*this),
      beliefs_(*this),
      influence_(*this),
      coordination_(*this),
      workforce_(*this) {
  schedule.ApplyDue(0, live_config);  // entries at day 0: in force from the start
  agent_active.assign(roster.agents.size(), 0);
  role_agents.assign(8, {});
  role_active.assign(8, 0);
  team_active.assign(roster.teams.size(), 0);
  for (const Agent& a : roster.agents) {
    role_agents[static_cast<int>(a.role)].push_back(a.id);
    if (a.initially_active) {
      agent_active[a.id] = 1;
      ++role_active[static_cast<int>(a.role)];
      ++team_active[a.team];
    }
  }
  horizon = kernel::Days(cfg.horizon_days);
  warmup = kernel::Days(cfg.warmup_days);
}

void World::ActivateAgent(int agent) {
  if (agent_active[agent]) return;
  const Agent& a = roster.agents[agent];
  agent_active[agent] = 1;
  ++role_active[static_cast<int>(a.role)];
  ++team_active[a.team];
  for (Mechanism* m : mechanisms) m->OnAgentJoined(agent);
}

}  // namespace orgsim::model
