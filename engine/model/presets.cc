#include "engine/model/presets.h"

#include <vector>

namespace orgsim::model {

// Mirrors scenarios/product_led_vs_project_mode.textproto arm by arm
// (Loader.HeadlinePresetsAreTheHeadlineScenario runs both and compares).
ModelConfig HeadlineCompany() {
  ModelConfig c;
  c.horizon_days = 1095.0;
  auto team = [](const char* name, Role role, int initial, int final_count, double salary,
                 const char* reports_to) {
    TeamConfig t;
    t.name = name;
    t.role = role;
    t.initial_headcount = initial;
    t.final_headcount = final_count;
    t.salary_per_year = salary;
    t.reports_to = reports_to;
    return t;
  };
  const double kDefaultSalary = TeamConfig{}.salary_per_year;
  c.organization.teams = {
      team("founders", Role::kExecutive, 2, -1, kDefaultSalary, ""),
      team("eng_core", Role::kEngineering, 10, 14, kDefaultSalary, "founders"),
      team("eng_growth", Role::kEngineering, 8, 12, kDefaultSalary, "founders"),
      team("product", Role::kProduct, 3, 4, 160000, "founders"),
      team("design", Role::kDesign, 2, -1, 130000, "product"),
      team("sales", Role::kSales, 6, 10, 120000, "founders"),
      team("marketing", Role::kMarketing, 3, 5, 110000, "founders"),
      team("success", Role::kCustomerSuccess, 3, 6, 90000, "sales"),
  };
  c.market.problem_dimensions = 6;
  c.market.need_drift_per_sqrt_year = 0.5;
  SegmentConfig smb;
  smb.name = "smb";
  smb.potential_customers = 4000;
  smb.price_per_month = 800;
  smb.bass_p = 0.03;
  smb.bass_q = 0.38;
  smb.sales_cycle_mean_days = 30;
  smb.request_share = 0.2;
  smb.initial_customers = 60;
  SegmentConfig mid;
  mid.name = "mid_market";
  mid.potential_customers = 1200;
  mid.price_per_month = 3000;
  mid.bass_p = 0.02;
  mid.bass_q = 0.3;
  mid.sales_cycle_mean_days = 75;
  mid.request_share = 0.4;
  mid.date_sensitive_share = 0.4;
  mid.initial_customers = 20;
  mid.predictability_weight = 0.5;  // procurement-led buyers (predictability.h; guess)
  c.market.segments = {smb, mid};
  c.finance.initial_cash = 20e6;
  c.mechanisms.intray = true;                 // bounded attention (intray.h)
  c.mechanisms.retention = true;              // per-account churn, expansion (retention.h)
  c.mechanisms.funnel = true;                 // stages, rep ramp, cycle by size and fit (funnel.h)
  c.mechanisms.predictability_buyers = true;  // kept dates win mid-market (predictability.h)
  c.mechanisms.exceptions = true;             // exceptions up reports_to (exceptions.h)
  c.mechanisms.priority_churn = true;         // re-ranks abandon started work (priority_churn.h)
  c.mechanisms.awareness = true;              // goodwill stock, channels, launches (awareness.h)
  c.mechanisms.overhead = true;               // G&A and the runway rule (overhead.h)
  // The budget split by estimated marginal return (capital_allocation.h).
  c.mechanisms.capital_allocation = true;
  c.mechanisms.beliefs = true;       // beliefs per function (beliefs.h)
  c.mechanisms.influence = true;     // dissent, trust, persuasion hours (influence.h)
  c.mechanisms.coordination = true;  // overhead growing with size (coordination.h)
  c.mechanisms.workforce = true;     // ramp, mentoring, pressure, attrition (workforce.h)
  ApplyProjectMode(c);
  return c;
}

void ApplyProjectMode(ModelConfig& c) {
  PmConfig& pm = c.organization.pm;
  pm.business_ownership = 0.0;
  pm.customer_interaction_hours_per_week = 1.0;
  pm.gtm_responsibility = 0.0;
  pm.business_acumen = 0.3;
  pm.people_sense = 0.5;
  pm.mandate = 0.2;
  pm.metric_ownership = 0.0;
  pm.authority = 0.0;
  pm.outcome_orientation = 0.1;
  OperatingModelConfig& op = c.organization.operating;
  op.ceremony_hours_per_week = 6.0;
  op.framework_adherence = 0.8;
  op.layers_between_engineers_and_customers = 2;
  op.engineer_customer_hours_per_week = 0.0;
  op.roadmap_style = RoadmapStyle::kDateDriven;
  op.signal_routing = 0.1;
  c.organization.graph.generator = GraphGenerator::kHierarchy;
}

void ApplyProductLed(ModelConfig& c) {
  PmConfig& pm = c.organization.pm;
  pm.business_ownership = 0.8;
  pm.customer_interaction_hours_per_week = 8.0;
  pm.gtm_responsibility = 0.8;
  pm.business_acumen = 0.7;
  pm.people_sense = 0.7;
  pm.mandate = 0.8;
  pm.metric_ownership = 0.8;
  pm.authority = 0.0;
  pm.outcome_orientation = 0.9;
  OperatingModelConfig& op = c.organization.operating;
  op.ceremony_hours_per_week = 3.0;
  op.framework_adherence = 0.3;
  op.layers_between_engineers_and_customers = 0;
  op.engineer_customer_hours_per_week = 2.0;
  op.roadmap_style = RoadmapStyle::kOutcomeDriven;
  op.signal_routing = 0.8;
  c.organization.graph.generator = GraphGenerator::kHubAndSpoke;
}

void ApplyFounderBacklogPm(ModelConfig& c) {
  ApplyProductLed(c);
  PmConfig& pm = c.organization.pm;
  pm.business_ownership = 0.0;
  pm.customer_interaction_hours_per_week = 2.0;
  pm.gtm_responsibility = 0.2;
  pm.mandate = 0.2;
  pm.metric_ownership = 0.0;
  pm.outcome_orientation = 0.1;
}

void ApplyNoPm(ModelConfig& c) {
  ApplyProductLed(c);
  std::vector<TeamConfig>& teams = c.organization.teams;
  std::erase_if(teams, [](const TeamConfig& t) { return t.role == Role::kProduct; });
  for (TeamConfig& t : teams) {
    if (t.role == Role::kDesign) t.reports_to = "founders";
  }
}

ModelConfig QueueingConfig(const QueueingSpec& spec) {
  ModelConfig c;
  c.horizon_days = spec.horizon_days;
  c.warmup_days = spec.warmup_days;
  TeamConfig eng;
  eng.name = "eng";
  eng.role = Role::kEngineering;
  eng.initial_headcount = spec.servers;
  c.organization.teams = {eng};
  OperatingModelConfig& op = c.organization.operating;
  op.layers_between_engineers_and_customers = 0;
  op.max_items_per_engineer = 1;
  op.wip_limit = 0;
  op.context_switch_cost = 0.0;
  op.ceremony_hours_per_week = 0.0;
  op.framework_adherence = 0.0;
  op.interruption_hours_per_week = 0.0;
  op.engineer_customer_hours_per_week = 0.0;
  op.planning_interval_days = 365.0;
  c.work.exogenous_arrival_rate_per_day = spec.arrival_rate_per_day;
  c.work.effort_distribution = spec.distribution;
  c.work.effort_mean_days = spec.effort_mean_days;
  c.work.effort_cv = spec.effort_cv;
  c.delivery.work_days_per_week = 7.0;
  MechanismConfig& m = c.mechanisms;
  m.market = false;
  m.sales = false;
  m.idea_generation = false;
  m.discovery = false;
  m.problem_signals = false;
  m.rework = false;
  m.tech_debt = false;
  m.ceremonies = false;
  m.interruptions = false;
  m.hiring = false;
  m.decisions = false;
  m.need_drift = false;
  m.capability_decay = false;
  m.payroll = false;
  return c;
}

ModelConfig BassConfig(const BassSpec& spec) {
  QueueingSpec none;
  none.servers = 1;
  none.arrival_rate_per_day = 0.0;
  none.horizon_days = spec.horizon_days;
  none.warmup_days = 0.0;
  ModelConfig c = QueueingConfig(none);
  c.mechanisms.market = true;
  SegmentConfig seg;
  seg.name = "market";
  seg.potential_customers = spec.potential_customers;
  seg.bass_p = spec.p;
  seg.bass_q = spec.q;
  seg.base_monthly_churn = 0.0;
  seg.request_share = 0.0;
  seg.expansion_per_month = 0.0;
  seg.price_cv = 0.0;
  c.market.segments = {seg};
  c.market.adoption_fit_exponent = 0.0;
  c.market.competitor.enabled = false;
  c.finance.marketing_spend_per_month = 0.0;
  return c;
}

}  // namespace orgsim::model
