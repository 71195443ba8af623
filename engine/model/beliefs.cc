#include "engine/model/beliefs.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "engine/kernel/distributions.h"
#include "engine/model/world.h"

namespace orgsim::model {
namespace {

constexpr double kDaysPerYear = 365.0;
// Variance floor of an estimate (keeps Kalman gains away from 0 and 1).
constexpr double kMinVar = 1e-8;

// Three significant digits (trace text).
std::string Short(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.3g", v);
  return buffer;
}

}  // namespace

void DeGrootStep(std::span<const double> w, int n, int k, double c, std::span<double> x) {
  std::vector<double> next(x.size(), 0.0);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      const double wij = w[static_cast<std::size_t>(i) * n + j];
      if (wij == 0) continue;
      for (int v = 0; v < k; ++v) {
        next[static_cast<std::size_t>(i) * k + v] += wij * x[static_cast<std::size_t>(j) * k + v];
      }
    }
  }
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = (1.0 - c) * x[i] + c * next[i];
}

void RowNormalise(std::span<double> a, int n) {
  for (int i = 0; i < n; ++i) {
    double sum = 0.0;
    for (int j = 0; j < n; ++j) sum += a[static_cast<std::size_t>(i) * n + j];
    for (int j = 0; j < n; ++j) {
      double& aij = a[static_cast<std::size_t>(i) * n + j];
      aij = sum > 0 ? aij / sum : (i == j ? 1.0 : 0.0);
    }
  }
}

Beliefs::Beliefs(World& world) : w_(world) {}

bool Beliefs::on() const { return w_.cfg.mechanisms.beliefs; }

void Beliefs::RegisterHandlers(kernel::Simulation& sim) {
  (void)sim;
  if (on()) w_.messages.Declare<BeliefRelay>();
}

void Beliefs::Init() {
  teams_ = static_cast<int>(w_.roster.teams.size());
  segs_ = w_.prep.segments;
  dims_ = w_.prep.problem_dimensions;
  relays_in_.assign(teams_, 0);
  relay_fidelity_in_.assign(teams_, 0.0);
  last_arrival_day_.assign(teams_, -1.0);
  error_team_sum_.assign(teams_, 0.0);
  week_hours_.assign(teams_, 0.0);
  last_week_hours_.assign(teams_, 0.0);
  if (!on()) return;
  // Everyone starts from the founders' belief: product's estimate at t = 0.
  const std::size_t per = static_cast<std::size_t>(segs_) * dims_;
  mean_.assign(per * teams_, 0.0);
  var_.assign(per * teams_, 0.0);
  const double prior_var = 0.25 / std::max(1, dims_ * dims_);  // sd half a weight
  for (int t = 0; t < teams_; ++t) {
    for (int s = 0; s < segs_; ++s) {
      for (int d = 0; d < dims_; ++d) {
        mean_[Index(t, s, d)] = w_.product.EstimatedNeed(s, d);
        var_[Index(t, s, d)] = prior_var;
      }
    }
  }
  // Adjacent functions: a graph edge joins a member of one to the other.
  adjacent_.assign(teams_, {});
  const int market = w_.roster.market_vertex;
  for (const CommEdge& e : w_.prep.graph.edges) {
    if (e.from == market || e.to == market) continue;
    const int a = w_.roster.agents[e.from].team, b = w_.roster.agents[e.to].team;
    if (a == b) continue;
    for (auto [x, y] : {std::pair{a, b}, std::pair{b, a}}) {
      if (std::find(adjacent_[x].begin(), adjacent_[x].end(), y) == adjacent_[x].end()) {
        adjacent_[x].push_back(y);
      }
    }
  }
  for (std::vector<int>& list : adjacent_) std::sort(list.begin(), list.end());
  for (int t = 0; t < teams_; ++t) {
    const Role role = w_.roster.teams[t].role;
    if (!w_.roster.teams[t].agents.empty() &&
        (role == Role::kEngineering || role == Role::kDelivery || role == Role::kDesign ||
         role == Role::kProduct)) {
      participants_.push_back(t);
    }
  }
}

bool Beliefs::Active(int team) const {
  return !w_.roster.teams[team].agents.empty() && w_.ActiveInTeam(team) > 0;
}

int Beliefs::Lead(int team) const { return w_.roster.teams[team].agents.front(); }

void Beliefs::OnPhase(const PhaseTick& tick) {
  if (tick.phase != Phase::kWeek || !on()) return;
  last_week_hours_ = week_hours_;
  std::fill(week_hours_.begin(), week_hours_.end(), 0.0);
  Drift();
  Observe();
  Ceremony();
  SendRelays();
  Sample();
}

