// ModelConfig: every lever of the orgsim organization model, with defaults.
//
// This file is the contract between the model (engine/model/), the scenario
// files (proto/ mirrors these structs field by field; engine/io/ converts a
// validated scenario into a ModelConfig) and the experiments (which sweep any
// numeric field by its path, e.g. `organization.pm.people_sense`).
//
// Conventions
//   * The C++ default member initializers ARE the defaults; the io layer's
//     proto defaults must agree (a test checks it).
//   * Every field comment gives: meaning; unit; valid range; the claim(s)
//     C1–C11 of /work/shared/mission.md it tests (or "mechanics" / "queueing"
//     for plumbing). Sources for defaults are in docs/model.md.
//   * Organizational designs such as "product-led" or "project mode" are NOT
//     represented here: they are bundles of lever values in scenario files.
//     The model never reads an arm name.
//   * Time is in days unless a name says otherwise; money in one currency
//     unit (think USD); probabilities and capability levels in [0, 1].
//
//   ModelConfig config;                       // defaults: a 3-year startup
//   config.organization.pm.people_sense = 0.8;
//   config.organization.operating.ceremony_hours_per_week = 2;
//   ValidateConfig(config);                   // run.h; throws on bad values
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace orgsim::model {

// ---------------------------------------------------------------------------
// Organization: teams and their people
// ---------------------------------------------------------------------------

// The function an agent belongs to. Decides which mechanisms the agent takes
// part in (engineers deliver work, sales run deals, ...).
enum class Role {
  kEngineering = 0,      // builds and reworks work items
  kProduct = 1,          // product managers: discovery, prioritisation, GTM
  kSales = 2,            // run deals from leads; source single-customer requests
  kMarketing = 3,        // awareness (Bass innovation), launches
  kCustomerSuccess = 4,  // lower churn; source problem signals
  kDesign = 5,           // raise the quality of what engineering ships
  kExecutive = 6,        // founders/leadership: ideas, stakeholder priorities
  kDelivery = 7,         // intermediary layer (project manager, BA, proxy PO):
                         // created by operating.layers_between_engineers_and_customers
};

// One team. Agents of a team share role, salary and capacity; a team's
// members are vertices of the communication graph (the first member is its
// lead). REQUIRES: unique non-empty name.
struct TeamConfig {
  // Stable identifier: used in graph labels, trace names and random-stream
  // names (so renaming a team changes its org-side draws, nothing else).
  std::string name;
  // The team's function. Mechanics.
  Role role = Role::kEngineering;
  // People at t = 0. Unit: persons. Range [0, 200].
  int initial_headcount = 0;
  // Planned people at the horizon; hiring is spread evenly over the months
  // and frozen while runway < finance.hiring_freeze_runway_months. -1 means
  // "same as initial" (no hiring). Unit: persons. Range [-1, 400]. C2 (with
  // pm.business_ownership the PM re-targets hiring between build and GTM).
  int final_headcount = -1;
  // Base salary per person. Unit: currency/year. Range [0, 1e7].
  // Defaults per role in docs/model.md (public salary surveys).
  double salary_per_year = 150000.0;
  // Contract hours per working day. Unit: h/day. Range (0, 24]. Mechanics.
  double hours_per_day = 8.0;
  // Name of the team this team's lead reports to ("" = top of hierarchy).
  // Used by the hierarchy generator and for escalation paths. Mechanics/C7.
  std::string reports_to;
};

// ---------------------------------------------------------------------------
// The product-management role (applies to every agent of Role::kProduct)
// ---------------------------------------------------------------------------

// What the PM's prioritisation optimises (C6). A lever, not a mode: the
// score is a blend, see pm.outcome_orientation.
struct PmConfig {
  // Degree to which the PM runs the product as a business: profit-weighted
  // value estimates, capital allocation (hiring mix build vs go-to-market,
  // tech-debt capacity share) from observed bottlenecks. Cost: PM hours per
  // week on business work (pm.business_hours_per_week × business_ownership).
  // Unit: fraction. Range [0, 1]. Default 0. C1, C2.
  double business_ownership = 0.0;
  // PM hours per week spent with customers (interviews, discovery): each hour
  // yields need observations and validated opportunities. Cost: PM capacity.
  // Unit: h/week per PM. Range [0, 30]. Default 2. C1, C8, C10.
  double customer_interaction_hours_per_week = 2.0;
  // Probability that a release is launched as a coordinated go-to-market
  // (positioning, sales enablement) led by the PM; only happens if marketing
  // also adopts the launch decision. Cost: pm.launch_hours per launch (PM)
  // and marketing hours. Unit: probability. Range [0, 1]. Default 0. C1.
  double gtm_responsibility = 0.0;
  // Business acumen: how well the PM maps need to revenue (weights segments
  // by willingness to pay and remaining market, not by head count) and how
  // accurately it estimates value and effort. Unit: [0, 1]. Default 0.3. C2.
  double business_acumen = 0.3;
  // People sense: lowers the noise of customer observations (discovery
  // accuracy) and raises the probability that other functions adopt PM
  // decisions by influence; shortens consensus time. Unit: [0, 1].
  // Default 0.5. C3, C10.
  double people_sense = 0.5;
  // Mandate/autonomy: share of engineering pulls that follow the PM's ranking
  // (the rest follow stakeholder order: executive ideas and sales requests
  // first-come-first-served). Unit: fraction. Range [0, 1]. Default 0.3.
  // C8, C11.
  double mandate = 0.3;
  // Metric ownership: probability that the PM measures the outcome of each
  // release and learns from it (updates need estimates from data; drops
  // queued ideas on dimensions that measured poorly). Unit: probability.
  // Range [0, 1]. Default 0. C11.
  double metric_ownership = 0.0;
  // Formal authority (1) vs influence (0). Authority: decisions adopted with
  // probability pm.authority_compliance after pm.authority_latency_days, but
  // adopters follow without buy-in (lower why-understanding, trust does not
  // grow). Influence: adoption probability = edge trust × people sense,
  // after a consensus time; adopted decisions carry buy-in and successful
  // ones raise trust. Unit: [0, 1]. Default 0 (the usual PM). C3.
  double authority = 0.0;
  // Optimisation target: 0 = output (rank by features per effort, i.e.
  // shortest job first), 1 = outcome (rank by estimated customer value or,
  // with business_ownership, profit per effort). Unit: [0, 1]. Default 0.3. C6.
  double outcome_orientation = 0.3;

  // --- costs and constants of the role (mostly guesses, see docs) ---
  // PM hours per work item for backlog administration (writing tickets,
  // grooming, answering questions). Unit: h/item. Range [0, 40]. Default 3.
  // When PM hours run short, items reach engineering under-specified
  // (lower why-understanding). C1, C8.
  double backlog_hours_per_item = 3.0;
  // PM hours per week for business work at full business_ownership
  // (forecasts, pricing, budget). Unit: h/week. Range [0, 20]. Default 6. C2.
  double business_hours_per_week = 6.0;
  // PM hours per coordinated launch (positioning, enablement, release
  // notes for one feature). Unit: h. Range [0, 200]. Default 4 (guess). C1.
  double launch_hours = 4.0;
  // Adoption probability of a decision made by authority. Range [0, 1].
  // Default 0.95. C3.
  double authority_compliance = 0.95;
  // Time from decision to adoption under authority. Unit: days. Range
  // [0, 60]. Default 2. C3.
  double authority_latency_days = 2.0;
  // Time to build consensus under influence at people_sense = 1 (scaled by
  // 1/(0.25 + 0.75·people_sense) below 1). Unit: days. Range [0, 60].
  // Default 7. C3.
  double consensus_latency_days = 7.0;
  // Why-understanding multiplier for work adopted without buy-in (authority).
  // Range [0, 1]. Default 0.8. C3, C9.
  double no_buy_in_understanding = 0.8;
  // PM hours to triage one routed problem signal. Unit: h. Range [0, 10].
  // Default 0.5 (guess). C5.
  double signal_triage_hours = 0.5;
  // Discovery validation: an idea found in discovery enters the backlog only
  // if its estimated efficacy (true efficacy + noise shrinking with
  // people_sense) is at least this. Range [-1, 1]. Default 0.3. C10.
  double discovery_kill_threshold = 0.3;
  // Delay between a release and the measurement of its outcome (metric
  // ownership). Unit: days. Range [0, 365]. Default 28. C11.
  double measure_delay_days = 28.0;
  // Trust of every team in the PM at t = 0 (edge trust for influence).
  // Range [0, 1]. Default 0.6 (guess). C3.
  double initial_trust = 0.6;
  // Why-understanding multiplier for an item whose specification got no
  // backlog-administration time at all (PM or intermediary hours); scales
  // linearly up to 1 at full coverage. Range [0, 1]. Default 0.7 (guess).
  // C1, C9.
  double underspecified_understanding = 0.7;
  // Customer interviews per discovery hour (an interview plus synthesis).
  // Unit: 1/h. Range [0, 4]. Default 0.5.
  double interviews_per_hour = 0.5;
  // Noise of one discovery observation (sd of a need weight, and of an
  // idea's efficacy) at people_sense = 0; scaled by (1.2 − people_sense)
  // and divided by the market→PM path fidelity. Range [0, 5]. Default 0.6
  // (guess). C10.
  double discovery_noise_sd = 0.6;
  // Engineering hours spent validating each idea examined in discovery (a
  // prototype or spike, whether the idea is then killed or kept), taken
  // from the next week's engineering capacity (spread over the active
  // engineers). The cost of discovery beyond the PM's own hours: it pays
  // off when ideas are uncertain (novel problems, low work.idea_p_good)
  // and barely when the problem is well understood. Unit: h/idea. Range
  // [0, 80]. Default 8 (one engineer-day; guess). C1, C8, C10.
  double prototype_hours_per_idea = 8.0;
  // PM hours per week per communication-graph edge between a PM and an
  // agent of another team (syncs, one-on-ones, relaying what one function
  // needs from another), taken before backlog administration: the cost of
  // being the glue (a hub PM with many contacts specifies less). Unit:
  // h/week per edge. Range [0, 10]. Default 1 (guess: a weekly 30-minute
  // sync plus preparation and follow-up). C7.
  double contact_hours_per_week = 1.0;
  // Trust gained on a PM–team edge after an adopted decision whose release
  // measured well (and lost after one that measured badly). Range [0, 0.5].
  // Default 0.05. C3.
  double trust_step = 0.05;
};

// ---------------------------------------------------------------------------
// Operating model: process and structure levers
// ---------------------------------------------------------------------------

// How the roadmap treats dates (C4). A lever: each style has a cost and a
// benefit, see docs/model.md.
enum class RoadmapStyle {
  // Work is re-ranked at every planning event on current knowledge; no
  // delivery dates are promised, so date-sensitive deals are lost unless
  // their request has already shipped when the buyer decides (the end of
  // its sales cycle).
  kOutcomeDriven = 0,
  // Sales requests with deadlines are committed and scheduled earliest-
  // deadline-first; the plan is frozen between planning events (new evidence
  // waits); committed items cannot be dropped. Wins date-sensitive deals.
  kDateDriven = 1,
};

struct OperatingModelConfig {
  // Ceremony hours per week per engineer and per PM (stand-ups, planning,
  // review, retro). Cost: capacity. Benefits, each with diminishing
  // returns: shared understanding of the why (1 − exp(−h /
  // ceremony_half_benefit_hours)) and coordination that catches integration
  // conflicts (ceremony_coordination_*). Unit: h/week. Range [0, 20].
  // Default 5 (Scrum Guide 2020 timeboxes for 2-week sprints). C4.
  double ceremony_hours_per_week = 5.0;
  // Hours at which the coordination benefit reaches 1 − 1/e of its maximum.
  // Unit: h/week. Range (0, 20]. Default 2.5 (guess). C4.
  double ceremony_half_benefit_hours = 2.5;
  // Maximum reduction of misunderstanding bought by ceremonies. Range
  // [0, 1]. Default 0.35 (guess). C4, C9.
  double ceremony_max_benefit = 0.35;
  // Coordination bought by ceremonies (stand-ups, planning, reviews): the
  // share of integration conflicts (see delivery.integration_coupling)
  // caught before they cost rework, ceremony_coordination_max × (1 −
  // exp(−h / ceremony_coordination_half_hours)) at h ceremony hours per
  // week. The benefit of ceremonies that does not depend on how novel the
  // customers' problems are (Levitt et al.'s Virtual Design Team: unattended
  // coordination raises the rework of interdependent tasks). Range [0, 1].
  // Default 0.9 (guess). C4.
  double ceremony_coordination_max = 0.9;
  // Ceremony hours at which coordination reaches 1 − 1/e of its maximum.
  // Unit: h/week. Range (0, 40]. Default 4 (guess: the Scrum Guide's
  // timeboxes, ~5 h/week, buy most of it). C4.
  double ceremony_coordination_half_hours = 4.0;
  // Framework adherence: 0 = ceremonies only when useful, 1 = the framework
  // is followed to the letter. Costs: extra process hours per week
  // (adherence × framework_overhead_hours_per_week), and starts batched at
  // sprint boundaries (an item waits for the next sprint with probability
  // = adherence). Benefit: estimates, hence date commitments, are more
  // reliable (deadline-estimate noise × (1 − 0.5·adherence)). Range [0, 1].
  // Default 0.5. C4.
  double framework_adherence = 0.5;
  // Process hours per week at full adherence (estimation, ticket hygiene,
  // reporting). Unit: h/week. Range [0, 20]. Default 3 (guess). C4.
  double framework_overhead_hours_per_week = 3.0;
  // Sprint length. Unit: days. Range [1, 60]. Default 14. C4.
  double sprint_length_days = 14.0;
  // Intermediary agents (Role::kDelivery: project manager, BA, proxy PO)
  // between each engineering team and the rest of the organization. Cost:
  // salaries (layer_salary_per_year), one more hop of latency and fidelity
  // loss on every path into engineering. Benefit: each layer shields
  // engineers from a share of interruptions. Unit: count. Range [0, 5].
  // Default 1. C9.
  int layers_between_engineers_and_customers = 1;
  // Salary of an intermediary. Unit: currency/year. Default 120000. C9.
  double layer_salary_per_year = 120000.0;
  // Share of an intermediary's hours that goes into specifying work (backlog
  // administration the PM would otherwise do). Range [0, 1]. Default 0.5.
  // C9 (the benefit side of layers).
  double layer_admin_share = 0.5;
  // Share of interruptions each layer absorbs. Range [0, 1]. Default 0.6
  // (guess). C9.
  double layer_shield_fraction = 0.6;
  // Interruption hours per week an engineer gets from sales, support and
  // customers with no layer in between. Cost of exposure. Unit: h/week.
  // Range [0, 20]. Default 4 (guess). C9.
  double interruption_hours_per_week = 4.0;
  // Hours per week each engineer spends directly with customers (demos,
  // support rotations, interviews). Cost: capacity; benefit: the customer→
  // engineer fidelity gets a direct edge. Only effective with 0 layers.
  // Unit: h/week. Range [0, 10]. Default 0. C9.
  double engineer_customer_hours_per_week = 0.0;
  // Roadmap style (dates vs outcomes). Default kOutcomeDriven. C4.
  RoadmapStyle roadmap_style = RoadmapStyle::kOutcomeDriven;
  // Interval between planning events (re-ranking, PM decisions, hiring
  // review). Unit: days. Range [1, 365]. Default 90 (quarterly). C4.
  double planning_interval_days = 90.0;
  // Hours each engineer and PM spends per planning event. Unit: h. Range
  // [0, 80]. Default 8. C4.
  double planning_hours_per_event = 8.0;
  // Probability that a problem signal observed by sales, marketing or
  // customer success is routed to product and owned there (becomes evidence
  // and a fix opportunity). Unrouted signals are handled locally: sales
  // discounts (cost) or nothing. Range [0, 1]. Default 0.2. C5.
  double signal_routing = 0.2;
  // Items an engineer works on at once (>1 means multitasking with
  // context-switch cost). Unit: items. Range [1, 10]. Default 2. Queueing.
  int max_items_per_engineer = 2;
  // Team-wide work-in-progress limit on items in delivery; 0 = no limit
  // beyond engineers × max_items_per_engineer. Unit: items. Range [0, 1000].
  // Default 0.
  int wip_limit = 0;
  // Capacity lost per additional concurrent item (Weinberg 1992: ~20%).
  // Rate per item with k items = 1 / (k · (1 + cost·(k − 1))). Range [0, 1].
  // Default 0.2.
  double context_switch_cost = 0.2;
};

// ---------------------------------------------------------------------------
// Communication graph
// ---------------------------------------------------------------------------

// How the communication graph's edges are generated (C7). Within a team,
// members always connect to their lead; the generator decides edges between
// teams (between team leads unless stated) and the market vertex edges.
enum class GraphGenerator {
  // Leads connect to the lead of `reports_to`; PMs connect to every team lead
  // they work with only through the hierarchy. The classic org chart.
  kHierarchy = 0,
  // Hierarchy plus every PM connects to every team lead (the PM as hub).
  kHubAndSpoke = 1,
  // Hierarchy plus Watts–Strogatz shortcuts: each agent gets
  // small_world_shortcuts random edges to agents of other teams.
  kSmallWorld = 2,
  // Team stars plus Erdős–Rényi edges between agents of different teams with
  // probability random_edge_probability (connectivity not guaranteed).
  kRandom = 3,
  // Team stars plus exactly the edges in `edges`.
  kExplicit = 4,
  // Read the whole graph from graphml_path (vertices need attribute `team`;
  // optional edge attributes `latency_days`, `fidelity`).
  kGraphMl = 5,
};

// An explicit edge. Endpoints name a team ("sales": its lead), an agent
// ("sales/2": member index 2 of team sales) or "market".
struct EdgeConfig {
  std::string from;
  std::string to;
  // Message delay. Unit: days. Range [0, 60]. Negative = graph default.
  double latency_days = -1.0;
  // Share of information that survives the hop. Range (0, 1]. Negative =
  // graph default.
  double fidelity = -1.0;
};

struct GraphConfig {
  GraphGenerator generator = GraphGenerator::kHierarchy;  // C7
  // Explicit edges (added for kExplicit; extra edges for other generators).
  std::vector<EdgeConfig> edges;
  // GraphML file for kGraphMl (relative to the scenario file's folder).
  std::string graphml_path;
  // Shortcuts per agent for kSmallWorld. Range [0, 20]. Default 1.
  int small_world_shortcuts = 1;
  // Edge probability between agents of different teams for kRandom.
  // Range [0, 1]. Default 0.05.
  double random_edge_probability = 0.05;
  // Seed salt for generated random edges (graph randomness is part of the
  // design, not of a replication: the same graph in every replication).
  std::uint64_t generator_seed = 1;
  // Latency/fidelity of an edge between members of one team. Days / (0,1].
  double intra_team_latency_days = 0.25;
  double intra_team_fidelity = 0.95;
  // Latency/fidelity of an edge between teams (leads, hubs, shortcuts).
  // Default 2 days / 0.8 (guesses; Allen 1977 on communication decay).
  double inter_team_latency_days = 2.0;
  double inter_team_fidelity = 0.8;
  // Latency/fidelity of an edge to the market vertex (customer contact).
  double market_latency_days = 3.0;
  double market_fidelity = 0.85;
};

// ---------------------------------------------------------------------------
// Market
// ---------------------------------------------------------------------------

// One customer segment. The market is a set of segments over the same
// problem dimensions.
struct SegmentConfig {
  std::string name;  // stable id (stream names, trace)
  // Potential customers (Bass market size m). Unit: accounts. Range [1, 1e6].
  int potential_customers = 2000;
  // Accounts already active at t = 0 (a company past its first sales).
  // Unit: accounts. Range [0, potential_customers]. Default 0.
  int initial_customers = 0;
  // Importance of each problem dimension to this segment (normalised to sum
  // 1). Empty = drawn from Dirichlet(need_concentration) on stream
  // "market/needs/<segment>", the same for every org design.
  std::vector<double> need_weights;
  // Dirichlet concentration for drawn needs (small = a few dominant needs).
  double need_concentration = 1.0;
  // Price per account. Unit: currency/month (ARPA). Range [0, 1e6].
  // Default 1500 (SMB/mid-market SaaS; see docs).
  double price_per_month = 1500.0;
  // Coefficient of variation of account size (price multiplier lognormal,
  // mean 1). Range [0, 3]. Default 0.5.
  double price_cv = 0.5;
  // Bass coefficients per year: innovation p (external influence:
  // marketing, outbound) and imitation q (word of mouth). Defaults 0.03 and
  // 0.38 (Sultan, Farley & Lehmann 1990 meta-analysis means). Queueing/Bass.
  double bass_p = 0.03;
  double bass_q = 0.38;
  // Sales cycle length: lognormal with this mean and cv. Unit: days. Range
  // [0, 720] (0 = instant close). Default 60 / 0.5 (mid-market B2B).
  double sales_cycle_mean_days = 60.0;
  double sales_cycle_cv = 0.5;
  // Win rate of a worked deal at perceived fit = 1 (scaled by perceived fit
  // to market.win_fit_exponent). Range [0, 1]. Default 0.3 (B2B SaaS
  // benchmark ~20–30%).
  double base_win_rate = 0.3;
  // Monthly logo churn at fit = market.reference_fit. Range [0, 1].
  // Default 0.02 (SMB/mid-market SaaS benchmarks 1–3%/month).
  double base_monthly_churn = 0.02;
  // Share of deals that arrive with a single-customer feature request.
  // Range [0, 1]. Default 0.3 (guess). C8, regime lever.
  double request_share = 0.3;
  // Share of requesting deals that are date-sensitive: the deal is won only
  // if the request ships by the deadline. Such a buyer waits for its date
  // only if the org committed to it (date-driven roadmap); otherwise it
  // decides at the end of its sales cycle on what has shipped by then.
  // Range [0, 1]. Default 0.3 (guess).
  double date_sensitive_share = 0.3;
  // Deadline of a date-sensitive request after the lead appears. Unit:
  // days. Range [1, 720]. Default 120 (guess).
  double deadline_days = 120.0;
  // Deal size multiplier of requesting deals (big customers ask for
  // features). Range [1, 50]. Default 3 (guess).
  double request_deal_size = 3.0;
  // Monthly expansion of an account's price at fit = 1 (net of
  // contraction; scales with fit − reference_fit). Range [0, 0.2].
  // Default 0.01.
  double expansion_per_month = 0.01;
};

struct CompetitorConfig {
  // Whether a competitor exists. Default false.
  bool enabled = false;
  // Competitor's fit at t = 0 and its growth per year (absolute fit points).
  double initial_fit = 0.4;
  double fit_growth_per_year = 0.05;
  // Strength of competition: win rate × exp(−strength·max(0, comp − ours)),
  // churn × exp(+strength·max(0, comp − ours)). Range [0, 20]. Default 4.
  double strength = 4.0;
};

struct MarketConfig {
  // Number of problem dimensions needs and capabilities range over.
  // Range [1, 32]. Default 6.
  int problem_dimensions = 6;
  // The segments. REQUIRES: non-empty when mechanisms.market is on (repeated
  // fields have no proto default, so the default here is empty too).
  std::vector<SegmentConfig> segments;
  // Volatility of needs: log need weights follow a random walk with this
  // standard deviation per sqrt(year), renormalised weekly, on stream
  // "market/drift" (independent of the org). Range [0, 3]. Default 0.5.
  // Regime lever (stable vs fast-moving markets).
  double need_drift_per_sqrt_year = 0.5;
  // Idiosyncratic need of one account around its segment (sd of a
  // per-account, per-dimension lognormal factor). Range [0, 2]. Default 0.5.
  double account_need_sd = 0.5;
  // The product's capability per dimension at t = 0 (an MVP). Range [0, 1].
  // Default 0.25.
  double initial_capability = 0.25;
  // Capability decay per year (features age as expectations rise).
  // Range [0, 1]. Default 0.1 (guess).
  double capability_decay_per_year = 0.1;
  // How non-obvious the customers' problems are: the share of the "why"
  // that can be lost on its way to the builders. Builders' understanding of
  // an item is 1 − problem_novelty × (1 − u), u being what survives hops,
  // layers, ceremonies, specification and buy-in; so in a well-understood
  // problem domain (payroll, invoicing: low novelty) hops and layers cost
  // little understanding, in a new one (1) they cost all they can.
  // Range [0, 1]. Default 1 (guess; the pre-lever behaviour). C9 boundary,
  // regime lever.
  double problem_novelty = 1.0;
  // Fit at which churn equals base churn. Range (0, 1). Default 0.5.
  double reference_fit = 0.5;
  // Churn hazard multiplier = exp(churn_fit_elasticity·(reference_fit − fit)).
  // Range [0, 20]. Default 4 (guess). 0 = churn ignores fit.
  double churn_fit_elasticity = 4.0;
  // Adoption (lead) rate and win rate scale with perceived fit^exponent.
  // Range [0, 10]. Default 1.5 / 1.0 (guesses). 0 = fit does not matter.
  double adoption_fit_exponent = 1.5;
  double win_fit_exponent = 1.0;
  // Perceived capability (what prospects believe) relaxes toward actual
  // capability with this time constant unless a coordinated launch makes
  // it jump. Unit: days. Range [0, 720]. Default 120 (guess). C1.
  double perception_lag_days = 120.0;
  // Temporary multiplier on Bass p after a coordinated launch, decaying with
  // time constant launch_decay_days. Range [0, 10]. Default 0.3 (guess). C1.
  double launch_boost = 0.3;
  double launch_decay_days = 30.0;
  // Marketing effect on Bass p: p × (1 + marketing_lift × marketers /
  // (marketers + marketing_half_saturation)). Default 2 / 3 (guess).
  double marketing_lift = 2.0;
  double marketing_half_saturation = 3.0;
  // Customer success effect on churn: × 1/(1 + cs_churn_reduction ×
  // CSMs·cs_accounts_per_csm / max(accounts, 1)) capped at full coverage.
  double cs_churn_reduction = 0.3;
  double cs_accounts_per_csm = 50.0;
  // Problem signals: each account with fit below reference_fit emits
  // signals (support tickets, lost-deal reasons, churn interviews) at this
  // rate per account per month × (reference_fit − fit)/reference_fit; lost
  // deals and churns emit one each. Observed by sales/CS/marketing.
  // Unit: 1/(account·month). Range [0, 10]. Default 0.5 (guess). C5.
  double signal_rate_per_account_month = 0.5;
  CompetitorConfig competitor;
};

// ---------------------------------------------------------------------------
// Work: where items come from and what they are worth
// ---------------------------------------------------------------------------

// Effort distribution family of a work item (queueing).
enum class EffortDistribution {
  kExponential = 0,  // memoryless (M/M/c)
  kLogNormal = 1,    // heavy-ish tail, typical of software tasks
  kDeterministic = 2,  // constant (M/D/c)
};

struct WorkConfig {
  // Effort of a feature: ideal engineer-days (days of focused work by one
  // engineer at full speed). Lognormal mean 8, cv 1.0 (guess consistent with
  // lognormal task-duration studies, e.g. Jørgensen & Shepperd 2007).
  EffortDistribution effort_distribution = EffortDistribution::kLogNormal;
  double effort_mean_days = 8.0;
  double effort_cv = 1.0;
  // Capability gained on the targeted dimension per shipped feature of
  // efficacy 1 and full understanding: c ← c + impact·(1 − c). Range
  // [0, 1]. Default 0.02 (guess; calibrated so that ~1,000 shipped items
  // over three years move fit from 0.25 to 0.5–0.75, not to saturation).
  double feature_impact = 0.02;
  // Idea efficacy distribution (Kohavi et al. 2009: about 1/3 of ideas
  // improve the metric, 1/3 are neutral, 1/3 hurt): efficacy is 1 with
  // p_good, 0 with p_neutral, −0.3 otherwise. Discovery estimates efficacy
  // with noise before building.
  double idea_p_good = 0.34;
  double idea_p_neutral = 0.33;
  double idea_bad_efficacy = -0.3;
  // PM ideas generated per discovery hour. Unit: 1/h. Default 0.25.
  double ideas_per_discovery_hour = 0.25;
  // Ideas per week from executives (any Role::kExecutive agents). Default 2.
  double executive_ideas_per_week = 2.0;
  // Ideas per week from engineering leads when no PM (or little mandate)
  // fills the backlog. Unit: 1/week per engineering team. Default 1.
  double engineering_ideas_per_week = 1.0;
  // Founder backlog at t = 0: this many executive ideas, from the founders'
  // belief about needs. Range [0, 500]. Default 30. C11.
  int initial_backlog = 30;
  // Noise (sd, per need weight in log space) of the founders' belief about
  // needs at t = 0. Default 0.6 (guess). C11.
  double founder_belief_sd = 0.6;
  // Error of effort estimates: estimate = effort × exp(N(0, sd)), sd ×
  // (1 − 0.5·business_acumen) for PM estimates and × (1 − 0.5·framework_
  // adherence) for date commitments. Range [0, 3]. Default 0.5 (guess;
  // cf. Jørgensen 2004 on estimation error).
  double effort_estimate_sd = 0.5;
  // Share of a single-customer request's impact that generalises to the
  // segment (the rest is specific to the requester). Range [0, 1].
  // Default 0.3 (guess). C8.
  double request_generality = 0.3;
  // Queued items beyond this are not added (ideas are dropped; committed
  // requests and exogenous work are always added). Range [1, 1e6].
  // Default 200.
  int backlog_limit = 200;
  // Tech debt added per shipped feature (units of "drag") and velocity
  // multiplier 1/(1 + debt_drag·debt). Debt items (effort debt_item_effort)
  // remove debt_paydown units. Defaults 1 / 0.002 / 5 days / 4 (guesses;
  // 0.002 makes ~250 units cost a third of capacity, the share of time
  // developers report losing to bad code, Stripe "Developer Coefficient"
  // 2018).
  double debt_per_feature = 1.0;
  double debt_drag = 0.002;
  double debt_item_effort_days = 5.0;
  double debt_paydown = 4.0;
  // Share of engineering pulls given to debt items, off the top (before
  // committed dates and the roadmap), when no business owner decides.
  // Range [0, 1]. Default 0.2: M. Cagan's rule of thumb (Inspired, 2008)
  // that engineering gets 20% of capacity "off the top" for debt and
  // platform work; with the
  // default debt_paydown (4 units per item, 1 per feature) it holds debt
  // steady. C2.
  double debt_capacity_share = 0.2;

  // --- Exogenous work (degenerate queueing configurations) ---
  // Poisson arrivals of anonymous work items with the effort distribution
  // above, on stream "market/work_arrivals" (independent of org). Unit:
  // items/day. Range [0, 1e4]. Default 0 (off). Queueing.
  double exogenous_arrival_rate_per_day = 0.0;
};

// ---------------------------------------------------------------------------
// Delivery: how work flows through engineering
// ---------------------------------------------------------------------------

struct DeliveryConfig {
  // Working days per week; an engineer's speed per calendar day is
  // work_days_per_week/7 × (1 − overhead share). 7 for queueing scenarios.
  // Unit: days/week. Range (0, 7]. Default 5.
  double work_days_per_week = 5.0;
  // Rework: at each completion attempt an item needs rework with
  // probability rework_max_probability × (1 − understanding); rework adds
  // rework_effort_fraction × effort and raises understanding by
  // rework_learning × (1 − understanding). Defaults 0.5 / 0.35 / 0.5
  // (guesses; rework 20–40% of effort is commonly reported, e.g. Boehm
  // & Basili 2001). C9.
  double rework_max_probability = 0.5;
  double rework_effort_fraction = 0.35;
  double rework_learning = 0.5;
  // Interdependence of concurrent work (shared code, interfaces, data): a
  // completed item conflicts with the other items in delivery with
  // probability 1 − exp(−integration_coupling × other items in progress);
  // a conflict that coordination (operating.ceremony_coordination_*) does
  // not catch costs rework_effort_fraction × effort of integration rework
  // (which teaches nothing about the "why"). A regime lever: a modular
  // product is low, a mature coupled codebase high. Unit: 1/item. Range
  // [0, 1]. Default 0.01 (guess; Herbsleb & Mockus 2003 and Cataldo et
  // al. 2008 report that unmet coordination needs between interdependent
  // changes lengthen resolution times, without a rate to copy). C4.
  double integration_coupling = 0.01;
  // Design's effect: understanding += design_boost × designers/(designers +
  // engineers/6) × (1 − understanding). Default 0.3 (guess).
  double design_boost = 0.3;
  // New hires ramp up linearly over this many days (Brooks's law proxy).
  double ramp_up_days = 60.0;
};

// ---------------------------------------------------------------------------
// Sales
// ---------------------------------------------------------------------------

struct SalesConfig {
  // Deals a rep works at once; further leads wait (and go cold after
  // lead_patience_days). Range [1, 200]. Default 15 (guess).
  int deals_per_rep = 15;
  double lead_patience_days = 45.0;
  // Discount given on a deal when a problem signal is handled locally by
  // sales instead of product (unrouted). Range [0, 1]. Default 0.1. C5.
  double local_fix_discount = 0.1;
  // Win-rate multiplier while sales has not adopted the current plan (no
  // enablement on what is being built). Range [0, 1]. Default 0.85. C3.
  double misaligned_win_factor = 0.85;
  // Win-rate multiplier of a requesting (not date-sensitive) deal when its
  // request has shipped by the close. Range [1, 5]. Default 1.5 (guess).
  double request_shipped_win_factor = 1.5;
  // Win-rate multiplier of a date-sensitive deal whose request shipped by
  // the deadline (without it the deal is lost). Range [1, 10]. Default 2.
  double date_deal_win_factor = 2.0;
  // Win-rate multiplier when the org declines a request it cannot commit
  // to (date-driven roadmap, infeasible date). Range [0, 1]. Default 0.7.
  double declined_request_win_factor = 0.7;
};

// ---------------------------------------------------------------------------
// P&L
// ---------------------------------------------------------------------------

struct FinanceConfig {
  // Cash at t = 0. Unit: currency. Default 12e6 (a Series A; guess).
  double initial_cash = 12e6;
  // Employer overhead on salaries (benefits, taxes). Multiplier ≥ 1.
  // Default 1.25.
  double salary_overhead = 1.25;
  // Non-salary cost per person per month (tools, space). Default 1500.
  double cost_per_person_month = 1500.0;
  // Non-headcount marketing spend per month, and its effect on Bass p
  // (p × (1 + spend/(spend + marketing_spend_half_saturation))). Default 20000.
  double marketing_spend_per_month = 20000.0;
  double marketing_spend_half_saturation = 50000.0;
  // Hiring freezes while runway (cash / monthly net burn) is below this.
  // Unit: months. Default 12.
  double hiring_freeze_runway_months = 12.0;
  // Cost of hiring one person (recruiting). Unit: currency. Default 20000.
  double hiring_cost = 20000.0;
};

// ---------------------------------------------------------------------------
// Product–market fit criterion (time_to_pmf_days)
// ---------------------------------------------------------------------------

struct PmfConfig {
  // PMF is reached at the first month end at which, for pmf_months
  // consecutive month ends: at least must_have_share of active accounts have
  // fit ≥ must_have_fit (Ellis's 40% "very disappointed" test as a fit
  // share), monthly logo churn ≤ max_monthly_churn, and active accounts ≥
  // min_customers.
  double must_have_fit = 0.6;
  double must_have_share = 0.4;
  double max_monthly_churn = 0.02;
  int min_customers = 20;
  int pmf_months = 3;
};

// ---------------------------------------------------------------------------
// Mechanism switches (degenerate configurations)
// ---------------------------------------------------------------------------

// Turning all of these off (and using exogenous arrivals) reduces the model
// to a queue of engineers; market-only switches reduce it to Bass diffusion.
struct MechanismConfig {
  bool market = true;           // customers, leads, churn, revenue
  bool sales = true;            // deals via reps (off: leads convert at once)
  bool idea_generation = true;  // PM/executive/engineering ideas, backlog
  bool discovery = true;        // PM knowledge updates from customers/signals
  bool problem_signals = true;  // C5 signals
  bool rework = true;
  bool tech_debt = true;
  bool ceremonies = true;       // ceremony/process/planning capacity costs
  bool interruptions = true;
  bool hiring = true;
  bool decisions = true;        // PM decisions need adoption (C3)
  bool need_drift = true;
  bool capability_decay = true;
  bool payroll = true;          // salaries and costs in the P&L
};

// ---------------------------------------------------------------------------
// The whole model
// ---------------------------------------------------------------------------

struct OrganizationConfig {
  // The teams. REQUIRES: at least one Role::kEngineering team with people.
  std::vector<TeamConfig> teams;
  PmConfig pm;
  OperatingModelConfig operating;
  GraphConfig graph;
};

struct ModelConfig {
  // Simulated horizon. Unit: days. Range (0, 36500]. Default 1095 (3 years).
  double horizon_days = 1095.0;
  // Work items completed before this time are excluded from the queueing
  // metrics (cycle time, WIP, throughput, Little's law). Unit: days.
  // Default 0. Queueing.
  double warmup_days = 0.0;
  OrganizationConfig organization;
  MarketConfig market;
  WorkConfig work;
  DeliveryConfig delivery;
  SalesConfig sales;
  FinanceConfig finance;
  PmfConfig pmf;
  MechanismConfig mechanisms;
};

}  // namespace orgsim::model
