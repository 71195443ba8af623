#include "engine/report/narrative.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "engine/kernel/sim_time.h"
#include "engine/report/charts.h"
#include "engine/report/svg.h"

namespace orgsim::report {
namespace {

constexpr double kMonthDays = 365.0 / 12.0;

// "1 account" / "3 accounts".
std::string Count(long n, const std::string& singular, const std::string& plural) {
  return std::to_string(n) + " " + (n == 1 ? singular : plural);
}

// Joins clauses as "a, b and c".
std::string JoinAnd(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += i + 1 == parts.size() ? " and " : ", ";
    out += parts[i];
  }
  return out;
}

// Money without the sign handling of ShortNumber's "−" for negatives in
// the middle of a sentence.
std::string Money(double v) { return ShortNumber(v, 3); }

struct Month {
  long leads = 0, leads_request = 0;
  long deals_won = 0, deals_lost = 0, leads_cold = 0;
  double new_mrr = 0;
  long initial_accounts = 0;  // accounts the company has at t = 0
  double initial_mrr = 0;
  long churned = 0;
  double lost_mrr = 0;
  double churn_fit_factor = 0;  // largest fit factor of a churn's hazard
  long jumps_sales = 0, jumps_founder = 0;
  std::set<std::string> jump_engineers;
  long dates_missed = 0;
  double dates_missed_mrr = 0;
  long lost_no_commitment = 0, lost_declined = 0;
  double lost_request_mrr = 0;
  long rework_distance = 0, rework_spec = 0, rework_buy_in = 0;
  long started = 0, started_pm_ranked = 0;
  long released = 0, coordinated = 0;
  long rework = 0;
  long integration_rework = 0;  // conflicts with concurrent work ceremonies missed
  long signals_unreachable = 0;
  long arrivals = 0;
  long decisions = 0;
  std::vector<std::string> adopted, not_adopted;
  long adopted_by_authority = 0;
  long signals = 0;
  std::vector<std::string> hires;
  long lever_changes = 0;  // by a lever schedule
  bool pmf = false;
  bool books = false;
  double revenue = 0, cash = 0;
  std::map<std::string, long> other;  // kinds the narrator does not know
  std::vector<const TraceRecord*> events;
};

// "team sales" from "team sales adopts the plan ...": the team's name.
std::string TeamFromText(const std::string& text) {
  if (text.rfind("team ", 0) != 0) return "";
  const auto end = text.find(' ', 5);
  return text.substr(5, end == std::string::npos ? std::string::npos : end - 5);
}

}  // namespace

TraceRecord ToRecord(const model::TraceEvent& event) {
  TraceRecord r;
  r.day = kernel::ToDays(event.time);
  r.agent = event.agent;
  r.agent_name = std::string(event.agent_name);
  r.kind = std::string(event.kind);
  r.value1 = event.value1;
  r.value2 = event.value2;
  r.text = event.text;
  return r;
}

model::TraceSink TraceLog::Sink() {
  return [this](const model::TraceEvent& event) {
    ++seen_;
    if (max_records_ == 0 || records_.size() < max_records_) records_.push_back(ToRecord(event));
  };
}

int MonthOfDay(double day) { return static_cast<int>(std::floor(day / kMonthDays)) + 1; }

