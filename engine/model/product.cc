#include "engine/model/product.h"

#include <algorithm>
#include <cmath>

#include "engine/kernel/check.h"
#include "engine/kernel/distributions.h"
#include "engine/model/random_util.h"
#include "engine/model/world.h"

namespace orgsim::model {
namespace {

constexpr double kDaysPerYear = 365.0;

bool ReceivesPlans(Role role) {
  return role == Role::kEngineering || role == Role::kSales || role == Role::kMarketing;
}

}  // namespace

Product::Product(World& world) : w_(world) {}

double Product::DrawEffort(kernel::RandomStream& rng) const {
  const WorkConfig& wc = w_.cfg.work;
  switch (wc.effort_distribution) {
    case EffortDistribution::kExponential:
      return kernel::Exponential(rng, wc.effort_mean_days);
    case EffortDistribution::kLognormal: {
      const double sigma2 = std::log1p(wc.effort_cv * wc.effort_cv);
      return wc.effort_mean_days * std::exp(std::sqrt(sigma2) * StandardNormal(rng) - 0.5 * sigma2);
    }
    case EffortDistribution::kDeterministic:
      return wc.effort_mean_days;
  }
  return wc.effort_mean_days;
}

void Product::UpdateSegmentWeights() {
  const PmConfig& pm = w_.cfg.organization.pm;
  seg_weight_.assign(segs_, 0.0);
  double potential = 0.0, revenue = 0.0;
  for (const SegmentConfig& sc : w_.cfg.market.segments) {
    potential += sc.potential_customers;
    revenue += sc.potential_customers * sc.price_per_month;
  }
  const double mean_price = potential > 0 ? revenue / potential : 0.0;
  for (int s = 0; s < segs_; ++s) {
    const SegmentConfig& sc = w_.cfg.market.segments[s];
    seg_weight_[s] = (1.0 - pm.business_acumen) * sc.potential_customers * mean_price +
                     pm.business_acumen * sc.potential_customers * sc.price_per_month;
  }
}

void Product::Init() {
  dims_ = w_.prep.problem_dimensions;
  segs_ = w_.prep.segments;
  const std::size_t n = static_cast<std::size_t>(segs_) * dims_;
  mean_.assign(n, 0.0);
  var_.assign(n, 0.0);
  founder_.assign(n, 0.0);
  const WorkConfig& wc = w_.cfg.work;
  const PmConfig& pm = w_.cfg.organization.pm;
  // The founders' belief: the true initial needs seen through noise.
  for (int s = 0; s < segs_; ++s) {
    double sum = 0.0;
    for (int d = 0; d < dims_; ++d) {
      const double z = StandardNormal(w_.rng.ideas);
      founder_[s * dims_ + d] =
          w_.market.segments()[s].need[d] *
          std::exp(wc.founder_belief_sd * z - 0.5 * wc.founder_belief_sd * wc.founder_belief_sd);
      sum += founder_[s * dims_ + d];
    }
    for (int d = 0; d < dims_; ++d) {
      founder_[s * dims_ + d] /= sum;
      mean_[s * dims_ + d] = founder_[s * dims_ + d];
      const double sd = wc.founder_belief_sd * mean_[s * dims_ + d];
      var_[s * dims_ + d] = sd * sd;
    }
  }
  UpdateSegmentWeights();
  const std::size_t teams = w_.roster.teams.size();
  aligned_.assign(teams, 0);
  buy_in_.assign(teams, 0);
  decision_team_.assign(teams, 0);
  trust_.assign(teams, pm.initial_trust);
  plan_seq_.assign(teams, 0);
  plan_issued_day_.assign(teams, 0.0);
  plan_authority_.assign(teams, 0);
  plan_adopt_.assign(teams, 0);
  for (std::size_t t = 0; t < teams; ++t) {
    if (ReceivesPlans(w_.roster.teams[t].role) && !w_.roster.teams[t].agents.empty()) {
      decision_team_[t] = 1;
    }
  }
  debt_share_ = w_.cfg.work.debt_capacity_share;
  RecountPms();
  if (!w_.cfg.mechanisms.decisions) {
    std::fill(aligned_.begin(), aligned_.end(), 1);
    std::fill(buy_in_.begin(), buy_in_.end(), 1);
  }
  w_.messages.Deliver(*this, w_.sales, SalesAligned{!w_.cfg.mechanisms.decisions});
  tally_.alignment.Start(0, 0.0);
  UpdateAlignmentMetric();

  // The founders' backlog (C11).
  if (w_.cfg.mechanisms.idea_generation && w_.cfg.mechanisms.market) {
    for (int i = 0; i < wc.initial_backlog; ++i) {
      const double u = w_.rng.ideas.NextUniform();
      AddIdea(static_cast<int>(ItemSource::kExecutive), w_.prep.executive_lead,
              SampleDimension(u, true), DrawEfficacy(), kFounderOptimism);
    }
  }
}

double Product::DrawEfficacy() {
  const WorkConfig& wc = w_.cfg.work;
  const double u = w_.rng.ideas.NextUniform();
  if (u < wc.idea_p_good) return 1.0;
  if (u < wc.idea_p_good + wc.idea_p_neutral) return 0.0;
  return wc.idea_bad_efficacy;
}

double Product::PriorEfficacy() const {
  const WorkConfig& wc = w_.cfg.work;
  return wc.idea_p_good + (1.0 - wc.idea_p_good - wc.idea_p_neutral) * wc.idea_bad_efficacy;
}

void Product::RecountPms() {
  active_pms_ = w_.ActiveWithRole(Role::kProduct);
  issuer_ = -1;
  for (int a : w_.RoleAgents(Role::kProduct)) {
    if (w_.agent_active[a]) {
      issuer_ = a;
      break;
    }
  }
  if (issuer_ < 0 && w_.prep.executive_lead >= 0 && w_.agent_active[w_.prep.executive_lead]) {
    issuer_ = w_.prep.executive_lead;
  }
}

int Product::SampleDimension(double u, bool founder_view) const {
  const std::vector<double>& belief = founder_view ? founder_ : mean_;
  const std::vector<double>& c = w_.market.capability();
  double total = 0.0;
  for (int d = 0; d < dims_; ++d) {
    double need = 0.0;
    for (int s = 0; s < segs_; ++s) need += seg_weight_[s] * belief[s * dims_ + d];
    total += need * (1.0 - c[d]) + 1e-12;
  }
  double acc = 0.0;
  for (int d = 0; d < dims_; ++d) {
    double need = 0.0;
    for (int s = 0; s < segs_; ++s) need += seg_weight_[s] * belief[s * dims_ + d];
    acc += need * (1.0 - c[d]) + 1e-12;
    if (u * total < acc) return d;
  }
  return dims_ - 1;
}

void Product::AddIdea(int source, int origin, int dim, double efficacy, double est_efficacy) {
  const WorkConfig& wc = w_.cfg.work;
  const PmConfig& pm = w_.cfg.organization.pm;
  WorkItem item;
  item.source = static_cast<ItemSource>(source);
  item.origin = origin;
  item.dim = dim;
  item.efficacy = efficacy;
  item.est_efficacy = est_efficacy;
  item.effort = DrawEffort(w_.rng.ideas);
  const double sd = wc.effort_estimate_sd * (1.0 - 0.5 * pm.business_acumen);
  item.est_effort = item.effort * std::exp(sd * StandardNormal(w_.rng.ideas));
  item.created = w_.sim.Now();
  w_.messages.Deliver(*this, w_.backlog, FileWorkItem{item});
}

void Product::Observe(int s, int d, double value, double noise_var) {
  double& m = mean_[s * dims_ + d];
  double& v = var_[s * dims_ + d];
  const double gain = v / (v + noise_var);
  m += gain * (value - m);
  m = std::max(1e-6, m);
  v *= 1.0 - gain;
}

double Product::NeedError() const {
  double sum = 0.0;
  for (int s = 0; s < segs_; ++s) {
    for (int d = 0; d < dims_; ++d) {
      sum += std::abs(mean_[s * dims_ + d] - w_.market.segments()[s].need[d]);
    }
  }
  return segs_ * dims_ > 0 ? sum / (segs_ * dims_) : 0.0;
}

double Product::ObservationSd() const {
  // Discovery noise in units of a need weight (~1/dims): people sense and
  // the fidelity of the PM's own channel to customers.
  const PmConfig& pm = w_.cfg.organization.pm;
  const double fidelity =
      issuer_ >= 0 ? std::max(0.05, w_.prep.measures.Fidelity(w_.roster.market_vertex, issuer_))
                   : 0.05;
  return pm.discovery_noise_sd * (1.2 - pm.people_sense) / fidelity / std::max(1, dims_);
}

void Product::Weekly() {
  const ModelConfig& cfg = w_.cfg;
  const PmConfig& pm = cfg.organization.pm;
  const OperatingModelConfig& op = cfg.organization.operating;
  const MechanismConfig& mech = cfg.mechanisms;
  RecountPms();
  // Knowledge ages as needs drift (Kalman predict step).
  if (mech.need_drift && cfg.market.need_drift_per_sqrt_year > 0) {
    const double q = cfg.market.need_drift_per_sqrt_year * cfg.market.need_drift_per_sqrt_year *
                     7.0 / kDaysPerYear;
    for (std::size_t i = 0; i < mean_.size(); ++i) var_[i] += q * mean_[i] * mean_[i];
  }
  // PM time budget. In-tray hours handled since last week (mechanisms.intray)
  // are spent like triage and launches.
  if (IntrayOn()) {
    const double finished = w_.intray.PmHoursFinished();
    pending_pm_hours_ += finished - intray_pm_hours_seen_;
    intray_pm_hours_seen_ = finished;
  }
  pending_pm_hours_ += beliefs_pm_hours_;  // relays of beliefs (beliefs.h)
  beliefs_pm_hours_ = 0.0;
  const int starts = static_cast<int>(w_.delivery.starts() - starts_seen_);
  starts_seen_ = w_.delivery.starts();
  double admin_hours = 0.0;
  discovery_hours_ = 0.0;
  if (active_pms_ > 0) {
    int product_team = -1;
    for (std::size_t t = 0; t < w_.roster.teams.size(); ++t) {
      if (w_.roster.teams[t].role == Role::kProduct) {
        product_team = static_cast<int>(t);
        break;
      }
    }
    const double week = w_.roster.teams[product_team].hours_per_day * 5.0;
    double fixed = 0.0;
    if (mech.ceremonies) {
      fixed = op.ceremony_hours_per_week +
              op.framework_adherence * op.framework_overhead_hours_per_week +
              op.planning_hours_per_event * 7.0 / op.planning_interval_days;
    }
    w_.ceremony_hours += fixed * active_pms_;
    // Glue costs time: every contact with another team takes its weekly sync.
    int contacts = 0;
    for (int a : w_.RoleAgents(Role::kProduct)) {
      if (w_.agent_active[a]) contacts += w_.prep.cross_team_contacts[a];
    }
    const double contact_hours = std::min(week * active_pms_, pm.contact_hours_per_week * contacts);
    tally_.pm_contact_hours += contact_hours;
    fixed += contact_hours / active_pms_;
    fixed += w_.influence.PersuasionHoursPerPm();  // 0 unless mechanisms.influence
    double left = std::max(0.0, week - fixed - pm.business_ownership * pm.business_hours_per_week);
    const double discovery = std::min(pm.customer_interaction_hours_per_week, left);
    left -= discovery;
    left = std::max(0.0, left - pending_pm_hours_ / active_pms_);
    discovery_hours_ = discovery * active_pms_;
    admin_hours = left * active_pms_;
  }
  pending_pm_hours_ = 0.0;
  for (const TeamInfo& team : w_.roster.teams) {
    if (team.role == Role::kDelivery) {
      admin_hours += team.initial * team.hours_per_day * 5.0 * op.layer_admin_share;
    }
  }
  const double required = starts * pm.backlog_hours_per_item;
  spec_coverage_ = required > 0 ? std::min(1.0, admin_hours / required)
                                : (admin_hours > 0 ? 1.0 : spec_coverage_);
  if (active_pms_ == 0 && admin_hours == 0) spec_coverage_ = 0.0;

  // Capital allocation of engineering time to tech debt (C2).
  if (mech.tech_debt) {
    const double drag = 1.0 - 1.0 / (1.0 + cfg.work.debt_drag * w_.delivery.debt());
    const double adaptive = std::clamp(2.0 * drag, 0.05, 0.5);
    const double bo = active_pms_ > 0 ? pm.business_ownership : 0.0;
    debt_share_ = (1.0 - bo) * cfg.work.debt_capacity_share + bo * adaptive;
  }

  // Discovery interviews (C10): observations of one account's needs.
  if (mech.discovery && mech.market && discovery_hours_ > 0) {
    kernel::RandomStream& rng = w_.rng.discovery;
    const std::uint64_t interviews =
        kernel::Poisson(rng, discovery_hours_ * pm.interviews_per_hour);
    const double obs_sd = ObservationSd();
    const double idio = cfg.market.account_need_sd;
    for (std::uint64_t i = 0; i < interviews; ++i) {
      const double u_seg = rng.NextUniform();
      const double u_acc = rng.NextUniform();
      double total = 0.0;
      for (const SegmentConfig& sc : cfg.market.segments) total += sc.potential_customers;
      int s = segs_ - 1;
      double acc = 0.0;
      for (int k = 0; k < segs_; ++k) {
        acc += cfg.market.segments[k].potential_customers;
        if (u_seg * total < acc) {
          s = k;
          break;
        }
      }
      const int account = w_.market.AccountAt(s, u_acc);
      const std::vector<double>& need = w_.market.segments()[s].need;
      // The interviewee's needs: an account's own, or a prospect's.
      double norm = 0.0;
      for (int d = 0; d < dims_; ++d) {
        double factor;
        if (account >= 0) {
          factor = w_.market.LeadNeeds(w_.market.accounts()[account].lead)[d];
          (void)StandardNormal(rng);  // keep draws per interview fixed
        } else {
          factor = std::exp(idio * StandardNormal(rng) - 0.5 * idio * idio);
        }
        scratch_[d] = need[d] * factor;
        norm += scratch_[d];
      }
      for (int d = 0; d < dims_; ++d) {
        const double observed = scratch_[d] / norm + obs_sd * StandardNormal(rng);
        const double m = mean_[s * dims_ + d];
        Observe(s, d, observed, obs_sd * obs_sd + idio * idio * m * m);
      }
      ++tally_.interviews;
    }
  }
  tally_.need_error_sum += NeedError();
  ++tally_.need_error_samples;
  GenerateIdeas(7.0);
  UpdateAlignmentMetric();
}

void Product::GenerateIdeas(double days) {
  const ModelConfig& cfg = w_.cfg;
  if (!cfg.mechanisms.idea_generation || !cfg.mechanisms.market) return;
  const WorkConfig& wc = cfg.work;
  const PmConfig& pm = cfg.organization.pm;
  kernel::RandomStream& rng = w_.rng.ideas;
  prototype_hours_ = 0.0;
  // Discovery ideas, validated before they enter the backlog (C10).
  if (active_pms_ > 0 && discovery_hours_ > 0) {
    const std::uint64_t n =
        kernel::Poisson(rng, discovery_hours_ * wc.ideas_per_discovery_hour * days / 7.0);
    // Validation costs engineering time whether the idea is kept or killed.
    if (cfg.mechanisms.discovery)
      prototype_hours_ = static_cast<double>(n) * pm.prototype_hours_per_idea;
    const double sd = pm.discovery_noise_sd * (1.2 - pm.people_sense);
    for (std::uint64_t i = 0; i < n; ++i) {
      const int dim = SampleDimension(rng.NextUniform(), false);
      const double efficacy = DrawEfficacy();
      const double noise = sd * StandardNormal(rng);
      double estimate = PriorEfficacy();
      if (cfg.mechanisms.discovery) {
        estimate = efficacy + noise;
        if (estimate < pm.discovery_kill_threshold) continue;  // killed in discovery
      }
      AddIdea(static_cast<int>(ItemSource::kDiscovery), issuer_, dim, efficacy, estimate);
    }
  }
  // Executives' ideas from their (static) founding belief.
  if (w_.ActiveWithRole(Role::kExecutive) > 0 && wc.executive_ideas_per_week > 0) {
    const std::uint64_t n = kernel::Poisson(rng, wc.executive_ideas_per_week * days / 7.0);
    for (std::uint64_t i = 0; i < n; ++i) {
      const int dim = SampleDimension(rng.NextUniform(), true);
      AddIdea(static_cast<int>(ItemSource::kExecutive), w_.prep.executive_lead, dim, DrawEfficacy(),
              kFounderOptimism);
    }
  }
  // Engineering's own ideas.
  if (wc.engineering_ideas_per_week > 0) {
    for (std::size_t t = 0; t < w_.roster.teams.size(); ++t) {
      const TeamInfo& team = w_.roster.teams[t];
      if (team.role != Role::kEngineering || w_.ActiveInTeam(static_cast<int>(t)) == 0) continue;
      const std::uint64_t n = kernel::Poisson(rng, wc.engineering_ideas_per_week * days / 7.0);
      for (std::uint64_t i = 0; i < n; ++i) {
        const int dim =
            static_cast<int>(kernel::UniformInt(rng, static_cast<std::uint64_t>(dims_)));
        AddIdea(static_cast<int>(ItemSource::kEngineering), team.agents.front(), dim,
                DrawEfficacy(), PriorEfficacy());
      }
    }
  }
}

void Product::Plan() {
  UpdateSegmentWeights();  // business_acumen may have changed (lever schedules)
  RecountPms();
  const ModelConfig& cfg = w_.cfg;
  if (!cfg.mechanisms.decisions) return;
  w_.messages.Deliver(*this, w_.backlog, RescoreBacklog{});
  if (issuer_ < 0) {
    std::fill(aligned_.begin(), aligned_.end(), 0);
    w_.messages.Deliver(*this, w_.sales, SalesAligned{false});
    UpdateAlignmentMetric();
    return;
  }
  if (IntrayOn()) {
    // The plan goes out once the issuer has taken the decision (in-tray).
    w_.messages.Send(*this, w_.intray, PlanDecision{}, 0, Route{issuer_, issuer_});
    return;
  }
  Publish();
}

void Product::Publish() {
  const ModelConfig& cfg = w_.cfg;
  if (issuer_ < 0) return;  // the issuer left between decision and publication
  const PmConfig& pm = cfg.organization.pm;
  const bool is_pm = w_.roster.agents[issuer_].role == Role::kProduct;
  // Executives decide by authority; a PM mixes authority and influence.
  const double authority = is_pm ? pm.authority : 1.0;
  const double people = is_pm ? pm.people_sense : 0.5;
  const kernel::SimTime now = w_.sim.Now();
  for (std::size_t t = 0; t < w_.roster.teams.size(); ++t) {
    if (!decision_team_[t] || w_.ActiveInTeam(static_cast<int>(t)) == 0) continue;
    // A team keeps following its last adopted plan until it decides on this
    // one (adopts it, or rejects it and drifts out of alignment).
    const double u_channel = w_.rng.decisions.NextUniform();
    const double u_adopt = w_.rng.decisions.NextUniform();
    const bool by_authority = u_channel < authority;
    const double p = by_authority            ? pm.authority_compliance
                     : w_.influence.active() ? w_.influence.InfluenceAdoption(issuer_, t, people)
                                             : trust_[t] * (0.4 + 0.6 * people);
    const double delay = w_.prep.LatencyToTeam(issuer_, static_cast<int>(t)) +
                         (by_authority ? pm.authority_latency_days
                                       : pm.consensus_latency_days / (0.25 + 0.75 * people));
    ++plan_seq_[t];
    plan_authority_[t] = by_authority;
    plan_adopt_[t] = u_adopt < p;
    plan_issued_day_[t] = w_.NowDays();
    ++tally_.decisions_issued;
    w_.messages.Send(*this, Receiver(), PlanReachesTeam{static_cast<int>(t), plan_seq_[t]},
                     kernel::Days(std::isfinite(delay) ? delay : 1e5),
                     Route{issuer_, w_.roster.teams[t].anchor});
  }
  if (w_.trace.on()) {
    w_.trace.Emit(now, issuer_, "decision", authority, people,
                  "publishes the plan (" + std::to_string(w_.backlog.queued()) + " items queued)");
  }
  UpdateAlignmentMetric();
}

void Product::OnAdoption(const PlanReachesTeam& plan) {
  const int t = plan.team;
  if (plan.plan != plan_seq_[t]) return;  // superseded by a newer plan
  if (!plan_adopt_[t]) {
    aligned_[t] = 0;
    buy_in_[t] = 0;
    if (w_.roster.teams[t].role == Role::kSales)
      w_.messages.Deliver(*this, w_.sales, SalesAligned{false});
    UpdateAlignmentMetric();
    if (w_.trace.on()) {
      w_.trace.Emit(w_.sim.Now(), w_.roster.teams[t].anchor, "not_adopted", trust_[t], 0,
                    "team " + w_.roster.teams[t].name + " does not adopt the plan");
    }
    return;
  }
  aligned_[t] = 1;
  buy_in_[t] = !plan_authority_[t];
  if (w_.influence.active()) {  // its engineers review the top of the plan
    w_.messages.Send(*this, w_.influence,
                     PlanAdopted{issuer_, t, plan_authority_[t] != 0, plan_issued_day_[t]}, 0);
  }
  ++tally_.decisions_adopted;
  tally_.decision_latency_sum += w_.NowDays() - plan_issued_day_[t];
  if (w_.roster.teams[t].role == Role::kSales)
    w_.messages.Deliver(*this, w_.sales, SalesAligned{true});
  if (w_.cfg.mechanisms.priority_churn && w_.roster.teams[t].role == Role::kEngineering) {
    w_.messages.Send(*this, w_.priority_churn, TeamReranks{t}, 0);  // a re-rank
  }
  if (w_.trace.on()) {
    w_.trace.Emit(w_.sim.Now(), w_.roster.teams[t].anchor, "adopted", plan_authority_[t], trust_[t],
                  "team " + w_.roster.teams[t].name + " adopts the plan" +
                      (plan_authority_[t] ? " (by authority, no buy-in)" : " (by influence)"));
  }
  UpdateAlignmentMetric();
}

void Product::UpdateAlignmentMetric() {
  if (!w_.cfg.mechanisms.decisions) {
    tally_.alignment.Set(w_.sim.Now(), 1.0);
    return;
  }
  double people = 0.0, aligned = 0.0;
  for (std::size_t t = 0; t < w_.roster.teams.size(); ++t) {
    if (!decision_team_[t]) continue;
    const int n = w_.ActiveInTeam(static_cast<int>(t));
    people += n;
    if (aligned_[t]) aligned += n;
  }
  tally_.alignment.Set(w_.sim.Now(), people > 0 ? aligned / people : 0.0);
}

void Product::Signal(int observer, int segment, int dim) {
  ++tally_.signals_emitted;
  if (observer < 0) return;  // nobody heard it
  const double routing = w_.cfg.organization.operating.signal_routing;
  const bool routed = kernel::Bernoulli(w_.rng.routing, routing);
  int target = -1;
  double latency = 0.0, fidelity = 0.0;
  if (routed && active_pms_ > 0 && w_.prep.nearest_pm[observer] >= 0) {
    target = w_.prep.nearest_pm[observer];
    latency = w_.prep.nearest_pm_latency[observer];
    fidelity = w_.prep.nearest_pm_fidelity[observer];
    // With in-trays the PM's triage is charged when done (InTray).
    if (!IntrayOn()) pending_pm_hours_ += w_.cfg.organization.pm.signal_triage_hours;
  } else if (routed && issuer_ >= 0) {
    target = issuer_;
    latency = w_.prep.measures.Latency(observer, issuer_);
    fidelity = w_.prep.measures.Fidelity(observer, issuer_);
  }
  if (target < 0 || !std::isfinite(latency)) {
    // Routing policy said "send it to product" but no owner is reachable
    // over the graph (fragmentation, C7) or there is nobody to own it.
    if (routed) {
      ++tally_.signals_unreachable;
      if (w_.trace.on()) {
        w_.trace.Emit(w_.sim.Now(), observer, "signal_unreachable", segment, dim,
                      "problem signal on need " + std::to_string(dim) +
                          " has no path to an owner in product or the executive");
      }
    }
    w_.messages.Deliver(*this, w_.sales, SignalHandledLocally{segment});
    return;
  }
  ++tally_.signals_routed;
  tally_.signal_latency_sum += latency;
  tally_.signal_fidelity_sum += fidelity;
  // With in-trays the signal waits for its owner's attention (intray.h).
  w_.messages.Send(*this, Receiver(),
                   ProblemSignal{segment, dim, fidelity, w_.sim.Now(), target, latency},
                   kernel::Days(latency), Route{observer, target});
}

bool Product::IntrayOn() const { return w_.cfg.mechanisms.intray; }

const Mechanism& Product::Receiver() const {
  if (IntrayOn()) return w_.intray;
  return *this;
}

void Product::Receive(const Message& message) {
  if (const ProblemSignal* signal = message.As<ProblemSignal>()) {
    OnSignal(*signal);
  } else if (const PlanReachesTeam* plan = message.As<PlanReachesTeam>()) {
    OnAdoption(*plan);
  } else if (message.As<PlanDecision>() != nullptr) {
    Publish();
  } else if (const MeasureRelease* measure = message.As<MeasureRelease>()) {
    OnMeasure(measure->item);
  } else if (const ItemReleased* release = message.As<ItemReleased>()) {
    OnRelease(*release);
  } else if (const ObservedProblem* problem = message.As<ObservedProblem>()) {
    Signal(problem->observer, problem->segment, problem->dim);
  } else if (message.As<DeadlineMissed>() != nullptr) {
    OnDeadlineMissed();
  } else if (const PmHoursSpent* spent = message.As<PmHoursSpent>()) {
    beliefs_pm_hours_ += spent->hours;
  }
}

void Product::OnSignal(const ProblemSignal& sig) {
  const ModelConfig& cfg = w_.cfg;
  // Evidence on the need behind the signal.
  if (cfg.mechanisms.discovery) {
    const double sd = ObservationSd() / std::max(0.05, sig.fidelity) * 2.0;
    const double truth = w_.market.segments()[sig.segment].need[sig.dim];
    const double observed = truth + sd * StandardNormal(w_.rng.discovery);
    const double idio = cfg.market.account_need_sd * mean_[sig.segment * dims_ + sig.dim];
    Observe(sig.segment, sig.dim, observed, sd * sd + idio * idio);
  }
  // Product owns the problem: a fix enters the backlog unless one is queued.
  if (!cfg.mechanisms.idea_generation) return;
  for (int id : w_.backlog.queue()) {
    const WorkItem& item = w_.backlog.item(id);
    if (item.source == ItemSource::kSignalFix && item.dim == sig.dim) return;
  }
  const WorkConfig& wc = cfg.work;
  WorkItem item;
  item.source = ItemSource::kSignalFix;
  item.origin = issuer_;
  item.dim = sig.dim;
  // A fix addresses a problem customers reported: it works unless it is
  // built wrong (efficacy good with probability p_good + p_neutral; guess).
  item.efficacy = w_.rng.ideas.NextUniform() < wc.idea_p_good + wc.idea_p_neutral ? 1.0 : 0.0;
  item.est_efficacy = wc.idea_p_good + wc.idea_p_neutral;
  item.effort = DrawEffort(w_.rng.ideas);
  item.est_effort = item.effort * std::exp(wc.effort_estimate_sd * StandardNormal(w_.rng.ideas));
  item.created = w_.sim.Now();
  item.signal_time = sig.raised;
  w_.messages.Deliver(*this, w_.backlog, FileWorkItem{item});
  if (w_.trace.on()) {
    w_.trace.Emit(w_.sim.Now(), sig.owner, "signal", sig.segment, sig.dim,
                  "problem signal on need " + std::to_string(sig.dim) + " reaches product after " +
                      std::to_string(sig.latency).substr(0, 4) + " days, fidelity " +
                      std::to_string(sig.fidelity).substr(0, 4));
  }
}

void Product::OnRelease(const ItemReleased& release) {
  const int id = release.item;
  const WorkItem& item = w_.backlog.item(id);
  const PmConfig& pm = w_.cfg.organization.pm;
  ++tally_.launches;
  bool coordinated = false;
  if (active_pms_ > 0 && pm.gtm_responsibility > 0) {
    bool marketing_aligned = false;
    for (std::size_t t = 0; t < w_.roster.teams.size(); ++t) {
      if (w_.roster.teams[t].role == Role::kMarketing && aligned_[t] &&
          w_.ActiveInTeam(static_cast<int>(t)) > 0) {
        marketing_aligned = true;
      }
    }
    const bool draw = kernel::Bernoulli(w_.rng.launches, pm.gtm_responsibility);
    coordinated = draw && marketing_aligned;
    if (coordinated) {
      ++tally_.launches_coordinated;
      pending_pm_hours_ += pm.launch_hours;
    }
  }
  if (active_pms_ > 0 && pm.metric_ownership > 0 &&
      kernel::Bernoulli(w_.rng.measures, pm.metric_ownership)) {
    w_.messages.Send(*this, *this, MeasureRelease{id}, kernel::Days(pm.measure_delay_days),
                     Route{issuer_, issuer_});
  }
  if (w_.cfg.mechanisms.market) {
    const double delta = release.capability_delta;
    w_.messages.Deliver(*this, w_.market, CapabilityShipped{item.dim, delta, coordinated});
    if (w_.trace.on()) {
      w_.trace.Emit(w_.sim.Now(), item.engineer, "release", delta, item.understanding,
                    "ships item " + std::to_string(id) + " on need " + std::to_string(item.dim) +
                        (coordinated ? " with a coordinated launch" : "") + ", capability +" +
                        std::to_string(delta).substr(0, 6));
    }
  }
}

void Product::OnMeasure(int id) {
  const WorkItem& item = w_.backlog.item(id);
  const PmConfig& pm = w_.cfg.organization.pm;
  ++tally_.measurements;
  // Usage data: a precise look at the need on this dimension in every
  // segment (data beats anecdotes; sd 0.1 of the weight, a guess).
  for (int s = 0; s < segs_; ++s) {
    const double truth = w_.market.segments()[s].need[item.dim];
    const double sd = 0.1 * truth + 1e-4;
    Observe(s, item.dim, truth + sd * StandardNormal(w_.rng.measures), sd * sd);
  }
  // Outcomes build (or erode) the trust that influence runs on (C3).
  if (w_.influence.active()) {
    if (item.pm_ranked && item.team >= 0) {
      w_.messages.Send(*this, w_.influence,
                       ReleaseMeasured{item.team, item.efficacy * item.understanding}, 0);
    }
  } else if (item.pm_ranked && item.team >= 0 && item.buy_in) {
    const double realised = item.efficacy * item.understanding;
    double& trust = trust_[item.team];
    if (realised > 0.2) {
      trust = std::min(1.0, trust + pm.trust_step);
    } else if (realised <= 0.0) {
      trust = std::max(0.0, trust - pm.trust_step);
    }
  }
}

void Product::OnAgentJoined(int agent) {
  if (w_.roster.agents[agent].role == Role::kProduct) RecountPms();
}

void Product::OnDeadlineMissed() {
  const PmConfig& pm = w_.cfg.organization.pm;
  if (w_.influence.active()) w_.messages.Send(*this, w_.influence, DateOutcome{false}, 0);
  for (std::size_t t = 0; t < w_.roster.teams.size(); ++t) {
    if (w_.roster.teams[t].role == Role::kSales)
      trust_[t] = std::max(0.0, trust_[t] - pm.trust_step);
  }
}

void Product::RegisterHandlers(kernel::Simulation& sim) {
  (void)sim;  // every event of product is a message
  w_.messages.Declare<PlanReachesTeam>();
  w_.messages.Declare<ProblemSignal>();
  w_.messages.Declare<MeasureRelease>();
  if (IntrayOn()) w_.messages.Declare<PlanDecision>();
}

void Product::OnPhase(const PhaseTick& tick) {
  if (tick.phase == Phase::kWeek) Weekly();
  if (tick.phase == Phase::kPlanning) Plan();
}

void Product::Finish(kernel::SimTime end) { tally_.alignment.Advance(end); }

std::vector<MetricDef> Product::Metrics() {
  return {
      DefineMetric<Product>(
          {"alignment", "0-1",
           "Time-average share of engineering/sales/marketing people following the plan; with "
           "mechanisms.beliefs, the functions' agreement on priorities (beliefs.h)",
           Better::kHigher, "Functions aligned with the plan"},
          [](const Product& p, const World& w) {
            return w.cfg.mechanisms.beliefs ? w.beliefs.Alignment()
                                            : p.tally().alignment.Mean(w.horizon);
          }),
      DefineMetric<Product>(
          {"decisions_adopted_share", "fraction", "Adopted plan decisions / issued",
           Better::kHigher, "Decisions adopted"},
          [](const Product& p, const World&) {
            return SafeDiv(static_cast<double>(p.tally().decisions_adopted),
                           static_cast<double>(p.tally().decisions_issued));
          }),
      DefineMetric<Product>(
          {"decision_latency_days", "days", "Mean time from plan to adoption (adopted only)",
           Better::kLower, "Time for a decision to be adopted"},
          [](const Product& p, const World&) {
            return SafeDiv(p.tally().decision_latency_sum,
                           static_cast<double>(p.tally().decisions_adopted));
          }),
      DefineMetric<Product>(
          {"signals_emitted", "signals", "Problem signals raised by customers, lost deals, churn",
           Better::kNeither, "Problem signals raised"},
          [](const Product& p, const World&) {
            return static_cast<double>(p.tally().signals_emitted);
          }),
      DefineMetric<Product>({"signals_routed", "signals", "Problem signals routed to product",
                             Better::kNeither, "Problem signals routed to product"},
                            [](const Product& p, const World&) {
                              return static_cast<double>(p.tally().signals_routed);
                            }),
      DefineMetric<Product>(
          {"signal_fix_days_mean", "days", "Mean time from a signal to its shipped fix",
           Better::kLower, "Time from problem signal to fix"},
          [](const Product&, const World& w) {
            return SafeDiv(w.delivery.tally().signal_fix_days_sum,
                           static_cast<double>(w.delivery.tally().signal_fixes));
          }),
      DefineMetric<Product>(
          {"ceremony_hours", "hours", "Hours spent in ceremonies, process and planning",
           Better::kNeither, "Hours in ceremonies"},
          [](const Product&, const World& w) { return w.ceremony_hours; }),
      DefineMetric<Product>(
          {"launches_coordinated", "launches", "Releases launched with coordinated go-to-market",
           Better::kHigher, "Launches with marketing and sales"},
          [](const Product& p, const World&) {
            return static_cast<double>(p.tally().launches_coordinated);
          }),
      DefineMetric<Product>({"need_estimate_error", "weight",
                             "Mean |estimated - true| need weight of the prioritiser",
                             Better::kLower, "Error in estimating customer needs"},
                            [](const Product& p, const World&) {
                              return SafeDiv(p.tally().need_error_sum,
                                             static_cast<double>(p.tally().need_error_samples));
                            }),
      DefineMetric<Product>(
          {"interviews", "interviews", "Customer discovery interviews", Better::kNeither,
           "Customer interviews"},
          [](const Product& p, const World&) { return static_cast<double>(p.tally().interviews); }),
      DefineMetric<Product>({"measurements", "releases", "Releases whose outcome the PM measured",
                             Better::kNeither, "Releases measured against outcomes"},
                            [](const Product& p, const World&) {
                              return static_cast<double>(p.tally().measurements);
                            }),
      DefineMetric<Product>({"signal_latency_days", "days",
                             "Mean path latency of routed problem signals, observer -> owner "
                             "(nearest PM, else the issuer)",
                             Better::kLower, "Delay of problem signals to an owner"},
                            [](const Product& p, const World&) {
                              return SafeDiv(p.tally().signal_latency_sum,
                                             static_cast<double>(p.tally().signals_routed));
                            }),
      DefineMetric<Product>({"signal_fidelity", "0-1",
                             "Mean path fidelity of routed problem signals, observer -> owner",
                             Better::kHigher, "Accuracy of problem signals at the owner"},
                            [](const Product& p, const World&) {
                              return SafeDiv(p.tally().signal_fidelity_sum,
                                             static_cast<double>(p.tally().signals_routed));
                            }),
      DefineMetric<Product>(
          {"signals_unreachable", "signals",
           "Problem signals the routing policy sent to product that found no path to an owner",
           Better::kLower, "Problem signals that found no owner"},
          [](const Product& p, const World&) {
            return static_cast<double>(p.tally().signals_unreachable);
          }),
      DefineMetric<Product>(
          {"pm_contact_hours", "hours",
           "PM hours spent on contacts with other teams (pm.contact_hours_per_week per graph edge)",
           Better::kNeither, "PM hours with other teams"},
          [](const Product& p, const World&) { return p.tally().pm_contact_hours; }),
  };
}

}  // namespace orgsim::model
