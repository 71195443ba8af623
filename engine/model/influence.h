// Influence: authority and influence, both with costs and benefits (C3).
//
// A plan reaches each team that receives plans either by authority (with
// probability pm.authority; executives always) or by influence (Product
// decides the channel). With mechanisms.influence on, this module owns what
// the channel costs and buys:
//
//   adoption by influence   p = trust(issuer, team)
//                               · (1 - exp(-(0.5 + people_sense) · h / h_p))
//     h = authority.influence_hours_per_team_week, h_p = persuasion_hours:
//     the PM pays h · (1 - pm.authority) hours per team and week out of
//     backlog administration (PersuasionHoursPerPm); no hours, no influence.
//   adoption by authority   p = pm.authority_compliance (fast, no buy-in).
//
//   dissent  when an engineering team adopts a plan (PlanAdopted, sent by
//     Product), its engineers review the top review_items queued ideas by
//     PM score (founder, discovery, engineering ideas and signal fixes; not
//     debt work, exogenous work, sales requests or committed items), each
//     item once. An objection is voiced with probability
//       q · trust · (authority_voice if the plan came by authority, else 1)
//     q = objection_probability for a bad idea (true efficacy <=
//     bad_idea_efficacy), false_objection_probability for a good one.
//     Under influence an objection is heard: the item is withdrawn
//     (Backlog::Drop). Under authority it is overruled with probability
//     overrule_probability (the item stays and is built; the team's trust
//     drops and its count of overruled objections grows), else heard.
//
//   trust    per (issuer of plans, team), from pm.initial_trust, in [0, 1];
//     a gain of step s moves it by s · (1 - trust), a loss by -s · trust
//     (so it settles where gains and losses balance):
//     gain pm.trust_step when a PM-ranked release the team built measures
//       well (realised efficacy > 0.2), loss pm.trust_step when it measures
//       badly (<= 0);
//     gain / loss date_trust_step for every team per kept / missed
//       committed date;
//     loss overruled_trust_step per overruled objection.
//
// So authority wins where speed matters and ideas are mostly good (a
// crisis: a stale plan costs more than a bad item), influence where many
// ideas are bad (a novel problem: dissent stops them before they are
// built) and trust has been earned. Neither is fixed by construction.
//
// Randomness: two uniforms per reviewed item from "org/influence" (no other
// stream draws more or less). Off, nothing here draws, sends or changes.
//
// Metrics (docs/results.md): objections_overruled, bad_ideas_stopped_share
// (bad ideas withdrawn / bad ideas reviewed), good_ideas_stopped,
// adoption_days_mean (publication to adoption, adopted plans),
// trust_mean (mean trust of the teams receiving plans in the issuer at the
// end). Trace kinds: objection_overruled, bad_idea_stopped.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/kernel/simulation.h"
#include "engine/model/mechanism.h"

namespace orgsim::model {

struct World;

// Message: team `team` adopted the plan issued by `issuer` (Product ->
// Influence, at adoption).
struct PlanAdopted {
  static constexpr std::string_view kEventKind = "influence/plan_adopted";
  int issuer = -1;
  int team = -1;
  bool by_authority = false;
  double issued_day = 0.0;
};

// Message: a release the team built was measured (Product -> Influence).
struct ReleaseMeasured {
  static constexpr std::string_view kEventKind = "influence/release_measured";
  int team = -1;
  double realised = 0.0;  // efficacy x understanding
};

// Message: a committed date was kept or missed (Sales/Product -> Influence).
struct DateOutcome {
  static constexpr std::string_view kEventKind = "influence/date_outcome";
  bool kept = false;
};

class Influence : public Mechanism {
 public:
  explicit Influence(World& world);

  // Declares PlanAdopted, ReleaseMeasured and DateOutcome (when active).
  void RegisterHandlers(kernel::Simulation& sim) override;
  void Init() override;
  void Receive(const Message& message) override;
  static std::vector<MetricDef> Metrics();

  // mechanisms.influence (and mechanisms.decisions) on.
  bool active() const;

  // Trust of team `team` in agent `issuer` (pm.initial_trust if never
  // changed).
  double Trust(int issuer, int team) const;
  // Probability that `team` adopts a plan of `issuer` by influence.
  double InfluenceAdoption(int issuer, int team, double people_sense) const;
  // Hours per week each active PM spends persuading (0 when inactive).
  double PersuasionHoursPerPm() const;
  // Objections of team `team` overruled so far (read by attrition).
  int overruled_objections(int team) const { return overruled_by_team_[team]; }
  std::int64_t objections_overruled() const { return overruled_; }
  std::int64_t bad_ideas_stopped() const { return bad_stopped_; }
  std::int64_t bad_ideas_reviewed() const { return bad_reviewed_; }
  std::int64_t good_ideas_stopped() const { return good_stopped_; }
  double adoption_days_mean() const { return SafeDiv(adoption_days_sum_, adoptions_); }
  // Mean trust of the teams that receive plans in the current issuer.
  double TrustMean() const;

 private:
  void Review(const PlanAdopted& plan);
  void Shift(int issuer, int team, double delta);
  std::vector<double>& Row(int issuer);

  World& w_;
  // trust_[issuer][team]; a row exists once the issuer's trust changed.
  std::vector<std::vector<double>> trust_;
  std::vector<int> overruled_by_team_;
  std::vector<std::uint8_t> reviewed_;  // by item id
  std::int64_t overruled_ = 0, bad_stopped_ = 0, bad_reviewed_ = 0, good_stopped_ = 0;
  std::int64_t adoptions_ = 0;
  double adoption_days_sum_ = 0.0;
};

}  // namespace orgsim::model
