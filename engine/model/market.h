// Market: customer segments, their drifting needs, the product's capability,
// Bass-style lead flow, accounts, churn and revenue.
//
// Aggregation choices (fast and exact where it matters):
//   * Leads arrive per segment as a Poisson process with a piecewise-
//     constant rate λ(t) = (p_eff + q·N/M)·pool·(perceived fit/ref)^a, simulated
//     by the time-change method: each lead consumes one Exp(1) "mass" drawn
//     from the segment's market stream, and the next lead is due when the
//     integrated rate reaches it. A rate change only reschedules one event,
//     and the draw sequence is the same in every org design (CRN).
//   * Accounts churn (mechanisms.retention off) with a per-account hazard
//     that is the same for all accounts of a segment and piecewise constant. Account i churns when
//     the segment's cumulative hazard H(t) passes H(t_join) + E_i, E_i ~ Exp(1) drawn at the lead;
//     a min-heap of thresholds per segment needs one pending event per segment. With
//     mechanisms.retention on, the Retention module (retention.h) owns each account's hazard and
//     its expansion instead, and changes accounts only by the messages ChurnAccountNow and
//     RepriceAccount below.
//   * Revenue accrues continuously from MRR; each account keeps its own
//     accrued revenue (price × active time), so the test "revenue = Σ price
//     × active time" is checkable.
//   * Needs drift weekly (log random walk), capability decays weekly and
//     perception relaxes weekly: the market responds to releases at the next
//     weekly update, not instantly.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/kernel/simulation.h"
#include "engine/model/mechanism.h"
#include "engine/model/metrics.h"

namespace orgsim::model {

struct World;

struct SegmentState {
  std::vector<double> need;      // true need weights, sum 1
  std::vector<double> log_need;  // drift state
  double fit = 0.0;              // Σ need·capability
  double perceived_fit = 0.0;    // Σ need·perceived capability
  // Lead flow (time-change method).
  double lead_rate = 0.0;       // leads per day
  double lead_mass_left = 0.0;  // Exp(1) mass until the next lead
  kernel::SimTime lead_updated = 0;
  kernel::EventId lead_event;
  // Churn (cumulative hazard with a threshold heap).
  double churn_rate = 0.0;  // per account per day
  double cum_hazard = 0.0;
  kernel::SimTime hazard_updated = 0;
  kernel::EventId churn_event;
  std::vector<std::pair<double, int>> churn_heap;  // (threshold, account), min-heap
  int active = 0;                                  // active accounts
  int pipeline = 0;                                // leads queued or in an open deal
  double mrr = 0.0;
  int leads_drawn = 0;  // prospects drawn so far (Lead::segment_index)
};

struct Account {
  int segment = 0;
  int lead = 0;        // the lead it came from (idiosyncratic needs)
  double price = 0.0;  // MRR of this account
  kernel::SimTime price_since = 0;
  kernel::SimTime start = 0;
  kernel::SimTime end = -1;  // -1 while active
  double accrued = 0.0;      // revenue accrued up to price_since
  bool active = true;
  int slot = -1;  // index in its segment's active list
};

// Sales -> Market: the deal of a lead is over (won at price_factor x the
// list price, lost, gone cold, or disqualified by the funnel before it
// became an opportunity: funnel.h), worked by `rep` (-1: none).
struct DealClosed {
  static constexpr std::string_view kEventKind = "market/deal_closed";
  enum class Outcome : std::uint8_t { kWon, kLost, kCold, kDisqualified };
  int lead = -1;
  Outcome outcome = Outcome::kLost;
  double price_factor = 1.0;
  int rep = -1;
};
// Product -> Market: a release changed capability on `dim` by `delta`;
// `coordinated`: with a coordinated launch (ApplyRelease).
struct CapabilityShipped {
  static constexpr std::string_view kEventKind = "market/release";
  int dim = 0;
  double delta = 0.0;
  bool coordinated = false;
};
// Awareness -> Market: a launch (mechanisms.awareness): perceived
// capability of the needs released on since the last launch moves
// `fraction` of the way to the actual capability (PullPerception).
struct PerceptionPull {
  static constexpr std::string_view kEventKind = "market/perception_pull";
  double fraction = 0.0;
};
// Books -> Market: a month starts with this marketing spend (StartMonth).
struct MonthStarts {
  static constexpr std::string_view kEventKind = "market/month_starts";
  double marketing_spend = 0.0;
};
// Books -> Market: month-end expansion and contraction (MonthlyExpansion).
struct MonthlyExpansionDue {
  static constexpr std::string_view kEventKind = "market/monthly_expansion";
};
// Books -> Market: accrue revenue up to `until` before the books read it.
struct AccrueRevenue {
  static constexpr std::string_view kEventKind = "market/accrue";
  kernel::SimTime until = 0;
};
// Retention -> Market: account `account` churns now (ChurnAccount).
struct ChurnAccountNow {
  static constexpr std::string_view kEventKind = "market/churn_account";
  int account = -1;
  std::string reason;  // trace text ("" when tracing is off)
};
// Retention -> Market: the account's MRR is `price` from now.
struct RepriceAccount {
  static constexpr std::string_view kEventKind = "market/reprice";
  int account = -1;
  double price = 0.0;
};

// A prospect: everything the market decides about it is drawn when it
// appears (a fixed number of words from the segment's "market/accounts"
// stream), so lead k of a segment is the same prospect in every design.
struct Lead {
  // kWithSales until the deal closes (Sales keeps the deal: Sales::deal).
  enum class State : std::uint8_t { kWithSales, kWon, kLost, kCold };
  int segment = 0;
  int segment_index = 0;  // k: the k-th prospect of its segment (from 0)
  kernel::SimTime arrived = 0;
  double size = 1.0;        // price multiplier
  double cycle_days = 0.0;  // sales cycle if worked
  double win_u = 0.0;       // uniform deciding the outcome
  double churn_mass = 0.0;  // Exp(1) churn threshold if it becomes an account
  bool request = false;
  bool date_sensitive = false;
  int request_dim = -1;
  double deadline_day = 0.0;
  State state = State::kWithSales;
};

class Market : public Mechanism {
 public:
  explicit Market(World& world);

