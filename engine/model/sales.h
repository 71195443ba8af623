// Sales: reps work leads into deals; deals bring single-customer requests.
//
// Each active sales agent works up to sales.deals_per_rep deals at once;
// further leads wait in a FIFO queue and go cold after lead_patience_days.
// A worked deal closes after its sales cycle. Requesting deals put a work
// item in the backlog; under a date-driven roadmap the org commits to the
// deadline if its (noisy) estimate says it can, or declines. Win
// probability = base × (perceived fit/ref)^w, × competitor, × misalignment,
// × request factors (see SalesConfig). With mechanisms.sales off every lead
// converts at once (self-serve; pure Bass diffusion). With mechanisms.funnel
// on, the funnel (funnel.h) adds the stages before a deal, the reps'
// ramp-up and the cycle's dependence on size and fit; predictability.h
// multiplies the win probability in predictability segments.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "engine/model/mechanism.h"

namespace orgsim::model {

struct World;

class Sales : public Mechanism {
 public:
  explicit Sales(World& world);
  // Registers "sales/close".
  void RegisterHandlers(kernel::Simulation& sim) override;
  void Init() override;
  // kWeek with the funnel on: ramping reps take more deals.
  void OnPhase(const PhaseTick& tick) override;
  // dated requests and deals, missed dates (deals and cold leads are the
  // market's).
  static std::vector<MetricDef> Metrics();

  // A new lead from the market.
  void OnLead(int lead);
  // Deal-close handler (payload: lead id).
  void OnClose(int lead);
  // A salesperson joined: CapacityChanged().
  void OnAgentJoined(int agent) override;
  // Sales headcount changed (hiring): start queued leads.
  void CapacityChanged();
  // Whether sales follows the current plan (C3); set by Product.
  void SetAligned(bool aligned) { aligned_ = aligned; }
  bool aligned() const { return aligned_; }
  int open_deals() const { return open_; }
  int queued_leads() const { return static_cast<int>(queue_.size()); }
  // Leads that went cold since the last call (capital allocation signal).
  int TakeColdCount() {
    const int c = cold_recent_;
    cold_recent_ = 0;
    return c;
  }

 private:
  void StartDeal(int lead);
  void FillCapacity();
  int Capacity() const;
  int PickRep() const;
  double WinProbability(int lead) const;
  // Trace only: why a requesting deal was lost, if its request explains it
  // (date_missed, request_lost_deal).
  void TraceRequestLoss(int lead, bool dated, bool in_time) const;

  World& w_;
  kernel::HandlerId close_handler_ = 0;
  std::deque<int> queue_;
  std::vector<int> deals_per_agent_;  // indexed by agent id
  int open_ = 0;
  int cold_recent_ = 0;
  bool aligned_ = true;
  // Tallies for the metrics (Metrics()).
  std::int64_t date_deals_won_ = 0, date_deals_lost_ = 0, deadline_misses_ = 0;
  std::int64_t requests_committed_ = 0, requests_declined_ = 0;
};

}  // namespace orgsim::model
