#include "engine/io/internal/model_checks.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <system_error>
#include <vector>

#include "engine/io/folder.h"
#include "engine/io/internal/field_path.h"
#include "proto/orgsim/scenario.pb.h"

namespace orgsim::io::internal {
namespace {

// Empty when `path` may be read as GraphML, else why not. It must lie in
// `confine_dir` (when set; symlinks resolved) and be a regular file, checked
// before it is opened (opening a FIFO would block), of bounded size.
std::string GraphMlFileProblem(const std::filesystem::path& path, const std::string& confine_dir) {
  std::error_code ec;
  if (!confine_dir.empty()) {
    const std::filesystem::path resolved =
        std::filesystem::weakly_canonical(std::filesystem::absolute(path), ec);
    if (ec || !IsInsideFolder(resolved.string(), confine_dir))
      return "it lies outside the scenarios folder";
  }
  const std::filesystem::file_status status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) return "no such file";
  if (!std::filesystem::is_regular_file(status)) return "not a regular file";
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) return ec.message();
  if (size > kMaxGraphMlBytes) {
    return "the file has " + std::to_string(size) + " bytes; at most " +
           std::to_string(kMaxGraphMlBytes) + " are supported";
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot open it";
  return "";
}

namespace v1 = ::orgsim::v1;

std::string TeamList(const v1::Organization& organization) {
  if (organization.teams_size() == 0) return "no teams are defined";
  std::string names = "teams: ";
  for (int i = 0; i < organization.teams_size(); ++i) {
    names += (i > 0 ? ", " : "") + organization.teams(i).name();
  }
  return names;
}

// Teams by name (the first of duplicates; duplicates are reported by the
// field rules).
class TeamIndex {
 public:
  explicit TeamIndex(const v1::Organization& organization) {
    for (const v1::Team& team : organization.teams()) by_name_.emplace(team.name(), &team);
  }
  const v1::Team* Find(const std::string& name) const {
    auto it = by_name_.find(name);
    return it == by_name_.end() ? nullptr : it->second;
  }

