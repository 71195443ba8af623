#include "engine/model/funnel.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/model/messages.h"
#include "engine/model/world.h"

namespace orgsim::model {
namespace {

constexpr std::uint64_t kStream = kernel::StreamIdFromName("market/funnel");
constexpr int kQualifyStage = 0;
constexpr int kOpportunityStage = 1;

}  // namespace

Funnel::Funnel(World& world, const kernel::StreamKey& replication_key)
    : w_(world), key_(replication_key) {}

bool Funnel::on() const { return w_.cfg.mechanisms.funnel && w_.cfg.mechanisms.market; }

void Funnel::Init() {
  happy_.assign(w_.cfg.market.segments.size(), 0);
  hired_day_.assign(w_.roster.agents.size(), -std::numeric_limits<double>::infinity());
  for (const Agent& a : w_.roster.agents) {
    if (!a.initially_active) hired_day_[a.id] = std::numeric_limits<double>::quiet_NaN();
  }
}

void Funnel::OnAgentJoined(int agent) { hired_day_[agent] = w_.NowDays(); }

void Funnel::OnPhase(const PhaseTick& tick) {
  if (tick.phase != Phase::kWeek || !on()) return;
  std::fill(happy_.begin(), happy_.end(), 0);
  const Market& market = w_.market;
  const double ref = w_.cfg.market.reference_fit;
  for (const Account& account : market.accounts()) {
    if (account.active && market.AccountFit(account) >= ref) ++happy_[account.segment];
  }
}

double Funnel::StageUniform(int lead_id, int stage) const {
  const Lead& lead = w_.market.leads()[lead_id];
  const std::array<std::uint64_t, 4> words = kernel::Philox4x64x10(
      {static_cast<std::uint64_t>(stage),
       (static_cast<std::uint64_t>(key_.design_point) << 32) | key_.replication,
       static_cast<std::uint64_t>(lead.segment_index), static_cast<std::uint64_t>(lead.segment)},
      {key_.seed, kStream});
  return static_cast<double>(words[0] >> 11) * 0x1.0p-53;
}

double Funnel::References(int s) const {
  const FunnelConfig& fc = w_.cfg.market.funnel;
  const double happy = happy_.empty() ? 0.0 : happy_[s];
  return 1.0 + fc.reference_lift * happy / (happy + fc.reference_half_saturation);
}

double Funnel::LeadFit(int lead_id) const {
  const Market& market = w_.market;
  const Lead& lead = market.leads()[lead_id];
  const SegmentState& seg = market.segments()[lead.segment];
  const float* factor = market.LeadNeeds(lead_id);
  const std::vector<double>& capability = market.capability();
  double fit = 0.0, norm = 0.0;
  for (int d = 0; d < market.dims(); ++d) {
    const double need = seg.need[d] * factor[d];
    fit += need * capability[d];
    norm += need;
  }
  return norm > 0 ? fit / norm : 0.0;
}

double Funnel::QualifyProbability(int lead_id) const {
  const MarketConfig& mc = w_.cfg.market;
  const Lead& lead = w_.market.leads()[lead_id];
  const double pf = std::max(1e-6, w_.market.segments()[lead.segment].perceived_fit);
  const double p = mc.funnel.qualify_rate *
                   std::pow(pf / mc.reference_fit, mc.funnel.fit_exponent) *
                   References(lead.segment);
  return std::min(1.0, p);
}

double Funnel::OpportunityProbability(int lead_id) const {
  const MarketConfig& mc = w_.cfg.market;
  const Lead& lead = w_.market.leads()[lead_id];
  const double fit = std::max(1e-6, LeadFit(lead_id));
  const double p = mc.funnel.opportunity_rate *
                   std::pow(fit / mc.reference_fit, mc.funnel.fit_exponent) *
                   References(lead.segment);
  return std::min(1.0, p);
}

double Funnel::RepProductivity(int agent) const {
  if (!on() || agent < 0) return 1.0;
  const SalesConfig& sc = w_.cfg.sales;
  double hired = hired_day_[agent];
  // An active agent without a hire day joined at this instant (its
  // OnAgentJoined has not reached the funnel yet).
  if (std::isnan(hired)) hired = w_.NowDays();
  if (sc.ramp_days <= 0) return 1.0;
  const double ramp = std::min(1.0, std::max(0.0, (w_.NowDays() - hired) / sc.ramp_days));
  return sc.ramp_start_productivity + (1.0 - sc.ramp_start_productivity) * ramp;
}

int Funnel::RepDealCapacity(int agent) const {
  const int full = w_.cfg.sales.deals_per_rep;
  if (!on()) return full;
  return std::max(1, static_cast<int>(std::ceil(full * RepProductivity(agent) - 1e-9)));
}

double Funnel::CloseFactor(int lead_id, int rep) const {
  const Lead& lead = w_.market.leads()[lead_id];
  const double predictability = w_.predictability.WinFactor(lead.segment);
  if (!on()) return predictability;
  return References(lead.segment) * RepProductivity(rep) * predictability;
}

double Funnel::CycleDays(int lead_id) const {
  const Lead& lead = w_.market.leads()[lead_id];
  if (!on()) return lead.cycle_days;
  const MarketConfig& mc = w_.cfg.market;
  const SegmentConfig& sc = mc.segments[lead.segment];
  const double size = lead.size * (lead.request ? sc.request_deal_size : 1.0);
  const double fit_ratio = std::clamp(LeadFit(lead_id) / mc.reference_fit, 0.25, 4.0);
  return lead.cycle_days * std::pow(std::max(1e-6, size), mc.funnel.cycle_size_elasticity) *
         std::pow(fit_ratio, -mc.funnel.cycle_fit_elasticity);
}

double& Funnel::Started(int lead_id) {
  if (static_cast<std::size_t>(lead_id) >= started_day_.size()) {
    started_day_.resize(lead_id + 1, std::numeric_limits<double>::quiet_NaN());
    disqualified_.resize(lead_id + 1, 0);
  }
  return started_day_[lead_id];
}

bool Funnel::Qualifies(int lead_id) const {
  return !on() || StageUniform(lead_id, kQualifyStage) < QualifyProbability(lead_id);
}

bool Funnel::BecomesOpportunity(int lead_id) const {
  return !on() || StageUniform(lead_id, kOpportunityStage) < OpportunityProbability(lead_id);
}

double Funnel::DaysToDecision(int lead_id) const {
  const double cycle = CycleDays(lead_id);
  return BecomesOpportunity(lead_id) ? cycle : cycle * w_.cfg.market.funnel.discovery_share;
}

bool Funnel::Disqualified(int lead_id) const {
  return static_cast<std::size_t>(lead_id) < disqualified_.size() && disqualified_[lead_id];
}

void Funnel::Receive(const Message& message) {
  if (const LeadQualified* q = message.As<LeadQualified>()) {
    ++leads_;
    if (q->qualified) ++qualified_;
  } else if (const OpportunityDecided* o = message.As<OpportunityDecided>()) {
    if (o->worked) {
      Started(o->lead) = w_.NowDays();
      if (!o->opportunity) disqualified_[o->lead] = 1;
    }
    if (o->opportunity) ++opportunities_;
  } else if (const DealDecided* d = message.As<DealDecided>()) {
    ++closed_;
    const double started = Started(d->lead);
    const double days = std::isnan(started) ? 0.0 : w_.NowDays() - started;
    if (d->won) {
      ++won_;
      won_cycle_days_ += days;
    }
  }
}

std::vector<MetricDef> Funnel::Metrics() {
  return {
      DefineMetric<Funnel>(
          {"sales_cycle_days_mean", "days",
           "Mean days from a rep starting a deal to its win, over won worked deals (waits for "
           "a committed date included)",
           Better::kLower, "Sales cycle (won deals)"},
          [](const Funnel& f, const World&) {
            return SafeDiv(f.won_cycle_days_, static_cast<double>(f.won_));
          }),
      DefineMetric<Funnel>(
          {"lead_qualification_rate", "fraction", "Leads qualified / leads that reached the funnel",
           Better::kNeither, "Leads qualified"},
          [](const Funnel& f, const World&) {
            return SafeDiv(static_cast<double>(f.qualified_), static_cast<double>(f.leads_));
          }),
      DefineMetric<Funnel>(
          {"opportunities", "deals", "Qualified leads that became opportunities", Better::kNeither,
           "Opportunities"},
          [](const Funnel& f, const World&) { return static_cast<double>(f.opportunities_); }),
  };
}

}  // namespace orgsim::model
