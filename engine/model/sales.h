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
#include <string_view>
#include <vector>

#include "engine/model/market.h"
#include "engine/model/mechanism.h"

namespace orgsim::model {

struct World;

// Market -> Sales: a new lead (Market::leads() id) wants to be worked.
struct LeadArrived {
  static constexpr std::string_view kEventKind = "sales/lead";
  int lead = -1;
};
// Product -> Sales: whether sales follows the current plan (C3).
struct SalesAligned {
  static constexpr std::string_view kEventKind = "sales/aligned";
  bool aligned = true;
};
// Product -> Sales: a problem signal of `segment` was handled locally by
// sales (C5, unrouted): the segment's next deal gets a discount.
struct SignalHandledLocally {
  static constexpr std::string_view kEventKind = "sales/local_fix";
  int segment = 0;
};

// What Sales keeps of a lead it works (by lead id): its state in the
// pipeline and its request's fate. The prospect itself is the market's
// (Lead).
struct Deal {
  enum class Stage : std::uint8_t { kQueued, kOpen, kWaiting, kClosed };
  Stage stage = Stage::kQueued;
  int rep = -1;            // sales agent working it
  int item = -1;           // request work item (Backlog id)
  bool committed = false;  // date committed (date-driven roadmap)
  bool declined = false;
  bool discounted = false;
};

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

  // LeadArrived, SalesAligned, SignalHandledLocally.
  void Receive(const Message& message) override;
  // A new lead from the market.
  void OnLead(int lead);
  // Deal-close handler (payload: lead id).
  void OnClose(int lead);
  // A salesperson joined: CapacityChanged().
  void OnAgentJoined(int agent) override;
  // Sales headcount changed (hiring): start queued leads.
  void CapacityChanged();
  // Whether sales follows the current plan (C3; SalesAligned from Product).
  bool aligned() const { return aligned_; }
  // The deal of lead `lead` (a default Deal for a lead never handed over).
  const Deal& deal(int lead) const {
    static const Deal kNone;
    return static_cast<std::size_t>(lead) < deals_.size() ? deals_[lead] : kNone;
  }
  int open_deals() const { return open_; }
  int queued_leads() const { return static_cast<int>(queue_.size()); }

 private:
  void StartDeal(int lead);
  // The funnel's qualification stage (funnel.h): reads its decision and
  // tells the funnel (LeadQualified). false = disqualified.
  bool Qualify(int lead);
  // The deal is over: tells the market (DealClosed).
  void Close(int lead, DealClosed::Outcome outcome, double price_factor);
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
  std::vector<Deal> deals_;           // by lead id
  std::vector<int> unrouted_;         // local fixes waiting for a deal, by segment
  std::vector<int> deals_per_agent_;  // indexed by agent id
  int open_ = 0;
  bool aligned_ = true;
  // Tallies for the metrics (Metrics()).
  std::int64_t date_deals_won_ = 0, date_deals_lost_ = 0, deadline_misses_ = 0;
  std::int64_t requests_committed_ = 0, requests_declined_ = 0;
};

}  // namespace orgsim::model
