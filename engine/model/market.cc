#include "engine/model/market.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "engine/kernel/check.h"
#include "engine/kernel/distributions.h"
#include "engine/model/messages.h"
#include "engine/model/random_util.h"
#include "engine/model/world.h"

namespace orgsim::model {
namespace {

constexpr double kDaysPerMonth = 365.0 / 12.0;
constexpr double kDaysPerYear = 365.0;

using HeapEntry = std::pair<double, int>;
constexpr auto kHeapOrder = std::greater<HeapEntry>();

}  // namespace

Market::Market(World& world) : w_(world) {}

void Market::Init() {
  const MarketConfig& mc = w_.cfg.market;
  dims_ = mc.problem_dimensions;
  capability_.assign(dims_, mc.initial_capability);
  perceived_ = capability_;
  segments_.resize(mc.segments.size());
  active_by_segment_.resize(mc.segments.size());
  total_potential_ = 0.0;
  for (std::size_t s = 0; s < segments_.size(); ++s) {
    const SegmentConfig& sc = mc.segments[s];
    SegmentState& seg = segments_[s];
    seg.need.assign(dims_, 0.0);
    if (!sc.need_weights.empty()) {
      for (int d = 0; d < dims_; ++d) seg.need[d] = std::max(1e-6, sc.need_weights[d]);
    } else {
      for (int d = 0; d < dims_; ++d) {
        seg.need[d] = std::max(1e-6, kernel::Gamma(w_.rng.needs[s], sc.need_concentration, 1.0));
      }
    }
    double sum = 0.0;
    for (double v : seg.need) sum += v;
    seg.log_need.resize(dims_);
    for (int d = 0; d < dims_; ++d) {
      seg.need[d] /= sum;
      seg.log_need[d] = std::log(seg.need[d]);
    }
    total_potential_ += sc.potential_customers;
    UpdateFit(static_cast<int>(s));
    seg.lead_mass_left = kernel::Exponential(w_.rng.leads[s], 1.0);
  }
  // Accounts the company already has at t = 0 (drawn like leads, first in
  // each segment's account stream, so identical in every design).
  for (std::size_t s = 0; s < segments_.size(); ++s) {
    for (int i = 0; i < mc.segments[s].initial_customers; ++i) {
      const int id = DrawLead(static_cast<int>(s));
      leads_[id].request = false;
      leads_[id].date_sensitive = false;
      ++segments_[s].pipeline;
      WinDeal(id, 1.0, /*rep=*/-1);
    }
  }
  for (std::size_t s = 0; s < segments_.size(); ++s) UpdateRates(static_cast<int>(s));
  UpdateValueWeights();
  fit_average_.Start(0, MarketFit());
}

void Market::UpdateValueWeights() {
  ++weekly_version_;
  dim_version_.resize(dims_, 0);
  value_weight_.assign(dims_, 0.0);
  for (std::size_t s = 0; s < segments_.size(); ++s) {
    const SegmentConfig& sc = w_.cfg.market.segments[s];
    for (int d = 0; d < dims_; ++d) {
      value_weight_[d] += sc.potential_customers * sc.price_per_month * segments_[s].need[d];
    }
  }
}

void Market::UpdateFit(int s) {
  SegmentState& seg = segments_[s];
  double fit = 0.0, perceived = 0.0;
  for (int d = 0; d < dims_; ++d) {
    fit += seg.need[d] * capability_[d];
    perceived += seg.need[d] * perceived_[d];
  }
  seg.fit = fit;
  seg.perceived_fit = perceived;
}

double Market::MarketFit() const {
  if (total_potential_ <= 0) return 0.0;
  double sum = 0.0;
  for (std::size_t s = 0; s < segments_.size(); ++s) {
    sum += w_.cfg.market.segments[s].potential_customers * segments_[s].fit;
  }
  return sum / total_potential_;
}

double Market::CompetitorFit() const {
  const CompetitorConfig& c = w_.cfg.market.competitor;
  return std::min(1.0, c.initial_fit + c.fit_growth_per_year * w_.NowDays() / kDaysPerYear);
}

double Market::AccountFit(const Account& account) const {
  const SegmentState& seg = segments_[account.segment];
  const float* factor = LeadNeeds(account.lead);
  double norm = 0.0, fit = 0.0;
  for (int d = 0; d < dims_; ++d) {
    const double n = seg.need[d] * factor[d];
    norm += n;
    fit += n * capability_[d];
  }
  return norm > 0 ? fit / norm : 0.0;
}

int Market::AccountAt(int s, double u) const {
  const std::vector<int>& ids = active_by_segment_[s];
  if (ids.empty()) return -1;
  const std::size_t i = std::min(ids.size() - 1, static_cast<std::size_t>(u * ids.size()));
  return ids[i];
}

double Market::InnovationRate() const {
  const MarketConfig& mc = w_.cfg.market;
  const double marketers = w_.ActiveWithRole(Role::kMarketing);
  double mult = 1.0 + mc.marketing_lift * marketers / (marketers + mc.marketing_half_saturation);
  const double spend = marketing_spend_;
  const double half = w_.cfg.finance.marketing_spend_half_saturation;
  if (spend > 0) mult *= 1.0 + spend / (spend + half);
  if (last_launch_ >= 0 && mc.launch_decay_days > 0) {
    mult *= 1.0 + mc.launch_boost *
                      std::exp(-kernel::ToDays(w_.sim.Now() - last_launch_) / mc.launch_decay_days);
  }
  return mult;
}

void Market::AdvanceHazard(int s, kernel::SimTime now) {
  SegmentState& seg = segments_[s];
  seg.cum_hazard += seg.churn_rate * kernel::ToDays(now - seg.hazard_updated);
  seg.hazard_updated = now;
}

double Market::ChurnFitFactor(int s) const {
  const MarketConfig& mc = w_.cfg.market;
  return std::exp(mc.churn_fit_elasticity * (mc.reference_fit - segments_[s].fit));
}

void Market::UpdateRates(int s) {
  const kernel::SimTime now = w_.sim.Now();
  const MarketConfig& mc = w_.cfg.market;
  const SegmentConfig& sc = mc.segments[s];
  SegmentState& seg = segments_[s];
  // Consume the lead mass and churn hazard accumulated at the old rates.
  seg.lead_mass_left -= seg.lead_rate * kernel::ToDays(now - seg.lead_updated);
  seg.lead_mass_left = std::max(0.0, seg.lead_mass_left);
  seg.lead_updated = now;
  AdvanceHazard(s, now);

  const bool market_on = w_.cfg.mechanisms.market;
  const double m = sc.potential_customers;
  const double pool = std::max(0.0, m - seg.active - seg.pipeline);
  double fit_factor = 1.0;
  if (mc.adoption_fit_exponent > 0) {
    fit_factor =
        std::pow(std::max(1e-6, seg.perceived_fit) / mc.reference_fit, mc.adoption_fit_exponent);
  }
  const bool competitor = mc.competitor.enabled;
  const double comp_gap_perceived =
      competitor ? std::max(0.0, CompetitorFit() - seg.perceived_fit) : 0.0;
  const double comp_gap = competitor ? std::max(0.0, CompetitorFit() - seg.fit) : 0.0;
  const bool awareness = w_.awareness.active();
  const double innovation = awareness ? w_.awareness.InnovationMultiplier(s) : InnovationRate();
  const double bass = sc.bass_p * innovation + sc.bass_q * seg.active / m;
  // Paid leads (awareness on) come from the same untouched pool.
  const double paid = awareness ? w_.awareness.PaidLeadRate(s) * kDaysPerYear / m : 0.0;
  seg.lead_rate = market_on
                      ? (bass + paid) * pool * fit_factor *
                            std::exp(-mc.competitor.strength * comp_gap_perceived) / kDaysPerYear
                      : 0.0;

  double churn = 0.0;
  if (market_on && !w_.retention.active() && sc.base_monthly_churn > 0) {
    churn = -std::log1p(-sc.base_monthly_churn) / kDaysPerMonth;
    churn *= ChurnFitFactor(s);
    churn *= std::exp(mc.competitor.strength * comp_gap);
    const double csm = w_.ActiveWithRole(Role::kCustomerSuccess);
    if (csm > 0) {
      const double coverage =
          std::min(1.0, csm * mc.cs_accounts_per_csm / std::max(1, active_total_));
      churn /= 1.0 + mc.cs_churn_reduction * coverage;
    }
  }
  seg.churn_rate = churn;
  RescheduleLead(s);
  RescheduleChurn(s);
}

void Market::RescheduleLead(int s) {
  SegmentState& seg = segments_[s];
  if (seg.lead_event.valid()) w_.sim.Cancel(seg.lead_event);
  seg.lead_event = {};
  if (seg.lead_rate <= 0) return;
  const double days = seg.lead_mass_left / seg.lead_rate;
  const kernel::SimTime at = w_.sim.Now() + kernel::Days(days);
  if (days > 1e6 || at > w_.horizon) return;  // beyond the horizon
  seg.lead_event = w_.sim.ScheduleAt(at, lead_handler_, static_cast<kernel::EventPayload>(s));
}

void Market::RescheduleChurn(int s) {
  SegmentState& seg = segments_[s];
  if (seg.churn_event.valid()) w_.sim.Cancel(seg.churn_event);
  seg.churn_event = {};
  if (seg.churn_rate <= 0 || seg.churn_heap.empty()) return;
  const double days =
      std::max(0.0, (seg.churn_heap.front().first - seg.cum_hazard) / seg.churn_rate);
  const kernel::SimTime at = w_.sim.Now() + kernel::Days(days);
  if (days > 1e6 || at > w_.horizon) return;
  seg.churn_event = w_.sim.ScheduleAt(at, churn_handler_, static_cast<kernel::EventPayload>(s));
}

int Market::DrawLead(int s) {
  // A fixed number of words per lead from the segment's account stream.
  const MarketConfig& mc = w_.cfg.market;
  const SegmentConfig& sc = mc.segments[s];
  kernel::RandomStream& rng = w_.rng.accounts[s];
  const kernel::SimTime now = w_.sim.Now();
  SegmentState& seg = segments_[s];
  Lead lead;
  lead.segment = s;
  lead.segment_index = segments_[s].leads_drawn++;
  lead.arrived = now;
  lead.size = LogNormalMeanCv(rng, 1.0, sc.price_cv);
  lead.cycle_days = LogNormalMeanCv(rng, sc.sales_cycle_mean_days, sc.sales_cycle_cv);
  lead.win_u = rng.NextUniform();
  lead.churn_mass = kernel::Exponential(rng, 1.0);
  const double u_request = rng.NextUniform();
  const double u_date = rng.NextUniform();
  const double u_dim = rng.NextUniform();
  const int id = static_cast<int>(leads_.size());
  lead_needs_.resize(lead_needs_.size() + dims_);
  float* factor = &lead_needs_[static_cast<std::size_t>(id) * dims_];
  const double sd = mc.account_need_sd;
  for (int d = 0; d < dims_; ++d) {
    const double z = StandardNormal(rng);
    factor[d] = static_cast<float>(std::exp(sd * z - 0.5 * sd * sd));
  }
  lead.request = u_request < sc.request_share;
  lead.date_sensitive = lead.request && u_date < sc.date_sensitive_share;
  lead.deadline_day = kernel::ToDays(now) + sc.deadline_days;
  if (lead.request) {
    // The prospect asks for its biggest unmet need.
    double total = 0.0;
    for (int d = 0; d < dims_; ++d)
      total += seg.need[d] * factor[d] * (1.0 - capability_[d]) + 1e-12;
    double acc = 0.0;
    lead.request_dim = dims_ - 1;
    for (int d = 0; d < dims_; ++d) {
      acc += seg.need[d] * factor[d] * (1.0 - capability_[d]) + 1e-12;
      if (u_dim * total < acc) {
        lead.request_dim = d;
        break;
      }
    }
  }
  leads_.push_back(lead);
  return id;
}

void Market::OnLead(int s) {
  const kernel::SimTime now = w_.sim.Now();
  SegmentState& seg = segments_[s];
  seg.lead_event = {};
  // The mass that triggered this lead is used up exactly.
  seg.lead_mass_left = kernel::Exponential(w_.rng.leads[s], 1.0);
  seg.lead_updated = now;
  seg.lead_rate = 0.0;  // UpdateRates below recomputes; nothing to consume

  const int id = DrawLead(s);
  Lead& lead = leads_[id];
  const SegmentConfig& sc = w_.cfg.market.segments[s];
  ++seg.pipeline;
  if (w_.trace.on()) {
    w_.trace.Emit(
        now, -1, "lead", s, lead.size,
        "lead " + std::to_string(id) + " in segment " + sc.name +
            (lead.request ? (lead.date_sensitive ? " (dated request)" : " (request)") : ""));
  }
  w_.messages.Deliver(*this, w_.sales, LeadArrived{id});
  UpdateRates(s);
}

void Market::WinDeal(int lead_id, double price_factor, int rep) {
  const kernel::SimTime now = w_.sim.Now();
  Lead& lead = leads_[lead_id];
  const int s = lead.segment;
  const SegmentConfig& sc = w_.cfg.market.segments[s];
  SegmentState& seg = segments_[s];
  AccrueTo(now);
  lead.state = Lead::State::kWon;
  --seg.pipeline;
  Account account;
  account.segment = s;
  account.lead = lead_id;
  account.price =
      sc.price_per_month * lead.size * (lead.request ? sc.request_deal_size : 1.0) * price_factor;
  account.price_since = now;
  account.start = now;
  const int id = static_cast<int>(accounts_.size());
  account.slot = static_cast<int>(active_by_segment_[s].size());
  active_by_segment_[s].push_back(id);
  accounts_.push_back(account);
  ++seg.active;
  ++active_total_;
  seg.mrr += account.price;
  mrr_total_ += account.price;
  AdvanceHazard(s, now);
  if (w_.retention.active()) {
    w_.messages.Deliver(*this, w_.retention, AccountWon{id});
  } else {
    seg.churn_heap.emplace_back(seg.cum_hazard + lead.churn_mass, id);
    std::push_heap(seg.churn_heap.begin(), seg.churn_heap.end(), kHeapOrder);
  }
  ++deals_won_;
  if (w_.trace.on()) {
    w_.trace.Emit(now, rep, "deal_won", account.price, seg.fit,
                  "won account " + std::to_string(id) + " (" + sc.name + "), MRR " +
                      std::to_string(static_cast<long>(account.price)));
  }
  UpdateRates(s);
}

void Market::LoseDeal(int lead_id, bool cold, int rep) {
  const kernel::SimTime now = w_.sim.Now();
  Lead& lead = leads_[lead_id];
  const int s = lead.segment;
  SegmentState& seg = segments_[s];
  lead.state = cold ? Lead::State::kCold : Lead::State::kLost;
  --seg.pipeline;
  if (cold) {
    ++leads_cold_;
  } else {
    ++deals_lost_;
  }
  if (w_.trace.on()) {
    w_.trace.Emit(now, rep, cold ? "lead_cold" : "deal_lost", s, seg.perceived_fit,
                  std::string(cold ? "lead went cold" : "deal lost") + " in segment " +
                      w_.cfg.market.segments[s].name);
  }
  if (!cold && w_.cfg.mechanisms.problem_signals) {
    // Loss reason: the prospect's biggest unmet need.
    w_.messages.Deliver(*this, w_.product, ObservedProblem{rep, s, BiggestUnmetNeed(seg, lead_id)});
  }
  UpdateRates(s);
}

void Market::DisqualifyLead(int lead_id, int rep) {
  Lead& lead = leads_[lead_id];
  const int s = lead.segment;
  lead.state = Lead::State::kLost;
  --segments_[s].pipeline;
  if (w_.trace.on()) {
    w_.trace.Emit(w_.sim.Now(), rep, "lead_disqualified", s, segments_[s].perceived_fit,
                  "lead " + std::to_string(lead_id) + " disqualified in segment " +
                      w_.cfg.market.segments[s].name);
  }
  UpdateRates(s);
}

void Market::OnChurn(int s) {
  const kernel::SimTime now = w_.sim.Now();
  SegmentState& seg = segments_[s];
  seg.churn_event = {};
  AdvanceHazard(s, now);
  ORGSIM_CHECK(!seg.churn_heap.empty(), "churn event with no accounts");
  std::pop_heap(seg.churn_heap.begin(), seg.churn_heap.end(), kHeapOrder);
  const int id = seg.churn_heap.back().second;
  seg.churn_heap.pop_back();
  RemoveAccount(id);
  const Account& account = accounts_[id];
  if (w_.trace.on()) {
    const double fit_factor = ChurnFitFactor(s);
    std::string factor = std::to_string(fit_factor).substr(0, 4);
    w_.trace.Emit(now, -1, "churn", account.price, fit_factor,
                  "account " + std::to_string(id) + " churned (its fit " +
                      std::to_string(AccountFit(account)).substr(0, 4) +
                      (fit_factor > 1.0 ? "; poor fit raised the churn rate x" + factor
                                        : "; fit kept the churn rate at x" + factor) +
                      ")");
  }
  ExitSignal(account);
  UpdateRates(s);
}

void Market::ChurnAccount(int id, const std::string& reason) {
  const int s = accounts_[id].segment;
  ORGSIM_CHECK(accounts_[id].active, "account " << id << " churns twice");
  RemoveAccount(id);
  const Account& account = accounts_[id];
  if (w_.trace.on()) {
    w_.trace.Emit(w_.sim.Now(), -1, "churn", account.price, AccountFit(account),
                  "account " + std::to_string(id) + " (" + w_.cfg.market.segments[s].name +
                      ") churned: " + reason);
  }
  ExitSignal(account);
  UpdateRates(s);
}

void Market::SetAccountPrice(int id, double price) {
  const kernel::SimTime now = w_.sim.Now();
  AccrueTo(now);
  Account& account = accounts_[id];
  ORGSIM_CHECK(account.active, "price change of inactive account " << id);
  account.accrued += account.price * kernel::ToDays(now - account.price_since) / kDaysPerMonth;
  account.price_since = now;
  const double delta = price - account.price;
  account.price = price;
  segments_[account.segment].mrr += delta;
  mrr_total_ += delta;
}

void Market::RemoveAccount(int id) {
  const kernel::SimTime now = w_.sim.Now();
  AccrueTo(now);
  Account& account = accounts_[id];
  const int s = account.segment;
  SegmentState& seg = segments_[s];
  account.accrued += account.price * kernel::ToDays(now - account.price_since) / kDaysPerMonth;
  account.price_since = now;
  account.end = now;
  account.active = false;
  // Swap-remove from the segment's active list.
  std::vector<int>& list = active_by_segment_[s];
  const int last = list.back();
  list[account.slot] = last;
  accounts_[last].slot = account.slot;
  list.pop_back();
  account.slot = -1;
  --seg.active;
  --active_total_;
  seg.mrr -= account.price;
  mrr_total_ -= account.price;
  ++churned_;
  ++churned_month_;
}

int Market::BiggestUnmetNeed(const SegmentState& seg, int lead) const {
  const float* factor = LeadNeeds(lead);
  int best = 0;
  double best_gap = -1.0;
  for (int d = 0; d < dims_; ++d) {
    const double gap = seg.need[d] * factor[d] * (1.0 - capability_[d]);
    if (gap > best_gap) {
      best_gap = gap;
      best = d;
    }
  }
  return best;
}

void Market::ExitSignal(const Account& account) {
  if (!w_.cfg.mechanisms.problem_signals) return;
  const int best = BiggestUnmetNeed(segments_[account.segment], account.lead);
  // Exit interviews are heard by customer success, else by sales.
  int observer = -1;
  for (Role role : {Role::kCustomerSuccess, Role::kSales}) {
    for (int a : w_.RoleAgents(role)) {
      if (w_.agent_active[a]) {
        observer = a;
        break;
      }
    }
    if (observer >= 0) break;
  }
  w_.messages.Deliver(*this, w_.product, ObservedProblem{observer, account.segment, best});
}

void Market::Weekly() {
  const MarketConfig& mc = w_.cfg.market;
  const MechanismConfig& mech = w_.cfg.mechanisms;
  const double days = 7.0;
  if (mech.need_drift && mc.need_drift_per_sqrt_year > 0) {
    const double step = mc.need_drift_per_sqrt_year * std::sqrt(days / kDaysPerYear);
    for (std::size_t s = 0; s < segments_.size(); ++s) {
      SegmentState& seg = segments_[s];
      double sum = 0.0;
      for (int d = 0; d < dims_; ++d) {
        seg.log_need[d] += step * StandardNormal(w_.rng.drift[s]);
        sum += std::exp(seg.log_need[d]);
      }
      const double log_sum = std::log(sum);
      for (int d = 0; d < dims_; ++d) {
        seg.log_need[d] -= log_sum;  // keep the walk centred
        seg.need[d] = std::exp(seg.log_need[d]);
      }
    }
  }
  if (mech.capability_decay && mc.capability_decay_per_year > 0) {
    const double keep = std::exp(-mc.capability_decay_per_year * days / kDaysPerYear);
    for (int d = 0; d < dims_; ++d) {
      capability_[d] *= keep;
      perceived_[d] *= keep;
    }
  }
  if (mc.perception_lag_days > 0) {
    const double pull = 1.0 - std::exp(-days / mc.perception_lag_days);
    for (int d = 0; d < dims_; ++d) perceived_[d] += (capability_[d] - perceived_[d]) * pull;
  } else {
    perceived_ = capability_;
  }
  for (std::size_t s = 0; s < segments_.size(); ++s) UpdateFit(static_cast<int>(s));
  UpdateValueWeights();
  fit_average_.Set(w_.sim.Now(), MarketFit());
  for (std::size_t s = 0; s < segments_.size(); ++s) {
    EmitSignals(static_cast<int>(s), days);
    UpdateRates(static_cast<int>(s));
  }
}

void Market::EmitSignals(int s, double days) {
  const MarketConfig& mc = w_.cfg.market;
  if (!w_.cfg.mechanisms.problem_signals || mc.signal_rate_per_account_month <= 0) return;
  SegmentState& seg = segments_[s];
  if (seg.active == 0) return;
  const double gap = std::max(0.0, mc.reference_fit - seg.fit) / mc.reference_fit;
  if (gap <= 0) return;
  kernel::RandomStream& rng = w_.rng.signals[s];
  const std::uint64_t count = kernel::Poisson(
      rng, seg.active * mc.signal_rate_per_account_month * days / kDaysPerMonth * gap);
  for (std::uint64_t i = 0; i < count; ++i) {
    const double u_dim = rng.NextUniform();
    const double u_obs = rng.NextUniform();
    double total = 0.0;
    for (int d = 0; d < dims_; ++d) total += seg.need[d] * (1.0 - capability_[d]) + 1e-12;
    int dim = dims_ - 1;
    double acc = 0.0;
    for (int d = 0; d < dims_; ++d) {
      acc += seg.need[d] * (1.0 - capability_[d]) + 1e-12;
      if (u_dim * total < acc) {
        dim = d;
        break;
      }
    }
    // Support tickets reach customer success, else sales, else marketing.
    int observer = -1;
    for (Role role : {Role::kCustomerSuccess, Role::kSales, Role::kMarketing}) {
      const int active = w_.ActiveWithRole(role);
      if (active == 0) continue;
      int pick = std::min(active - 1, static_cast<int>(u_obs * active));
      for (int a : w_.RoleAgents(role)) {
        if (w_.agent_active[a] && pick-- == 0) {
          observer = a;
          break;
        }
      }
      break;
    }
    w_.messages.Deliver(*this, w_.product, ObservedProblem{observer, s, dim});
  }
}

double Market::ApplyRelease(int dim, double delta, bool coordinated) {
  ORGSIM_CHECK(dim >= 0 && dim < dims_, "release on dimension " << dim);
  const double before = capability_[dim];
  capability_[dim] = std::clamp(before + delta, 0.0, 1.0);
  ++dim_version_[dim];
  const double gained = capability_[dim] - before;
  ++releases_;
  if (coordinated) ++releases_coordinated_;
  if (gained > 0) ++releases_improved_;
  released_since_launch_.resize(dims_, 0);
  released_since_launch_[dim] = 1;
  if (coordinated && !w_.awareness.active()) {
    perceived_[dim] = capability_[dim];
    last_launch_ = w_.sim.Now();
  }
  // Market-weighted fit gained (customer value delivered).
  double value = 0.0;
  for (std::size_t s = 0; s < segments_.size(); ++s) {
    value += w_.cfg.market.segments[s].potential_customers * segments_[s].need[dim] * gained;
  }
  const double fit_gained = total_potential_ > 0 ? value / total_potential_ : 0.0;
  customer_value_ += fit_gained;
  return fit_gained;
}

void Market::PullPerception(double fraction) {
  released_since_launch_.resize(dims_, 0);
  for (int d = 0; d < dims_; ++d) {
    if (released_since_launch_[d]) perceived_[d] += (capability_[d] - perceived_[d]) * fraction;
    released_since_launch_[d] = 0;
  }
  for (std::size_t s = 0; s < segments_.size(); ++s) UpdateFit(static_cast<int>(s));
}

void Market::Receive(const Message& message) {
  if (const DealClosed* deal = message.As<DealClosed>()) {
    if (deal->outcome == DealClosed::Outcome::kWon) {
      WinDeal(deal->lead, deal->price_factor, deal->rep);
    } else if (deal->outcome == DealClosed::Outcome::kDisqualified) {
      DisqualifyLead(deal->lead, deal->rep);
    } else {
      LoseDeal(deal->lead, deal->outcome == DealClosed::Outcome::kCold, deal->rep);
    }
  } else if (const CapabilityShipped* release = message.As<CapabilityShipped>()) {
    ApplyRelease(release->dim, release->delta, release->coordinated);
  } else if (const MonthStarts* month = message.As<MonthStarts>()) {
    marketing_spend_ = month->marketing_spend;
    StartMonth();
  } else if (message.As<MonthlyExpansionDue>() != nullptr) {
    MonthlyExpansion();
  } else if (const AccrueRevenue* accrue = message.As<AccrueRevenue>()) {
    AccrueTo(accrue->until);
  } else if (const ChurnAccountNow* churn = message.As<ChurnAccountNow>()) {
    ChurnAccount(churn->account, churn->reason);
  } else if (const PerceptionPull* pull = message.As<PerceptionPull>()) {
    PullPerception(pull->fraction);
  } else if (const RepriceAccount* reprice = message.As<RepriceAccount>()) {
    SetAccountPrice(reprice->account, reprice->price);
  }
}

void Market::AccrueTo(kernel::SimTime now) {
  if (now <= revenue_updated_) return;
  revenue_ += mrr_total_ * kernel::ToDays(now - revenue_updated_) / kDaysPerMonth;
  revenue_updated_ = now;
}

void Market::MonthlyExpansion() {
  if (w_.retention.active()) return;  // Retention's expansion events instead
  const kernel::SimTime now = w_.sim.Now();
  AccrueTo(now);
  const MarketConfig& mc = w_.cfg.market;
  for (std::size_t s = 0; s < segments_.size(); ++s) {
    const double rate = mc.segments[s].expansion_per_month;
    if (rate == 0) continue;
    SegmentState& seg = segments_[s];
    double mrr = 0.0;
    for (int id : active_by_segment_[s]) {
      Account& account = accounts_[id];
      account.accrued += account.price * kernel::ToDays(now - account.price_since) / kDaysPerMonth;
      account.price_since = now;
      const double fit = AccountFit(account);
      account.price *=
          std::max(0.0, 1.0 + rate * (fit - mc.reference_fit) / (1.0 - mc.reference_fit));
      mrr += account.price;
    }
    mrr_total_ += mrr - seg.mrr;
    seg.mrr = mrr;
  }
}

void Market::FinishAccounts(kernel::SimTime now) {
  AccrueTo(now);
  for (Account& account : accounts_) {
    if (!account.active) continue;
    account.accrued += account.price * kernel::ToDays(now - account.price_since) / kDaysPerMonth;
    account.price_since = now;
  }
}

void Market::StartMonth() {
  churned_month_ = 0;
  active_month_start_ = active_total_;
}

void Market::RegisterHandlers(kernel::Simulation& sim) {
  lead_handler_ = sim.RegisterHandler(
      "market/lead", [this](kernel::EventPayload s) { OnLead(static_cast<int>(s)); });
  churn_handler_ = sim.RegisterHandler(
      "market/churn", [this](kernel::EventPayload s) { OnChurn(static_cast<int>(s)); });
}

void Market::OnPhase(const PhaseTick& tick) {
  if (tick.phase == Phase::kWeek) Weekly();
}

void Market::Finish(kernel::SimTime end) {
  FinishAccounts(end);
  fit_average_.Set(end, MarketFit());
}

std::vector<MetricDef> Market::Metrics() {
  return {
      DefineMetric<Market>(
          {"customers_end", "accounts", "Active accounts at the horizon", Better::kHigher,
           "Customers at the end"},
          [](const Market& m, const World&) { return static_cast<double>(m.active_accounts()); }),
      DefineMetric<Market>(
          {"arr_end", "currency/year", "Annual recurring revenue at the horizon (12 x MRR)",
           Better::kHigher, "ARR at the end"},
          [](const Market& m, const World&) { return 12.0 * m.mrr(); }),
      DefineMetric<Market>({"customer_value_delivered", "fit points",
                            "Sum over releases of the market-weighted fit they added",
                            Better::kHigher, "Customer value delivered"},
                           [](const Market& m, const World&) { return m.customer_value(); }),
      DefineMetric<Market>(
          {"churned_customers", "accounts", "Accounts lost over the horizon", Better::kLower,
           "Customers lost"},
          [](const Market& m, const World&) { return static_cast<double>(m.churned_); }),
      DefineMetric<Market>(
          {"fit_mean", "0-1", "Time-average market-weighted product fit", Better::kHigher,
           "Product fit (average)"},
          [](const Market& m, const World& w) { return m.fit_average_.Mean(w.horizon); }),
      DefineMetric<Market>({"fit_end", "0-1", "Market-weighted product fit at the horizon",
                            Better::kHigher, "Product fit at the end"},
                           [](const Market& m, const World&) { return m.MarketFit(); }),
      DefineMetric<Market>(
          {"deals_won", "deals", "Deals won", Better::kHigher, "Deals won"},
          [](const Market& m, const World&) { return static_cast<double>(m.deals_won_); }),
      DefineMetric<Market>(
          {"deals_lost", "deals", "Deals lost", Better::kLower, "Deals lost"},
          [](const Market& m, const World&) { return static_cast<double>(m.deals_lost_); }),
      DefineMetric<Market>(
          {"win_rate", "fraction", "Deals won / deals closed", Better::kHigher, "Win rate"},
          [](const Market& m, const World&) {
            return SafeDiv(static_cast<double>(m.deals_won_),
                           static_cast<double>(m.deals_won_ + m.deals_lost_));
          }),
      DefineMetric<Market>({"feature_success_rate", "fraction",
                            "Share of shipped features that improved the capability they targeted",
                            Better::kHigher, "Features that improved their target"},
                           [](const Market& m, const World&) {
                             return SafeDiv(static_cast<double>(m.releases_improved_),
                                            static_cast<double>(m.releases_));
                           }),
      DefineMetric<Market>(
          {"leads_cold", "leads", "Leads that went cold waiting for sales capacity",
           Better::kNeither, "Leads gone cold"},
          [](const Market& m, const World&) { return static_cast<double>(m.leads_cold_); }),
  };
}

}  // namespace orgsim::model
