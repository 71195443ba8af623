#include "engine/model/sales.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "engine/kernel/check.h"
#include "engine/kernel/distributions.h"
#include "engine/model/random_util.h"
#include "engine/model/world.h"

namespace orgsim::model {

Sales::Sales(World& world) : w_(world) {}

void Sales::Init() { deals_per_agent_.assign(w_.roster.agents.size(), 0); }

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
  if (!w_.cfg.mechanisms.sales) {
    // Self-serve adoption: every lead converts at once (pure Bass), unless
    // the funnel's stages drop it.
    if (w_.funnel.SelfServe(lead)) {
      w_.market.WinDeal(lead, 1.0);
    } else {
      w_.market.DisqualifyLead(lead);
    }
    return;
  }
  if (!w_.funnel.Qualify(lead)) {
    w_.market.DisqualifyLead(lead);
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
    if (w_.NowDays() - kernel::ToDays(w_.market.lead(lead).arrived) > patience) {
      ++cold_recent_;
      w_.market.LoseDeal(lead, /*cold=*/true);
      continue;
    }
    StartDeal(lead);
  }
  // Leads that waited too long go cold even while capacity is full.
  while (!queue_.empty() &&
         w_.NowDays() - kernel::ToDays(w_.market.lead(queue_.front()).arrived) > patience) {
    const int lead = queue_.front();
    queue_.pop_front();
    ++cold_recent_;
    w_.market.LoseDeal(lead, /*cold=*/true);
  }
}

void Sales::StartDeal(int lead_id) {
  const int rep = PickRep();
  ORGSIM_CHECK(rep >= 0, "no sales rep with capacity although " << open_ << " < " << Capacity());
  Lead& lead = w_.market.lead(lead_id);
  lead.rep = rep;
  lead.state = Lead::State::kOpen;
  ++deals_per_agent_[rep];
  ++open_;
  const double cycle_days = w_.funnel.OpenDeal(lead_id);
  if (w_.funnel.Disqualified(lead_id)) {
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
        lead.committed = true;
        ++requests_committed_;
      } else {
        lead.declined = true;
        add = false;
        ++requests_declined_;
      }
    }
    if (add) lead.item = w_.backlog.Add(item);
  }
  w_.sim.Schedule(kernel::Days(cycle_days), close_handler_,
                  static_cast<kernel::EventPayload>(lead_id));
}

double Sales::WinProbability(int lead_id) const {
  const Lead& lead = w_.market.leads()[lead_id];
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
  const bool shipped = lead.item >= 0 && w_.backlog.item(lead.item).state == WorkItem::State::kDone;
  if (lead.request) {
    if (lead.declined) {
      p *= sc.declined_request_win_factor;
    } else if (lead.date_sensitive) {
      const bool in_time =
          shipped && kernel::ToDays(w_.backlog.item(lead.item).finished) <= lead.deadline_day;
      p = in_time ? p * sc.date_deal_win_factor : 0.0;
    } else if (shipped) {
      p *= sc.request_shipped_win_factor;
    }
  }
  if (lead.discounted) p *= 1.0 + sc.local_fix_discount;
  p *= w_.funnel.CloseFactor(lead_id, lead.rep);  // references, ramp, predictability
  return std::min(0.95, p);
}