  // Registers "market/lead" and "market/churn".
  void RegisterHandlers(kernel::Simulation& sim) override;
  // Draws needs, sets capability, schedules the first leads.
  void Init() override;
  // kWeek: Weekly().
  void OnPhase(const PhaseTick& tick) override;
  // Closes the revenue accruals and the fit average at the horizon.
  void Finish(kernel::SimTime end) override;
  // DealClosed, CapabilityShipped, MonthStarts, MonthlyExpansionDue,
  // AccrueRevenue, ChurnAccountNow, RepriceAccount, PerceptionPull.
  void Receive(const Message& message) override;
  // customers, ARR, customer value, churn, fit.
  static std::vector<MetricDef> Metrics();

  // Weekly update: drift, decay, perception, competitor, rates, signals.
  void Weekly();

  // A release improved (or hurt) capability on `dim` by `delta`;
  // `coordinated`: a coordinated launch (perception jumps, launch boost).
  // Returns the market-weighted fit gained (customer value delivered).
  double ApplyRelease(int dim, double delta, bool coordinated);
  // The fit all releases gained so far (customer_value_delivered).
  double customer_value() const { return customer_value_; }
  // Releases so far, those launched by a coordinated go-to-market, and those
  // that improved the capability they targeted (feature_success_rate).
  std::int64_t releases() const { return releases_; }
  std::int64_t coordinated_releases() const { return releases_coordinated_; }
  // Revenue accrued up to now (MRR integral); call before reading totals.
  void AccrueTo(kernel::SimTime now);
  // Month-end expansion/contraction of every active account (retention off).
  void MonthlyExpansion();
  // Retention's operations on an account (mechanisms.retention on): the
  // account churns now, `reason` explaining why in the trace; its price
  // becomes `price` from now (revenue accrued at the old price up to now).
  void ChurnAccount(int id, const std::string& reason);
  void SetAccountPrice(int id, double price);
  // Close every account's revenue accrual at `now` (end of run).
  void FinishAccounts(kernel::SimTime now);

