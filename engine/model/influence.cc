#include "engine/model/influence.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "engine/model/world.h"

namespace orgsim::model {

namespace {

// Ideas someone had (founders, discovery, engineers, a fix for a signal),
// whose value is uncertain; not debt work, exogenous work or a customer's
// own request.
bool IsIdea(ItemSource source) {
  return source == ItemSource::kExecutive || source == ItemSource::kDiscovery ||
         source == ItemSource::kEngineering || source == ItemSource::kSignalFix;
}

}  // namespace

Influence::Influence(World& world) : w_(world) {}

bool Influence::active() const {
  return w_.cfg.mechanisms.influence && w_.cfg.mechanisms.decisions;
}

void Influence::RegisterHandlers(kernel::Simulation& sim) {
  (void)sim;  // every event of influence is a message
  if (!active()) return;
  w_.messages.Declare<PlanAdopted>();
  w_.messages.Declare<ReleaseMeasured>();
  w_.messages.Declare<DateOutcome>();
}

void Influence::Init() {
  trust_.assign(w_.roster.agents.size(), {});
  overruled_by_team_.assign(w_.roster.teams.size(), 0);
}

std::vector<double>& Influence::Row(int issuer) {
  std::vector<double>& row = trust_[static_cast<std::size_t>(issuer)];
  if (row.empty()) row.assign(w_.roster.teams.size(), w_.cfg.organization.pm.initial_trust);
  return row;
}

double Influence::Trust(int issuer, int team) const {
  if (issuer < 0 || trust_.empty()) return w_.cfg.organization.pm.initial_trust;
  const std::vector<double>& row = trust_[static_cast<std::size_t>(issuer)];
  return row.empty() ? w_.cfg.organization.pm.initial_trust : row[team];
}

void Influence::Shift(int issuer, int team, double delta) {
  if (issuer < 0) return;
  // Proportional steps keep trust in [0, 1] without saturating: it settles
  // where gains and losses balance, i.e. it tracks the track record.
  double& trust = Row(issuer)[team];
  trust += delta > 0 ? delta * (1.0 - trust) : delta * trust;
}

double Influence::InfluenceAdoption(int issuer, int team, double people_sense) const {
  const AuthorityConfig& a = w_.cfg.organization.authority;
  const double persuasion =
      1.0 - std::exp(-(0.5 + people_sense) * a.influence_hours_per_team_week / a.persuasion_hours);
  return Trust(issuer, team) * persuasion;
}

double Influence::PersuasionHoursPerPm() const {
  if (!active() || !w_.product.has_pm()) return 0.0;
  int teams = 0;
  for (std::size_t t = 0; t < w_.roster.teams.size(); ++t) {
    if (w_.product.ReceivesPlan(static_cast<int>(t)) && w_.ActiveInTeam(static_cast<int>(t)) > 0)
      ++teams;
  }
  const double pm_hours = w_.cfg.organization.authority.influence_hours_per_team_week *
                          (1.0 - w_.cfg.organization.pm.authority) * teams;
  // The PMs share the teams.
  return pm_hours / std::max(1, w_.ActiveWithRole(Role::kProduct));
}

void Influence::Receive(const Message& message) {
  const int issuer = w_.product.issuer();
  if (const PlanAdopted* plan = message.As<PlanAdopted>()) {
    ++adoptions_;
    adoption_days_sum_ += w_.NowDays() - plan->issued_day;
    Review(*plan);
  } else if (const ReleaseMeasured* release = message.As<ReleaseMeasured>()) {
    const double step = w_.cfg.organization.pm.trust_step;
    if (release->realised > 0.2) {
      Shift(issuer, release->team, step);
    } else if (release->realised <= 0.0) {
      Shift(issuer, release->team, -step);
    }
  } else if (const DateOutcome* date = message.As<DateOutcome>()) {
    const double step = w_.cfg.organization.authority.date_trust_step;
    for (std::size_t t = 0; t < w_.roster.teams.size(); ++t) {
      Shift(issuer, static_cast<int>(t), date->kept ? step : -step);
    }
  }
}

void Influence::Review(const PlanAdopted& plan) {
  const int team = plan.team;
  if (w_.roster.teams[team].role != Role::kEngineering) return;  // only builders object
  const AuthorityConfig& a = w_.cfg.organization.authority;
  // The top of the plan: the highest PM scores among queued, unreviewed,
  // uncommitted items.
  std::vector<int> top;
  for (int id : w_.backlog.queue()) {
    if (static_cast<std::size_t>(id) >= reviewed_.size()) reviewed_.resize(id + 1, 0);
    const WorkItem& item = w_.backlog.item(id);
    if (!reviewed_[id] && !item.committed && IsIdea(item.source)) top.push_back(id);
  }
  const std::size_t k = std::min<std::size_t>(top.size(), static_cast<std::size_t>(a.review_items));
  std::partial_sort(top.begin(), top.begin() + static_cast<std::ptrdiff_t>(k), top.end(),
                    [this](int x, int y) {
                      const double sx = w_.backlog.item(x).score, sy = w_.backlog.item(y).score;
                      return sx != sy ? sx > sy : x < y;
                    });
  const double trust = Trust(plan.issuer, team);
  const double voice = trust * (plan.by_authority ? a.authority_voice : 1.0);
  for (std::size_t i = 0; i < k; ++i) {
    const int id = top[i];
    reviewed_[id] = 1;
    const WorkItem& item = w_.backlog.item(id);
    const bool bad = item.efficacy <= a.bad_idea_efficacy;
    if (bad) ++bad_reviewed_;
    const double u_object = w_.rng.influence.NextUniform();
    const double u_overrule = w_.rng.influence.NextUniform();
    const double q = bad ? a.objection_probability : a.false_objection_probability;
    if (u_object >= q * voice) continue;
    if (plan.by_authority && u_overrule < a.overrule_probability) {
      ++overruled_;
      ++overruled_by_team_[team];
      Shift(plan.issuer, team, -a.overruled_trust_step);
      // Overruled objections wear people down (workforce.h: attrition).
      if (w_.cfg.mechanisms.workforce) {
        w_.messages.Send(*this, w_.workforce, OverruledObjection{team}, 0);
      }
      if (w_.trace.on()) {
        w_.trace.Emit(w_.sim.Now(), w_.roster.teams[team].anchor, "objection_overruled", id,
                      item.efficacy,
                      "team " + w_.roster.teams[team].name + " objected to item " +
                          std::to_string(id) + (bad ? " (a bad idea)" : " (a good idea)") +
                          "; overruled by authority, it will be built");
      }
      continue;
    }
    w_.messages.Deliver(*this, w_.backlog, DropWorkItem{id});
    if (bad) {
      ++bad_stopped_;
    } else {
      ++good_stopped_;
    }
    if (w_.trace.on() && bad) {
      w_.trace.Emit(w_.sim.Now(), w_.roster.teams[team].anchor, "bad_idea_stopped", id,
                    item.efficacy,
                    "team " + w_.roster.teams[team].name + "'s objection stopped item " +
                        std::to_string(id) + " (true efficacy " +
                        std::to_string(item.efficacy).substr(0, 5) + ") before it was built");
    }
  }
}

double Influence::TrustMean() const {
  const int issuer = w_.product.issuer();
  double sum = 0.0;
  int n = 0;
  for (std::size_t t = 0; t < w_.roster.teams.size(); ++t) {
    if (!w_.product.ReceivesPlan(static_cast<int>(t))) continue;
    sum += Trust(issuer, static_cast<int>(t));
    ++n;
  }
  return SafeDiv(sum, n);
}

std::vector<MetricDef> Influence::Metrics() {
  return {
      DefineMetric<Influence>(
          {"objections_overruled", "objections",
           "Engineers' objections to planned items overruled by authority (mechanisms.influence)",
           Better::kLower, "Objections overruled"},
          [](const Influence& m, const World&) { return double(m.objections_overruled()); }),
      DefineMetric<Influence>(
          {"bad_ideas_stopped_share", "fraction",
           "Bad ideas (true efficacy <= authority.bad_idea_efficacy) withdrawn after an "
           "objection / bad ideas reviewed by the teams adopting a plan",
           Better::kHigher, "Bad ideas stopped before build"},
          [](const Influence& m, const World&) {
            return SafeDiv(double(m.bad_ideas_stopped()), double(m.bad_ideas_reviewed()));
          }),
      DefineMetric<Influence>(
          {"good_ideas_stopped", "items",
           "Good ideas withdrawn after a (mistaken) objection: the cost of listening to dissent",
           Better::kLower, "Good ideas stopped by dissent"},
          [](const Influence& m, const World&) { return double(m.good_ideas_stopped()); }),
      DefineMetric<Influence>(
          {"adoption_days_mean", "days",
           "Mean days from a plan's publication to its adoption by a team (adopted plans, "
           "mechanisms.influence)",
           Better::kLower, "Days for a plan to be adopted"},
          [](const Influence& m, const World&) { return m.adoption_days_mean(); }),
      DefineMetric<Influence>(
          {"trust_mean", "fraction",
           "Mean trust of the teams that receive plans in the issuer of plans at the horizon",
           Better::kHigher, "Trust in the plan's author"},
          [](const Influence& m, const World&) { return m.TrustMean(); }),
  };
}

}  // namespace orgsim::model
