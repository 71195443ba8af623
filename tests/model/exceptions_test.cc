// Exceptions and the decision hierarchy (engine/model/exceptions.h;
// mechanisms.exceptions): mechanism tests, never which design wins.
//   * the expected number of exceptions rises with novelty and with missing
//     understanding, and so does the count a run raises;
//   * an exception goes up reports_to until a person with the authority;
//   * its wait grows with the decider's load (in-tray or not);
//   * a short patience turns waits into guesses, and guesses into defects;
//   * a late decision stalls the item (longer cycle times).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/model/mechanisms.h"
#include "engine/model/presets.h"
#include "engine/model/run.h"
#include "engine/model/world.h"
#include "tests/model/replications.h"

namespace orgsim::model {
namespace {

// The base company, one year, with exceptions and nothing else new.
ModelConfig Company() {
  ModelConfig c = HeadlineCompany();
  c.horizon_days = 365;
  c.mechanisms.exceptions = true;
  c.mechanisms.priority_churn = false;
  return c;
}

double Mean(const ModelConfig& c, std::string_view metric, int reps = 4) {
  return MeanOverReplications(c, metric, reps, /*seed=*/5);
}

// Reads the module's pure functions at the start of a run.
class Probe : public Mechanism {
 public:
  explicit Probe(World& world) : w_(world) {}
  void Init() override {
    const Exceptions& x = w_.exceptions;
    routine = x.ExpectedExceptions(0.0, 1.0);
    novel = x.ExpectedExceptions(1.0, 1.0);
    novel_misunderstood = x.ExpectedExceptions(1.0, 0.3);
    const int team = w_.roster.FindTeam("eng_core");
    const int engineer = w_.roster.teams[team].agents[3];
    chain = x.ChainAbove(engineer);
    names.clear();
    levels.clear();
    for (int a : chain) {
      names.push_back(w_.roster.agents[a].name);
      levels.push_back(x.AuthorityOf(a));
    }
    engineer_level = x.AuthorityOf(engineer);
  }
  static inline double routine = 0, novel = 0, novel_misunderstood = 0;
  static inline std::vector<int> chain, levels;
  static inline std::vector<std::string> names;
  static inline int engineer_level = -1;

