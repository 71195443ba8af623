#include "engine/model/retention.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

#include "engine/kernel/check.h"
#include "engine/model/world.h"

namespace orgsim::model {
namespace {

constexpr double kDaysPerMonth = 365.0 / 12.0;
constexpr int kWindowMonths = 12;
constexpr std::uint64_t kStream = kernel::StreamIdFromName("market/retention");

// Whole months in a run of `horizon`.
int MonthsIn(kernel::SimTime horizon) {
  return static_cast<int>(std::floor(static_cast<double>(horizon) / kernel::kTicksPerMonth + 1e-9));
}

std::string Fixed(double v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace

Retention::Retention(World& world, const kernel::StreamKey& replication_key)
    : w_(world), key_(replication_key) {}

bool Retention::active() const { return w_.cfg.mechanisms.retention && w_.cfg.mechanisms.market; }

void Retention::RegisterHandlers(kernel::Simulation& sim) {
  churn_handler_ = sim.RegisterHandler(
      "retention/churn", [this](kernel::EventPayload id) { OnChurn(static_cast<int>(id)); });
}

void Retention::Init() {
  window_start_month_ = std::max(0, MonthsIn(w_.horizon) - kWindowMonths);
  if (window_start_month_ == 0) Snapshot();
}

Retention::Hazard Retention::HazardOf(int id) const {
  return HazardAt(id, w_.market.AccountFit(w_.market.accounts()[id]));
}

Retention::Hazard Retention::HazardAt(int id, double fit) const {
  const Market& market = w_.market;
  const MarketConfig& mc = w_.cfg.market;
  const RetentionConfig& rc = mc.retention;
  const Account& account = market.accounts()[id];
  const Lead& lead = market.leads()[account.lead];
  Hazard h;
  const double price = std::max(account.price, 1e-9 * rc.reference_price_per_month);
  h.size = std::pow(price / rc.reference_price_per_month, -rc.size_elasticity);
  double tenure = kernel::ToDays(w_.sim.Now() - account.start) / kDaysPerMonth;
  if (account.start == 0) tenure += rc.initial_customer_tenure_months;
  h.tenure = 1.0 + rc.early_tenure_boost * std::exp(-tenure / rc.tenure_months);
  h.fit = std::exp(mc.churn_fit_elasticity * (mc.reference_fit - fit));
  if (lead.request) {
    const Deal& deal = w_.sales.deal(account.lead);
    const bool shipped =
        deal.item >= 0 && w_.backlog.item(deal.item).state == WorkItem::State::kDone;
    if (!shipped) h.request = rc.unresolved_request_factor;
  }
  if (mc.competitor.enabled) {
    const double gap = std::max(0.0, market.CompetitorFit() - market.SegmentFit(account.segment));
    h.competitor = std::exp(mc.competitor.strength * gap);
  }
  const double csm = w_.ActiveWithRole(Role::kCustomerSuccess);
  if (csm > 0) {
    const double coverage =
        std::min(1.0, csm * mc.cs_accounts_per_csm / std::max(1, market.active_accounts()));
    h.cs = 1.0 / (1.0 + mc.cs_churn_reduction * coverage);
  }
  h.predictability = w_.predictability.ChurnFactor(account.segment);
  const double base = -std::log1p(-rc.monthly_churn_at_reference) / kDaysPerMonth;
  h.defects = w_.workforce.DefectChurnFactor();
  h.total = base * h.size * h.tenure * h.fit * h.request * h.competitor * h.cs * h.predictability *
            h.defects;
  return h;
}

void Retention::Receive(const Message& message) {
  if (const AccountWon* won = message.As<AccountWon>()) OnAccountWon(won->account);
}

void Retention::OnAccountWon(int id) {
  if (static_cast<std::size_t>(id) >= state_.size()) state_.resize(id + 1);
  State& st = state_[id];
  const Market& market = w_.market;
  st.mass_left = market.leads()[market.accounts()[id].lead].churn_mass;
  st.since = w_.sim.Now();
  st.rate = 0.0;
  const kernel::SimTime now = w_.sim.Now();
  const kernel::SimTime next_month = (now / kernel::kTicksPerMonth + 1) * kernel::kTicksPerMonth;
  Refresh(id, next_month);
}

void Retention::Refresh(int id, kernel::SimTime until) {
  Refresh(id, until, w_.market.AccountFit(w_.market.accounts()[id]));
}

void Retention::Refresh(int id, kernel::SimTime until, double fit) {
  State& st = state_[id];
  const kernel::SimTime now = w_.sim.Now();
  st.mass_left -= st.rate * kernel::ToDays(now - st.since);
  st.since = now;
  if (st.churn_event.valid()) w_.sim.Cancel(st.churn_event);
  st.churn_event = {};
  st.rate = HazardAt(id, fit).total;
  if (st.mass_left <= 0) {
    OnChurn(id);
    return;
  }
  if (st.rate <= 0) return;
  const double days = st.mass_left / st.rate;
  if (days > 1e6) return;
  const kernel::SimTime at = now + kernel::Days(days);
  if (at >= until || at > w_.horizon) return;  // the next month end recomputes
  st.churn_event = w_.sim.ScheduleAt(at, churn_handler_, static_cast<kernel::EventPayload>(id));
}

void Retention::OnChurn(int id) {
  State& st = state_[id];
  st.churn_event = {};
  st.mass_left = 0.0;
  st.since = w_.sim.Now();
  const Hazard h = HazardOf(id);
  st.rate = 0.0;
  const double missed =
      w_.trace.on() ? w_.predictability.MissedDateChurnFactor(w_.market.accounts()[id].segment)
                    : 1.0;
  if (missed > 1.0) {
    // A buyer who values predictability leaves a vendor whose dates slip.
    w_.trace.Emit(w_.sim.Now(), -1, "renewal_lost_missed_date", missed,
                  w_.predictability.KeptRatio(),
                  "account " + std::to_string(id) +
                      " did not renew: " + std::to_string(w_.predictability.dates_missed()) +
                      " of " + std::to_string(w_.predictability.dates_due()) +
                      " committed dates missed raised its hazard x" + Fixed(missed, 2));
  }
  w_.messages.Deliver(*this, w_.market,
                      ChurnAccountNow{id, w_.trace.on() ? ChurnReason(h) : std::string()});
}

std::string Retention::ChurnReason(const Hazard& h) const {
  // The factors that raised the hazard, largest first, then what lowered it.
  struct Factor {
    const char* name;
    double value;
  };
  std::vector<Factor> factors = {{"small contract", h.size},
                                 {"early tenure", h.tenure},
                                 {"poor fit", h.fit},
                                 {"unresolved request", h.request},
                                 {"competitor ahead", h.competitor},
                                 {"unpredictable vendor", h.predictability},
                                 {"escaped defects", h.defects}};
  std::stable_sort(factors.begin(), factors.end(),
                   [](const Factor& a, const Factor& b) { return a.value > b.value; });
  std::string raised, lowered;
  for (const Factor& f : factors) {
    std::string& out = f.value > 1.0 ? raised : lowered;
    if (f.value == 1.0) continue;
    if (!out.empty()) out += ", ";
    out += std::string(f.name) + " x" + Fixed(f.value, 2);
  }
  std::string text =
      raised.empty() ? "no factor above its reference" : "hazard raised by " + raised;
  if (!lowered.empty()) text += "; lowered by " + lowered;
  if (h.cs < 1.0) text += "; customer-success coverage x" + Fixed(h.cs, 2);
  text += " (" + Fixed(h.total * kDaysPerMonth * 100.0, 2) + "%/month)";
  return text;
}

void Retention::ExpandOrContract(int id, int month, double fit) {
  const Market& market = w_.market;
  const MarketConfig& mc = w_.cfg.market;
  const RetentionConfig& rc = mc.retention;
  const Account& account = market.accounts()[id];
  const Lead& lead = market.leads()[account.lead];
  // One Philox block per (account, month): the same numbers in every design.
  const std::array<std::uint64_t, 4> words = kernel::Philox4x64x10(
      {static_cast<std::uint64_t>(month),
       (static_cast<std::uint64_t>(key_.design_point) << 32) | key_.replication,
       static_cast<std::uint64_t>(lead.segment_index), static_cast<std::uint64_t>(lead.segment)},
      {key_.seed, kStream});
  const auto uniform = [](std::uint64_t x) { return static_cast<double>(x >> 11) * 0x1.0p-53; };
  const double open = static_cast<double>(((words[2] >> 12) << 1) | 1) * 0x1.0p-53;
  const double z =
      std::sqrt(-2.0 * std::log(open)) * std::cos(2.0 * std::numbers::pi * uniform(words[3]));
  constexpr double kStepCv = 0.5;
  const double sigma = std::sqrt(std::log1p(kStepCv * kStepCv));
  const double spread = std::exp(sigma * z - 0.5 * sigma * sigma);
  const double ratio = std::max(1e-6, fit) / mc.reference_fit;
  const double p_expand =
      std::min(1.0, rc.expansion_probability * std::pow(ratio, rc.expansion_fit_exponent));
  const double p_contract =
      std::min(1.0, rc.contraction_probability * std::pow(ratio, -rc.expansion_fit_exponent));
  const double before = account.price;
  double after = before;
  const char* kind = nullptr;
  if (uniform(words[0]) < p_expand) {
    after = before * (1.0 + rc.expansion_step * spread);
    kind = "expansion";
    ++expansions_;
  } else if (uniform(words[1]) < p_contract) {
    after = before * (1.0 - std::min(0.9, rc.contraction_step * spread));
    kind = "contraction";
    ++contractions_;
  }
  if (kind == nullptr || after == before) return;
  w_.messages.Deliver(*this, w_.market, RepriceAccount{id, after});
  if (w_.trace.on()) {
    w_.trace.Emit(w_.sim.Now(), -1, kind, after, fit,
                  "account " + std::to_string(id) + " (" + mc.segments[lead.segment].name + ") " +
                      kind + ": MRR " + Fixed(before, 0) + " -> " + Fixed(after, 0) + " (its fit " +
                      Fixed(fit, 2) + ")");
  }
}

void Retention::OnPhase(const PhaseTick& tick) {
  if (tick.phase != Phase::kMonthEnd) return;
  if (active()) {
    const kernel::SimTime until = w_.sim.Now() + kernel::kTicksPerMonth;
    const std::vector<Account>& accounts = w_.market.accounts();
    for (std::size_t id = 0; id < accounts.size(); ++id) {
      if (!accounts[id].active) continue;
      // Expansion does not move fit (capability and needs change weekly).
      const double fit = w_.market.AccountFit(accounts[id]);
      ExpandOrContract(static_cast<int>(id), tick.index, fit);
      Refresh(static_cast<int>(id), until, fit);
    }
  }
  if (tick.index == window_start_month_) Snapshot();
}

void Retention::Snapshot() {
  const std::vector<Account>& accounts = w_.market.accounts();
  if (state_.size() < accounts.size()) state_.resize(accounts.size());
  for (std::size_t id = 0; id < accounts.size(); ++id) {
    state_[id].cohort_mrr = accounts[id].active ? accounts[id].price : -1.0;
  }
}

double Retention::GrossRetention() const {
  const std::vector<Account>& accounts = w_.market.accounts();
  double start = 0.0, kept = 0.0;
  for (std::size_t id = 0; id < state_.size() && id < accounts.size(); ++id) {
    const double mrr = state_[id].cohort_mrr;
    if (mrr < 0) continue;
    start += mrr;
    if (accounts[id].active) kept += std::min(mrr, accounts[id].price);
  }
  return SafeDiv(kept, start, 1.0);
}

double Retention::NetRetention() const {
  const std::vector<Account>& accounts = w_.market.accounts();
  double start = 0.0, end = 0.0;
  for (std::size_t id = 0; id < state_.size() && id < accounts.size(); ++id) {
    const double mrr = state_[id].cohort_mrr;
    if (mrr < 0) continue;
    start += mrr;
    if (accounts[id].active) end += accounts[id].price;
  }
  return SafeDiv(end, start, 1.0);
}

double Retention::LogoChurn() const {
  const std::vector<Account>& accounts = w_.market.accounts();
  int cohort = 0, churned = 0;
  for (std::size_t id = 0; id < state_.size() && id < accounts.size(); ++id) {
    if (state_[id].cohort_mrr < 0) continue;
    ++cohort;
    if (!accounts[id].active) ++churned;
  }
  return SafeDiv(churned, cohort, 0.0);
}

std::vector<MetricDef> Retention::Metrics() {
  return {
      DefineMetric<Retention>(
          {"gross_revenue_retention", "fraction",
           "MRR kept by the accounts active 12 months before the horizon, each capped at its "
           "start MRR (no expansion), over their start MRR",
           Better::kHigher, "Revenue kept from last year's customers"},
          [](const Retention& r, const World&) { return r.GrossRetention(); }),
      DefineMetric<Retention>(
          {"net_revenue_retention", "fraction",
           "MRR at the horizon of the accounts active 12 months before it (expansion included, "
           "new accounts excluded), over their start MRR",
           Better::kHigher, "Last year's customers' revenue, with growth"},
          [](const Retention& r, const World&) { return r.NetRetention(); }),
      DefineMetric<Retention>(
          {"logo_churn_annual", "fraction",
           "Share of the accounts active 12 months before the horizon that churned by it",
           Better::kLower, "Share of last year's customers lost"},
          [](const Retention& r, const World&) { return r.LogoChurn(); }),
  };
}

}  // namespace orgsim::model