std::string TraceJsonLine(const TraceRecord& record) {
  nlohmann::ordered_json j;
  j["day"] = std::round(record.day * 1e6) / 1e6;
  j["month"] = MonthOfDay(record.day);
  j["agent"] = record.agent;
  j["agent_name"] = record.agent_name;
  j["kind"] = record.kind;
  j["value1"] = std::isfinite(record.value1) ? nlohmann::ordered_json(record.value1)
                                             : nlohmann::ordered_json();
  j["value2"] = std::isfinite(record.value2) ? nlohmann::ordered_json(record.value2)
                                             : nlohmann::ordered_json();
  j["text"] = record.text;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> Narrate(std::span<const TraceRecord> records,
                                 const StoryOptions& options) {
  std::map<int, Month> months;
  for (const TraceRecord& r : records) {
    // The books close a month at its last instant: they tell about the
    // month that ended, not the one that starts.
    int m = r.kind == "books" ? std::max(1, static_cast<int>(std::lround(r.day / kMonthDays)))
                              : MonthOfDay(r.day);
    if (options.horizon_days > 0) {
      m = std::min(
          m, std::max(1, static_cast<int>(std::ceil(options.horizon_days / kMonthDays - 1e-9))));
    }
    Month& month = months[m];
    month.events.push_back(&r);
    if (r.kind == "lead") {
      ++month.leads;
      if (r.text.find("request") != std::string::npos) ++month.leads_request;
    } else if (r.kind == "deal_won" && r.day == 0.0 && r.agent < 0) {
      ++month.initial_accounts;
      month.initial_mrr += r.value1;
    } else if (r.kind == "deal_won") {
      ++month.deals_won;
      month.new_mrr += r.value1;
    } else if (r.kind == "deal_lost") {
      ++month.deals_lost;
    } else if (r.kind == "lead_cold") {
      ++month.leads_cold;
    } else if (r.kind == "churn") {
      ++month.churned;
      month.lost_mrr += r.value1;
      month.churn_fit_factor = std::max(month.churn_fit_factor, r.value2);
    } else if (r.kind == "roadmap_jump") {
      ++(r.value2 == 3 ? month.jumps_sales : month.jumps_founder);
      month.jump_engineers.insert(r.agent_name);
    } else if (r.kind == "date_missed") {
      ++month.dates_missed;
      month.dates_missed_mrr += r.value2;
    } else if (r.kind == "request_lost_deal") {
      ++(r.value1 == 1 ? month.lost_no_commitment : month.lost_declined);
      month.lost_request_mrr += r.value2;
    } else if (r.kind == "start") {
      ++month.started;
      if (r.text.find("PM ranking") != std::string::npos) ++month.started_pm_ranked;
    } else if (r.kind == "release") {
      ++month.released;
      if (r.text.find("coordinated launch") != std::string::npos) ++month.coordinated;
    } else if (r.kind == "rework") {
      ++month.rework;
      if (r.text.find("between customers and builders") != std::string::npos)
        ++month.rework_distance;
      if (r.text.find("under-specified") != std::string::npos) ++month.rework_spec;
      if (r.text.find("buy-in") != std::string::npos) ++month.rework_buy_in;
    } else if (r.kind == "integration_rework") {
      ++month.integration_rework;
    } else if (r.kind == "signal_unreachable") {
      ++month.signals_unreachable;
    } else if (r.kind == "arrival") {
      ++month.arrivals;
    } else if (r.kind == "decision") {
      ++month.decisions;
    } else if (r.kind == "adopted") {
      month.adopted.push_back(TeamFromText(r.text));
      if (r.value1 != 0) ++month.adopted_by_authority;
    } else if (r.kind == "not_adopted") {
      month.not_adopted.push_back(TeamFromText(r.text));
    } else if (r.kind == "signal") {
      ++month.signals;
    } else if (r.kind == "hire") {
      month.hires.push_back(r.agent_name);
    } else if (r.kind == "lever_change") {
      ++month.lever_changes;
    } else if (r.kind == "pmf") {
      month.pmf = true;
    } else if (r.kind == "books") {
      month.books = true;
      month.revenue = r.value1;
      month.cash = r.value2;
    } else {
      ++month.other[r.kind];
    }
  }

  std::vector<std::string> lines;
  bool cash_negative_told = false;
  for (const auto& [m, month] : months) {
    std::vector<std::string> clauses;
    if (month.initial_accounts > 0) {
      clauses.push_back("the company started with " +
                        Count(month.initial_accounts, "account", "accounts") + " (" +
                        Money(month.initial_mrr) + " MRR)");
    }
    // Sales and the market.
    std::vector<std::string> sales;
    if (month.deals_won > 0) {
      sales.push_back("won " + Count(month.deals_won, "account", "accounts") + " (+" +
                      Money(month.new_mrr) + " MRR)");
    }
    if (month.deals_lost > 0) sales.push_back("lost " + Count(month.deals_lost, "deal", "deals"));
    if (month.leads_cold > 0)
      sales.push_back("let " + Count(month.leads_cold, "lead", "leads") + " go cold");
    if (!sales.empty()) clauses.push_back("sales " + JoinAnd(sales));
    if (month.leads_request > 0) {
      clauses.push_back(Count(month.leads_request, "prospect", "prospects") +
                        " came with a feature request of their own");
    }
    if (month.dates_missed > 0) {
      clauses.push_back(Count(month.dates_missed, "committed date", "committed dates") +
                        " slipped and " +
                        (month.dates_missed == 1 ? "its deal was" : "their deals were") +
                        " lost (" + Money(month.dates_missed_mrr) + " MRR)");
    }
    if (month.lost_no_commitment > 0) {
      clauses.push_back(Count(month.lost_no_commitment, "buyer", "buyers") +
                        " who needed a dated feature walked away without a committed date");
    }
    if (month.lost_declined > 0) {
      clauses.push_back(Count(month.lost_declined, "deal", "deals") + " lost after " +
                        (month.lost_declined == 1 ? "its" : "their") +
                        " dated request was declined as infeasible");
    }
    if (month.churned > 0) {
      std::string c = Count(month.churned, "account", "accounts") + " churned (−" +
                      Money(month.lost_mrr) + " MRR";
      if (month.churn_fit_factor > 1.05) {
        c += "; poor fit had raised the churn rate ×" + ShortNumber(month.churn_fit_factor, 2);
      }
      clauses.push_back(c + ")");
    }
    // Product decisions and adoption (influence without authority).
    if (month.decisions > 0) {
      clauses.push_back(month.decisions == 1
                            ? "product published a new plan"
                            : "product published " + std::to_string(month.decisions) + " plans");
    }
    if (!month.not_adopted.empty()) {
      clauses.push_back((month.not_adopted.size() == 1 ? "team " : "teams ") +
                        JoinAnd(month.not_adopted) +
                        (month.not_adopted.size() == 1 ? " did" : " did") + " not adopt the plan");
    }
    if (!month.adopted.empty()) {
      std::string c =
          (month.adopted.size() == 1 ? "team " : "teams ") + JoinAnd(month.adopted) + " adopted it";
      if (month.adopted_by_authority > 0) {
        c += month.adopted_by_authority == static_cast<long>(month.adopted.size())
                 ? " (by authority, without buy-in)"
                 : " (" + std::to_string(month.adopted_by_authority) +
                       " by authority, without buy-in)";
      }
      clauses.push_back(c);
    }
    if (month.signals > 0) {
      clauses.push_back(Count(month.signals, "problem signal", "problem signals") +
                        " from customers reached product");
    }
    // Engineering.
    std::vector<std::string> eng;
    if (month.started > 0) {
      std::string c = "started " + Count(month.started, "item", "items");
      if (month.started_pm_ranked > 0 && month.started_pm_ranked < month.started) {
        c += " (" + std::to_string(month.started_pm_ranked) + " ranked by the PM)";
      } else if (month.started_pm_ranked > 0) {
        c += " ranked by the PM";
      }
      eng.push_back(c);
    }
    if (month.released > 0) {
      std::string c = "shipped " + Count(month.released, "item", "items");
      if (month.coordinated > 0)
        c += " (" + std::to_string(month.coordinated) + " with a coordinated launch)";
      eng.push_back(c);
    }
    if (!eng.empty()) clauses.push_back("engineering " + JoinAnd(eng));
    if (month.jumps_sales + month.jumps_founder > 0) {
      std::vector<std::string> who;
      if (month.jumps_sales > 0)
        who.push_back(Count(month.jumps_sales, "sales request", "sales requests"));
      if (month.jumps_founder > 0)
        who.push_back(Count(month.jumps_founder, "founder idea", "founder ideas"));
      clauses.push_back(
          JoinAnd(who) + " pulled " +
          Count(static_cast<long>(month.jump_engineers.size()), "engineer", "engineers") +
          " off the roadmap");
    }
    if (month.rework > 0) {
      std::string c = Count(month.rework, "item", "items") +
                      " needed rework because the builders misunderstood why";
      std::vector<std::string> causes;
      if (month.rework_distance > 0) {
        causes.push_back(std::to_string(month.rework_distance) +
                         " lost between customers and builders");
      }
      if (month.rework_spec > 0)
        causes.push_back(std::to_string(month.rework_spec) + " under-specified");
      if (month.rework_buy_in > 0)
        causes.push_back(std::to_string(month.rework_buy_in) + " without buy-in");
      if (!causes.empty()) c += " (" + JoinAnd(causes) + ")";
      clauses.push_back(c);
    }
    if (month.integration_rework > 0) {
      clauses.push_back(
          Count(month.integration_rework, "item", "items") +
          " needed integration rework (conflicts with concurrent work that coordination missed)");
    }
    if (month.signals_unreachable > 0) {
      clauses.push_back(Count(month.signals_unreachable, "problem signal", "problem signals") +
                        " found no path to an owner");
    }
    if (month.lever_changes > 0) {
      clauses.push_back("the lever schedule changed " +
                        Count(month.lever_changes, "lever", "levers"));
    }
    if (!month.hires.empty()) {
      clauses.push_back(Count(static_cast<long>(month.hires.size()), "person", "people") +
                        " joined (" + JoinAnd(month.hires) + ")");
    }
    if (month.pmf) clauses.push_back("product-market fit was reached");
    for (const auto& [kind, n] : month.other) clauses.push_back(std::to_string(n) + " × " + kind);

    std::string line = "Month " + std::to_string(m) + ": ";
    if (clauses.empty()) {
      line += "a quiet month";
    } else {
      std::string body;
      for (std::size_t i = 0; i < clauses.size(); ++i) {
        if (i > 0) body += "; ";
        body += clauses[i];
      }
      body[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(body[0])));
      line += body;
    }
    line += ".";
    if (month.books) {
      line += " Books: revenue " + Money(month.revenue) + ", cash " + Money(month.cash) + ".";
      if (month.cash < 0 && !cash_negative_told) {
        line += " The company is out of cash.";
        cash_negative_told = true;
      }
    }
    lines.push_back(line);
    for (std::size_t i = 0; i < month.events.size() && i < options.events_per_month; ++i) {
      const TraceRecord& r = *month.events[i];
      char day[32];
      std::snprintf(day, sizeof(day), "%8.2f", r.day);
      lines.push_back(std::string("    day ") + day + "  " + r.agent_name + "  " + r.kind + "  " +
                      r.text);
    }
    if (options.events_per_month > 0 && month.events.size() > options.events_per_month) {
      lines.push_back("    … " + std::to_string(month.events.size() - options.events_per_month) +
                      " more events");
    }
  }
  return lines;
}