 private:
  std::map<std::string, const v1::Team*> by_name_;
};

// Why `endpoint` does not name a team, an agent "team/INDEX" or "market";
// empty when it does.
std::string EndpointProblem(const v1::Organization& organization, const TeamIndex& teams,
                            const std::string& endpoint) {
  if (endpoint == "market") return "";
  std::string team_name = endpoint;
  std::string index_text;
  std::size_t slash = endpoint.find('/');
  if (slash != std::string::npos) {
    team_name = endpoint.substr(0, slash);
    index_text = endpoint.substr(slash + 1);
  }
  const v1::Team* team = teams.Find(team_name);
  if (team == nullptr) {
    return "names team " + Quoted(team_name) + ", which is not defined (" + TeamList(organization) +
           "; or \"market\")";
  }
  // The roster gives every team max(initial, final) agents (planned hires
  // included), so those are the valid member indices (engine/model/org.h).
  const int members = std::max(team->initial_headcount(), team->final_headcount());
  if (slash == std::string::npos) {
    if (members <= 0) return "names team " + Quoted(team_name) + ", which has no people";
    return "";
  }
  int index = -1;
  if (!index_text.empty() && index_text.size() <= 6 &&
      index_text.find_first_not_of("0123456789") == std::string::npos) {
    index = std::stoi(index_text);
  }
  if (index < 0) {
    return "names agent " + Quoted(endpoint) + "; expected TEAM/INDEX with a 0-based index";
  }
  if (index >= members) {
    return "names agent " + Quoted(endpoint) + ", but team " + Quoted(team_name) + " has " +
           std::to_string(members) + (members == 1 ? " member" : " members") +
           (members > 0 ? " (indices 0 to " + std::to_string(members - 1) + ")" : "");
  }
  return "";
}

void CheckTeams(const Node& organization_node, const TeamIndex& teams,
                const ModelCheckContext& context, DiagnosticSink& sink) {
  const auto& organization = static_cast<const v1::Organization&>(*organization_node.message);
  long total_people = 0;
  bool has_engineers = false;
  for (int i = 0; i < organization.teams_size(); ++i) {
    const v1::Team& team = organization.teams(i);
    Node team_node = organization_node.Child("teams", i);
    total_people += std::max(team.initial_headcount(), team.final_headcount());
    if (team.role() == v1::ROLE_ENGINEERING && team.initial_headcount() > 0) has_engineers = true;
    if (team.final_headcount() >= 0 && team.final_headcount() < team.initial_headcount() &&
        team.has_final_headcount()) {
      sink.Error(team_node.At("final_headcount"),
                 context.prefix + "team " + Quoted(team.name()) + ": final_headcount " +
                     std::to_string(team.final_headcount()) + " is below initial_headcount " +
                     std::to_string(team.initial_headcount()) +
                     "; the model only hires (use -1 for no hiring)");
    }
    if (team.has_reports_to() && !team.reports_to().empty()) {
      if (team.reports_to() == team.name()) {
        sink.Error(team_node.At("reports_to"),
                   context.prefix + "team " + Quoted(team.name()) + " reports to itself");
      } else if (teams.Find(team.reports_to()) == nullptr) {
        sink.Error(team_node.At("reports_to"), context.prefix + "team " + Quoted(team.name()) +
                                                   " reports to " + Quoted(team.reports_to()) +
                                                   ", which is not defined (" +
                                                   TeamList(organization) + ")");
      }
    }
  }
  // Reporting cycles: walk reports_to from every team, marking teams whose
  // walk is finished; meeting a team of the current walk means a cycle,
  // reported once at the reports_to of its first member in file order.
  // Linear in the number of teams.
  std::map<std::string, int> state;  // 1 = on the current walk, 2 = finished
  for (int i = 0; i < organization.teams_size(); ++i) {
    std::vector<const v1::Team*> walk;
    const v1::Team* team = &organization.teams(i);
    while (team != nullptr && state[team->name()] == 0) {
      state[team->name()] = 1;
      walk.push_back(team);
      team = team->reports_to().empty() || team->reports_to() == team->name()
                 ? nullptr
                 : teams.Find(team->reports_to());
    }
    if (team != nullptr && state[team->name()] == 1) {
      std::set<std::string> members;
      for (auto it = walk.rbegin(); it != walk.rend(); ++it) {
        members.insert((*it)->name());
        if ((*it)->name() == team->name()) break;
      }
      int first = 0;
      while (members.count(organization.teams(first).name()) == 0) ++first;
      std::string text;
      for (const std::string& m : members) text += (text.empty() ? "" : ", ") + m;
      sink.Error(organization_node.Child("teams", first).At("reports_to"),
                 context.prefix + "reports_to forms a cycle among teams " + text +
                     "; the hierarchy needs a top (a team with no reports_to)");
    }
    for (const v1::Team* t : walk) state[t->name()] = 2;
  }
  if (!has_engineers) {
    sink.Error(organization_node.position,
               context.prefix +
                   "the organization needs at least one ROLE_ENGINEERING team with "
                   "initial_headcount > 0 (" +
                   TeamList(organization) + ")");
  }
  if (total_people > kMaxAgents) {
    sink.Error(organization_node.position, context.prefix + "the organization has " +
                                               std::to_string(total_people) +
                                               " people (counting planned hires); at most " +
                                               std::to_string(kMaxAgents) + " are supported");
  }
}

void CheckGraph(const Node& organization_node, const TeamIndex& teams,
                const ModelCheckContext& context, DiagnosticSink& sink) {
  const auto& organization = static_cast<const v1::Organization&>(*organization_node.message);
  Node graph_node = organization_node.Child("graph");
  const v1::Graph& graph = organization.graph();
  for (int i = 0; i < graph.edges_size(); ++i) {
    const v1::Edge& edge = graph.edges(i);
    Node edge_node = graph_node.Child("edges", i);
    const std::string label = "edge " + std::to_string(i);
    for (const char* end : {"from", "to"}) {
      const std::string& endpoint = std::string(end) == "from" ? edge.from() : edge.to();
      bool present = std::string(end) == "from" ? edge.has_from() : edge.has_to();
      if (!present || endpoint.empty()) {
        sink.Error(edge_node.position, context.prefix + label + " needs `" + end +
                                           "`: a team, an agent TEAM/INDEX or \"market\"");
        continue;
      }
      std::string problem = EndpointProblem(organization, teams, endpoint);
      if (!problem.empty()) {
        sink.Error(edge_node.At(end), context.prefix + label + " " + end + " " + problem);
      }
    }
    if (edge.has_from() && edge.has_to() && !edge.from().empty() && edge.from() == edge.to()) {
      sink.Error(edge_node.At("to"),
                 context.prefix + label + " connects " + Quoted(edge.from()) + " to itself");
    }
    if (edge.has_fidelity() && edge.fidelity() >= 0 && edge.fidelity() == 0) {
      sink.Error(edge_node.At("fidelity"),
                 context.prefix + label +
                     " fidelity is 0 (nothing gets through); expected a value in (0, 1], or "
                     "-1 for the graph default");
    }
  }
  if (graph.generator() == v1::GRAPH_RANDOM) {
    double agents = 0;
    for (const v1::Team& team : organization.teams()) {
      agents += std::max(team.initial_headcount(), team.final_headcount());
    }
    double expected_edges = agents * agents * graph.random_edge_probability() / 2;
    if (expected_edges > kMaxRandomEdges) {
      sink.Error(graph_node.At("random_edge_probability"),
                 context.prefix + "GRAPH_RANDOM with " + NumberText(agents) +
                     " agents and random_edge_probability " +
                     NumberText(graph.random_edge_probability()) + " gives about " +
                     NumberText(std::round(expected_edges)) + " edges; at most " +
                     NumberText(kMaxRandomEdges) + " are supported");
    }
  }
  if (graph.generator() == v1::GRAPH_GRAPHML) {
    Position where =
        graph.has_graphml_path() ? graph_node.At("graphml_path") : graph_node.At("generator");
    if (graph.graphml_path().empty()) {
      sink.Error(where, context.prefix + "generator GRAPH_GRAPHML needs graphml_path");
    } else if (!context.read_external_files) {
      sink.Error(where, context.prefix + "graphml_path " + Quoted(graph.graphml_path()) +
                            " cannot be read: external files are disabled");
    } else {
      std::filesystem::path path(graph.graphml_path());
      if (path.is_relative() && !context.base_dir.empty()) path = context.base_dir / path;
      const std::string problem = GraphMlFileProblem(path, context.confine_dir);
      if (!problem.empty()) {
        sink.Error(where, context.prefix + "cannot read GraphML file " + Quoted(path.string()) +
                              ": " + problem +
                              " (relative paths are resolved against the scenario's folder)");
      }
    }
  } else if (graph.has_graphml_path() && !graph.graphml_path().empty()) {
    sink.Warning(graph_node.At("graphml_path"),
                 context.prefix + "graphml_path is ignored unless generator is GRAPH_GRAPHML");
  }
}

void CheckMarket(const Node& root, const ModelCheckContext& context, DiagnosticSink& sink) {
  const auto& scenario = static_cast<const v1::Scenario&>(*root.message);
  Node market_node = root.Child("market");
  const v1::Market& market = scenario.market();
  if (scenario.mechanisms().market() && market.segments_size() == 0) {
    sink.Error(market_node.position,
               context.prefix +
                   "the market needs at least one segment (segments { name: \"...\" }) while "
                   "mechanisms.market is on");
  }
  for (int i = 0; i < market.segments_size(); ++i) {
    const v1::Segment& segment = market.segments(i);
    Node segment_node = market_node.Child("segments", i);
    if (segment.initial_customers() > segment.potential_customers()) {
      sink.Error(segment_node.At("initial_customers"),
                 context.prefix + "segment " + Quoted(segment.name()) + " starts with " +
                     std::to_string(segment.initial_customers()) +
                     " customers, more than its potential_customers " +
                     std::to_string(segment.potential_customers()));
    }
    if (segment.need_weights_size() == 0) continue;
    if (segment.need_weights_size() != market.problem_dimensions()) {
      sink.Error(segment_node.At("need_weights", 0),
                 context.prefix + "segment " + Quoted(segment.name()) + " has " +
                     std::to_string(segment.need_weights_size()) +
                     " need_weights; expected one per problem dimension (" +
                     std::to_string(market.problem_dimensions()) + ") or none");
    }
    double sum = 0;
    for (double w : segment.need_weights()) sum += w > 0 ? w : 0;
    if (!(sum > 0)) {
      sink.Error(segment_node.At("need_weights", 0),
                 context.prefix + "segment " + Quoted(segment.name()) +
                     " need_weights are all 0; at least one must be positive");
    }
  }
}

}  // namespace