void Beliefs::Drift() {
  const ModelConfig& cfg = w_.cfg;
  if (!cfg.mechanisms.need_drift || cfg.market.need_drift_per_sqrt_year <= 0) return;
  const double q = cfg.market.need_drift_per_sqrt_year * cfg.market.need_drift_per_sqrt_year * 7.0 /
                   kDaysPerYear;
  for (std::size_t i = 0; i < mean_.size(); ++i) var_[i] += q * mean_[i] * mean_[i];
}

double Beliefs::ContactHours(int team) const {
  const BeliefsConfig& b = w_.cfg.organization.beliefs;
  const OperatingModelConfig& op = w_.cfg.organization.operating;
  const double people = w_.ActiveInTeam(team);
  switch (w_.roster.teams[team].role) {
    case Role::kSales:
    case Role::kCustomerSuccess:
      return people * b.customer_facing_hours_per_week;
    case Role::kMarketing:
    case Role::kExecutive:
      return people * b.other_customer_hours_per_week;
    case Role::kEngineering:
      return op.layers_between_engineers_and_customers == 0
                 ? people * op.engineer_customer_hours_per_week
                 : 0.0;
    default:
      return 0.0;
  }
}

void Beliefs::Observe() {
  const BeliefsConfig& b = w_.cfg.organization.beliefs;
  const bool market = w_.cfg.mechanisms.market;
  for (int t = 0; t < teams_; ++t) {
    if (!Active(t)) continue;
    if (w_.roster.teams[t].role == Role::kProduct) {
      // Product's own Kalman state is the PMs' record of what they observed.
      for (int s = 0; s < segs_; ++s) {
        for (int d = 0; d < dims_; ++d) mean_[Index(t, s, d)] = w_.product.EstimatedNeed(s, d);
      }
      continue;
    }
    const double hours = market ? ContactHours(t) : 0.0;
    if (hours <= 0 || segs_ == 0) continue;
    const double r = b.observation_sd * b.observation_sd * segs_ / hours;
    for (int s = 0; s < segs_; ++s) {
      const std::vector<double>& need = w_.market.segments()[s].need;
      for (int d = 0; d < dims_; ++d) {
        const std::size_t i = Index(t, s, d);
        const double z = need[d] + kernel::Normal(w_.rng.beliefs, 0.0, std::sqrt(r));
        const double gain = var_[i] / (var_[i] + r);
        mean_[i] += gain * (z - mean_[i]);
        var_[i] = std::max(kMinVar, (1.0 - gain) * var_[i]);
      }
    }
  }
}

void Beliefs::Ceremony() {
  const ModelConfig& cfg = w_.cfg;
  const double hc = cfg.organization.operating.ceremony_hours_per_week;
  if (!cfg.mechanisms.ceremonies || hc <= 0) return;
  const BeliefsConfig& b = cfg.organization.beliefs;
  const double c = b.ceremony_sync * std::min(1.0, hc / b.ceremony_reference_hours);
  std::vector<int> who;
  for (int t : participants_) {
    if (Active(t)) who.push_back(t);
  }
  const int n = static_cast<int>(who.size());
  if (n < 2 || c <= 0) return;
  std::vector<double> trust(static_cast<std::size_t>(n) * n, 0.0);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      trust[static_cast<std::size_t>(i) * n + j] =
          i == j ? 1.0 : w_.prep.measures.Fidelity(Lead(who[i]), Lead(who[j]));
    }
  }
  RowNormalise(trust, n);
  const int k = segs_ * dims_;
  std::vector<double> m(static_cast<std::size_t>(n) * k), v(m.size());
  for (int i = 0; i < n; ++i) {
    std::copy_n(mean_.begin() + static_cast<std::ptrdiff_t>(Index(who[i], 0, 0)), k,
                m.begin() + static_cast<std::ptrdiff_t>(i) * k);
    std::copy_n(var_.begin() + static_cast<std::ptrdiff_t>(Index(who[i], 0, 0)), k,
                v.begin() + static_cast<std::ptrdiff_t>(i) * k);
  }
  const double before = w_.trace.on() ? DivergenceAmong(who) : 0.0;
  DeGrootStep(trust, n, k, c, m);
  DeGrootStep(trust, n, k, c, v);
  for (int i = 0; i < n; ++i) {
    // Product keeps its own estimate (a stubborn agent): it is reset from
    // product's Kalman state every week.
    std::copy_n(m.begin() + static_cast<std::ptrdiff_t>(i) * k, k,
                mean_.begin() + static_cast<std::ptrdiff_t>(Index(who[i], 0, 0)));
    std::copy_n(v.begin() + static_cast<std::ptrdiff_t>(i) * k, k,
                var_.begin() + static_cast<std::ptrdiff_t>(Index(who[i], 0, 0)));
  }
  if (w_.trace.on()) {
    const double after = DivergenceAmong(who);
    w_.trace.Emit(w_.sim.Now(), Lead(who[0]), "beliefs_synchronised", before, after,
                  "this week's ceremonies moved " + std::to_string(n) +
                      " teams' need estimates toward each other (divergence " + Short(before) +
                      " -> " + Short(after) + ")");
  }
}