std::vector<std::string> OutcomeLines(const model::RunOutcome& outcome) {
  std::vector<std::string> lines;
  auto metric = [&](const char* name) -> double {
    const auto catalog = model::MetricCatalog();
    for (std::size_t i = 0; i < catalog.size() && i < outcome.metrics.size(); ++i) {
      if (catalog[i].name == name) return outcome.metrics[i];
    }
    return kNaN;
  };
  lines.push_back("Outcome: revenue " + ShortNumber(metric("revenue_total"), 3) + ", profit " +
                  ShortNumber(metric("profit_total"), 3) + ", cash at the end " +
                  ShortNumber(metric("cash_end"), 3) +
                  (metric("survived") == 0 ? " (ran out of cash)" : "") + ".");
  lines.push_back("Customers at the end: " + ShortNumber(metric("customers_end"), 4) +
                  "; features shipped: " + ShortNumber(metric("features_shipped"), 4) +
                  "; rework share: " + ShortNumber(metric("rework_fraction"), 2) +
                  "; engineers' why-understanding: " +
                  ShortNumber(metric("engineer_why_understanding"), 2) + ".");
  const double pmf = metric("pmf_reached");
  lines.push_back(pmf == 1 ? "Product-market fit on day " +
                                 ShortNumber(metric("time_to_pmf_days"), 4) + "."
                           : "Product-market fit was never reached.");
  return lines;
}

}  // namespace orgsim::report
