#include "engine/model/sales.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "engine/kernel/check.h"
#include "engine/kernel/distributions.h"
#include "engine/model/messages.h"
#include "engine/model/random_util.h"
#include "engine/model/world.h"

namespace orgsim::model {

Sales::Sales(World& world) : w_(world) {}

void Sales::Init() {
  deals_per_agent_.assign(w_.roster.agents.size(), 0);
  unrouted_.assign(w_.cfg.market.segments.size(), 0);
}

void Sales::Receive(const Message& message) {
  if (const LeadArrived* lead = message.As<LeadArrived>()) {
    OnLead(lead->lead);
  } else if (const SalesAligned* aligned = message.As<SalesAligned>()) {
    aligned_ = aligned->aligned;
  } else if (const SignalHandledLocally* fix = message.As<SignalHandledLocally>()) {
    ++unrouted_[fix->segment];
  }
}

bool Sales::Qualify(int lead) {
  const bool qualified = w_.funnel.Qualifies(lead);
  w_.messages.Deliver(*this, w_.funnel, LeadQualified{lead, qualified});
  return qualified;
}

void Sales::Close(int lead, DealClosed::Outcome outcome, double price_factor) {
  deals_[lead].stage = Deal::Stage::kClosed;
  w_.messages.Deliver(*this, w_.market, DealClosed{lead, outcome, price_factor, deals_[lead].rep});
}

int Sales::Capacity() const {
  if (!w_.funnel.on()) return w_.ActiveWithRole(Role::kSales) * w_.cfg.sales.deals_per_rep;
  int capacity = 0;  // ramping reps work fewer deals (funnel.h)
  for (int a : w_.RoleAgents(Role::kSales)) {
    if (w_.agent_active[a]) capacity += w_.funnel.RepDealCapacity(a);
  }
  return capacity;
}

int Sales::PickRep() const {
  int best = -1;
  for (int a : w_.RoleAgents(Role::kSales)) {
    if (!w_.agent_active[a] || deals_per_agent_[a] >= w_.funnel.RepDealCapacity(a)) continue;
    if (best < 0 || deals_per_agent_[a] < deals_per_agent_[best]) best = a;
  }
  return best;
}

void Sales::OnLead(int lead) {
  if (deals_.size() <= static_cast<std::size_t>(lead)) deals_.resize(lead + 1);
  if (!w_.cfg.mechanisms.sales) {
    // Self-serve adoption: every lead converts at once (pure Bass), unless
    // the funnel's stages drop it.
    bool converts = Qualify(lead);
    if (converts) {
      converts = w_.funnel.BecomesOpportunity(lead);
      w_.messages.Deliver(*this, w_.funnel, OpportunityDecided{lead, converts, false});
    }
    Close(lead, converts ? DealClosed::Outcome::kWon : DealClosed::Outcome::kDisqualified, 1.0);
    return;
  }
  if (!Qualify(lead)) {
    Close(lead, DealClosed::Outcome::kDisqualified, 1.0);
    return;
  }
  queue_.push_back(lead);
  FillCapacity();
}

void Sales::CapacityChanged() { FillCapacity(); }

void Sales::OnPhase(const PhaseTick& tick) {
  // Ramping reps take more deals week by week.
  if (tick.phase == Phase::kWeek && w_.funnel.on()) FillCapacity();
}

void Sales::OnAgentJoined(int agent) {
  if (w_.roster.agents[agent].role == Role::kSales) CapacityChanged();
}

void Sales::FillCapacity() {
  const double patience = w_.cfg.sales.lead_patience_days;
  while (!queue_.empty() && open_ < Capacity()) {
    const int lead = queue_.front();
    queue_.pop_front();
    if (w_.NowDays() - kernel::ToDays(w_.market.leads()[lead].arrived) > patience) {
      Close(lead, DealClosed::Outcome::kCold, 1.0);
      continue;
    }
    StartDeal(lead);
  }
  // Leads that waited too long go cold even while capacity is full.
  while (!queue_.empty() &&
         w_.NowDays() - kernel::ToDays(w_.market.leads()[queue_.front()].arrived) > patience) {
    const int lead = queue_.front();
    queue_.pop_front();
    Close(lead, DealClosed::Outcome::kCold, 1.0);
  }
}

void Sales::StartDeal(int lead_id) {
  const int rep = PickRep();
  ORGSIM_CHECK(rep >= 0, "no sales rep with capacity although " << open_ << " < " << Capacity());
  const Lead& lead = w_.market.leads()[lead_id];
  Deal& deal = deals_[lead_id];
  deal.rep = rep;
  deal.stage = Deal::Stage::kOpen;
  ++deals_per_agent_[rep];
  ++open_;
  const bool opportunity = w_.funnel.BecomesOpportunity(lead_id);
  const double cycle_days = w_.funnel.DaysToDecision(lead_id);
  w_.messages.Deliver(*this, w_.funnel, OpportunityDecided{lead_id, opportunity, true});
  if (!opportunity) {
    // Discovery shows it is no opportunity: decided at the end of discovery.
    w_.sim.Schedule(kernel::Days(cycle_days), close_handler_,
                    static_cast<kernel::EventPayload>(lead_id));
    return;
  }
  if (lead.request) {
    const WorkConfig& wc = w_.cfg.work;
    WorkItem item;
    item.source = ItemSource::kSalesRequest;
    item.origin = rep;
    item.dim = lead.request_dim;
    item.lead = lead_id;
    item.efficacy = 1.0;  // a real customer's real need
    item.est_efficacy = 1.0;
    item.generality = wc.request_generality;
    item.effort = w_.product.DrawEffort(w_.rng.ideas);
    item.est_effort = item.effort * std::exp(wc.effort_estimate_sd * StandardNormal(w_.rng.ideas));
    item.created = w_.sim.Now();
    if (lead.date_sensitive) item.deadline_day = lead.deadline_day;
    bool add = true;
    if (lead.date_sensitive &&
        w_.cfg.organization.operating.roadmap_style == RoadmapStyle::kDateDriven) {
      // Commit only if the (noisy) estimate says the date can be met.
      const double sd =
          wc.effort_estimate_sd * (1.0 - 0.5 * w_.cfg.organization.operating.framework_adherence);
      const double estimate = item.effort * std::exp(sd * StandardNormal(w_.rng.commitments));
      const double done_day = w_.NowDays() + w_.delivery.CommitmentEstimateDays(estimate);
      if (done_day <= lead.deadline_day) {
        item.committed = true;
        deal.committed = true;
        ++requests_committed_;
      } else {
        deal.declined = true;
        add = false;
        ++requests_declined_;
      }
    }
    if (add) {
      // Requests are never dropped for a full backlog: the item gets the
      // next id.
      deal.item = static_cast<int>(w_.backlog.items().size());
      w_.messages.Deliver(*this, w_.backlog, FileWorkItem{item});
      ORGSIM_CHECK(w_.backlog.items().size() > static_cast<std::size_t>(deal.item) &&
                       w_.backlog.item(deal.item).lead == lead_id,
                   "the backlog did not file the request of lead " << lead_id);
    }
  }
  w_.sim.Schedule(kernel::Days(cycle_days), close_handler_,
                  static_cast<kernel::EventPayload>(lead_id));
}

double Sales::WinProbability(int lead_id) const {
  const Lead& lead = w_.market.leads()[lead_id];
  const Deal& deal = deals_[lead_id];
  const MarketConfig& mc = w_.cfg.market;
  const SalesConfig& sc = w_.cfg.sales;
  const SegmentState& seg = w_.market.segments()[lead.segment];
  double p = mc.segments[lead.segment].base_win_rate;
  if (mc.win_fit_exponent > 0) {
    p *= std::pow(std::max(1e-6, seg.perceived_fit) / mc.reference_fit, mc.win_fit_exponent);
  }
  if (mc.competitor.enabled) {
    p *= std::exp(-mc.competitor.strength *
                  std::max(0.0, w_.market.CompetitorFit() - seg.perceived_fit));
  }
  if (!aligned_) p *= sc.misaligned_win_factor;
  const bool shipped = deal.item >= 0 && w_.backlog.item(deal.item).state == WorkItem::State::kDone;
  if (lead.request) {
    if (deal.declined) {
      p *= sc.declined_request_win_factor;
    } else if (lead.date_sensitive) {
      const bool in_time =
          shipped && kernel::ToDays(w_.backlog.item(deal.item).finished) <= lead.deadline_day;
      p = in_time ? p * sc.date_deal_win_factor : 0.0;
    } else if (shipped) {
      p *= sc.request_shipped_win_factor;
    }
  }
  if (deal.discounted) p *= 1.0 + sc.local_fix_discount;
  p *= w_.funnel.CloseFactor(lead_id, deal.rep);  // references, ramp, predictability
  return std::min(0.95, p);
}

void Sales::TraceRequestLoss(int lead_id, bool dated, bool in_time) const {
  const Lead& lead = w_.market.leads()[lead_id];
  const Deal& deal = deals_[lead_id];
  const SegmentConfig& sc = w_.cfg.market.segments[lead.segment];
  const double mrr = sc.price_per_month * lead.size * sc.request_deal_size;
  const std::string what = "deal of lead " + std::to_string(lead_id) + " (" + sc.name + ", MRR " +
                           std::to_string(static_cast<long>(mrr)) + ")";
  if (dated && deal.committed && !in_time) {
    const WorkItem* item = deal.item >= 0 ? &w_.backlog.item(deal.item) : nullptr;
    const bool shipped = item != nullptr && item->state == WorkItem::State::kDone;
    const double late = shipped ? kernel::ToDays(item->finished) - lead.deadline_day
                                : std::numeric_limits<double>::quiet_NaN();
    w_.trace.Emit(
        w_.sim.Now(), deal.rep, "date_missed", late, mrr,
        "the committed date slipped" +
            (shipped ? " by " + std::to_string(static_cast<int>(std::ceil(late))) + " days"
                     : std::string(" (not shipped)")) +
            ": " + what + " lost");
  } else if (dated && !deal.committed && !deal.declined && !in_time) {
    w_.trace.Emit(w_.sim.Now(), deal.rep, "request_lost_deal", 1, mrr,
                  what + " lost: the buyer needed a date and got no commitment");
  } else if (deal.declined) {
    w_.trace.Emit(w_.sim.Now(), deal.rep, "request_lost_deal", 2, mrr,
                  what + " lost after its dated request was declined as infeasible");
  }
}

void Sales::OnClose(int lead_id) {
  const Lead& lead = w_.market.leads()[lead_id];
  Deal& deal = deals_[lead_id];
  if (deal.stage != Deal::Stage::kOpen && deal.stage != Deal::Stage::kWaiting) return;
  if (deal.stage == Deal::Stage::kOpen) {
    --deals_per_agent_[deal.rep];
    --open_;
  }
  if (w_.funnel.Disqualified(lead_id)) {
    Close(lead_id, DealClosed::Outcome::kDisqualified, 1.0);
    FillCapacity();
    return;
  }
  if (lead.request && lead.date_sensitive && !deal.declined && deal.item >= 0) {
    const WorkItem& item = w_.backlog.item(deal.item);
    const bool shipped = item.state == WorkItem::State::kDone;
    const kernel::SimTime deadline = kernel::Days(lead.deadline_day);
    if (!shipped && deal.committed && w_.sim.Now() < deadline) {
      // A committed date: the prospect signs up to it and waits; the rep is
      // free meanwhile. Without a commitment the buyer decides now, on
      // what has shipped (a buyer who needs a date does not sign for a
      // maybe).
      deal.stage = Deal::Stage::kWaiting;
      w_.sim.ScheduleAt(deadline, close_handler_, static_cast<kernel::EventPayload>(lead_id));
      FillCapacity();
      return;
    }
  }
  deal.discounted = unrouted_[lead.segment] > 0;
  if (deal.discounted) --unrouted_[lead.segment];
  const bool won = lead.win_u < WinProbability(lead_id);
  const bool dated = lead.request && lead.date_sensitive;
  if (dated && deal.committed && deal.item >= 0) {
    const WorkItem& item = w_.backlog.item(deal.item);
    w_.messages.Deliver(*this, w_.predictability,
                        DateDue{item.state == WorkItem::State::kDone &&
                                kernel::ToDays(item.finished) <= lead.deadline_day});
  }
  w_.messages.Deliver(*this, w_.funnel, DealDecided{lead_id, won});
  if (won) {
    if (dated) ++date_deals_won_;
    if (dated && deal.committed && deal.item >= 0 && w_.influence.active()) {
      const WorkItem& item = w_.backlog.item(deal.item);
      if (item.state == WorkItem::State::kDone &&
          kernel::ToDays(item.finished) <= lead.deadline_day)
        w_.messages.Send(*this, w_.influence, DateOutcome{true}, 0);  // a kept date earns trust
    }
    Close(lead_id, DealClosed::Outcome::kWon,
          deal.discounted ? 1.0 - w_.cfg.sales.local_fix_discount : 1.0);
  } else {
    const bool in_time = deal.item >= 0 &&
                         w_.backlog.item(deal.item).state == WorkItem::State::kDone &&
                         kernel::ToDays(w_.backlog.item(deal.item).finished) <= lead.deadline_day;
    if (dated) {
      ++date_deals_lost_;
      if (deal.committed && deal.item >= 0 && !in_time) {
        ++deadline_misses_;
        w_.messages.Deliver(*this, w_.product, DeadlineMissed{});
      }
    }
    if (w_.trace.on() && lead.request) TraceRequestLoss(lead_id, dated, in_time);
    if (deal.item >= 0 && w_.backlog.item(deal.item).state == WorkItem::State::kQueued) {
      // Nobody needs it any more.
      w_.messages.Deliver(*this, w_.backlog, DropWorkItem{deal.item});
    }
    Close(lead_id, DealClosed::Outcome::kLost, 1.0);
  }
  FillCapacity();
}

void Sales::RegisterHandlers(kernel::Simulation& sim) {
  close_handler_ = sim.RegisterHandler(
      "sales/close", [this](kernel::EventPayload lead) { OnClose(static_cast<int>(lead)); });
}

std::vector<MetricDef> Sales::Metrics() {
  return {
      DefineMetric<Sales>(
          {"date_deals_won", "deals", "Date-sensitive deals won", Better::kHigher,
           "Date-sensitive deals won"},
          [](const Sales& s, const World&) { return static_cast<double>(s.date_deals_won_); }),
      DefineMetric<Sales>(
          {"date_deals_lost", "deals", "Date-sensitive deals lost", Better::kLower,
           "Date-sensitive deals lost"},
          [](const Sales& s, const World&) { return static_cast<double>(s.date_deals_lost_); }),
      DefineMetric<Sales>(
          {"deadline_misses", "deals", "Committed dates missed", Better::kLower,
           "Committed dates missed"},
          [](const Sales& s, const World&) { return static_cast<double>(s.deadline_misses_); }),
      DefineMetric<Sales>(
          {"requests_committed", "requests", "Dated requests the org committed to",
           Better::kNeither, "Dated requests accepted"},
          [](const Sales& s, const World&) { return static_cast<double>(s.requests_committed_); }),
      DefineMetric<Sales>(
          {"requests_declined", "requests", "Dated requests declined as infeasible",
           Better::kNeither, "Dated requests declined"},
          [](const Sales& s, const World&) { return static_cast<double>(s.requests_declined_); }),
  };
}

}  // namespace orgsim::model