  double SegmentFit(int s) const { return segments_[s].fit; }
  // Fit of one account: capability weighted by its own needs.
  double AccountFit(const Account& account) const;
  // Fit weighted by potential customers.
  double MarketFit() const;
  double CompetitorFit() const;
  // Multiplier of segment s's churn hazard from its fit: > 1 when poor fit
  // raises churn, < 1 when good fit lowers it (market.churn_fit_elasticity).
  double ChurnFitFactor(int s) const;
  const std::vector<double>& capability() const { return capability_; }
  const std::vector<SegmentState>& segments() const { return segments_; }
  const std::vector<Account>& accounts() const { return accounts_; }
  const std::vector<Lead>& leads() const { return leads_; }
  const float* LeadNeeds(int lead) const {
    return &lead_needs_[static_cast<std::size_t>(lead) * dims_];
  }
  // The problem dimension where the lead's prospect misses the product most
  // (need x the prospect's factor x missing capability): a lost deal's or a
  // churned account's reason.
  int BiggestUnmetNeed(const SegmentState& seg, int lead) const;
  int active_accounts() const { return active_total_; }
  double mrr() const { return mrr_total_; }
  double revenue_accrued() const { return revenue_; }
  // A random active account of segment s chosen by the uniform u, or -1
  // when there is none (discovery interviews).
  int AccountAt(int s, double u) const;
  double ChurnedThisMonth() const { return churned_month_; }
  int ActiveAtMonthStart() const { return active_month_start_; }
  int dims() const { return dims_; }
  // Σ over segments of potential × price × need on dimension d: the MRR at
  // stake per unit of capability on d (true value of work; updated weekly).
  double ValueWeight(int d) const { return value_weight_[d]; }
  // Changes whenever the true value of work on dimension d may have changed
  // (a release on d, or the weekly update): lets callers cache.
  std::uint64_t ValueVersion(int d) const { return weekly_version_ * 1000003u + dim_version_[d]; }
  void StartMonth();

  // Handlers.
  void OnLead(int segment);
  void OnChurn(int segment);

 private:
  // Sales outcomes (DealClosed).
  void WinDeal(int lead, double price_factor, int rep);
  void LoseDeal(int lead, bool cold, int rep);
  // The funnel dropped the lead before it became an opportunity: neither a
  // lost deal nor a cold lead.
  void DisqualifyLead(int lead, int rep);
  // PerceptionPull.
  void PullPerception(double fraction);
  // Draws a prospect of segment s (a fixed number of words); returns its id.
  int DrawLead(int s);
  void UpdateFit(int s);
  void UpdateRates(int s);
  void RescheduleLead(int s);
  void RescheduleChurn(int s);
  void AdvanceHazard(int s, kernel::SimTime now);
  // Ends account `id` now: accruals, active lists, MRR, tallies.
  void RemoveAccount(int id);
  // The exit interview: a problem signal on the account's biggest gap.
  void ExitSignal(const Account& account);
  double InnovationRate() const;  // Bass p multiplier (marketing, launches)
  void EmitSignals(int s, double days);

  World& w_;
  kernel::HandlerId lead_handler_ = 0, churn_handler_ = 0;
  int dims_ = 0;
  std::vector<SegmentState> segments_;
  std::vector<double> capability_;
  std::vector<double> perceived_;
  std::vector<double> value_weight_;
  std::vector<std::uint64_t> dim_version_;
  std::uint64_t weekly_version_ = 0;
  void UpdateValueWeights();
  std::vector<Account> accounts_;
  std::vector<Lead> leads_;
  std::vector<float> lead_needs_;                    // leads × dims, normalised account needs
  std::vector<std::vector<int>> active_by_segment_;  // account ids, swap-remove
  int active_total_ = 0;
  double mrr_total_ = 0.0;
  double revenue_ = 0.0;
  kernel::SimTime revenue_updated_ = 0;
  kernel::SimTime last_launch_ = -1;
  double marketing_spend_ = 0.0;
  int churned_month_ = 0;
  // Tallies for the metrics (Metrics()).
  std::int64_t deals_won_ = 0, deals_lost_ = 0, leads_cold_ = 0, churned_ = 0;
  double customer_value_ = 0.0;  // market-weighted fit gained by releases
  std::int64_t releases_ = 0, releases_coordinated_ = 0, releases_improved_ = 0;
  std::vector<char> released_since_launch_;  // by dimension
  TimeAverage fit_average_;                  // market-weighted fit, from 0
  int active_month_start_ = 0;
  double total_potential_ = 0.0;
};

}  // namespace orgsim::model
