// The metric registry: MetricCatalog() (run.h) assembled from the metrics
// each mechanism declares (MetricDef, mechanism.h).
//
// A metric is declared once, in the module that owns the state it reads:
// name, unit, description, which way is better, and its computation. The
// catalog's order is part of the stored results (result vectors, databases
// and goldens are aligned to it), so it is not the order of declaration:
// kCatalogOrder below lists the catalog's names as they have always been,
// and metrics declared by no entry of it (new modules) follow in the
// mechanism list's order. A test checks that every listed name is declared
// by exactly one mechanism and every declared name is in the catalog.
//
// To add a metric: declare it in its mechanism's Metrics() and append its
// name to kCatalogOrder (append only; never reorder or reuse a name).
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "engine/model/mechanism.h"

namespace orgsim::model {

// The catalog order of the built-in metrics. Append only.
inline constexpr std::array<std::string_view, 117> kCatalogOrder = {
    "revenue_total",
    "profit_total",
    "cash_end",
    "survived",
    "customers_end",
    "arr_end",
    "customer_value_delivered",
    "features_shipped",
    "rework_fraction",
    "integration_rework_fraction",
    "engineer_why_understanding",
    "alignment",
    "time_to_pmf_days",
    "pmf_reached",
    "cycle_time_mean_days",
    "wip_mean",
    "throughput_per_day",
    "pm_betweenness",
    "events",
    "lead_time_mean_days",
    "backlog_mean",
    "littles_law_gap",
    "items_completed",
    "decisions_adopted_share",
    "decision_latency_days",
    "signals_emitted",
    "signals_routed",
    "signal_fix_days_mean",
    "ceremony_hours",
    "capacity_lost_fraction",
    "churned_customers",
    "deals_won",
    "deals_lost",
    "win_rate",
    "date_deals_won",
    "date_deals_lost",
    "deadline_misses",
    "requests_committed",
    "requests_declined",
    "launches_coordinated",
    "fit_mean",
    "fit_end",
    "need_estimate_error",
    "decision_quality",
    "info_latency_days",
    "info_fidelity",
    "info_hops",
    "components_without_pm",
    "pairs_disconnected_without_pm",
    "anchor_latency_days",
    "anchor_latency_without_pm_days",
    "headcount_end",
    "cost_total",
    "tech_debt_end",
    "value_per_feature_day",
    "min_cash",
    "leads_cold",
    "interviews",
    "hires",
    "measurements",
    "why_path_latency_days",
    "why_path_fidelity",
    "why_paths_broken",
    "signal_latency_days",
    "signal_fidelity",
    "signals_unreachable",
    "pm_contact_hours",
    "pm_queue_wait_days",
    "decision_wait_days",
    "pm_utilization",
    "gross_revenue_retention",
    "net_revenue_retention",
    "logo_churn_annual",
    "sales_cycle_days_mean",
    "lead_qualification_rate",
    "opportunities",
    "date_kept_ratio",
    "arr_growth_yoy",
    "arr_per_employee",
    "magic_number",
    "cac_payback_months",
    "ltv_to_cac",
    "burn_multiple",
    "exceptions_per_item",
    "exception_wait_days",
    "exceptions_ignored_share",
    "exception_defects",
    "wip_abandoned_fraction",
    "items_abandoned",
    "feature_success_rate",
    "hires_deferred_runway",
    "spend_share_rd",
    "spend_share_sm",
    "spend_share_ga",
    "awareness_mean",
    "awareness_end",
    "launches",
    "features_per_launch",
    "paid_leads_expected",
    "allocation_regret",
    "build_share_mean",
    "gtm_share_mean",
    "belief_divergence",
    "functions_need_error",
    "plan_compliance",
    "belief_communication_hours",
    "engineering_need_error",
    "objections_overruled",
    "bad_ideas_stopped_share",
    "good_ideas_stopped",
    "adoption_days_mean",
    "trust_mean",
    "coordination_overhead_fraction",
    "attrition_annual",
    "defects_escaped",
    "overtime_fraction",
    "ramp_capacity_lost_fraction",
};

// Where a declared metric goes in a result vector.
struct MetricSlot {
  std::size_t module = 0;          // index in the module list
  const MetricDef* def = nullptr;  // owned by the module list
  std::size_t index = 0;           // index in the result vector
};

// The metrics of a module list laid out in catalog order.
struct MetricLayout {
  std::vector<MetricInfo> catalog;  // what MetricCatalog() returns for the built-ins
  std::vector<MetricSlot> slots;    // one per declared metric, in result order
};

// Lays out the metrics declared by each module (`defs[i]` of module i):
// names of kCatalogOrder first, in that order, then the others in module
// order. Throws InvariantError when a name is declared twice or when
// `require_catalog` and a name of kCatalogOrder is declared by no module.
MetricLayout LayOutMetrics(std::span<const std::vector<MetricDef>* const> defs,
                           bool require_catalog);

}  // namespace orgsim::model