 private:
  World& w_;
};

void RunProbe(const ModelConfig& c) {
  const std::vector<MechanismModule> extra = {OwnedModule<Probe>("probe", {})};
  (void)RunReplicationWith(PreparedModel(c), {.seed = 1}, {}, extra);
}

TEST(Exceptions, ExpectedCountRisesWithNoveltyAndMissingUnderstanding) {
  RunProbe(Company());
  const ExceptionsConfig defaults;
  EXPECT_DOUBLE_EQ(Probe::routine, defaults.base_per_item);
  EXPECT_GT(Probe::novel, Probe::routine);
  EXPECT_GT(Probe::novel_misunderstood, Probe::novel);
}

TEST(Exceptions, RunsRaiseMoreOnNovelProblems) {
  ModelConfig familiar = Company();
  familiar.market.problem_novelty = 0.1;
  ModelConfig novel = Company();
  novel.market.problem_novelty = 1.0;
  const double few = Mean(familiar, "exceptions_per_item");
  EXPECT_GT(few, 0.0);
  EXPECT_GT(Mean(novel, "exceptions_per_item"), few);
}

TEST(Exceptions, ChainGoesUpReportsToThroughTheLayers) {
  ModelConfig c = Company();  // project mode: two layers, teams report to founders
  RunProbe(c);
  EXPECT_EQ(Probe::engineer_level, Exceptions::kEngineer);
  const std::vector<std::string> expected = {"eng_core/0", "eng_core.layers/0", "eng_core.layers/1",
                                             "founders/0"};
  EXPECT_EQ(Probe::names, expected);
  const std::vector<int> levels = {Exceptions::kLead, Exceptions::kLead, Exceptions::kLead,
                                   Exceptions::kExecutive};
  EXPECT_EQ(Probe::levels, levels);
}

// Who decided each exception, and over how many levels (trace).
struct Decisions {
  std::vector<std::string> deciders;
  std::vector<double> levels;
};

Decisions Trace(const ModelConfig& c) {
  Decisions d;
  RunOptions options;
  options.trace = [&](const TraceEvent& e) {
    if (e.kind != "exception_escalated") return;
    d.deciders.emplace_back(e.agent_name);
    d.levels.push_back(e.value1);
  };
  (void)RunReplication(PreparedModel(c), {.seed = 2}, options);
  return d;
}

TEST(Exceptions, EscalatesUntilSomeoneHasTheAuthority) {
  ModelConfig local = Company();
  local.organization.exceptions.escalation_share = 0;  // every lead may decide
  local.organization.exceptions.patience_days = 365;
  const Decisions by_leads = Trace(local);
  ASSERT_FALSE(by_leads.deciders.empty());
  for (std::size_t i = 0; i < by_leads.deciders.size(); ++i) {
    EXPECT_EQ(by_leads.levels[i], 1.0);
    EXPECT_EQ(by_leads.deciders[i].substr(by_leads.deciders[i].size() - 2), "/0");
    EXPECT_EQ(by_leads.deciders[i].rfind("eng_", 0), 0u) << by_leads.deciders[i];
  }
  ModelConfig central = local;
  central.organization.exceptions.escalation_share = 1;  // only an executive may
  const Decisions by_founders = Trace(central);
  ASSERT_FALSE(by_founders.deciders.empty());
  for (std::size_t i = 0; i < by_founders.deciders.size(); ++i) {
    EXPECT_EQ(by_founders.deciders[i], "founders/0");
    // lead, two layers, founder (the leads raise exceptions too: 3 levels).
    EXPECT_GE(by_founders.levels[i], 3.0);
  }
}

TEST(Exceptions, WaitGrowsWithTheDecidersLoad) {
  for (bool intray : {true, false}) {
    ModelConfig light = Company();
    light.mechanisms.intray = intray;
    light.organization.exceptions.escalation_share = 0;
    light.organization.exceptions.patience_days = 365;
    light.organization.attention.lead_hours_per_week = 10;
    ModelConfig heavy = light;
    heavy.organization.attention.lead_hours_per_week = 1;  // same exceptions, less attention
    const double fast = Mean(light, "exception_wait_days");
    EXPECT_GT(fast, 0.0) << intray;
    EXPECT_GT(Mean(heavy, "exception_wait_days"), fast) << intray;
  }
}

TEST(Exceptions, IgnoredExceptionsBecomeDefects) {
  ModelConfig patient = Company();
  patient.organization.attention.lead_hours_per_week = 1;
  patient.organization.attention.executive_hours_per_week = 1;
  patient.organization.exceptions.patience_days = 120;
  ModelConfig hasty = patient;
  hasty.organization.exceptions.patience_days = 1;
  EXPECT_GT(Mean(hasty, "exceptions_ignored_share"), Mean(patient, "exceptions_ignored_share"));
  EXPECT_GT(Mean(hasty, "exception_defects"), Mean(patient, "exception_defects"));
  ModelConfig right_guesses = hasty;
  right_guesses.organization.exceptions.guess_defect_probability = 0;
  EXPECT_EQ(Mean(right_guesses, "exception_defects"), 0.0);
}

TEST(Exceptions, WrongGuessesBecomeTheTeamsErrorsInTheWorkforce) {
  // Workforce draws no errors of its own here: every defect that escapes to
  // customers comes from a wrong guess on an ignored exception.
  ModelConfig c = Company();
  c.mechanisms.workforce = true;
  c.organization.workforce.errors_per_engineer_day = 0;
  c.organization.workforce.escape_probability = 1;
  c.organization.attention.lead_hours_per_week = 1;
  c.organization.attention.executive_hours_per_week = 1;
  c.organization.exceptions.patience_days = 1;
  c.organization.exceptions.guess_defect_probability = 1;
  const double wrong = Mean(c, "exception_defects");
  EXPECT_GT(wrong, 0.0);
  // All escape (escape_probability 1), a week or so after the guess: nearly
  // every wrong guess before the horizon's last week is counted.
  EXPECT_GT(Mean(c, "defects_escaped"), 0.0);
  EXPECT_LE(Mean(c, "defects_escaped"), wrong);
  ModelConfig right = c;
  right.organization.exceptions.guess_defect_probability = 0;
  EXPECT_EQ(Mean(right, "defects_escaped"), 0.0);
}

TEST(Exceptions, LateDecisionsStallItems) {
  ModelConfig off = Company();
  off.mechanisms.exceptions = false;
  ModelConfig slow = Company();
  slow.organization.attention.lead_hours_per_week = 1;
  slow.organization.attention.executive_hours_per_week = 1;
  slow.organization.exceptions.patience_days = 120;
  EXPECT_GT(Mean(slow, "cycle_time_mean_days"), Mean(off, "cycle_time_mean_days"));
}

TEST(Exceptions, OffRaisesNone) {
  ModelConfig c = Company();
  c.mechanisms.exceptions = false;
  const RunOutcome out = RunReplication(PreparedModel(c), {.seed = 3});
  EXPECT_EQ(out.Metric("exceptions_per_item"), 0.0);
  EXPECT_EQ(out.Metric("exception_wait_days"), 0.0);
  EXPECT_EQ(out.Metric("exception_defects"), 0.0);
}

}  // namespace
}  // namespace orgsim::model