void Beliefs::SendRelays() {
  const BeliefsConfig& b = w_.cfg.organization.beliefs;
  const int k = segs_ * dims_;
  for (int t = 0; t < teams_; ++t) {
    if (!Active(t)) continue;
    const int from = Lead(t);
    for (int g : adjacent_[t]) {
      if (!Active(g)) continue;
      const int to = Lead(g);
      const double latency = w_.prep.measures.Latency(from, to);
      const double fidelity = w_.prep.measures.Fidelity(from, to);
      if (!std::isfinite(latency) || fidelity <= 0) continue;
      BeliefRelay relay;
      relay.from_team = t;
      relay.to_team = g;
      relay.fidelity = fidelity;
      const auto first = static_cast<std::ptrdiff_t>(Index(t, 0, 0));
      relay.mean.assign(mean_.begin() + first, mean_.begin() + first + k);
      relay.var.assign(var_.begin() + first, var_.begin() + first + k);
      w_.messages.Send(*this, *this, std::move(relay), kernel::Days(latency), Route{from, to});
      week_hours_[t] += b.relay_hours;
      hours_total_ += b.relay_hours;
      if (w_.roster.teams[t].role == Role::kProduct)
        w_.messages.Deliver(*this, w_.product, PmHoursSpent{b.relay_hours});
    }
  }
}

void Beliefs::Receive(const Message& message) {
  const BeliefRelay* relay = message.As<BeliefRelay>();
  if (relay == nullptr) return;
  const BeliefsConfig& b = w_.cfg.organization.beliefs;
  const int g = relay->to_team;
  const double f = relay->fidelity;
  const double prior = dims_ > 0 ? 1.0 / dims_ : 0.0;
  double moved = 0.0;
  for (int s = 0; s < segs_; ++s) {
    for (int d = 0; d < dims_; ++d) {
      const std::size_t j = static_cast<std::size_t>(s) * dims_ + d;
      const std::size_t i = Index(g, s, d);
      const double z = f * relay->mean[j] + (1.0 - f) * prior;
      const double r = relay->var[j] + b.relay_sd * b.relay_sd / f;
      const double gain = var_[i] / (var_[i] + r);
      const double step = gain * (z - mean_[i]);
      mean_[i] += step;
      var_[i] = std::max(kMinVar, (1.0 - gain) * var_[i]);
      moved += std::abs(step);
    }
  }
  moved = SafeDiv(moved, segs_ * dims_);
  ++relays_in_[g];
  relay_fidelity_in_[g] += f;
  last_arrival_day_[g] = w_.NowDays();
  week_hours_[g] += b.reading_hours;
  hours_total_ += b.reading_hours;
  if (w_.roster.teams[g].role == Role::kProduct)
    w_.messages.Deliver(*this, w_.product, PmHoursSpent{b.reading_hours});
  if (w_.trace.on()) {
    const double days = kernel::ToDays(message.header().arrival - message.header().sent);
    w_.trace.Emit(w_.sim.Now(), message.header().to_agent, "belief_relayed", f, moved,
                  w_.roster.teams[g].name + " read the view of customer needs relayed by " +
                      w_.roster.teams[relay->from_team].name + " after " + Short(days) +
                      " days (path fidelity " + Short(f) + "); its estimate moved by " +
                      Short(moved));
  }
}

double Beliefs::WhyUnderstanding(int team, int dim) const {
  if (!on() || segs_ == 0 || dims_ == 0) return 1.0;
  const int first = dim >= 0 ? dim : 0, last = dim >= 0 ? dim + 1 : dims_;
  double err = 0.0, scale = 0.0;
  for (int s = 0; s < segs_; ++s) {
    const double ws = w_.product.SegmentWeight(s);
    const std::vector<double>& need = w_.market.segments()[s].need;
    for (int d = first; d < last; ++d) {
      err += ws * std::abs(mean_[Index(team, s, d)] - need[d]);
      scale += ws * need[d];
    }
  }
  const double relative = SafeDiv(err, scale, 1.0);
  const double e0 = w_.cfg.organization.beliefs.error_for_no_understanding;
  return 1.0 - std::min(1.0, relative / e0);
}

double Beliefs::HoursPerPersonPerWeek(int team) const {
  if (!on() || last_week_hours_.empty()) return 0.0;
  return SafeDiv(last_week_hours_[team], w_.ActiveInTeam(team));
}

double Beliefs::NeedError(int team) const {
  double sum = 0.0;
  for (int s = 0; s < segs_; ++s) {
    const std::vector<double>& need = w_.market.segments()[s].need;
    for (int d = 0; d < dims_; ++d) sum += std::abs(mean_[Index(team, s, d)] - need[d]);
  }
  return SafeDiv(sum, segs_ * dims_);
}

