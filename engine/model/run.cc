#include "engine/model/run.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include "engine/kernel/check.h"
#include "engine/kernel/distributions.h"
#include "engine/model/phase.h"
#include "engine/model/prepared.h"
#include "engine/model/world.h"

namespace orgsim::model {
namespace {

// The catalog. Append only.
constexpr std::array kCatalog = {
    MetricInfo{"revenue_total", "currency", "Revenue over the horizon (MRR integral)", Better::kHigher},
    MetricInfo{"profit_total", "currency", "Revenue minus all costs over the horizon", Better::kHigher},
    MetricInfo{"cash_end", "currency", "Cash at the horizon", Better::kHigher},
    MetricInfo{"survived", "0/1", "1 if cash never fell below zero at a book", Better::kHigher},
    MetricInfo{"customers_end", "accounts", "Active accounts at the horizon", Better::kHigher},
    MetricInfo{"arr_end", "currency/year", "Annual recurring revenue at the horizon (12 x MRR)", Better::kHigher},
    MetricInfo{"customer_value_delivered", "fit points",
               "Sum over releases of the market-weighted fit they added", Better::kHigher},
    MetricInfo{"features_shipped", "items", "Released items that target a customer need", Better::kHigher},
    MetricInfo{"rework_fraction", "fraction", "Rework effort / all effort of completed items", Better::kLower},
    MetricInfo{"integration_rework_fraction", "fraction",
               "Integration-conflict rework effort / all effort of completed items (part of rework_fraction)", Better::kLower},
    MetricInfo{"engineer_why_understanding", "0-1",
               "Effort-weighted builders' understanding of the why at start of customer-facing work (1 if none)", Better::kHigher},
    MetricInfo{"alignment", "0-1",
               "Time-average share of engineering/sales/marketing people following the plan", Better::kHigher},
    MetricInfo{"time_to_pmf_days", "days", "Day product-market fit was reached (horizon if never)", Better::kLower},
    MetricInfo{"pmf_reached", "0/1", "1 if the PMF criterion was met", Better::kHigher},
    MetricInfo{"cycle_time_mean_days", "days", "Mean start-to-release time of items completed after warm-up", Better::kLower},
    MetricInfo{"wip_mean", "items", "Time-average items in delivery after warm-up", Better::kNeither},
    MetricInfo{"throughput_per_day", "items/day", "Items completed per day after warm-up", Better::kHigher},
    MetricInfo{"pm_betweenness", "0-1", "Mean normalised betweenness centrality of product vertices", Better::kNeither},
    MetricInfo{"events", "events", "Events processed by the kernel", Better::kNeither},
    MetricInfo{"lead_time_mean_days", "days", "Mean creation-to-release time (queueing sojourn)", Better::kLower},
    MetricInfo{"backlog_mean", "items", "Time-average queued items after warm-up", Better::kNeither},
    MetricInfo{"littles_law_gap", "fraction",
               "|wip_mean - throughput x cycle time| / wip_mean (Little's law check)", Better::kLower},
    MetricInfo{"items_completed", "items", "Items completed after warm-up", Better::kHigher},
    MetricInfo{"decisions_adopted_share", "fraction", "Adopted plan decisions / issued", Better::kHigher},
    MetricInfo{"decision_latency_days", "days", "Mean time from plan to adoption (adopted only)", Better::kLower},
    MetricInfo{"signals_emitted", "signals", "Problem signals raised by customers, lost deals, churn", Better::kNeither},
    MetricInfo{"signals_routed", "signals", "Problem signals routed to product", Better::kNeither},
    MetricInfo{"signal_fix_days_mean", "days", "Mean time from a signal to its shipped fix", Better::kLower},
    MetricInfo{"ceremony_hours", "hours", "Hours spent in ceremonies, process and planning", Better::kNeither},
    MetricInfo{"capacity_lost_fraction", "fraction", "Engineers' overhead hours / contract hours", Better::kLower},
    MetricInfo{"churned_customers", "accounts", "Accounts lost over the horizon", Better::kLower},
    MetricInfo{"deals_won", "deals", "Deals won", Better::kHigher},
    MetricInfo{"deals_lost", "deals", "Deals lost", Better::kLower},
    MetricInfo{"win_rate", "fraction", "Deals won / deals closed", Better::kHigher},
    MetricInfo{"date_deals_won", "deals", "Date-sensitive deals won", Better::kHigher},
    MetricInfo{"date_deals_lost", "deals", "Date-sensitive deals lost", Better::kLower},
    MetricInfo{"deadline_misses", "deals", "Committed dates missed", Better::kLower},
    MetricInfo{"requests_committed", "requests", "Dated requests the org committed to", Better::kNeither},
    MetricInfo{"requests_declined", "requests", "Dated requests declined as infeasible", Better::kNeither},
    MetricInfo{"launches_coordinated", "launches", "Releases launched with coordinated go-to-market", Better::kHigher},
    MetricInfo{"fit_mean", "0-1", "Time-average market-weighted product fit", Better::kHigher},
    MetricInfo{"fit_end", "0-1", "Market-weighted product fit at the horizon", Better::kHigher},
    MetricInfo{"need_estimate_error", "weight", "Mean |estimated - true| need weight of the prioritiser", Better::kLower},
    MetricInfo{"decision_quality", "ratio",
               "Mean percentile of picked items' true value density among eligible work (0.5 = random)", Better::kHigher},
    MetricInfo{"info_latency_days", "days",
               "Mean fastest-path latency from the market to engineers (structural: graph table, not traffic)", Better::kLower},
    MetricInfo{"info_fidelity", "0-1",
               "Mean most-reliable-path fidelity from the market to engineers (structural: graph table, not traffic)", Better::kHigher},
    MetricInfo{"info_hops", "hops", "Mean hops from the market to engineers", Better::kLower},
    MetricInfo{"components_without_pm", "components", "Connected components with product vertices removed", Better::kNeither},
    MetricInfo{"pairs_disconnected_without_pm", "fraction",
               "Share of function-anchor pairs disconnected without product vertices", Better::kNeither},
    MetricInfo{"anchor_latency_days", "days", "Mean latency between function anchors", Better::kNeither},
    MetricInfo{"anchor_latency_without_pm_days", "days",
               "Mean latency between function anchors without product vertices (reachable pairs)", Better::kNeither},
    MetricInfo{"headcount_end", "people", "Active people at the horizon", Better::kNeither},
    MetricInfo{"cost_total", "currency", "All costs over the horizon", Better::kLower},
    MetricInfo{"tech_debt_end", "units", "Tech debt at the horizon", Better::kLower},
    MetricInfo{"value_per_feature_day", "fit points/day",
               "Customer value delivered per engineer-day spent on features (ROI)", Better::kHigher},
    MetricInfo{"min_cash", "currency", "Lowest cash at any book", Better::kHigher},
    MetricInfo{"leads_cold", "leads", "Leads that went cold waiting for sales capacity", Better::kNeither},
    MetricInfo{"interviews", "interviews", "Customer discovery interviews", Better::kNeither},
    MetricInfo{"hires", "people", "People hired", Better::kNeither},
    MetricInfo{"measurements", "releases", "Releases whose outcome the PM measured", Better::kNeither},
    MetricInfo{"why_path_latency_days", "days",
               "Mean fastest-path latency of the customer why of customer-facing items started, market -> "
               "originator -> builder (reachable paths)", Better::kLower},
    MetricInfo{"why_path_fidelity", "0-1",
               "Mean graph fidelity of the customer why of customer-facing items started, market -> originator "
               "-> building team (0 when no path)", Better::kHigher},
    MetricInfo{"why_paths_broken", "fraction",
               "Share of customer-facing items started whose why had no path from the market to the builder", Better::kLower},
    MetricInfo{"signal_latency_days", "days",
               "Mean path latency of routed problem signals, observer -> owner (nearest PM, else the issuer)", Better::kLower},
    MetricInfo{"signal_fidelity", "0-1", "Mean path fidelity of routed problem signals, observer -> owner", Better::kHigher},
    MetricInfo{"signals_unreachable", "signals",
               "Problem signals the routing policy sent to product that found no path to an owner", Better::kLower},
    MetricInfo{"pm_contact_hours", "hours",
               "PM hours spent on contacts with other teams (pm.contact_hours_per_week per graph edge)", Better::kNeither},
};

}  // namespace

std::span<const MetricInfo> MetricCatalog() { return kCatalog; }

std::size_t MetricIndex(std::string_view name) {
  for (std::size_t i = 0; i < kCatalog.size(); ++i) {
    if (kCatalog[i].name == name) return i;
  }
  ORGSIM_CHECK(false, "unknown metric '" << name << "'");
  return 0;
}

void ValidateConfig(const ModelConfig& c) {
  // Every lever's own range is the schema's (the generated table); what
  // follows are the rules between fields.
  ForEachRangedValue(c, [](const FieldRange& range, double value, const std::string& path) {
    ORGSIM_CHECK(range.Contains(value), path << " = " << value << " not in " << IntervalText(range));
  });
  ORGSIM_CHECK(c.warmup_days < c.horizon_days, "warmup_days must be below horizon_days");
  const OrganizationConfig& org = c.organization;
  std::set<std::string> names;
  int engineers = 0;
  for (const TeamConfig& t : org.teams) {
    ORGSIM_CHECK(!t.name.empty(), "organization.teams: a team has no name");
    ORGSIM_CHECK(t.name.find('/') == std::string::npos && t.name != "market",
                 "organization.teams: team name '" << t.name << "' may not contain '/' or be 'market'");
    ORGSIM_CHECK(names.insert(t.name).second, "organization.teams: duplicate team name '" << t.name << "'");
    if (t.role == Role::kEngineering) engineers += std::max(t.initial_headcount, t.final_headcount);
  }
  for (const TeamConfig& t : org.teams) {
    ORGSIM_CHECK(t.reports_to.empty() || names.count(t.reports_to),
                 "organization.teams: team '" << t.name << "' reports_to unknown team '" << t.reports_to << "'");
  }
  ORGSIM_CHECK(engineers > 0, "organization.teams: at least one engineering team with people is required");
  const GraphConfig& g = org.graph;
  ORGSIM_CHECK(g.generator != GraphGenerator::kGraphml || !g.graphml_path.empty(),
               "organization.graph.graphml_path is required for generator GRAPHML");
  const MarketConfig& m = c.market;
  ORGSIM_CHECK(!c.mechanisms.market || !m.segments.empty(),
               "market.segments: at least one segment is required when mechanisms.market is on");
  std::set<std::string> segment_names;
  for (const SegmentConfig& s : m.segments) {
    ORGSIM_CHECK(!s.name.empty(), "market.segments: a segment has no name");
    ORGSIM_CHECK(segment_names.insert(s.name).second, "market.segments: duplicate name '" << s.name << "'");
    ORGSIM_CHECK(s.initial_customers <= s.potential_customers,
                 "market.segments[" << s.name << "].initial_customers = " << s.initial_customers
                                    << " exceeds potential_customers = " << s.potential_customers);
    if (!s.need_weights.empty()) {
      ORGSIM_CHECK(static_cast<int>(s.need_weights.size()) == m.problem_dimensions,
                   "market.segments.need_weights of '" << s.name << "' has " << s.need_weights.size()
                                                       << " values, problem_dimensions is "
                                                       << m.problem_dimensions);
      double sum = 0;
      for (double w : s.need_weights) sum += w;
      ORGSIM_CHECK(sum > 0, "market.segments.need_weights of '" << s.name << "' sum to zero");
    }
  }
  const WorkConfig& w = c.work;
  ORGSIM_CHECK(w.idea_p_neutral <= 1 - w.idea_p_good,
               "work.idea_p_neutral = " << w.idea_p_neutral << " exceeds 1 - work.idea_p_good = "
                                        << 1 - w.idea_p_good);
  ResolveSchedule(c);  // lever_schedule.h: every scheduled value valid where it applies
}

PreparedModel::PreparedModel(const ModelConfig& config)
    : impl_(std::make_unique<PreparedModelImpl>(config)) {}
PreparedModel::~PreparedModel() = default;
PreparedModel::PreparedModel(PreparedModel&&) noexcept = default;
PreparedModel& PreparedModel::operator=(PreparedModel&&) noexcept = default;
const ModelConfig& PreparedModel::config() const { return impl_->config; }

namespace {

void RegisterHandlers(World& w) {
  kernel::Simulation& sim = w.sim;
  const OperatingModelConfig& op = w.cfg.organization.operating;
  w.h.weekly = sim.RegisterHandler("model/weekly", [&w](kernel::EventPayload) {
    w.market.Weekly();
    w.delivery.Weekly();
    w.product.Weekly();
    const kernel::SimTime next = w.sim.Now() + kernel::Days(7);
    if (next <= w.horizon) w.sim.ScheduleAt(next, w.h.weekly, 0, Priority(Phase::kWeek));
  });
  w.h.sprint = sim.RegisterHandler("model/sprint", [&w, &op](kernel::EventPayload) {
    if (w.cfg.mechanisms.ceremonies && op.framework_adherence > 0) w.backlog.MakeAllEligible();
    if (op.roadmap_style == RoadmapStyle::kOutcomeDriven) w.backlog.Rescore();
    w.delivery.PullAll();
    const kernel::SimTime next = w.sim.Now() + kernel::Days(op.sprint_length_days);
    if (next <= w.horizon) w.sim.ScheduleAt(next, w.h.sprint, 0, Priority(Phase::kSprint));
  });
  w.h.planning = sim.RegisterHandler("model/planning", [&w, &op](kernel::EventPayload) {
    ApplyDueLeverChanges(w);  // lever_schedule.h: due changes before the plan
    w.product.Plan();
    const kernel::SimTime next = w.sim.Now() + kernel::Days(op.planning_interval_days);
    if (next <= w.horizon) w.sim.ScheduleAt(next, w.h.planning, 0, Priority(Phase::kPlanning));
  });
  w.h.month = sim.RegisterHandler("model/month", [&w](kernel::EventPayload month) {
    w.books.OnMonth(static_cast<int>(month));
  });
  w.h.lead = sim.RegisterHandler("market/lead", [&w](kernel::EventPayload s) {
    w.market.OnLead(static_cast<int>(s));
  });
  w.h.churn = sim.RegisterHandler("market/churn", [&w](kernel::EventPayload s) {
    w.market.OnChurn(static_cast<int>(s));
  });
  w.h.close = sim.RegisterHandler("sales/close", [&w](kernel::EventPayload lead) {
    w.sales.OnClose(static_cast<int>(lead));
  });
  w.h.completion = sim.RegisterHandler("delivery/completion", [&w](kernel::EventPayload e) {
    w.delivery.OnCompletion(static_cast<int>(e));
  });
  w.h.arrival = sim.RegisterHandler("work/arrival", [&w](kernel::EventPayload) {
    WorkItem item;
    item.source = ItemSource::kExogenous;
    item.effort = w.product.DrawEffort(w.rng.work_effort);
    item.est_effort = item.effort;
    item.created = w.sim.Now();
    if (w.trace.on()) {
      w.trace.Emit(w.sim.Now(), -1, "arrival", item.effort, 0, "work item arrives");
    }
    w.backlog.Add(item);
    const double gap = kernel::Exponential(w.rng.work_arrivals, 1.0 / w.cfg.work.exogenous_arrival_rate_per_day);
    const kernel::SimTime next = w.sim.Now() + kernel::Days(gap);
    if (next <= w.horizon) w.sim.ScheduleAt(next, w.h.arrival);
  });
  w.h.adoption = sim.RegisterHandler("product/adoption", [&w](kernel::EventPayload p) {
    w.product.OnAdoption(static_cast<int>(p));
  });
  w.h.signal = sim.RegisterHandler("product/signal", [&w](kernel::EventPayload i) {
    w.product.OnSignal(static_cast<int>(i));
  });
  w.h.measure = sim.RegisterHandler("product/measure", [&w](kernel::EventPayload i) {
    w.product.OnMeasure(static_cast<int>(i));
  });
}

double SafeDiv(double a, double b, double otherwise = 0.0) { return b != 0 ? a / b : otherwise; }

std::vector<double> Finish(World& w) {
  const kernel::SimTime end = w.horizon;
  w.books.Close();
  w.market.FinishAccounts(end);
  Recorder& r = w.rec;
  r.wip.Advance(end);
  r.backlog.Advance(end);
  r.alignment.Advance(end);
  r.fit.Set(end, w.market.MarketFit());
  const GraphMeasures& gm = w.prep.measures;
  const double window_days = kernel::ToDays(end - w.warmup);
  const double throughput = SafeDiv(static_cast<double>(r.items_completed), window_days);
  const double cycle = SafeDiv(r.cycle_sum_days, static_cast<double>(r.items_completed));
  const double wip_mean = r.wip.Mean(end);
  std::vector<double> m(kCatalog.size(), 0.0);
  auto set = [&m](std::string_view name, double value) { m[MetricIndex(name)] = value; };
  set("revenue_total", r.revenue_total);
  set("profit_total", r.revenue_total - r.cost_total);
  set("cash_end", w.books.cash());
  set("survived", r.survived ? 1.0 : 0.0);
  set("customers_end", w.market.active_accounts());
  set("arr_end", 12.0 * w.market.mrr());
  set("customer_value_delivered", r.customer_value);
  set("features_shipped", static_cast<double>(r.features_shipped));
  set("rework_fraction", SafeDiv(r.rework_done, r.effort_done));
  set("integration_rework_fraction", SafeDiv(r.integration_rework_done, r.effort_done));
  set("engineer_why_understanding", SafeDiv(r.understanding_weighted, r.understanding_weight, 1.0));
  set("alignment", r.alignment.Mean(end));
  set("time_to_pmf_days", r.pmf_reached ? r.pmf_day : kernel::ToDays(end));
  set("pmf_reached", r.pmf_reached ? 1.0 : 0.0);
  set("cycle_time_mean_days", cycle);
  set("wip_mean", wip_mean);
  set("throughput_per_day", throughput);
  set("pm_betweenness", gm.pm_betweenness);
  set("events", static_cast<double>(w.sim.events_processed()));
  set("lead_time_mean_days", SafeDiv(r.lead_sum_days, static_cast<double>(r.items_completed)));
  set("backlog_mean", r.backlog.Mean(end));
  set("littles_law_gap", SafeDiv(std::abs(wip_mean - throughput * cycle), wip_mean));
  set("items_completed", static_cast<double>(r.items_completed));
  set("decisions_adopted_share", SafeDiv(static_cast<double>(r.decisions_adopted), static_cast<double>(r.decisions_issued)));
  set("decision_latency_days", SafeDiv(r.decision_latency_sum, static_cast<double>(r.decisions_adopted)));
  set("signals_emitted", static_cast<double>(r.signals_emitted));
  set("signals_routed", static_cast<double>(r.signals_routed));
  set("signal_fix_days_mean", SafeDiv(r.signal_fix_days_sum, static_cast<double>(r.signal_fixes)));
  set("ceremony_hours", r.ceremony_hours);
  set("capacity_lost_fraction", SafeDiv(r.overhead_hours, r.engineer_hours));
  set("churned_customers", static_cast<double>(r.churned));
  set("deals_won", static_cast<double>(r.deals_won));
  set("deals_lost", static_cast<double>(r.deals_lost));
  set("win_rate", SafeDiv(static_cast<double>(r.deals_won), static_cast<double>(r.deals_won + r.deals_lost)));
  set("date_deals_won", static_cast<double>(r.date_deals_won));
  set("date_deals_lost", static_cast<double>(r.date_deals_lost));
  set("deadline_misses", static_cast<double>(r.deadline_misses));
  set("requests_committed", static_cast<double>(r.requests_committed));
  set("requests_declined", static_cast<double>(r.requests_declined));
  set("launches_coordinated", static_cast<double>(r.launches_coordinated));
  set("fit_mean", r.fit.Mean(end));
  set("fit_end", w.market.MarketFit());
  set("need_estimate_error", SafeDiv(r.need_error_sum, static_cast<double>(r.need_error_samples)));
  set("decision_quality", SafeDiv(r.decision_value_picked, static_cast<double>(r.decision_picks), 0.5));
  set("info_latency_days", gm.market_to_engineers_latency);
  set("info_fidelity", gm.market_to_engineers_fidelity);
  set("info_hops", gm.market_to_engineers_hops);
  set("components_without_pm", gm.components_without_pm);
  set("pairs_disconnected_without_pm", gm.anchor_pairs_disconnected_without_pm);
  set("anchor_latency_days", gm.anchor_latency_mean);
  set("anchor_latency_without_pm_days", gm.anchor_latency_mean_without_pm);
  set("headcount_end", w.books.headcount());
  set("cost_total", r.cost_total);
  set("tech_debt_end", w.delivery.debt());
  set("value_per_feature_day", SafeDiv(r.customer_value, r.feature_effort));
  set("min_cash", r.min_cash);
  set("leads_cold", static_cast<double>(r.leads_cold));
  set("interviews", static_cast<double>(r.interviews));
  set("hires", static_cast<double>(r.hires));
  set("measurements", static_cast<double>(r.measurements));
  const double why_paths = static_cast<double>(r.why_paths);
  const double why_reached = static_cast<double>(r.why_paths - r.why_paths_broken);
  set("why_path_latency_days", SafeDiv(r.why_latency_sum, why_reached));
  set("why_path_fidelity", SafeDiv(r.why_fidelity_sum, why_paths));
  set("why_paths_broken", SafeDiv(static_cast<double>(r.why_paths_broken), why_paths));
  set("signal_latency_days", SafeDiv(r.signal_latency_sum, static_cast<double>(r.signals_routed)));
  set("signal_fidelity", SafeDiv(r.signal_fidelity_sum, static_cast<double>(r.signals_routed)));
  set("signals_unreachable", static_cast<double>(r.signals_unreachable));
  set("pm_contact_hours", r.pm_contact_hours);
  return m;
}

}  // namespace

RunOutcome RunReplication(const PreparedModel& model, const kernel::StreamKey& replication_key,
                          const RunOptions& options) {
  World w(model.impl(), replication_key, options);
  RegisterHandlers(w);
  w.market.Init();
  w.sales.Init();
  w.delivery.Init();
  w.product.Init();
  w.books.Init();
  w.rec.backlog.Start(w.warmup, static_cast<double>(w.backlog.queued()));
  const OperatingModelConfig& op = w.cfg.organization.operating;
  w.sim.ScheduleAt(0, w.h.weekly, 0, Priority(Phase::kWeek));
  w.sim.ScheduleAt(0, w.h.planning, 0, Priority(Phase::kPlanning));
  if (kernel::Days(op.sprint_length_days) <= w.horizon) {
    w.sim.ScheduleAt(kernel::Days(op.sprint_length_days), w.h.sprint, 0, Priority(Phase::kSprint));
  }
  if (w.cfg.work.exogenous_arrival_rate_per_day > 0) {
    const double gap = kernel::Exponential(w.rng.work_arrivals, 1.0 / w.cfg.work.exogenous_arrival_rate_per_day);
    if (kernel::Days(gap) <= w.horizon) w.sim.ScheduleAt(kernel::Days(gap), w.h.arrival);
  }
  w.sim.SetStopFlag(options.cancel);
  w.sim.RunUntil(w.horizon);

  RunOutcome out;
  if (w.sim.stopped_by_flag()) {
    out.cancelled = true;
    out.events = w.sim.events_processed();
    return out;
  }
  out.metrics = Finish(w);
  out.events = w.sim.events_processed();
  w.rng.MixInto(w.sim);
  out.fingerprint = w.sim.fingerprint();
  out.series = std::move(w.series);
  if (options.record_stream_draws) {
    out.market_draws = w.rng.MarketDraws();
    for (const Account& a : w.market.accounts()) out.account_revenue_sum += a.accrued;
  }
  return out;
}

RunOutcome RunReplication(const ModelConfig& config, const kernel::StreamKey& replication_key,
                          const RunOptions& options) {
  const PreparedModel model(config);
  return RunReplication(model, replication_key, options);
}

}  // namespace orgsim::model
