// Retention: each account's own churn hazard, its expansion and contraction,
// and the retention metrics (GRR, NRR, logo churn) of the trailing year.
//
// With mechanisms.retention on, an account's hazard (per day) is piecewise
// constant over a month and recomputed at every month end and when the
// account is won:
//
//   h = h_ref · (price / reference_price)^-size_elasticity      contract size
//         · (1 + early_tenure_boost · e^(-tenure / tenure_months))  tenure
//         · e^(churn_fit_elasticity · (reference_fit - account fit))  fit
//         · unresolved_request_factor   while its deal's request is unshipped
//         · e^(competitor strength · gap) / (1 + cs_churn_reduction · coverage)
//         · predictability factor (predictability.h; 1 unless its segment
//           values predictability and mechanisms.predictability_buyers is on)
//
// (market.retention in scenario.proto cites the constants.) The account
// churns when its integrated hazard passes the Exp(1) threshold drawn with
// its lead (Lead::churn_mass, a market-stream draw), so account k of a
// segment meets the same threshold in every design. A churn inside a month
// is one kernel event ("retention/churn") scheduled at the month end or the
// win for the exact crossing time under the month's constant hazard.
//
// At each month end an account may expand (price × (1 + step)) with
// probability expansion_probability · (fit / reference_fit)^k, else contract
// (price × (1 - step)) with probability contraction_probability ·
// (reference_fit / fit)^k. The uniforms come from a counter-based draw keyed
// by (segment, the lead's index in its segment, month) on the market stream
// "market/retention": the same account in the same month sees the same
// numbers in every design (common random numbers), whatever else happened.
//
// Off, the module changes nothing (the market keeps its segment hazard and
// deterministic expansion) and only measures: the retention metrics read
// account prices, so they are defined in every run.
//
// Metrics (docs/results.md): over the window from month max(0, M - 12) to
// the horizon (M = whole months in the run), on the cohort of accounts
// active at the window's start (accounts won later are excluded):
//   gross_revenue_retention = Σ min(MRR_end, MRR_start) / Σ MRR_start
//   net_revenue_retention   = Σ MRR_end / Σ MRR_start   (churned: MRR_end 0)
//   logo_churn_annual       = cohort accounts churned / cohort accounts
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/kernel/rng.h"
#include "engine/kernel/simulation.h"
#include "engine/model/mechanism.h"

namespace orgsim::model {

struct World;
struct Account;

// Market -> Retention: the market won account `account` (while active()):
// its hazard starts now.
struct AccountWon {
  static constexpr std::string_view kEventKind = "retention/account_won";
  int account = -1;
};

class Retention : public Mechanism {
 public:
  Retention(World& world, const kernel::StreamKey& replication_key);

  // Registers "retention/churn".
  void RegisterHandlers(kernel::Simulation& sim) override;
  // Takes the cohort snapshot at t = 0 when the run is 12 months or shorter.
  void Init() override;
  // kMonthEnd: consume hazards, expand/contract, recompute, snapshot.
  void OnPhase(const PhaseTick& tick) override;
  static std::vector<MetricDef> Metrics();

  // Whether this module runs churn and expansion: mechanisms.retention and
  // mechanisms.market both on. Off, it only measures.
  bool active() const;

  // AccountWon: OnAccountWon.
  void Receive(const Message& message) override;

  // The hazard factors of one account now (the trace explains churn with
  // them; tests read them). All multiply; `total` is their product times
  // the reference hazard, per day.
  struct Hazard {
    double size = 1.0, tenure = 1.0, fit = 1.0, request = 1.0, competitor = 1.0, cs = 1.0;
    double predictability = 1.0;
    double defects = 1.0;  // escaped defects (Workforce::DefectChurnFactor)
    double total = 0.0;
  };
  Hazard HazardOf(int account) const;

  std::int64_t expansions() const { return expansions_; }
  std::int64_t contractions() const { return contractions_; }
  double GrossRetention() const;
  double NetRetention() const;
  double LogoChurn() const;

 private:
  // The market won account `id`: its hazard starts now.
  void OnAccountWon(int id);
  struct State {
    double mass_left = 0.0;  // Exp(1) threshold not yet consumed
    double rate = 0.0;       // hazard per day since `since`
    kernel::SimTime since = 0;
    kernel::EventId churn_event;
    double cohort_mrr = -1.0;  // MRR at the window's start; -1: not in the cohort
  };
  // Consumes the hazard up to now and (re)schedules the churn if the
  // threshold is crossed before `until`; churns at once if already crossed.
  void Refresh(int id, kernel::SimTime until);
  void Refresh(int id, kernel::SimTime until, double fit);
  // HazardOf with the account's fit already computed (month ends compute
  // it once for expansion and hazard).
  Hazard HazardAt(int account, double fit) const;
  void OnChurn(int id);
  void ExpandOrContract(int id, int month, double fit);
  void Snapshot();
  std::string ChurnReason(const Hazard& h) const;

  World& w_;
  kernel::StreamKey key_;
  kernel::HandlerId churn_handler_ = 0;
  std::vector<State> state_;  // by account id
  int window_start_month_ = 0;
  std::int64_t expansions_ = 0, contractions_ = 0;
};

}  // namespace orgsim::model
