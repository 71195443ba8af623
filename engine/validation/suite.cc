#include "engine/validation/suite.h"

#include <tbb/info.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "engine/experiment/memory_sink.h"
#include "engine/experiment/runner.h"
#include "engine/experiment/statistics.h"
#include "engine/io/experiment_setup.h"
#include "engine/io/scenario_loader.h"
#include "engine/kernel/sim_time.h"
#include "engine/model/beliefs.h"
#include "engine/model/presets.h"
#include "engine/model/run.h"
#include "engine/phold/phold.h"
#include "engine/validation/analytic.h"
#include "engine/validation/intray_queue.h"

namespace orgsim::validation {
namespace {

namespace fs = std::filesystem;
using experiment::RunKey;
using experiment::RunRecord;

constexpr double kEps = std::numeric_limits<double>::epsilon();
// Replications of a statistical check in the quick subset.
constexpr std::uint32_t kQuickReplications = 40;
// Half a kernel tick in days: the largest rounding of one scheduled delay.
constexpr double kHalfTickDays = 0.5 / (86400.0 * static_cast<double>(kernel::kTicksPerSecond));

// ---------------------------------------------------------------------------
// Running scenarios through the same path as `orgsim run`
// ---------------------------------------------------------------------------

struct ScenarioRuns {
  io::LoadedScenario scenario;
  std::vector<std::string> arms;       // compared arms, RunKey::arm order
  std::vector<std::size_t> arm_index;  // into scenario.arms
  std::uint32_t replications = 0;
  std::vector<RunRecord> records;           // plan order
  std::vector<std::string> series_columns;  // empty without series

  const model::ModelConfig& Config(std::size_t arm) const {
    return scenario.arms[arm_index[arm]].config;
  }
  // Records of one arm, in replication order (failed ones included).
  std::vector<const RunRecord*> Arm(std::size_t arm) const {
    std::vector<const RunRecord*> out;
    for (const RunRecord& r : records) {
      if (r.key.arm == arm) out.push_back(&r);
    }
    return out;
  }
  std::vector<double> Metric(std::size_t arm, std::string_view name) const {
    const std::size_t index = model::MetricIndex(name);
    std::vector<double> out;
    for (const RunRecord* r : Arm(arm)) {
      if (r->ok) out.push_back(r->metrics[index]);
    }
    return out;
  }
  std::size_t SeriesColumn(std::string_view name) const {
    for (std::size_t i = 0; i < series_columns.size(); ++i) {
      if (series_columns[i] == name) return i;
    }
    return series_columns.size();
  }
};

class Suite {
 public:
  explicit Suite(const SuiteOptions& options) : o_(options) {
    report_.quick = options.quick;
    report_.family_alpha = options.family_alpha;
    report_.threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
  }

  SuiteReport Run();

 private:
  // `fixed` > 0: that many replications (exact checks, Little's law);
  // 0: the statistical-check rule (--replications, else the scenario's own,
  // capped at kQuickReplications with --quick).
  std::optional<ScenarioRuns> RunScenario(const std::string& relative_path, std::uint32_t fixed,
                                          bool series);
  void Progress(const std::string& line) const {
    if (o_.progress != nullptr) o_.progress(line);
  }
  void Error(const std::string& message) { report_.errors.push_back(message); }

  void AddStatistical(std::string group, std::string name, std::string source,
                      const std::vector<double>& values, double analytic, std::string note);
  void AddExact(std::string group, std::string name, std::string source, std::uint64_t n,
                double estimate, double analytic, double tolerance, bool pass, std::string note);

  void QueueChecks(const std::string& path, const std::string& group);
  void BassChecks(const std::string& path);
  void RetentionChecks(const std::string& path);
  void AttritionChecks(const std::string& path);
  void VdtChecks(const std::string& path);
  void ConservationChecks(const std::string& path);
  void LittleChecks();
  void PholdChecks();
  void InTrayChecks();
  void AwarenessChecks();
  void DeGrootChecks();

