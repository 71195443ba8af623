#include "engine/io/results_json.h"

#include <google/protobuf/util/json_util.h>

#include <string>

#include "proto/orgsim/results.pb.h"

namespace orgsim::io {
namespace {

using experiment::ExperimentReport;
using experiment::PointReport;

void FillPoint(const ExperimentReport& report, const PointReport& point, const std::string& db_path,
               orgsim::v1::ExperimentSummary& out) {
  out.set_scenario(report.scenario);
  out.set_scenario_hash(report.scenario_sha256);
  out.set_seed(report.seed);
  out.set_replications(report.replications);
  out.set_baseline(report.baseline);
  out.set_db_path(db_path);
  out.set_point(point.point);
  for (std::size_t i = 0; i < report.parameters.size(); ++i) {
    auto* p = out.add_parameters();
    p->set_path(report.parameters[i]);
    p->set_value(point.parameter_values[i]);
  }
  for (const experiment::ArmReport& arm : point.arms) {
    auto* a = out.add_arms();
    a->set_arm(arm.arm);
    a->set_runs_ok(arm.ok_runs);
    a->set_runs_failed(arm.failed_runs);
    for (std::size_t m = 0; m < report.metrics.size(); ++m) {
      const experiment::Summary& s = arm.metrics[m];
      auto* x = a->add_metrics();
      x->set_metric(report.metrics[m].name);
      x->set_unit(report.metrics[m].unit);
      x->set_n(s.n);
      x->set_mean(s.mean);
      x->set_sd(s.sd);
      x->set_ci95_low(s.ci_low);
      x->set_ci95_high(s.ci_high);
      x->set_median(s.median);
      x->set_q25(s.q25);
      x->set_q75(s.q75);
      x->set_min(s.min);
      x->set_max(s.max);
      if (experiment::IsCensoredAtHorizon(report.metrics[m].name)) x->set_censored_at_horizon(true);
    }
  }
  for (std::size_t m = 0; m < report.metrics.size(); ++m) {
    for (const experiment::PairedReport& paired : point.paired) {
      const experiment::PairedComparison& c = paired.metrics[m];
      auto* d = out.add_differences();
      d->set_metric(report.metrics[m].name);
      d->set_arm(paired.arm);
      d->set_baseline(paired.baseline);
      d->set_n(c.n);
      d->set_mean_diff(c.mean_diff);
      d->set_ci95_low(c.ci_low);
      d->set_ci95_high(c.ci_high);
      d->set_cohens_dz(c.cohens_dz);
      d->set_prob_superiority(c.prob_superiority);
      d->set_t_pvalue(c.t_pvalue);
      d->set_wilcoxon_pvalue(c.wilcoxon_pvalue);
      d->set_var_paired(c.var_diff);
      d->set_var_independent(c.var_independent);
      d->set_variance_reduction(c.variance_reduction);
      if (experiment::IsCensoredAtHorizon(report.metrics[m].name)) d->set_censored_at_horizon(true);
    }
  }
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = false;
  std::string json;
  const auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) return "{\"error\": \"cannot print summary as JSON\"}\n";
  return json;
}

}  // namespace

std::string RunSummaryJson(const ExperimentReport& report, const std::string& db_path) {
  orgsim::v1::ExperimentSummary summary;
  if (!report.points.empty()) FillPoint(report, report.points.front(), db_path, summary);
  return ToJson(summary);
}

std::string SweepSummaryJson(const ExperimentReport& report, const std::string& db_path) {
  orgsim::v1::SweepSummary summary;
  summary.set_scenario(report.scenario);
  summary.set_scenario_hash(report.scenario_sha256);
  summary.set_seed(report.seed);
  summary.set_replications(report.replications);
  for (const PointReport& point : report.points) {
    FillPoint(report, point, db_path, *summary.add_points());
  }
  for (const experiment::SobolReport& s : report.sobol) {
    for (std::size_t i = 0; i < s.result.indices.size(); ++i) {
      const experiment::SobolIndex& x = s.result.indices[i];
      auto* out = summary.add_sobol();
      out->set_arm(s.arm);
      out->set_metric(s.metric);
      out->set_parameter(report.parameters[i]);
      out->set_s1(x.first_order);
      out->set_s1_low(x.first_order_low);
      out->set_s1_high(x.first_order_high);
      out->set_st(x.total);
      out->set_st_low(x.total_low);
      out->set_st_high(x.total_high);
    }
  }
  return ToJson(summary);
}

}  // namespace orgsim::io