void CheckModelSections(const Node& root, const ModelCheckContext& context, DiagnosticSink& sink) {
  const auto& scenario = static_cast<const v1::Scenario&>(*root.message);
  // (Only when both are in range; otherwise their range errors say it.)
  if (scenario.horizon_days() > 0 && scenario.warmup_days() >= 0 &&
      scenario.warmup_days() >= scenario.horizon_days()) {
    sink.Error(root.At(scenario.has_warmup_days() ? "warmup_days" : "horizon_days"),
               context.prefix + "warmup_days " + NumberText(scenario.warmup_days()) +
                   " is not below horizon_days " + NumberText(scenario.horizon_days()));
  }
  Node organization_node = root.Child("organization");
  const v1::Organization& organization = scenario.organization();
  if (organization.teams_size() > kMaxTeams) {
    sink.Error(organization_node.At("teams", kMaxTeams),
               context.prefix + "the organization has " +
                   std::to_string(organization.teams_size()) + " teams; at most " +
                   std::to_string(kMaxTeams) + " are supported");
    return;
  }
  TeamIndex teams(organization);
  CheckTeams(organization_node, teams, context, sink);
  CheckGraph(organization_node, teams, context, sink);
  CheckMarket(root, context, sink);
  const v1::Work& work = scenario.work();
  if (work.idea_p_good() + work.idea_p_neutral() > 1) {
    Node work_node = root.Child("work");
    sink.Error(work_node.At(work.has_idea_p_neutral() ? "idea_p_neutral" : "idea_p_good"),
               context.prefix + "idea_p_good + idea_p_neutral is " +
                   NumberText(work.idea_p_good() + work.idea_p_neutral()) +
                   "; they are probabilities of exclusive outcomes and must sum to at most 1");
  }
}

}  // namespace orgsim::io::internal