  SuiteOptions o_;
  SuiteReport report_;
};

std::optional<ScenarioRuns> Suite::RunScenario(const std::string& relative_path,
                                               std::uint32_t fixed, bool series) {
  const std::string path = (fs::path(o_.root) / relative_path).string();
  io::LoadResult loaded = io::LoadScenarioFile(path);
  if (!loaded.ok()) {
    std::string message = relative_path + ": does not load:";
    for (const io::Diagnostic& d : loaded.diagnostics) message += " " + d.message + ";";
    Error(message);
    return std::nullopt;
  }
  ScenarioRuns runs;
  runs.scenario = std::move(*loaded.scenario);
  runs.scenario.path = relative_path;  // repository-relative in the report
  std::uint32_t replications = fixed;
  if (fixed == 0) {
    replications =
        o_.replications.value_or(o_.quick ? std::min(runs.scenario.replications, kQuickReplications)
                                          : runs.scenario.replications);
  }
  auto setup = io::SetUpExperiment(
      runs.scenario, {.design = io::DesignChoice::kSinglePoint,
                      .seed = o_.seed,
                      .replications = replications,
                      .series = series ? io::SeriesChoice::kMonthly : io::SeriesChoice::kNone});
  if (!setup.ok()) {
    Error(relative_path + ": " + setup.status().message());
    return std::nullopt;
  }
  runs.arms = setup->manifest.arms;
  runs.arm_index = runs.scenario.experiment.arms;
  if (runs.arm_index.empty()) {
    for (std::size_t i = 0; i < runs.scenario.arms.size(); ++i) runs.arm_index.push_back(i);
  }
  runs.replications = setup->manifest.replications;
  runs.series_columns = setup->manifest.series;
  experiment::MemorySink sink;
  const experiment::RunnerReport ran =
      experiment::RunPlan(setup->Plan(), setup->run, sink, {.threads = report_.threads});
  if (!ran.status.ok()) {
    Error(relative_path + ": " + ran.status.message());
    return std::nullopt;
  }
  runs.records = std::move(sink.records());
  ScenarioUsed used{.path = relative_path,
                    .sha256 = runs.scenario.sha256,
                    .seed = setup->manifest.seed,
                    .replications = runs.replications,
                    .runs = runs.records.size(),
                    .failed_runs = 0};
  for (const RunRecord& r : runs.records) {
    if (!r.ok) {
      ++used.failed_runs;
      if (used.failed_runs == 1) Error(relative_path + ": a run failed: " + r.error);
    }
  }
  // One entry per scenario file; a second use (Little's law) adds its runs.
  bool merged = false;
  for (ScenarioUsed& s : report_.scenarios) {
    if (s.path == used.path) {
      s.runs += used.runs;
      s.failed_runs += used.failed_runs;
      s.replications = std::max(s.replications, used.replications);
      merged = true;
    }
  }
  if (!merged) report_.scenarios.push_back(used);
  Progress(relative_path + ": " + std::to_string(runs.records.size()) + " runs");
  return runs;
}

void Suite::AddStatistical(std::string group, std::string name, std::string source,
                           const std::vector<double>& values, double analytic, std::string note) {
  Check c;
  c.group = std::move(group);
  c.name = std::move(name);
  c.source = std::move(source);
  c.statistical = true;
  c.analytic = analytic;
  c.note = std::move(note);
  c.n = values.size();
  if (values.size() >= 2) {
    const experiment::Summary s = experiment::Summarize(values, 0.95);
    c.estimate = s.mean;
    c.se = s.se;
    c.ci95_low = s.ci_low;
    c.ci95_high = s.ci_high;
  } else {
    c.estimate = values.empty() ? std::nan("") : values[0];
    c.se = c.ci95_low = c.ci95_high = std::nan("");
  }
  report_.checks.push_back(std::move(c));
}

void Suite::AddExact(std::string group, std::string name, std::string source, std::uint64_t n,
                     double estimate, double analytic, double tolerance, bool pass,
                     std::string note) {
  Check c;
  c.group = std::move(group);
  c.name = std::move(name);
  c.source = std::move(source);
  c.statistical = false;
  c.n = n;
  c.estimate = c.ci95_low = c.ci95_high = estimate;
  c.analytic = analytic;
  c.tolerance = tolerance;
  c.pass = pass;
  c.note = std::move(note);
  report_.checks.push_back(std::move(c));
}

std::string Num(double v, int digits = 4) {
  if (std::isnan(v)) return "n/a";
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*g", digits, v);
  return buffer;
}

// ---------------------------------------------------------------------------
// Degenerate configurations: what the config implies analytically
// ---------------------------------------------------------------------------

// Engineers' speed (ideal days per day) by the documented capacity formula
// (docs/model.md 7.5) for a config with no ramp-up (no hiring) and no debt
// drag; the empty string or why the formula does not apply.
std::string EngineerSpeed(const model::ModelConfig& c, double* speed, int* engineers) {
  const model::OperatingModelConfig& op = c.organization.operating;
  double hours_per_day = -1;
  *engineers = 0;
  for (const model::TeamConfig& t : c.organization.teams) {
    if (t.role != model::Role::kEngineering || t.initial_headcount == 0) continue;
    if (hours_per_day >= 0 && t.hours_per_day != hours_per_day) {
      return "engineering teams with different hours_per_day";
    }
    hours_per_day = t.hours_per_day;
    *engineers += t.initial_headcount;
  }
  if (*engineers == 0) return "no engineers";
  if (c.mechanisms.hiring || c.mechanisms.tech_debt) return "hiring or tech_debt is on";
  double overhead = 0;
  if (c.mechanisms.ceremonies) {
    if (op.framework_adherence != 0) return "framework_adherence > 0 batches work into sprints";
    overhead +=
        op.ceremony_hours_per_week + op.planning_hours_per_event * 7.0 / op.planning_interval_days;
  }
  if (c.mechanisms.interruptions) {
    overhead += op.interruption_hours_per_week *
                std::pow(1.0 - op.layer_shield_fraction, op.layers_between_engineers_and_customers);
  }
  if (op.layers_between_engineers_and_customers == 0)
    overhead += op.engineer_customer_hours_per_week;
  const double contract = hours_per_day * c.delivery.work_days_per_week;
  *speed = c.delivery.work_days_per_week / 7.0 * std::max(0.0, 1.0 - overhead / contract);
  if (*speed <= 0) return "engineers have no capacity";
  return "";
}

// A delivery stage that is an M/G/c FIFO queue: which one, or why not.
struct QueueSpec {
  int servers = 0;
  double lambda = 0;
  double service_mean = 0;
  double scv = 0;
  std::string distribution;
  std::string not_a_queue;  // non-empty: the config is not a plain queue
};

QueueSpec QueueFromConfig(const model::ModelConfig& c) {
  QueueSpec q;
  const model::MechanismConfig& m = c.mechanisms;
  if (m.market || m.sales || m.idea_generation || m.discovery || m.problem_signals || m.rework ||
      m.decisions) {
    q.not_a_queue = "an organizational mechanism is on";
    return q;
  }
  if (c.organization.operating.max_items_per_engineer != 1) {
    q.not_a_queue = "max_items_per_engineer != 1 (processor sharing)";
    return q;
  }
  if (c.organization.operating.wip_limit != 0) {
    q.not_a_queue = "a WIP limit is set";
    return q;
  }
  q.lambda = c.work.exogenous_arrival_rate_per_day;
  if (q.lambda <= 0) {
    q.not_a_queue = "no exogenous arrivals";
    return q;
  }
  double speed = 0;
  const std::string why = EngineerSpeed(c, &speed, &q.servers);
  if (!why.empty()) {
    q.not_a_queue = why;
    return q;
  }
  q.service_mean = c.work.effort_mean_days / speed;
  switch (c.work.effort_distribution) {
    case model::EffortDistribution::kExponential:
      q.scv = 1;
      q.distribution = "exponential";
      break;
    case model::EffortDistribution::kLognormal:
      q.scv = c.work.effort_cv * c.work.effort_cv;
      q.distribution = "lognormal cv " + Num(c.work.effort_cv);
      break;
    case model::EffortDistribution::kDeterministic:
      q.scv = 0;
      q.distribution = "deterministic";
      break;
  }
  if (q.lambda * q.service_mean >= q.servers) q.not_a_queue = "unstable: rho >= 1";
  if (q.servers > 1 && q.scv != 1) q.not_a_queue = "M/G/c with c > 1 has no closed form here";
  return q;
}

void Suite::QueueChecks(const std::string& path, const std::string& group) {
  std::optional<ScenarioRuns> runs = RunScenario(path, 0, false);
  if (!runs) return;
  for (std::size_t arm = 0; arm < runs->arms.size(); ++arm) {
    const QueueSpec q = QueueFromConfig(runs->Config(arm));
    if (!q.not_a_queue.empty()) {
      Error(path + " arm " + runs->arms[arm] + ": not a plain queue: " + q.not_a_queue);
      continue;
    }
    const QueueMeans means = q.servers == 1 && q.scv != 1
                                 ? Mg1Means(q.lambda, q.service_mean, q.scv)
                                 : MmcMeans(q.servers, q.lambda, 1.0 / q.service_mean);
    const double rho = q.lambda * q.service_mean / q.servers;
    const std::string label = "c=" + std::to_string(q.servers) + " rho=" + Num(rho, 3) + ": ";
    const std::string formula =
        q.servers == 1 && q.scv != 1
            ? "Pollaczek-Khinchine, " + q.distribution + " effort"
            : (q.servers == 1 ? "M/M/1"
                              : "Erlang C C=" + Num(ErlangC(q.servers, q.lambda * q.service_mean)));
    const std::string where = path + (runs->arms.size() > 1 ? " [" + runs->arms[arm] + "]" : "");
    AddStatistical(group, label + "sojourn W (lead_time_mean_days)", where,
                   runs->Metric(arm, "lead_time_mean_days"), means.sojourn, formula);
    AddStatistical(group, label + "service E[S] (cycle_time_mean_days)", where,
                   runs->Metric(arm, "cycle_time_mean_days"), means.service,
                   "effort mean / engineer speed");
    AddStatistical(group, label + "busy engineers lambda E[S] (wip_mean)", where,
                   runs->Metric(arm, "wip_mean"), means.in_service, "Little's law on the servers");
    AddStatistical(group, label + "queue Lq (backlog_mean)", where,
                   runs->Metric(arm, "backlog_mean"), means.in_queue, formula);
    std::vector<double> system;
    const std::vector<double> wip = runs->Metric(arm, "wip_mean");
    const std::vector<double> backlog = runs->Metric(arm, "backlog_mean");
    for (std::size_t i = 0; i < wip.size(); ++i) system.push_back(wip[i] + backlog[i]);
    AddStatistical(group, label + "in system L = lambda W (wip_mean + backlog_mean)", where, system,
                   means.in_system, formula + ", L = lambda W");
    AddStatistical(group, label + "throughput lambda (throughput_per_day)", where,
                   runs->Metric(arm, "throughput_per_day"), q.lambda, "arrival rate");
  }
}

void Suite::BassChecks(const std::string& path) {
  std::optional<ScenarioRuns> runs = RunScenario(path, 0, true);
  if (!runs) return;
  for (std::size_t arm = 0; arm < runs->arms.size(); ++arm) {
    const model::ModelConfig& c = runs->Config(arm);
    const model::MechanismConfig& m = c.mechanisms;
    const model::MarketConfig& mc = c.market;
    std::string why;
    if (mc.segments.size() != 1)
      why = "needs exactly one segment";
    else if (!m.market || m.sales || m.hiring)
      why = "needs market on, sales and hiring off";
    else if (mc.segments[0].base_monthly_churn != 0 || mc.segments[0].initial_customers != 0)
      why = "needs no churn and no initial customers";
    else if (m.retention)
      why = "needs mechanisms.retention off (its per-account churn)";
    else if (m.awareness)
      why = "needs mechanisms.awareness off (its goodwill stock and paid leads)";
    else if (mc.adoption_fit_exponent != 0 || mc.competitor.enabled || mc.marketing_lift != 0 ||
             mc.launch_boost != 0 || c.finance.marketing_spend_per_month != 0) {
      why = "product fit, competitor, marketing or launches change the adoption rate";
    } else if (mc.segments[0].bass_p <= 0) {
      why = "needs bass_p > 0";
    } else if (m.funnel && (mc.funnel.qualify_rate != 1 || mc.funnel.opportunity_rate != 1 ||
                            mc.funnel.fit_exponent != 0)) {
      why = "a funnel must convert every lead (stage rates 1, fit exponent 0)";
    }
    if (!why.empty()) {
      Error(path + ": not a pure Bass configuration: " + why);
      continue;
    }
    const model::SegmentConfig& s = mc.segments[0];
    const std::size_t day_col = runs->SeriesColumn("day");
    const std::size_t customers_col = runs->SeriesColumn("customers");
    const std::size_t width = runs->series_columns.size();
    std::vector<double> years;
    for (double y : {1.0, 2.0, 3.0, 5.0, 7.0, 10.0}) {
      if (y * 365.0 <= c.horizon_days + 1e-9) years.push_back(y);
    }
    const std::vector<double> exact =
        BassStochasticMean(s.potential_customers, s.bass_p, s.bass_q, years);
    for (std::size_t i = 0; i < years.size(); ++i) {
      std::vector<double> values;
      bool found_all = true;
      for (const RunRecord* r : runs->Arm(arm)) {
        if (!r->ok) continue;
        bool found = false;
        for (std::size_t row = 0; row + 1 <= r->series.size() / width; ++row) {
          const double day = r->series[row * width + day_col];
          if (std::abs(day - years[i] * 365.0) < 1e-6) {
            values.push_back(r->series[row * width + customers_col]);
            found = true;
            break;
          }
        }
        found_all = found_all && found;
      }
      if (!found_all) {
        Error(path + ": no monthly book at day " + Num(years[i] * 365.0));
        continue;
      }
      const double closed =
          s.potential_customers * BassCumulativeFraction(s.bass_p, s.bass_q, years[i]);
      AddStatistical(
          "Bass", "customers at year " + Num(years[i]) + " (monthly series)", path, values,
          exact[i],
          "exact E[N(t)] of the stochastic Bass chain; closed form m F(t) = " + Num(closed, 6));
    }
  }
}

void Suite::RetentionChecks(const std::string& path) {
  std::optional<ScenarioRuns> runs = RunScenario(path, 0, true);
  if (!runs) return;
  for (std::size_t arm = 0; arm < runs->arms.size(); ++arm) {
    const model::ModelConfig& c = runs->Config(arm);
    const model::MarketConfig& mc = c.market;
    const model::RetentionConfig& rc = mc.retention;
    std::string why;
    if (mc.segments.size() != 1)
      why = "needs exactly one segment";
    else if (!c.mechanisms.market || !c.mechanisms.retention)
      why = "needs market and retention on";
    else if (mc.segments[0].bass_p != 0 || mc.segments[0].bass_q != 0)
      why = "needs no new leads";
    else if (mc.segments[0].price_cv != 0 || rc.size_elasticity != 0)
      why = "needs one price or no size effect";
    else if (rc.early_tenure_boost != 0 || mc.churn_fit_elasticity != 0 || mc.competitor.enabled ||
             mc.segments[0].request_share != 0) {
      why = "tenure, fit, requests or a competitor change the hazard";
    } else if (rc.expansion_probability != 0 || rc.contraction_probability != 0) {
      why = "needs no expansion or contraction";
    }
    for (const model::TeamConfig& t : c.organization.teams) {
      if (t.role == model::Role::kCustomerSuccess) why = "customer success changes the hazard";
    }
    if (!why.empty()) {
      Error(path + ": not a constant-hazard cohort: " + why);
      continue;
    }
    const double n0 = mc.segments[0].initial_customers;
    const double h = -std::log1p(-rc.monthly_churn_at_reference);  // per month
    const double months = c.horizon_days / (365.0 / 12.0);
    const double survive = std::exp(-h * months);
    const std::string form = "share retained exp(-h t), h = -ln(1 - " +
                             Num(rc.monthly_churn_at_reference) +
                             ") per month, t = " + Num(months) + " months";
    AddStatistical("Retention", "logo churn of the cohort over the run", path,
                   runs->Metric(arm, "logo_churn_annual"), 1.0 - survive, "1 - " + form);
    AddStatistical("Retention", "net revenue retention of the cohort (one price)", path,
                   runs->Metric(arm, "net_revenue_retention"), survive, form);
    // Accounts at month ends from the monthly series: N0 exp(-h k).
    const std::size_t day_col = runs->SeriesColumn("day");
    const std::size_t customers_col = runs->SeriesColumn("customers");
    const std::size_t width = runs->series_columns.size();
    for (int k : {3, 6}) {
      const double day = 365.0 / 12.0 * k;
      if (day > c.horizon_days + 1e-9) continue;
      std::vector<double> values;
      for (const RunRecord* r : runs->Arm(arm)) {
        if (!r->ok) continue;
        for (std::size_t row = 0; row < r->series.size() / width; ++row) {
          if (std::abs(r->series[row * width + day_col] - day) < 1e-6) {
            values.push_back(r->series[row * width + customers_col]);
            break;
          }
        }
      }
      AddStatistical(
          "Retention", "accounts at month " + std::to_string(k) + " (monthly series)", path, values,
          n0 * std::exp(-h * k),
          "N0 exp(-h t), N0 = " + Num(n0, 6) + "; mean lifetime 1/h = " + Num(1.0 / h) + " months");
    }
  }
}

void Suite::AttritionChecks(const std::string& path) {
  std::optional<ScenarioRuns> runs = RunScenario(path, 0, false);
  if (!runs) return;
  for (std::size_t arm = 0; arm < runs->arms.size(); ++arm) {
    const model::ModelConfig& c = runs->Config(arm);
    const model::WorkforceConfig& wf = c.organization.workforce;
    std::string why;
    if (!c.mechanisms.workforce)
      why = "needs mechanisms.workforce on";
    else if (c.mechanisms.hiring)
      why = "needs no hiring";
    else if (wf.replacement_days != 0)
      why = "needs replacement_days 0 (every seat always filled)";
    else if (wf.objection_attrition_gain != 0 || wf.pressure_attrition_gain != 0)
      why = "pressure or objections change the hazard";
    if (!why.empty()) {
      Error(path + ": not a constant attrition hazard: " + why);
      continue;
    }
    AddStatistical("Attrition", "leavers per engineer-year (attrition_annual)", path,
                   runs->Metric(arm, "attrition_annual"), wf.attrition_per_year,
                   "constant hazard lambda = " + Num(wf.attrition_per_year) +
                       "/year, seats refilled at once: each seat a Poisson process of rate "
                       "lambda, so E[leavers / engineer-years] = lambda (mean tenure 1/lambda = " +
                       Num(1.0 / wf.attrition_per_year) + " years)");
  }
}

void Suite::VdtChecks(const std::string& path) {
  std::optional<ScenarioRuns> runs = RunScenario(path, 0, false);
  if (!runs) return;
  for (std::size_t arm = 0; arm < runs->arms.size(); ++arm) {
    const model::ModelConfig& c = runs->Config(arm);
    const model::MechanismConfig& m = c.mechanisms;
    std::string why;
    double speed = 0;
    int engineers = 0;
    why = EngineerSpeed(c, &speed, &engineers);
    if (why.empty()) {
      if (m.rework || m.interruptions || m.discovery || m.problem_signals || m.decisions ||
          m.sales) {
        why = "rework, interruptions, discovery, signals, decisions or sales is on";
      } else if (!m.idea_generation || !m.market) {
        why = "the initial backlog needs idea_generation and market on";
      } else if (c.work.effort_distribution != model::EffortDistribution::kDeterministic) {
        why = "effort is not deterministic";
      } else if (c.work.exogenous_arrival_rate_per_day != 0 ||
                 c.work.executive_ideas_per_week != 0 || c.work.engineering_ideas_per_week != 0) {
        why = "work arrives after t = 0";
      } else if (c.organization.operating.max_items_per_engineer != 1) {
        why = "max_items_per_engineer != 1";
      } else if (c.warmup_days != 0) {
        why = "warm-up must be 0 (every release is counted)";
      } else {
        for (const model::SegmentConfig& s : c.market.segments) {
          if (s.bass_p != 0 || s.bass_q != 0 || s.initial_customers != 0)
            why = "the market produces leads";
        }
      }
    }
    if (!why.empty()) {
      Error(path + " arm " + runs->arms[arm] + ": not a noise-free schedule: " + why);
      continue;
    }
    const int n = c.work.initial_backlog;
    const double duration = c.work.effort_mean_days / speed;
    // The list schedule: item k (start order) ends in wave floor(k/c) + 1.
    std::vector<double> dates;
    double sum = 0;
    for (int k = 0; k < n; ++k) {
      dates.push_back((k / engineers + 1) * duration);
      sum += dates.back();
    }
    const int waves = (n + engineers - 1) / engineers;
    const double makespan = waves * duration;
    if (makespan > c.horizon_days) {
      Error(path + " arm " + runs->arms[arm] + ": the horizon ends before the last release");
      continue;
    }
    const std::string where = path + " [" + runs->arms[arm] + "]";
    const std::string label =
        "c=" + std::to_string(engineers) + " N=" + std::to_string(n) + " s=" + Num(speed) + ": ";
    // Each wave's completion is scheduled from the previous one, rounded to
    // the nearest tick: wave w is off by at most w half-ticks.
    const double date_tol = waves * kHalfTickDays + 4 * kEps * makespan;
    // Aggregates from the runner (identical in every replication).
    auto exact_metric = [&](const std::string& name, const std::string& metric, double analytic,
                            double tol, const std::string& note) {
      const std::vector<double> v = runs->Metric(arm, metric);
      double worst = 0, shown = v.empty() ? std::nan("") : v[0];
      for (double x : v) {
        if (std::abs(x - analytic) >= worst) {
          worst = std::abs(x - analytic);
          shown = x;
        }
      }
      const bool pass = !v.empty() && v.size() == runs->replications && worst <= tol;
      AddExact("VDT", label + name, where, v.size(), shown, analytic, tol, pass, note);
    };
    exact_metric("items released (items_completed)", "items_completed", n, 0, "all N items");
    exact_metric("duration of each item (cycle_time_mean_days)", "cycle_time_mean_days", duration,
                 kHalfTickDays + 4 * kEps * duration, "E / s");
    exact_metric("mean release date (lead_time_mean_days)", "lead_time_mean_days", sum / n,
                 date_tol + 4 * n * kEps * makespan, "mean of (floor(k/c)+1) E/s");
    exact_metric("busy engineers (wip_mean)", "wip_mean", n * duration / c.horizon_days,
                 n * (kHalfTickDays + 4 * kEps * makespan) / c.horizon_days,
                 "N E / (s H): total busy time over the horizon");
    // Every release date, from one traced replication of the same arm
    // config (tracing never changes a draw, docs/model.md 4).
    std::vector<double> released;
    try {
      model::RunOptions options;
      options.trace = [&released](const model::TraceEvent& e) {
        if (e.kind == "release") released.push_back(kernel::ToDays(e.time));
      };
      model::RunReplication(
          c,
          kernel::StreamKey{
              .seed = runs->scenario.seed, .design_point = 0, .replication = 0, .stream = 0},
          options);
    } catch (const std::exception& e) {
      Error(where + ": traced run failed: " + e.what());
      continue;
    }
    std::sort(released.begin(), released.end());
    double worst = released.size() == dates.size() ? 0 : std::numeric_limits<double>::infinity();
    double worst_date = released.empty() ? std::nan("") : released.back();
    double worst_analytic = makespan;
    for (std::size_t k = 0; k < std::min(released.size(), dates.size()); ++k) {
      if (std::abs(released[k] - dates[k]) > worst) {
        worst = std::abs(released[k] - dates[k]);
        worst_date = released[k];
        worst_analytic = dates[k];
      }
    }
    std::string list;
    for (std::size_t k = 0; k < released.size(); ++k) list += (k ? ", " : "") + Num(released[k], 6);
    AddExact("VDT", label + "every release date (trace, worst item)", where, released.size(),
             worst_date, worst_analytic, date_tol, worst <= date_tol,
             "released on days " + list + "; makespan ceil(N/c) E/s = " + Num(makespan, 6));
  }
}

void Suite::ConservationChecks(const std::string& path) {
  std::optional<ScenarioRuns> runs = RunScenario(path, o_.quick ? 4 : 30, true);
  if (!runs) return;
  const std::size_t width = runs->series_columns.size();
  const std::size_t rev_col = runs->SeriesColumn("revenue");
  const std::size_t profit_col = runs->SeriesColumn("profit");
  const std::size_t cash_col = runs->SeriesColumn("cash");
  const std::size_t customers_col = runs->SeriesColumn("customers");
  const std::size_t revenue_total = model::MetricIndex("revenue_total");
  const std::size_t cost_total = model::MetricIndex("cost_total");
  const std::size_t cash_end = model::MetricIndex("cash_end");
  const std::size_t customers_end = model::MetricIndex("customers_end");
  const std::size_t deals_won = model::MetricIndex("deals_won");
  const std::size_t churned = model::MetricIndex("churned_customers");
  for (std::size_t arm = 0; arm < runs->arms.size(); ++arm) {
    const model::ModelConfig& c = runs->Config(arm);
    const double initial = c.finance.initial_cash;
    int initial_customers = 0;
    for (const model::SegmentConfig& s : c.market.segments)
      initial_customers += s.initial_customers;
    const std::string where = path + " [" + runs->arms[arm] + "]";
    // Cash at every book; the bound is the classic one for recursive
    // summation, 2 (k + 2) eps x sum of |terms| (Higham, Accuracy and
    // Stability of Numerical Algorithms, 2nd ed., 4.2), as the model and
    // this check each sum k + 1 terms.
    std::uint64_t books = 0, runs_ok = 0;
    double worst_ratio = 0, worst_error = 0, worst_bound = 0;
    double totals_ratio = 0, totals_error = 0, totals_bound = 0;
    double customers_error = 0;
    std::uint64_t customer_rows = 0;
    for (const RunRecord* r : runs->Arm(arm)) {
      if (!r->ok) continue;
      ++runs_ok;
      double cash = initial, magnitude = std::abs(initial), revenue_sum = 0, cost_sum = 0;
      const std::size_t rows = r->series.size() / width;
      for (std::size_t row = 0; row < rows; ++row) {
        const double revenue = r->series[row * width + rev_col];
        const double profit = r->series[row * width + profit_col];
        const double cost = revenue - profit;
        cash += revenue - cost;
        revenue_sum += revenue;
        cost_sum += cost;
        magnitude += std::abs(revenue) + std::abs(cost);
        const double bound = 2.0 * (row + 3) * kEps * magnitude;
        const double error = std::abs(r->series[row * width + cash_col] - cash);
        ++books;
        if (error / bound > worst_ratio || books == 1) {
          worst_ratio = error / bound;
          worst_error = error;
          worst_bound = bound;
        }
      }
      // Totals: cash_end = initial + revenue_total - cost_total, and the
      // series' sums equal the totals.
      const double bound = 2.0 * (rows + 3) * kEps * magnitude;
      const double errors[] = {
          std::abs(r->metrics[cash_end] -
                   (initial + r->metrics[revenue_total] - r->metrics[cost_total])),
          std::abs(r->metrics[revenue_total] - revenue_sum),
          std::abs(r->metrics[cost_total] - cost_sum)};
      for (double e : errors) {
        if (e / bound > totals_ratio) {
          totals_ratio = e / bound;
          totals_error = e;
          totals_bound = bound;
        }
      }
      if (totals_bound == 0) totals_bound = bound;
      // Accounts: active = initial + acquired - churned, where the model books
      // its initial accounts as deals won at t = 0 (acquired = won - initial).
      const double acquired = r->metrics[deals_won] - initial_customers;
      customers_error =
          std::max(customers_error, std::abs(r->metrics[customers_end] -
                                             (initial_customers + acquired - r->metrics[churned])));
      if (rows > 0) {
        customers_error = std::max(
            customers_error,
            std::abs(r->series[(rows - 1) * width + customers_col] - r->metrics[customers_end]));
        ++customer_rows;
      }
    }
    const bool any = runs_ok > 0 && runs_ok == runs->replications;
    AddExact("Conservation", "cash = initial + sum(revenue - costs) at every monthly book", where,
             books, worst_error, 0, worst_bound, any && worst_ratio <= 1,
             std::to_string(books) + " books in " + std::to_string(runs_ok) +
                 " runs; worst |error| / rounding bound = " + Num(worst_ratio, 3));
    AddExact("Conservation",
             "cash_end = initial + revenue_total - cost_total; totals = sums of months", where,
             3 * runs_ok, totals_error, 0, totals_bound, any && totals_ratio <= 1,
             "worst |error| / rounding bound = " + Num(totals_ratio, 3));
    AddExact(
        "Conservation", "customers_end = initial + acquired - churned (= last monthly count)",
        where, runs_ok, customers_error, 0, 0,
        any && customers_error == 0 && customer_rows == runs_ok,
        "initial " + std::to_string(initial_customers) +
            "; acquired = deals_won - initial (initial accounts are booked as deals won at t = 0)");
  }
}

// Every *.textproto under scenarios/, sorted (the shipped scenarios).
std::vector<std::string> ShippedScenarios(const std::string& root) {
  std::vector<std::string> out;
  const fs::path dir = fs::path(root) / "scenarios";
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".textproto") {
      out.push_back(fs::relative(it->path(), root).generic_string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Most items the delivery stage can hold at once: every engineer the
// config can ever have (hires included) times max_items_per_engineer,
// capped by the WIP limit.
double DeliveryCapacity(const model::ModelConfig& c) {
  double engineers = 0;
  for (const model::TeamConfig& t : c.organization.teams) {
    if (t.role == model::Role::kEngineering)
      engineers += std::max(t.initial_headcount, t.final_headcount);
  }
  double cap = engineers * c.organization.operating.max_items_per_engineer;
  if (c.organization.operating.wip_limit > 0)
    cap = std::min<double>(cap, c.organization.operating.wip_limit);
  return cap;
}

void Suite::LittleChecks() {
  std::vector<std::string> files = ShippedScenarios(o_.root);
  if (files.empty()) {
    Error("no scenarios under " + o_.root + "/scenarios");
    return;
  }
  const std::size_t wip = model::MetricIndex("wip_mean");
  const std::size_t throughput = model::MetricIndex("throughput_per_day");
  const std::size_t cycle = model::MetricIndex("cycle_time_mean_days");
  const std::size_t completed = model::MetricIndex("items_completed");
  for (const std::string& file : files) {
    std::optional<ScenarioRuns> runs = RunScenario(file, o_.quick ? 2 : 20, true);
    if (!runs) continue;
    const std::size_t width = runs->series_columns.size();
    const std::size_t wip_col = runs->SeriesColumn("wip");
    const std::size_t day_col = runs->SeriesColumn("day");
    for (std::size_t arm = 0; arm < runs->arms.size(); ++arm) {
      const model::ModelConfig& c = runs->Config(arm);
      const double window = c.horizon_days - c.warmup_days;
      const double cap = DeliveryCapacity(c);
      std::uint64_t n = 0;
      bool pass = runs->Arm(arm).size() == runs->replications;
      double worst_ratio = -1, worst_gap = 0, worst_tol = 0, largest_relative = 0;
      for (const RunRecord* r : runs->Arm(arm)) {
        if (!r->ok) {
          pass = false;
          continue;
        }
        ++n;
        const double l = r->metrics[wip];
        const double lambda_w = r->metrics[throughput] * r->metrics[cycle];
        const double gap = l - lambda_w;
        // Items in progress at the horizon: the last book is at the horizon.
        const std::size_t rows = width > 0 ? r->series.size() / width : 0;
        double at_end = cap;
        if (rows > 0 && std::abs(r->series[(rows - 1) * width + day_col] - c.horizon_days) < 1e-6) {
          at_end = r->series[(rows - 1) * width + wip_col];
        }
        // gap T = A_end - A_start (see LittleText): A_end <= n(b) T and
        // A_start <= cap x warm-up; plus the rounding of the two sums, each
        // of at most ~2 terms per item (gamma_n bound, Higham 2002, 4.2).
        const double rounding =
            4.0 * (r->metrics[completed] + cap + 2) * kEps * (std::abs(l) + std::abs(lambda_w));
        const double upper = at_end + rounding;
        const double lower = -cap * c.warmup_days / window - rounding;
        const double tol = gap >= 0 ? upper : -lower;
        const bool ok = gap <= upper && gap >= lower;
        pass = pass && ok;
        const double ratio = tol > 0 ? std::abs(gap) / tol : (gap == 0 ? 0 : 1e300);
        if (ratio > worst_ratio) {
          worst_ratio = ratio;
          worst_gap = gap;
          worst_tol = tol;
        }
        if (l > 0) largest_relative = std::max(largest_relative, std::abs(gap) / l);
      }
      AddExact("Little", "L - lambda W within the window-edge bound, every run",
               file + " [" + runs->arms[arm] + "]", n, worst_gap, 0, worst_tol, pass && n > 0,
               "largest |L - lambda W| / L = " + Num(largest_relative, 3) + "; warm-up " +
                   Num(c.warmup_days) + " of " + Num(c.horizon_days) + " days");
    }
  }
}

void Suite::PholdChecks() {
  struct Case {
    double lookahead, mean;
  };
  const std::vector<Case> cases = {{0.0, 1.0}, {0.5, 1.0}, {1.0, 0.25}};
  const std::uint32_t lps = 64, per_lp = 4;
  const double end = 200;
  const std::uint32_t reps = o_.replications.value_or(o_.quick ? 20 : 100);
  const std::uint64_t seed = o_.seed.value_or(1);
  experiment::WorkPlan plan{
      .points = 1, .arms = static_cast<std::uint32_t>(cases.size()), .replications = reps};
  experiment::MemorySink sink;
  auto run = [&](const RunKey& key, RunRecord& record) {
    bench::PholdConfig config{.lps = lps,
                              .per_lp = per_lp,
                              .end = end,
                              .mean = cases[key.arm].mean,
                              .lookahead = cases[key.arm].lookahead,
                              .remote = 1.0,
                              .seed = seed * 1000003 + key.replication};
    record.metrics = {static_cast<double>(bench::RunPhold(config).events)};
  };
  const experiment::RunnerReport ran =
      experiment::RunPlan(plan, run, sink, {.threads = report_.threads});
  if (!ran.status.ok()) {
    Error("PHOLD: " + ran.status.message());
    return;
  }
  for (std::size_t i = 0; i < cases.size(); ++i) {
    std::vector<double> counts;
    for (const RunRecord& r : sink.records()) {
      if (r.key.arm == i && r.ok) counts.push_back(r.metrics[0]);
    }
    const double chains = static_cast<double>(lps) * per_lp;
    const double exact =
        chains * PholdExpectedEventsPerChain(cases[i].lookahead, cases[i].mean, end);
    const double elementary = chains * end / (cases[i].lookahead + cases[i].mean);
    AddStatistical("PHOLD",
                   "N=" + std::to_string(lps) + " M=" + std::to_string(per_lp) + " T=" + Num(end) +
                       " lookahead=" + Num(cases[i].lookahead) + " mean=" + Num(cases[i].mean) +
                       ": events",
                   "engine/phold/phold.h", counts, exact,
                   "N M M(T), renewal function; N M T/(lookahead+mean) = " + Num(elementary, 8));
  }
  Progress("PHOLD: " + std::to_string(sink.records().size()) + " runs");
}

void Suite::InTrayChecks() {
  const std::vector<double> loads = {0.3, 0.6, 0.8};
  const double horizon = 2000;
  const std::uint32_t reps = o_.replications.value_or(o_.quick ? 20 : 100);
  const std::uint64_t seed = o_.seed.value_or(1);
  experiment::WorkPlan plan{
      .points = 1, .arms = static_cast<std::uint32_t>(loads.size()), .replications = reps};
  experiment::MemorySink sink;
  auto run = [&](const RunKey& key, RunRecord& record) {
    const kernel::StreamKey stream{
        .seed = seed, .design_point = key.arm, .replication = key.replication};
    const InTrayQueueRun r =
        RunInTrayQueue({.rho = loads[key.arm], .horizon_days = horizon}, stream);
    record.metrics = {r.mean_wait_days, r.utilization};
  };
  const experiment::RunnerReport ran =
      experiment::RunPlan(plan, run, sink, {.threads = report_.threads});
  if (!ran.status.ok()) {
    Error("in-tray M/M/1: " + ran.status.message());
    return;
  }
  for (std::size_t i = 0; i < loads.size(); ++i) {
    std::vector<double> waits, utilizations;
    for (const RunRecord& r : sink.records()) {
      if (r.key.arm != i || !r.ok) continue;
      waits.push_back(r.metrics[0]);
      utilizations.push_back(r.metrics[1]);
    }
    const double rho = loads[i], lambda = 1.0, mu = 1.0 / rho;
    const std::string label = "rho=" + Num(rho, 3) + " lambda=1/day: ";
    AddStatistical("In-tray M/M/1", label + "queue wait Wq (pm_queue_wait_days)",
                   "engine/model/attention_queue.h", waits, rho / (mu - lambda),
                   "Wq = rho/(mu - lambda); exponential handling, FIFO, stationary start, T = " +
                       Num(horizon) + " days");
    AddStatistical("In-tray M/M/1", label + "utilization (pm_utilization)",
                   "engine/model/attention_queue.h", utilizations, rho,
                   "busy share of attention = rho");
  }
  Progress("in-tray M/M/1: " + std::to_string(sink.records().size()) + " runs");
}

void Suite::AwarenessChecks() {
  // The goodwill stock under constant content spend (no launches, no
  // marketers, no allocation): dA/dt = e·spend·12/1000 − δ·A settles at
  // A* = spend × effect / decay (Nerlove & Arrow 1962). Exact: the weekly
  // step integrates the ODE exactly, so after 8 years (e^(−δ·8) < 1e-13)
  // the stock equals A* up to rounding.
  model::ModelConfig c = model::HeadlineCompany();
  c.horizon_days = 8 * 365;
  c.mechanisms.awareness = true;
  c.mechanisms.capital_allocation = false;
  c.market.segments.resize(1);
  c.market.marketing_lift = 0;
  model::AwarenessConfig& ac = c.market.awareness;
  ac.content_share = 1;
  ac.paid_share = 0;
  ac.launch_effect = 0;
  ac.launch_marketing_hours = 0;
  const double spend = c.finance.marketing_spend_per_month;
  const double analytic = spend * 12.0 / 1000.0 * ac.content_effect / ac.decay_per_year;
  const kernel::StreamKey key{.seed = o_.seed.value_or(1), .design_point = 0, .replication = 0};
  const model::RunOutcome out = model::RunReplication(c, key, {});
  const double stock = out.Metric("awareness_end");
  const double tolerance = 1e-9 * std::max(1.0, analytic);
  AddExact("Awareness", "goodwill stock at steady state under constant content spend",
           "engine/model/awareness.h", 1, stock, analytic, tolerance,
           std::abs(stock - analytic) <= tolerance,
           "A* = spend x effect / decay = " + Num(spend) + "/month x 12/1000 x " +
               Num(ac.content_effect) + " / " + Num(ac.decay_per_year) + " per year");
  Progress("awareness steady state: 1 run");
}

void Suite::DeGrootChecks() {
  // Symmetric trust graphs with self-trust 1 (connected, aperiodic), the
  // module's own ceremony step (model::DeGrootStep, weight c) repeated with
  // no new information; Golub & Jackson (2010): with W_ij = a_ij / Σ_k a_ik
  // and a symmetric, every belief converges to Σ_i π_i x_i(0) with the left
  // eigenvector π_i = Σ_j a_ij / Σ_kj a_kj.
  struct Case {
    const char* name;
    int n;
    std::vector<double> trust;  // symmetric, row-major
    double c;
  };
  const std::vector<Case> cases = {
      {"path of 4 (fidelities 0.8, 0.5, 0.9)",
       4,
       {1, 0.8, 0, 0, 0.8, 1, 0.5, 0, 0, 0.5, 1, 0.9, 0, 0, 0.9, 1},
       0.3},
      {"star of 5 (a hub PM, fidelity 0.7)",
       5,
       {1, 0.7, 0.7, 0.7, 0.7, 0.7, 1, 0, 0, 0, 0.7, 0, 1, 0, 0, 0.7, 0, 0, 1, 0, 0.7, 0, 0, 0, 1},
       0.5},
      {"complete graph of 3 (fidelities 0.9, 0.6, 0.4)",
       3,
       {1, 0.9, 0.6, 0.9, 1, 0.4, 0.6, 0.4, 1},
       1.0},
  };
  const int steps = 2000;
  for (const Case& k : cases) {
    std::vector<double> w = k.trust;
    std::vector<double> degree(k.n, 0.0);
    double total = 0.0;
    for (int i = 0; i < k.n; ++i) {
      for (int j = 0; j < k.n; ++j) degree[i] += k.trust[i * k.n + j];
      total += degree[i];
    }
    model::RowNormalise(w, k.n);
    // Two values per agent (a need weight on two dimensions).
    std::vector<double> x(2 * k.n);
    for (int i = 0; i < k.n; ++i) {
      x[2 * i] = 0.1 + 0.15 * i;
      x[2 * i + 1] = 0.5 - 0.07 * i * i;
    }
    double consensus[2] = {0, 0};
    for (int i = 0; i < k.n; ++i) {
      for (int v = 0; v < 2; ++v) consensus[v] += degree[i] / total * x[2 * i + v];
    }
    for (int s = 0; s < steps; ++s) model::DeGrootStep(w, k.n, 2, k.c, x);
    for (int v = 0; v < 2; ++v) {
      double worst = 0, shown = x[v];
      for (int i = 0; i < k.n; ++i) {
        if (std::abs(x[2 * i + v] - consensus[v]) >= worst) {
          worst = std::abs(x[2 * i + v] - consensus[v]);
          shown = x[2 * i + v];
        }
      }
      const double tol = 1e-9;
      AddExact("DeGroot",
               std::string(k.name) + ", c=" + Num(k.c, 2) + ": value " + std::to_string(v + 1) +
                   " after " + std::to_string(steps) + " steps",
               "engine/model/beliefs.h", static_cast<std::uint64_t>(k.n), shown, consensus[v], tol,
               worst <= tol, "pi_i = sum_j a_ij / sum_kj a_kj (Golub & Jackson 2010)");
    }
  }
  Progress("DeGroot: " + std::to_string(cases.size()) + " trust graphs");
}

SuiteReport Suite::Run() {
  const auto start = std::chrono::steady_clock::now();
  auto guarded = [&](const std::string& what, auto&& step) {
    try {
      step();
    } catch (const std::exception& e) {
      Error(what + ": " + e.what());
    }
  };
  // The quick subset runs every check with fewer replications.
  guarded("M/M/1", [&] { QueueChecks("scenarios/validation/mm1.textproto", "M/M/1"); });
  guarded("M/M/1", [&] { QueueChecks("scenarios/validation/mm1_high_load.textproto", "M/M/1"); });
  guarded("M/M/c", [&] { QueueChecks("scenarios/validation/mmc_two.textproto", "M/M/c"); });
  guarded("M/M/c", [&] { QueueChecks("scenarios/validation/mmc.textproto", "M/M/c"); });
  guarded("M/G/1", [&] { QueueChecks("scenarios/validation/mg1_lognormal.textproto", "M/G/1"); });
  guarded("M/G/1", [&] { QueueChecks("scenarios/validation/mg1.textproto", "M/G/1"); });
  guarded("Bass", [&] { BassChecks("scenarios/validation/bass.textproto"); });
  guarded("Bass", [&] { BassChecks("scenarios/validation/bass_unit_funnel.textproto"); });
  guarded("Retention", [&] { RetentionChecks("scenarios/validation/retention_cohort.textproto"); });
  guarded("Attrition",
          [&] { AttritionChecks("scenarios/validation/workforce_attrition.textproto"); });
  guarded("VDT", [&] { VdtChecks("scenarios/validation/vdt_list_schedule.textproto"); });
  guarded("Conservation",
          [&] { ConservationChecks("scenarios/product_led_vs_project_mode.textproto"); });
  guarded("Conservation", [&] { ConservationChecks("scenarios/stable_market.textproto"); });
  guarded("Little", [&] { LittleChecks(); });
  guarded("PHOLD", [&] { PholdChecks(); });
  guarded("In-tray M/M/1", [&] { InTrayChecks(); });
  guarded("Awareness", [&] { AwarenessChecks(); });
  guarded("DeGroot", [&] { DeGrootChecks(); });

  // Bonferroni over the statistical checks.
  std::uint64_t k = 0;
  for (const Check& c : report_.checks) k += c.statistical ? 1 : 0;
  report_.statistical_checks = k;
  report_.per_check_alpha = k > 0 ? o_.family_alpha / static_cast<double>(k) : o_.family_alpha;
  for (Check& c : report_.checks) {
    if (!c.statistical) continue;
    if (c.n < 2 || !std::isfinite(c.se)) {
      c.pass = false;
      c.tolerance = std::nan("");
      continue;
    }
    const double t =
        experiment::StudentTQuantile(1 - report_.per_check_alpha / 2, static_cast<double>(c.n - 1));
    c.tolerance = t * c.se;
    c.pass = std::abs(c.estimate - c.analytic) <= c.tolerance;
  }
  report_.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report_;
}

}  // namespace

std::size_t SuiteReport::Failed() const {
  std::size_t n = 0;
  for (const Check& c : checks) n += c.pass ? 0 : 1;
  return n;
}

SuiteReport RunSuite(const SuiteOptions& options) { return Suite(options).Run(); }

std::string FormatText(const SuiteReport& report) {
  std::ostringstream out;
  for (const Check& c : report.checks) {
    out << (c.pass ? "PASS " : "FAIL ") << c.group << " | " << c.name << " | " << c.source
        << " | est " << Num(c.estimate, 6) << " analytic " << Num(c.analytic, 6) << " |diff| "
        << Num(std::abs(c.estimate - c.analytic), 3) << " tol " << Num(c.tolerance, 3) << "\n";
  }
  for (const std::string& e : report.errors) out << "ERROR " << e << "\n";
  out << report.checks.size() << " checks, " << report.Failed() << " failed, "
      << report.errors.size() << " errors\n";
  return out.str();
}

namespace {

// What each group checks and why its tolerance is what it is (the
// document's prose; the numbers all come from the report).
struct GroupText {
  const char* group;
  const char* title;
  const char* text;
};

constexpr GroupText kGroups[] = {
    {"M/M/1", "M/M/1 at several loads",
     "One engineer, Poisson arrivals (`work.exogenous_arrival_rate_per_day`), exponential effort, "
     "every "
     "organizational mechanism off and seven-day weeks: the delivery stage is an M/M/1 FIFO queue. "
     "The model's `lead_time_mean_days` (creation to release) is the sojourn time W, "
     "`cycle_time_mean_days` (start to release) the service time, `wip_mean` the time-average "
     "number "
     "in service, `backlog_mean` the time-average queue Lq; L = `wip_mean` + `backlog_mean` is "
     "checked "
     "against lambda W (Little's law with the analytic W). Each estimate is the mean over "
     "replications "
     "of a per-run window mean over [warm-up, horizon]; each scenario's warm-up exceeds ten "
     "relaxation "
     "times 1/(c mu (1 - sqrt(rho))^2) (Morse), so what is left of the empty start is far below "
     "the "
     "standard error (the scenario files give the numbers). The analytic values are computed from "
     "the "
     "loaded config (rates, effort, engineers, capacity), not typed in."},
    {"M/M/c", "M/M/c (Erlang C) at several c",
     "As M/M/1 with c engineers: W = C(c, a)/(c mu - lambda) + 1/mu with Erlang's C formula."},
    {"M/G/1", "M/G/1 (Pollaczek–Khinchine)",
     "One engineer with lognormal effort (mean 1, cv 1.5) and with deterministic effort (M/D/1): "
     "W = E[S] + lambda E[S^2] / (2 (1 - rho))."},
    {"Bass", "Market adoption against Bass diffusion",
     "One segment, leads convert at once (`mechanisms.sales` off), no churn, product fit does not "
     "enter "
     "adoption (exponent 0), no marketing, launches or competitor: each prospect adopts at rate "
     "(p + q N/m) per year, so N(t) is the pure-birth Bass chain. The analytic value is the exact "
     "E[N(t)] of that chain (forward equations solved by uniformization); the deterministic closed "
     "form "
     "m F(t) is its mean-field limit and is shown in the notes. Because the birth rate is concave "
     "in N, "
     "E[N(t)] <= m F(t) (Jensen); for m = 1000 the gap is a few adopters, comparable to the "
     "standard error "
     "with 200 replications, which is why the check uses the exact mean. Customers are read from "
     "the "
     "monthly time series at whole years. The second scenario (`bass_unit_funnel`) runs the same "
     "market through `mechanisms.funnel` with conversion 1 at both stages and no fit dependence: "
     "self-serve, the stages decide at once, so a unit funnel must reduce to the same chain."},
    {"Attrition", "Engineer attrition with a constant hazard (exponential tenure)",
     "Workforce dynamics (`mechanisms.workforce`) with every cause of extra attrition off (no "
     "schedule pressure gain, no overruled objections), no hiring and replacements on the day a "
     "person leaves: each engineer's tenure is exponential with the hazard lambda = "
     "`attrition_per_year` (the Exp(1) threshold crossed by the integrated constant hazard), so "
     "every seat is a Poisson process of rate lambda and leavers per filled engineer-year "
     "(`attrition_annual`) has mean lambda."},
    {"VDT", "Noise-free delivery dates (the Virtual Design Team's degenerate check)",
     "With every source of noise and every exception off, delivery dates must equal the schedule "
     "the "
     "work implies. orgsim has no precedence between work items, so the critical path is the "
     "resource-constrained one: N items of equal deterministic effort E, all in the backlog at t = "
     "0, "
     "on c engineers of speed s (the documented capacity formula, here with and without 5 ceremony "
     "hours "
     "and 5-day weeks): item k (start order) is released on day (floor(k/c) + 1) E/s and the "
     "makespan "
     "is ceil(N/c) E/s. Checked: the number of releases, each item's duration, the mean release "
     "date "
     "and the busy time from the runner's metrics in every replication, and every single release "
     "date "
     "from a traced run of the same config. Tolerance: each wave's completion is scheduled from "
     "the "
     "previous one and rounded to the nearest microsecond tick, so wave w may be off by w "
     "half-ticks "
     "(plus double rounding); no statistical slack. Not checked: precedence networks (the model "
     "has "
     "none) and heterogeneous efforts."},
    {"Conservation", "Conservation of money and accounts",
     "Headline-scenario companies with every mechanism on, monthly books recorded: at every book, "
     "cash "
     "equals initial cash plus the sum of monthly revenue minus costs (costs = revenue - profit of "
     "the "
     "month); cash_end = initial + revenue_total - cost_total and the totals equal the sums of the "
     "months; active accounts at the end = initial + acquired - churned, and equal the last "
     "monthly "
     "count. Tolerance: the recursive-summation rounding bound 2 (k + 2) eps x sum of |terms| "
     "after k "
     "books (Higham 2002, 4.2); integer counts must match exactly."},
    {"Little", "Little's law on every run of every shipped scenario",
     ""},  // filled from LittleText()
    {"PHOLD", "PHOLD event counts",
     "The kernel's PHOLD (engine/phold/phold.h), N x M event chains, each a renewal process with "
     "inter-event "
     "time lookahead + Exp(mean). The expected count is N M M(T) with the renewal function M(T) = "
     "sum_k P(k lookahead + Gamma(k, mean) <= T); for lookahead 0 that is exactly N M T/mean, for "
     "lookahead > 0 it lies below N M T/(lookahead + mean) by about N M lookahead (2 mean + "
     "lookahead)/"
     "(2 (lookahead + mean)^2) (shown in the notes). Delays are rounded to the microsecond tick, "
     "which "
     "moves the count by far less than its standard error."},
    {"In-tray M/M/1", "A PM's in-tray as an M/M/1 queue",
     "One holder of the model's attention queue (engine/model/attention_queue.h, the code every "
     "in-tray of a replication runs with `mechanisms.intray`) with one hour of attention a day, "
     "Poisson messages at lambda = 1/day and exponential handling of mean rho hours (mu = 1/rho "
     "per "
     "day), FIFO. The queue starts in its stationary state (a geometric number of messages, P(N = "
     "n) "
     "= (1 - rho) rho^n, not measured), messages arrive over T = 2000 days and the run continues "
     "until each has been handled. Per run: the mean wait of the arrivals from arrival to the "
     "start "
     "of handling (what `pm_queue_wait_days` averages) against Wq = rho/(mu - lambda), and the "
     "attention hours spent over [0, T] / hours available (what `pm_utilization` is) against rho "
     "(engine/validation/intray_queue.h)."},
    {"DeGroot", "DeGroot averaging converges to the eigenvector-weighted consensus",
     "The ceremony step of `mechanisms.beliefs` (model::DeGrootStep, engine/model/beliefs.h: x <- "
     "(1 - c) x + c W x) repeated 2000 times with no new information on three small connected "
     "trust graphs with self-trust 1 and symmetric trust a_ij (a path, a star around a hub, a "
     "complete graph), W_ij = a_ij / sum_k a_ik. DeGroot (1974): every belief converges to the "
     "consensus pi x(0), pi the left unit eigenvector of W; for symmetric trust pi_i = sum_j a_ij "
     "/ sum_kj a_kj (Golub & Jackson 2010). Each agent's final value must match to 1e-9."},
};

std::string LittleText() {
  return "For every shipped scenario (`scenarios/**/*.textproto`, every arm, the replications in "
         "the "
         "table; each run with its monthly books) the delivery stage's time-average WIP L "
         "(`wip_mean`), "
         "throughput lambda (`throughput_per_day`) and mean start-to-release time W "
         "(`cycle_time_mean_days`) are measured over the window [a, b] = [warm-up, horizon], T = b "
         "- a. "
         "On a finite window Little's law is the sample-path identity\n\n"
         "    L T = lambda W T + A_end - A_start,\n\n"
         "A_end = time inside the window of the items still in progress at b, A_start = time "
         "before a "
         "of the items completed in the window (both >= 0). So L - lambda W is not zero on a "
         "finite "
         "window, and its size is bounded by what the run itself records: A_end <= n(b) T with "
         "n(b) "
         "the items in progress at the horizon (the last monthly book is at the horizon), and "
         "A_start "
         "<= n_max a with n_max the most items delivery can hold (engineers incl. hires x "
         "max_items_per_engineer, or the WIP limit). A run passes when\n\n"
         "    -n_max a / T <= L - lambda W <= n(b)\n\n"
         "(plus floating-point rounding of the two sums); the estimate column shows the worst "
         "run's "
         "L - lambda W and tol the bound on its side. This is a true bound, not a statistical "
         "tolerance, but it is loose: it checks the sign of the edge effect (with no warm-up, L >= "
         "lambda W exactly) and that its size is that of the work in progress at the edges. The "
         "note "
         "gives the largest relative gap |L - lambda W| / L, the size of the edge effect; in the "
         "queue scenarios, with long windows, it is small, and the statistical queue checks above "
         "compare L with lambda W using the analytic W. An exact per-run check of the identity "
         "needs A_end and A_start as run metrics, which the model does not report yet.";
}

std::string Cell(const std::string& s) {
  std::string out;
  for (char ch : s) out += ch == '|' ? std::string("\\|") : std::string(1, ch);
  return out;
}

}  // namespace

std::string FormatMarkdown(const SuiteReport& report, const std::string& command) {
  std::ostringstream md;
  md << "# Model validation against closed forms\n\n";
  md << "<!-- GENERATED by `" << command << "` — do not edit by hand; regenerate instead. -->\n\n";
  md << "This file is generated by `orgsim validate-model` (code: `engine/validation/`). "
        "Regenerate it "
        "from the repository root with\n\n```sh\n./build/"
     << command << "\n```\n\n";
  md << "Seeds: "
     << (report.scenarios.empty()
             ? std::string("-")
             : std::string("each scenario's own, listed with its SHA-256 under Inputs"))
     << " (`--seed` overrides them all). The numbers depend only on the code, the scenario files, "
        "the seeds and the replications, not on `--threads`.\n\n";
  md << "**Result: " << report.checks.size() << " checks, " << report.Failed() << " failed";
  if (!report.errors.empty()) md << ", " << report.errors.size() << " errors";
  md << (report.AllPass() ? " — all pass." : " — NOT all pass.") << "**"
     << (report.quick ? " (quick subset)" : " (full suite)") << "\n\n";
  for (const std::string& e : report.errors) md << "- ERROR: " << Cell(e) << "\n";
  if (!report.errors.empty()) md << "\n";

  md << "## Pass rule\n\n";
  md << "- **Statistical checks** (" << report.statistical_checks
     << "): the estimate is the mean over independent replications, SE its standard error. A check "
        "passes when |estimate - analytic| <= t x SE, with t the Student-t quantile (n - 1 degrees "
        "of freedom) at two-sided level alpha/K = "
     << Num(report.family_alpha, 3) << "/" << report.statistical_checks << " = "
     << Num(report.per_check_alpha, 3)
     << " (Bonferroni over the K statistical checks), so the probability that a correct model "
        "fails "
        "any of them is at most "
     << Num(report.family_alpha, 3)
     << ". The 95% CI of the estimate is shown as well. Seeds are fixed, so the document is "
        "reproducible byte for byte.\n";
  md << "- **Exact checks**: deterministic runs and accounting identities. They pass when the "
        "difference is within the rounding bound stated for each (tick rounding, floating-point "
        "summation); there is no statistical slack.\n";
  md << "- Columns: *estimate* (exact checks: the worst case found), *95% CI*, *analytic*, *tol* "
        "(the allowed |estimate - analytic|), *n* (replications, or values compared).\n\n";

  md << "## Inputs\n\n";
  md << "| scenario | SHA-256 | seed | replications | runs |\n|---|---|---|---|---|\n";
  for (const ScenarioUsed& s : report.scenarios) {
    md << "| `" << s.path << "` | `" << s.sha256 << "` | " << s.seed << " | " << s.replications
       << " | " << s.runs
       << (s.failed_runs > 0 ? " (" + std::to_string(s.failed_runs) + " failed)" : "") << " |\n";
  }
  md << "\nPHOLD (`engine/phold/phold.h`) runs with seeds seed x 1000003 + r, seed = "
     << "the `--seed` value or 1.\n\n";

  for (const GroupText& g : kGroups) {
    bool any = false;
    for (const Check& c : report.checks) any = any || c.group == g.group;
    if (!any) continue;
    md << "## " << g.title << "\n\n";
    if (std::string(g.group) == "Little") {
      md << LittleText() << "\n\n";
    } else {
      md << g.text << "\n\n";
    }
    md << "| check | source | n | estimate | 95% CI | analytic | tol | pass | note |\n"
       << "|---|---|---|---|---|---|---|---|---|\n";
    for (const Check& c : report.checks) {
      if (c.group != g.group) continue;
      md << "| " << Cell(c.name) << " | `" << Cell(c.source) << "` | " << c.n << " | "
         << Num(c.estimate, 6) << " | ";
      if (c.statistical) {
        md << "[" << Num(c.ci95_low, 6) << ", " << Num(c.ci95_high, 6) << "]";
      } else {
        md << "exact";
      }
      md << " | " << Num(c.analytic, 6) << " | " << Num(c.tolerance, 3) << " | "
         << (c.pass ? "pass" : "**FAIL**") << " | " << Cell(c.note) << " |\n";
    }
    md << "\n";
  }
  return md.str();
}

}  // namespace orgsim::validation