void Sales::TraceRequestLoss(int lead_id, bool dated, bool in_time) const {
  const Lead& lead = w_.market.leads()[lead_id];
  const SegmentConfig& sc = w_.cfg.market.segments[lead.segment];
  const double mrr = sc.price_per_month * lead.size * sc.request_deal_size;
  const std::string deal = "deal of lead " + std::to_string(lead_id) + " (" + sc.name + ", MRR " +
                           std::to_string(static_cast<long>(mrr)) + ")";
  if (dated && lead.committed && !in_time) {
    const WorkItem* item = lead.item >= 0 ? &w_.backlog.item(lead.item) : nullptr;
    const bool shipped = item != nullptr && item->state == WorkItem::State::kDone;
    const double late = shipped ? kernel::ToDays(item->finished) - lead.deadline_day
                                : std::numeric_limits<double>::quiet_NaN();
    w_.trace.Emit(
        w_.sim.Now(), lead.rep, "date_missed", late, mrr,
        "the committed date slipped" +
            (shipped ? " by " + std::to_string(static_cast<int>(std::ceil(late))) + " days"
                     : std::string(" (not shipped)")) +
            ": " + deal + " lost");
  } else if (dated && !lead.committed && !lead.declined && !in_time) {
    w_.trace.Emit(w_.sim.Now(), lead.rep, "request_lost_deal", 1, mrr,
                  deal + " lost: the buyer needed a date and got no commitment");
  } else if (lead.declined) {
    w_.trace.Emit(w_.sim.Now(), lead.rep, "request_lost_deal", 2, mrr,
                  deal + " lost after its dated request was declined as infeasible");
  }
}

void Sales::OnClose(int lead_id) {
  Lead& lead = w_.market.lead(lead_id);
  if (lead.state != Lead::State::kOpen && lead.state != Lead::State::kWaiting) return;
  if (lead.state == Lead::State::kOpen) {
    --deals_per_agent_[lead.rep];
    --open_;
  }
  if (w_.funnel.Disqualified(lead_id)) {
    w_.market.DisqualifyLead(lead_id);
    FillCapacity();
    return;
  }
  if (lead.request && lead.date_sensitive && !lead.declined && lead.item >= 0) {
    const WorkItem& item = w_.backlog.item(lead.item);
    const bool shipped = item.state == WorkItem::State::kDone;
    const kernel::SimTime deadline = kernel::Days(lead.deadline_day);
    if (!shipped && lead.committed && w_.sim.Now() < deadline) {
      // A committed date: the prospect signs up to it and waits; the rep is
      // free meanwhile. Without a commitment the buyer decides now, on
      // what has shipped (a buyer who needs a date does not sign for a
      // maybe).
      lead.state = Lead::State::kWaiting;
      w_.sim.ScheduleAt(deadline, close_handler_, static_cast<kernel::EventPayload>(lead_id));
      FillCapacity();
      return;
    }
  }
  lead.discounted = w_.market.TakeUnroutedSignal(lead.segment);
  const bool won = lead.win_u < WinProbability(lead_id);
  const bool dated = lead.request && lead.date_sensitive;
  if (dated && lead.committed && lead.item >= 0) {
    const WorkItem& item = w_.backlog.item(lead.item);
    w_.predictability.DateDue(item.state == WorkItem::State::kDone &&
                              kernel::ToDays(item.finished) <= lead.deadline_day);
  }
  w_.funnel.DealClosed(lead_id, won);
  if (won) {
    if (dated) ++date_deals_won_;
    if (dated && lead.committed && lead.item >= 0 && w_.influence.active()) {
      const WorkItem& item = w_.backlog.item(lead.item);
      if (item.state == WorkItem::State::kDone &&
          kernel::ToDays(item.finished) <= lead.deadline_day)
        w_.messages.Send(*this, w_.influence, DateOutcome{true}, 0);  // a kept date earns trust
    }
    w_.market.WinDeal(lead_id, lead.discounted ? 1.0 - w_.cfg.sales.local_fix_discount : 1.0);
  } else {
    const bool in_time = lead.item >= 0 &&
                         w_.backlog.item(lead.item).state == WorkItem::State::kDone &&
                         kernel::ToDays(w_.backlog.item(lead.item).finished) <= lead.deadline_day;
    if (dated) {
      ++date_deals_lost_;
      if (lead.committed && lead.item >= 0 && !in_time) {
        ++deadline_misses_;
        w_.product.DeadlineMissed();
      }
    }
    if (w_.trace.on() && lead.request) TraceRequestLoss(lead_id, dated, in_time);
    if (lead.item >= 0 && w_.backlog.item(lead.item).state == WorkItem::State::kQueued) {
      w_.backlog.Drop(lead.item);  // nobody needs it any more
    }
    w_.market.LoseDeal(lead_id, /*cold=*/false);
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
