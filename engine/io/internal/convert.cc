#include "engine/io/internal/convert.h"

#include <filesystem>

namespace orgsim::io::internal {
namespace {

namespace v1 = ::orgsim::v1;

// The enums are numbered alike on both sides, so conversion is a cast; these
// asserts keep it honest.
static_assert(static_cast<int>(model::Role::kEngineering) == v1::ROLE_ENGINEERING);
static_assert(static_cast<int>(model::Role::kProduct) == v1::ROLE_PRODUCT);
static_assert(static_cast<int>(model::Role::kSales) == v1::ROLE_SALES);
static_assert(static_cast<int>(model::Role::kMarketing) == v1::ROLE_MARKETING);
static_assert(static_cast<int>(model::Role::kCustomerSuccess) == v1::ROLE_CUSTOMER_SUCCESS);
static_assert(static_cast<int>(model::Role::kDesign) == v1::ROLE_DESIGN);
static_assert(static_cast<int>(model::Role::kExecutive) == v1::ROLE_EXECUTIVE);
static_assert(static_cast<int>(model::Role::kDelivery) == v1::ROLE_DELIVERY);
static_assert(v1::Role_MAX == v1::ROLE_DELIVERY);
static_assert(static_cast<int>(model::RoadmapStyle::kOutcomeDriven) == v1::ROADMAP_OUTCOME_DRIVEN);
static_assert(static_cast<int>(model::RoadmapStyle::kDateDriven) == v1::ROADMAP_DATE_DRIVEN);
static_assert(v1::RoadmapStyle_MAX == v1::ROADMAP_DATE_DRIVEN);
static_assert(static_cast<int>(model::GraphGenerator::kHierarchy) == v1::GRAPH_HIERARCHY);
static_assert(static_cast<int>(model::GraphGenerator::kHubAndSpoke) == v1::GRAPH_HUB_AND_SPOKE);
static_assert(static_cast<int>(model::GraphGenerator::kSmallWorld) == v1::GRAPH_SMALL_WORLD);
static_assert(static_cast<int>(model::GraphGenerator::kRandom) == v1::GRAPH_RANDOM);
static_assert(static_cast<int>(model::GraphGenerator::kExplicit) == v1::GRAPH_EXPLICIT);
static_assert(static_cast<int>(model::GraphGenerator::kGraphMl) == v1::GRAPH_GRAPHML);
static_assert(v1::GraphGenerator_MAX == v1::GRAPH_GRAPHML);
static_assert(static_cast<int>(model::EffortDistribution::kExponential) == v1::EFFORT_EXPONENTIAL);
static_assert(static_cast<int>(model::EffortDistribution::kLogNormal) == v1::EFFORT_LOGNORMAL);
static_assert(static_cast<int>(model::EffortDistribution::kDeterministic) ==
              v1::EFFORT_DETERMINISTIC);
static_assert(v1::EffortDistribution_MAX == v1::EFFORT_DETERMINISTIC);

// --- proto -> config ----------------------------------------------------------

model::TeamConfig ToConfig(const v1::Team& p) {
  model::TeamConfig c;
  c.name = p.name();
  c.role = static_cast<model::Role>(p.role());
  c.initial_headcount = p.initial_headcount();
  c.final_headcount = p.final_headcount();
  c.salary_per_year = p.salary_per_year();
  c.hours_per_day = p.hours_per_day();
  c.reports_to = p.reports_to();
  return c;
}

model::PmConfig ToConfig(const v1::Pm& p) {
  model::PmConfig c;
  c.business_ownership = p.business_ownership();
  c.customer_interaction_hours_per_week = p.customer_interaction_hours_per_week();
  c.gtm_responsibility = p.gtm_responsibility();
  c.business_acumen = p.business_acumen();
  c.people_sense = p.people_sense();
  c.mandate = p.mandate();
  c.metric_ownership = p.metric_ownership();
  c.authority = p.authority();
  c.outcome_orientation = p.outcome_orientation();
  c.backlog_hours_per_item = p.backlog_hours_per_item();
  c.business_hours_per_week = p.business_hours_per_week();
  c.launch_hours = p.launch_hours();
  c.authority_compliance = p.authority_compliance();
  c.authority_latency_days = p.authority_latency_days();
  c.consensus_latency_days = p.consensus_latency_days();
  c.no_buy_in_understanding = p.no_buy_in_understanding();
  c.trust_step = p.trust_step();
  c.contact_hours_per_week = p.contact_hours_per_week();
  c.signal_triage_hours = p.signal_triage_hours();
  c.discovery_kill_threshold = p.discovery_kill_threshold();
  c.measure_delay_days = p.measure_delay_days();
  c.initial_trust = p.initial_trust();
  c.underspecified_understanding = p.underspecified_understanding();
  c.interviews_per_hour = p.interviews_per_hour();
  c.discovery_noise_sd = p.discovery_noise_sd();
  c.prototype_hours_per_idea = p.prototype_hours_per_idea();
  return c;
}

model::OperatingModelConfig ToConfig(const v1::OperatingModel& p) {
  model::OperatingModelConfig c;
  c.ceremony_hours_per_week = p.ceremony_hours_per_week();
  c.ceremony_half_benefit_hours = p.ceremony_half_benefit_hours();
  c.ceremony_max_benefit = p.ceremony_max_benefit();
  c.framework_adherence = p.framework_adherence();
  c.framework_overhead_hours_per_week = p.framework_overhead_hours_per_week();
  c.sprint_length_days = p.sprint_length_days();
  c.layers_between_engineers_and_customers = p.layers_between_engineers_and_customers();
  c.layer_salary_per_year = p.layer_salary_per_year();
  c.layer_admin_share = p.layer_admin_share();
  c.layer_shield_fraction = p.layer_shield_fraction();
  c.interruption_hours_per_week = p.interruption_hours_per_week();
  c.engineer_customer_hours_per_week = p.engineer_customer_hours_per_week();
  c.roadmap_style = static_cast<model::RoadmapStyle>(p.roadmap_style());
  c.planning_interval_days = p.planning_interval_days();
  c.planning_hours_per_event = p.planning_hours_per_event();
  c.signal_routing = p.signal_routing();
  c.max_items_per_engineer = p.max_items_per_engineer();
  c.wip_limit = p.wip_limit();
  c.context_switch_cost = p.context_switch_cost();
  c.ceremony_coordination_max = p.ceremony_coordination_max();
  c.ceremony_coordination_half_hours = p.ceremony_coordination_half_hours();
  return c;
}

model::EdgeConfig ToConfig(const v1::Edge& p) {
  model::EdgeConfig c;
  c.from = p.from();
  c.to = p.to();
  c.latency_days = p.latency_days();
  c.fidelity = p.fidelity();
  return c;
}

model::GraphConfig ToConfig(const v1::Graph& p) {
  model::GraphConfig c;
  c.generator = static_cast<model::GraphGenerator>(p.generator());
  for (const v1::Edge& e : p.edges()) c.edges.push_back(ToConfig(e));
  c.graphml_path = p.graphml_path();
  c.small_world_shortcuts = p.small_world_shortcuts();
  c.random_edge_probability = p.random_edge_probability();
  c.generator_seed = p.generator_seed();
  c.intra_team_latency_days = p.intra_team_latency_days();
  c.intra_team_fidelity = p.intra_team_fidelity();
  c.inter_team_latency_days = p.inter_team_latency_days();
  c.inter_team_fidelity = p.inter_team_fidelity();
  c.market_latency_days = p.market_latency_days();
  c.market_fidelity = p.market_fidelity();
  return c;
}

model::OrganizationConfig ToConfig(const v1::Organization& p) {
  model::OrganizationConfig c;
  for (const v1::Team& e : p.teams()) c.teams.push_back(ToConfig(e));
  c.pm = ToConfig(p.pm());
  c.operating = ToConfig(p.operating());
  c.graph = ToConfig(p.graph());
  return c;
}

model::SegmentConfig ToConfig(const v1::Segment& p) {
  model::SegmentConfig c;
  c.name = p.name();
  c.potential_customers = p.potential_customers();
  c.initial_customers = p.initial_customers();
  c.need_weights.assign(p.need_weights().begin(), p.need_weights().end());
  c.need_concentration = p.need_concentration();
  c.price_per_month = p.price_per_month();
  c.price_cv = p.price_cv();
  c.bass_p = p.bass_p();
  c.bass_q = p.bass_q();
  c.sales_cycle_mean_days = p.sales_cycle_mean_days();
  c.sales_cycle_cv = p.sales_cycle_cv();
  c.base_win_rate = p.base_win_rate();
  c.base_monthly_churn = p.base_monthly_churn();
  c.request_share = p.request_share();
  c.date_sensitive_share = p.date_sensitive_share();
  c.deadline_days = p.deadline_days();
  c.request_deal_size = p.request_deal_size();
  c.expansion_per_month = p.expansion_per_month();
  return c;
}

model::CompetitorConfig ToConfig(const v1::Competitor& p) {
  model::CompetitorConfig c;
  c.enabled = p.enabled();
  c.initial_fit = p.initial_fit();
  c.fit_growth_per_year = p.fit_growth_per_year();
  c.strength = p.strength();
  return c;
}

model::MarketConfig ToConfig(const v1::Market& p) {
  model::MarketConfig c;
  c.problem_dimensions = p.problem_dimensions();
  for (const v1::Segment& e : p.segments()) c.segments.push_back(ToConfig(e));
  c.need_drift_per_sqrt_year = p.need_drift_per_sqrt_year();
  c.account_need_sd = p.account_need_sd();
  c.initial_capability = p.initial_capability();
  c.capability_decay_per_year = p.capability_decay_per_year();
  c.problem_novelty = p.problem_novelty();
  c.reference_fit = p.reference_fit();
  c.churn_fit_elasticity = p.churn_fit_elasticity();
  c.adoption_fit_exponent = p.adoption_fit_exponent();
  c.win_fit_exponent = p.win_fit_exponent();
  c.perception_lag_days = p.perception_lag_days();
  c.launch_boost = p.launch_boost();
  c.launch_decay_days = p.launch_decay_days();
  c.marketing_lift = p.marketing_lift();
  c.marketing_half_saturation = p.marketing_half_saturation();
  c.cs_churn_reduction = p.cs_churn_reduction();
  c.cs_accounts_per_csm = p.cs_accounts_per_csm();
  c.signal_rate_per_account_month = p.signal_rate_per_account_month();
  c.competitor = ToConfig(p.competitor());
  return c;
}

model::WorkConfig ToConfig(const v1::Work& p) {
  model::WorkConfig c;
  c.effort_distribution = static_cast<model::EffortDistribution>(p.effort_distribution());
  c.effort_mean_days = p.effort_mean_days();
  c.effort_cv = p.effort_cv();
  c.feature_impact = p.feature_impact();
  c.idea_p_good = p.idea_p_good();
  c.idea_p_neutral = p.idea_p_neutral();
  c.idea_bad_efficacy = p.idea_bad_efficacy();
  c.ideas_per_discovery_hour = p.ideas_per_discovery_hour();
  c.executive_ideas_per_week = p.executive_ideas_per_week();
  c.engineering_ideas_per_week = p.engineering_ideas_per_week();
  c.initial_backlog = p.initial_backlog();
  c.founder_belief_sd = p.founder_belief_sd();
  c.effort_estimate_sd = p.effort_estimate_sd();
  c.request_generality = p.request_generality();
  c.backlog_limit = p.backlog_limit();
  c.debt_per_feature = p.debt_per_feature();
  c.debt_drag = p.debt_drag();
  c.debt_item_effort_days = p.debt_item_effort_days();
  c.debt_paydown = p.debt_paydown();
  c.debt_capacity_share = p.debt_capacity_share();
  c.exogenous_arrival_rate_per_day = p.exogenous_arrival_rate_per_day();
  return c;
}

model::DeliveryConfig ToConfig(const v1::Delivery& p) {
  model::DeliveryConfig c;
  c.work_days_per_week = p.work_days_per_week();
  c.rework_max_probability = p.rework_max_probability();
  c.rework_effort_fraction = p.rework_effort_fraction();
  c.rework_learning = p.rework_learning();
  c.integration_coupling = p.integration_coupling();
  c.design_boost = p.design_boost();
  c.ramp_up_days = p.ramp_up_days();
  return c;
}

model::SalesConfig ToConfig(const v1::Sales& p) {
  model::SalesConfig c;
  c.deals_per_rep = p.deals_per_rep();
  c.lead_patience_days = p.lead_patience_days();
  c.local_fix_discount = p.local_fix_discount();
  c.misaligned_win_factor = p.misaligned_win_factor();
  c.request_shipped_win_factor = p.request_shipped_win_factor();
  c.date_deal_win_factor = p.date_deal_win_factor();
  c.declined_request_win_factor = p.declined_request_win_factor();
  return c;
}

model::FinanceConfig ToConfig(const v1::Finance& p) {
  model::FinanceConfig c;
  c.initial_cash = p.initial_cash();
  c.salary_overhead = p.salary_overhead();
  c.cost_per_person_month = p.cost_per_person_month();
  c.marketing_spend_per_month = p.marketing_spend_per_month();
  c.marketing_spend_half_saturation = p.marketing_spend_half_saturation();
  c.hiring_freeze_runway_months = p.hiring_freeze_runway_months();
  c.hiring_cost = p.hiring_cost();
  return c;
}

model::PmfConfig ToConfig(const v1::Pmf& p) {
  model::PmfConfig c;
  c.must_have_fit = p.must_have_fit();
  c.must_have_share = p.must_have_share();
  c.max_monthly_churn = p.max_monthly_churn();
  c.min_customers = p.min_customers();
  c.pmf_months = p.pmf_months();
  return c;
}

model::MechanismConfig ToConfig(const v1::Mechanisms& p) {
  model::MechanismConfig c;
  c.market = p.market();
  c.sales = p.sales();
  c.idea_generation = p.idea_generation();
  c.discovery = p.discovery();
  c.problem_signals = p.problem_signals();
  c.rework = p.rework();
  c.tech_debt = p.tech_debt();
  c.ceremonies = p.ceremonies();
  c.interruptions = p.interruptions();
  c.hiring = p.hiring();
  c.decisions = p.decisions();
  c.need_drift = p.need_drift();
  c.capability_decay = p.capability_decay();
  c.payroll = p.payroll();
  return c;
}

model::ModelConfig ToConfig(const v1::Scenario& p) {
  model::ModelConfig c;
  c.horizon_days = p.horizon_days();
  c.warmup_days = p.warmup_days();
  c.organization = ToConfig(p.organization());
  c.market = ToConfig(p.market());
  c.work = ToConfig(p.work());
  c.delivery = ToConfig(p.delivery());
  c.sales = ToConfig(p.sales());
  c.finance = ToConfig(p.finance());
  c.pmf = ToConfig(p.pmf());
  c.mechanisms = ToConfig(p.mechanisms());
  return c;
}

// --- config -> proto ----------------------------------------------------------

void FromConfig(const model::TeamConfig& c, v1::Team* p) {
  p->set_name(c.name);
  p->set_role(static_cast<v1::Role>(c.role));
  p->set_initial_headcount(c.initial_headcount);
  p->set_final_headcount(c.final_headcount);
  p->set_salary_per_year(c.salary_per_year);
  p->set_hours_per_day(c.hours_per_day);
  p->set_reports_to(c.reports_to);
}

void FromConfig(const model::PmConfig& c, v1::Pm* p) {
  p->set_business_ownership(c.business_ownership);
  p->set_customer_interaction_hours_per_week(c.customer_interaction_hours_per_week);
  p->set_gtm_responsibility(c.gtm_responsibility);
  p->set_business_acumen(c.business_acumen);
  p->set_people_sense(c.people_sense);
  p->set_mandate(c.mandate);
  p->set_metric_ownership(c.metric_ownership);
  p->set_authority(c.authority);
  p->set_outcome_orientation(c.outcome_orientation);
  p->set_backlog_hours_per_item(c.backlog_hours_per_item);
  p->set_business_hours_per_week(c.business_hours_per_week);
  p->set_launch_hours(c.launch_hours);
  p->set_authority_compliance(c.authority_compliance);
  p->set_authority_latency_days(c.authority_latency_days);
  p->set_consensus_latency_days(c.consensus_latency_days);
  p->set_no_buy_in_understanding(c.no_buy_in_understanding);
  p->set_trust_step(c.trust_step);
  p->set_contact_hours_per_week(c.contact_hours_per_week);
  p->set_signal_triage_hours(c.signal_triage_hours);
  p->set_discovery_kill_threshold(c.discovery_kill_threshold);
  p->set_measure_delay_days(c.measure_delay_days);
  p->set_initial_trust(c.initial_trust);
  p->set_underspecified_understanding(c.underspecified_understanding);
  p->set_interviews_per_hour(c.interviews_per_hour);
  p->set_discovery_noise_sd(c.discovery_noise_sd);
  p->set_prototype_hours_per_idea(c.prototype_hours_per_idea);
}

void FromConfig(const model::OperatingModelConfig& c, v1::OperatingModel* p) {
  p->set_ceremony_hours_per_week(c.ceremony_hours_per_week);
  p->set_ceremony_half_benefit_hours(c.ceremony_half_benefit_hours);
  p->set_ceremony_max_benefit(c.ceremony_max_benefit);
  p->set_framework_adherence(c.framework_adherence);
  p->set_framework_overhead_hours_per_week(c.framework_overhead_hours_per_week);
  p->set_sprint_length_days(c.sprint_length_days);
  p->set_layers_between_engineers_and_customers(c.layers_between_engineers_and_customers);
  p->set_layer_salary_per_year(c.layer_salary_per_year);
  p->set_layer_admin_share(c.layer_admin_share);
  p->set_layer_shield_fraction(c.layer_shield_fraction);
  p->set_interruption_hours_per_week(c.interruption_hours_per_week);
  p->set_engineer_customer_hours_per_week(c.engineer_customer_hours_per_week);
  p->set_roadmap_style(static_cast<v1::RoadmapStyle>(c.roadmap_style));
  p->set_planning_interval_days(c.planning_interval_days);
  p->set_planning_hours_per_event(c.planning_hours_per_event);
  p->set_signal_routing(c.signal_routing);
  p->set_max_items_per_engineer(c.max_items_per_engineer);
  p->set_wip_limit(c.wip_limit);
  p->set_context_switch_cost(c.context_switch_cost);
  p->set_ceremony_coordination_max(c.ceremony_coordination_max);
  p->set_ceremony_coordination_half_hours(c.ceremony_coordination_half_hours);
}

void FromConfig(const model::EdgeConfig& c, v1::Edge* p) {
  p->set_from(c.from);
  p->set_to(c.to);
  p->set_latency_days(c.latency_days);
  p->set_fidelity(c.fidelity);
}

void FromConfig(const model::GraphConfig& c, v1::Graph* p) {
  p->set_generator(static_cast<v1::GraphGenerator>(c.generator));
  for (const model::EdgeConfig& e : c.edges) FromConfig(e, p->add_edges());
  p->set_graphml_path(c.graphml_path);
  p->set_small_world_shortcuts(c.small_world_shortcuts);
  p->set_random_edge_probability(c.random_edge_probability);
  p->set_generator_seed(c.generator_seed);
  p->set_intra_team_latency_days(c.intra_team_latency_days);
  p->set_intra_team_fidelity(c.intra_team_fidelity);
  p->set_inter_team_latency_days(c.inter_team_latency_days);
  p->set_inter_team_fidelity(c.inter_team_fidelity);
  p->set_market_latency_days(c.market_latency_days);
  p->set_market_fidelity(c.market_fidelity);
}

void FromConfig(const model::OrganizationConfig& c, v1::Organization* p) {
  for (const model::TeamConfig& e : c.teams) FromConfig(e, p->add_teams());
  FromConfig(c.pm, p->mutable_pm());
  FromConfig(c.operating, p->mutable_operating());
  FromConfig(c.graph, p->mutable_graph());
}

void FromConfig(const model::SegmentConfig& c, v1::Segment* p) {
  p->set_name(c.name);
  p->set_potential_customers(c.potential_customers);
  p->set_initial_customers(c.initial_customers);
  for (double v : c.need_weights) p->add_need_weights(v);
  p->set_need_concentration(c.need_concentration);
  p->set_price_per_month(c.price_per_month);
  p->set_price_cv(c.price_cv);
  p->set_bass_p(c.bass_p);
  p->set_bass_q(c.bass_q);
  p->set_sales_cycle_mean_days(c.sales_cycle_mean_days);
  p->set_sales_cycle_cv(c.sales_cycle_cv);
  p->set_base_win_rate(c.base_win_rate);
  p->set_base_monthly_churn(c.base_monthly_churn);
  p->set_request_share(c.request_share);
  p->set_date_sensitive_share(c.date_sensitive_share);
  p->set_deadline_days(c.deadline_days);
  p->set_request_deal_size(c.request_deal_size);
  p->set_expansion_per_month(c.expansion_per_month);
}

void FromConfig(const model::CompetitorConfig& c, v1::Competitor* p) {
  p->set_enabled(c.enabled);
  p->set_initial_fit(c.initial_fit);
  p->set_fit_growth_per_year(c.fit_growth_per_year);
  p->set_strength(c.strength);
}

void FromConfig(const model::MarketConfig& c, v1::Market* p) {
  p->set_problem_dimensions(c.problem_dimensions);
  for (const model::SegmentConfig& e : c.segments) FromConfig(e, p->add_segments());
  p->set_need_drift_per_sqrt_year(c.need_drift_per_sqrt_year);
  p->set_account_need_sd(c.account_need_sd);
  p->set_initial_capability(c.initial_capability);
  p->set_capability_decay_per_year(c.capability_decay_per_year);
  p->set_problem_novelty(c.problem_novelty);
  p->set_reference_fit(c.reference_fit);
  p->set_churn_fit_elasticity(c.churn_fit_elasticity);
  p->set_adoption_fit_exponent(c.adoption_fit_exponent);
  p->set_win_fit_exponent(c.win_fit_exponent);
  p->set_perception_lag_days(c.perception_lag_days);
  p->set_launch_boost(c.launch_boost);
  p->set_launch_decay_days(c.launch_decay_days);
  p->set_marketing_lift(c.marketing_lift);
  p->set_marketing_half_saturation(c.marketing_half_saturation);
  p->set_cs_churn_reduction(c.cs_churn_reduction);
  p->set_cs_accounts_per_csm(c.cs_accounts_per_csm);
  p->set_signal_rate_per_account_month(c.signal_rate_per_account_month);
  FromConfig(c.competitor, p->mutable_competitor());
}

void FromConfig(const model::WorkConfig& c, v1::Work* p) {
  p->set_effort_distribution(static_cast<v1::EffortDistribution>(c.effort_distribution));
  p->set_effort_mean_days(c.effort_mean_days);
  p->set_effort_cv(c.effort_cv);
  p->set_feature_impact(c.feature_impact);
  p->set_idea_p_good(c.idea_p_good);
  p->set_idea_p_neutral(c.idea_p_neutral);
  p->set_idea_bad_efficacy(c.idea_bad_efficacy);
  p->set_ideas_per_discovery_hour(c.ideas_per_discovery_hour);
  p->set_executive_ideas_per_week(c.executive_ideas_per_week);
  p->set_engineering_ideas_per_week(c.engineering_ideas_per_week);
  p->set_initial_backlog(c.initial_backlog);
  p->set_founder_belief_sd(c.founder_belief_sd);
  p->set_effort_estimate_sd(c.effort_estimate_sd);
  p->set_request_generality(c.request_generality);
  p->set_backlog_limit(c.backlog_limit);
  p->set_debt_per_feature(c.debt_per_feature);
  p->set_debt_drag(c.debt_drag);
  p->set_debt_item_effort_days(c.debt_item_effort_days);
  p->set_debt_paydown(c.debt_paydown);
  p->set_debt_capacity_share(c.debt_capacity_share);
  p->set_exogenous_arrival_rate_per_day(c.exogenous_arrival_rate_per_day);
}

void FromConfig(const model::DeliveryConfig& c, v1::Delivery* p) {
  p->set_work_days_per_week(c.work_days_per_week);
  p->set_rework_max_probability(c.rework_max_probability);
  p->set_rework_effort_fraction(c.rework_effort_fraction);
  p->set_rework_learning(c.rework_learning);
  p->set_integration_coupling(c.integration_coupling);
  p->set_design_boost(c.design_boost);
  p->set_ramp_up_days(c.ramp_up_days);
}

void FromConfig(const model::SalesConfig& c, v1::Sales* p) {
  p->set_deals_per_rep(c.deals_per_rep);
  p->set_lead_patience_days(c.lead_patience_days);
  p->set_local_fix_discount(c.local_fix_discount);
  p->set_misaligned_win_factor(c.misaligned_win_factor);
  p->set_request_shipped_win_factor(c.request_shipped_win_factor);
  p->set_date_deal_win_factor(c.date_deal_win_factor);
  p->set_declined_request_win_factor(c.declined_request_win_factor);
}

void FromConfig(const model::FinanceConfig& c, v1::Finance* p) {
  p->set_initial_cash(c.initial_cash);
  p->set_salary_overhead(c.salary_overhead);
  p->set_cost_per_person_month(c.cost_per_person_month);
  p->set_marketing_spend_per_month(c.marketing_spend_per_month);
  p->set_marketing_spend_half_saturation(c.marketing_spend_half_saturation);
  p->set_hiring_freeze_runway_months(c.hiring_freeze_runway_months);
  p->set_hiring_cost(c.hiring_cost);
}

void FromConfig(const model::PmfConfig& c, v1::Pmf* p) {
  p->set_must_have_fit(c.must_have_fit);
  p->set_must_have_share(c.must_have_share);
  p->set_max_monthly_churn(c.max_monthly_churn);
  p->set_min_customers(c.min_customers);
  p->set_pmf_months(c.pmf_months);
}

void FromConfig(const model::MechanismConfig& c, v1::Mechanisms* p) {
  p->set_market(c.market);
  p->set_sales(c.sales);
  p->set_idea_generation(c.idea_generation);
  p->set_discovery(c.discovery);
  p->set_problem_signals(c.problem_signals);
  p->set_rework(c.rework);
  p->set_tech_debt(c.tech_debt);
  p->set_ceremonies(c.ceremonies);
  p->set_interruptions(c.interruptions);
  p->set_hiring(c.hiring);
  p->set_decisions(c.decisions);
  p->set_need_drift(c.need_drift);
  p->set_capability_decay(c.capability_decay);
  p->set_payroll(c.payroll);
}

void FromConfig(const model::ModelConfig& c, v1::Scenario* p) {
  p->set_horizon_days(c.horizon_days);
  p->set_warmup_days(c.warmup_days);
  FromConfig(c.organization, p->mutable_organization());
  FromConfig(c.market, p->mutable_market());
  FromConfig(c.work, p->mutable_work());
  FromConfig(c.delivery, p->mutable_delivery());
  FromConfig(c.sales, p->mutable_sales());
  FromConfig(c.finance, p->mutable_finance());
  FromConfig(c.pmf, p->mutable_pmf());
  FromConfig(c.mechanisms, p->mutable_mechanisms());
}

}  // namespace

model::ModelConfig ToModelConfig(const v1::Scenario& scenario, const std::string& base_dir) {
  model::ModelConfig config = ToConfig(scenario);
  std::string& graphml = config.organization.graph.graphml_path;
  if (!graphml.empty() && !base_dir.empty() && std::filesystem::path(graphml).is_relative()) {
    graphml = (std::filesystem::path(base_dir) / graphml).lexically_normal().string();
  }
  return config;
}

v1::Scenario FromModelConfig(const model::ModelConfig& config) {
  v1::Scenario scenario;
  FromConfig(config, &scenario);
  return scenario;
}

}  // namespace orgsim::io::internal