double Beliefs::MeanNeedError(int team) const { return SafeDiv(error_team_sum_[team], samples_); }

double Beliefs::DivergenceAmong(std::span<const int> teams) const {
  double sum = 0.0;
  int pairs = 0;
  for (std::size_t a = 0; a < teams.size(); ++a) {
    for (std::size_t c = a + 1; c < teams.size(); ++c) {
      double diff = 0.0;
      for (int s = 0; s < segs_; ++s) {
        for (int d = 0; d < dims_; ++d) {
          diff += std::abs(mean_[Index(teams[a], s, d)] - mean_[Index(teams[c], s, d)]);
        }
      }
      sum += SafeDiv(diff, segs_ * dims_);
      ++pairs;
    }
  }
  return SafeDiv(sum, pairs);
}

void Beliefs::Priorities(int team, std::vector<double>& out) const {
  out.assign(dims_, 0.0);
  for (int s = 0; s < segs_; ++s) {
    const double ws = w_.product.SegmentWeight(s);
    for (int d = 0; d < dims_; ++d) out[d] += ws * mean_[Index(team, s, d)];
  }
}

double Beliefs::Concordance(int a, int b) const {
  std::vector<double> pa, pb;
  Priorities(a, pa);
  Priorities(b, pb);
  double agree = 0.0;
  int pairs = 0;
  for (int i = 0; i < dims_; ++i) {
    for (int j = i + 1; j < dims_; ++j) {
      const double x = (pa[i] - pa[j]) * (pb[i] - pb[j]);
      agree += x > 0 ? 1.0 : (x == 0 ? 0.5 : 0.0);
      ++pairs;
    }
  }
  return SafeDiv(agree, pairs, 1.0);
}

void Beliefs::Sample() {
  std::vector<int> active;
  for (int t = 0; t < teams_; ++t) {
    if (Active(t)) active.push_back(t);
  }
  double error = 0.0, concordance = 0.0;
  int pairs = 0;
  for (std::size_t a = 0; a < active.size(); ++a) {
    error += NeedError(active[a]);
    for (std::size_t c = a + 1; c < active.size(); ++c) {
      concordance += Concordance(active[a], active[c]);
      ++pairs;
    }
  }
  for (int t = 0; t < teams_; ++t) error_team_sum_[t] += NeedError(t);
  alignment_sum_ += SafeDiv(concordance, pairs, 1.0);
  divergence_sum_ += DivergenceAmong(active);
  error_sum_ += SafeDiv(error, static_cast<double>(active.size()));
  samples_ += 1;
}

std::vector<MetricDef> Beliefs::Metrics() {
  return {
      DefineMetric<Beliefs>(
          {"belief_divergence", "need weight",
           "Mean over pairs of active functions of mean |m_f - m_g| of their need estimates "
           "(weekly samples; mechanisms.beliefs, else 0)",
           Better::kLower, "Belief divergence"},
          [](const Beliefs& b, const World&) { return b.Divergence(); }),
      DefineMetric<Beliefs>(
          {"functions_need_error", "need weight",
           "Mean over active functions of mean |estimate - true need| (weekly samples; "
           "mechanisms.beliefs, else 0)",
           Better::kLower, "Functions' need error"},
          [](const Beliefs& b, const World&) { return b.MeanError(); }),
      DefineMetric<Beliefs>(
          {"engineering_need_error", "need weight",
           "Mean over engineering teams with people of their mean |estimate - true need| "
           "(weekly samples; mechanisms.beliefs, else 0)",
           Better::kLower, "Builders' need error"},
          [](const Beliefs& b, const World& w) {
            double sum = 0.0;
            int teams = 0;
            for (std::size_t t = 0; t < w.roster.teams.size(); ++t) {
              if (w.roster.teams[t].role != Role::kEngineering || w.roster.teams[t].agents.empty())
                continue;
              sum += b.MeanNeedError(static_cast<int>(t));
              ++teams;
            }
            return SafeDiv(sum, teams);
          }),
      DefineMetric<Beliefs>(
          {"plan_compliance", "0-1",
           "Time-average share of plan receivers following the latest plan (manipulation check: "
           "compliance, not belief)",
           Better::kNeither, "Plan compliance"},
          [](const Beliefs&, const World& w) {
            return w.product.tally().alignment.Mean(w.horizon);
          }),
      DefineMetric<Beliefs>(
          {"belief_communication_hours", "hours",
           "Hours spent writing and reading relays of beliefs, all functions (mechanisms.beliefs)",
           Better::kNeither, "Belief relay hours"},
          [](const Beliefs& b, const World&) { return b.CommunicationHours(); }),
  };
}

}  // namespace orgsim::model
