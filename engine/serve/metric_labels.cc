#include "engine/serve/metric_labels.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace orgsim::serve {
namespace {

// Sentence case, at most ~40 characters, no abbreviation a manager would
// have to look up except those in the page's glossary (MRR, ARR, PMF).
constexpr std::pair<std::string_view, std::string_view> kLabels[] = {
    {"revenue_total", "Revenue over the run"},
    {"profit_total", "Profit over the run"},
    {"cash_end", "Cash at the end"},
    {"survived", "Never ran out of cash"},
    {"customers_end", "Customers at the end"},
    {"arr_end", "ARR at the end"},
    {"customer_value_delivered", "Customer value delivered"},
    {"features_shipped", "Features shipped"},
    {"rework_fraction", "Share of effort that was rework"},
    {"integration_rework_fraction", "Share of effort on integration rework"},
    {"engineer_why_understanding", "Engineers understand the why"},
    {"alignment", "Functions aligned with the plan"},
    {"time_to_pmf_days", "Time to product-market fit"},
    {"pmf_reached", "Reached product-market fit"},
    {"cycle_time_mean_days", "Cycle time (start to release)"},
    {"wip_mean", "Work in progress"},
    {"throughput_per_day", "Items finished per day"},
    {"pm_betweenness", "PM as a bridge between teams"},
    {"events", "Simulation events"},
    {"lead_time_mean_days", "Lead time (request to release)"},
    {"backlog_mean", "Backlog size"},
    {"littles_law_gap", "Little's law check (gap)"},
    {"items_completed", "Items completed"},
    {"decisions_adopted_share", "Decisions adopted"},
    {"decision_latency_days", "Time for a decision to be adopted"},
    {"signals_emitted", "Problem signals raised"},
    {"signals_routed", "Problem signals routed to product"},
    {"signal_fix_days_mean", "Time from problem signal to fix"},
    {"ceremony_hours", "Hours in ceremonies"},
    {"capacity_lost_fraction", "Engineering time lost to overhead"},
    {"churned_customers", "Customers lost"},
    {"deals_won", "Deals won"},
    {"deals_lost", "Deals lost"},
    {"win_rate", "Win rate"},
    {"date_deals_won", "Date-sensitive deals won"},
    {"date_deals_lost", "Date-sensitive deals lost"},
    {"deadline_misses", "Committed dates missed"},
    {"requests_committed", "Dated requests accepted"},
    {"requests_declined", "Dated requests declined"},
    {"launches_coordinated", "Launches with marketing and sales"},
    {"fit_mean", "Product fit (average)"},
    {"fit_end", "Product fit at the end"},
    {"need_estimate_error", "Error in estimating customer needs"},
    {"decision_quality", "Decision quality"},
    {"info_latency_days", "Delay of market news to engineers"},
    {"info_fidelity", "Accuracy of market news to engineers"},
    {"info_hops", "Hand-offs from market to engineers"},
    {"components_without_pm", "Team clusters left without the PM"},
    {"pairs_disconnected_without_pm", "Teams cut off without the PM"},
    {"anchor_latency_days", "Delay between functions"},
    {"anchor_latency_without_pm_days", "Delay between functions without the PM"},
    {"headcount_end", "People at the end"},
    {"cost_total", "Costs over the run"},
    {"tech_debt_end", "Tech debt at the end"},
    {"value_per_feature_day", "Value per feature-day"},
    {"min_cash", "Lowest cash"},
    {"leads_cold", "Leads gone cold"},
    {"interviews", "Customer interviews"},
    {"hires", "People hired"},
    {"measurements", "Releases measured against outcomes"},
    {"why_path_latency_days", "Delay of the customer why to builders"},
    {"why_path_fidelity", "Accuracy of the customer why at builders"},
    {"why_paths_broken", "Work started without the customer why"},
    {"signal_latency_days", "Delay of problem signals to an owner"},
    {"signal_fidelity", "Accuracy of problem signals at the owner"},
    {"signals_unreachable", "Problem signals that found no owner"},
    {"pm_contact_hours", "PM hours with other teams"},
    {"gross_revenue_retention", "Revenue kept from last year's customers"},
    {"net_revenue_retention", "Last year's customers' revenue, with growth"},
    {"logo_churn_annual", "Share of last year's customers lost"},
};

}  // namespace

std::string_view MetricLabel(std::string_view metric) {
  const auto it = std::find_if(std::begin(kLabels), std::end(kLabels),
                               [&](const auto& entry) { return entry.first == metric; });
  return it == std::end(kLabels) ? std::string_view() : it->second;
}

std::string_view BetterWord(model::Better better) {
  switch (better) {
    case model::Better::kHigher:
      return "higher";
    case model::Better::kLower:
      return "lower";
    case model::Better::kNeither:
      break;
  }
  return "neither";
}

}  // namespace orgsim::serve
