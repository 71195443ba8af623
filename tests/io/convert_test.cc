// The schema mirrors engine/model/config.h exactly: same fields, same
// defaults, and every field reaches the config.
#include "engine/io/internal/convert.h"

#include <cstdlib>
#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include "engine/io/internal/field_path.h"
#include "engine/io/internal/field_rules.h"

namespace orgsim::io::internal {
namespace {

namespace v1 = ::orgsim::v1;
using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The Scenario fields that are not part of ModelConfig.
const std::set<std::string> kNonModelFields = {"name", "description", "seed",      "replications",
                                               "arms", "experiment",  "base"};

// A config with one element in every list, so element messages are covered.
model::ModelConfig ConfigWithOneOfEach() {
  model::ModelConfig config;
  config.organization.teams.emplace_back();
  config.organization.graph.edges.emplace_back();
  config.market.segments.emplace_back();
  return config;
}

// Calls `visit(message, field)` for every singular scalar field of the model
// sections of `root`, recursing into set messages and list elements.
template <typename Visit>
void ForEachScalar(const Message& message, Visit visit, bool is_root = true) {
  const Descriptor* type = message.GetDescriptor();
  const Reflection* reflection = message.GetReflection();
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    if (is_root && kNonModelFields.count(field->name()) > 0) continue;
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int k = 0; k < reflection->FieldSize(message, field); ++k) {
          ForEachScalar(reflection->GetRepeatedMessage(message, field, k), visit, false);
        }
      } else {
        ForEachScalar(reflection->GetMessage(message, field), visit, false);
      }
    } else if (!field->is_repeated()) {
      visit(message, field);
    }
  }
}

std::string ValueText(const Message& message, const FieldDescriptor* field) {
  std::string text;
  google::protobuf::TextFormat::PrintFieldValueToString(message, field, -1, &text);
  return text;
}

// The proto's declared default of every field equals the C++ default
// member initializer: defaults never drift between schema and config.h.
TEST(Convert, SchemaDefaultsEqualConfigDefaults) {
  const v1::Scenario from_config = FromModelConfig(ConfigWithOneOfEach());
  int checked = 0;
  ForEachScalar(from_config, [&](const Message& message, const FieldDescriptor* field) {
    std::unique_ptr<Message> empty(message.New());  // declared defaults
    EXPECT_EQ(ValueText(*empty, field), ValueText(message, field))
        << field->full_name() << ": the proto default differs from config.h";
    ++checked;
  });
  EXPECT_GT(checked, 150);
}

// The brief's literal statement of the same: the default-constructed config
// equals the config converted from an empty scenario (compared through the
// total mapping FromModelConfig, checked below).
TEST(Convert, EmptyScenarioConvertsToTheDefaultConfig) {
  const model::ModelConfig from_empty = ToModelConfig(v1::Scenario(), "");
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      FromModelConfig(from_empty), FromModelConfig(model::ModelConfig())));
  EXPECT_TRUE(from_empty.organization.teams.empty());
  EXPECT_TRUE(from_empty.market.segments.empty());
}

// FromModelConfig writes every field, so comparisons in proto space are
// comparisons of whole configs.
TEST(Convert, FromModelConfigSetsEveryField) {
  const v1::Scenario from_config = FromModelConfig(ConfigWithOneOfEach());
  ForEachScalar(from_config, [&](const Message& message, const FieldDescriptor* field) {
    EXPECT_TRUE(message.GetReflection()->HasField(message, field))
        << field->full_name() << " is not written by FromModelConfig";
  });
}

// A valid value of `field` other than `current`.
void SetOtherValue(Message* message, const FieldDescriptor* field) {
  const Reflection* r = message->GetReflection();
  FieldRange range = RangeOf(field);
  auto pick = [&](double current, bool integral) {
    double lo = std::isfinite(range.min) ? range.min : current - 10;
    double hi = std::isfinite(range.max) ? range.max : current + 10;
    double v = integral ? std::floor((lo + hi) / 2) : (lo + hi) / 2;
    if (v == current || !RangeViolation(field, v).empty()) v = integral ? current + 1 : hi;
    if (v == current || !RangeViolation(field, v).empty()) v = integral ? current - 1 : lo;
    return v;
  };
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_DOUBLE:
      r->SetDouble(message, field, pick(r->GetDouble(*message, field), false));
      break;
    case FieldDescriptor::CPPTYPE_INT32:
      r->SetInt32(message, field, static_cast<int>(pick(r->GetInt32(*message, field), true)));
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      r->SetUInt64(message, field, r->GetUInt64(*message, field) + 1);
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      r->SetBool(message, field, !r->GetBool(*message, field));
      break;
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* type = field->enum_type();
      int current = r->GetEnumValue(*message, field);
      r->SetEnumValue(message, field, current == type->value(0)->number()
                                          ? type->value(type->value_count() - 1)->number()
                                          : type->value(0)->number());
      break;
    }
    case FieldDescriptor::CPPTYPE_STRING:
      r->SetString(message, field, r->GetString(*message, field) + "_changed");
      break;
    default:
      ADD_FAILURE() << field->full_name() << ": unexpected field type " << field->cpp_type_name();
  }
}

// Every proto field reaches the config: change one field at a time and
// check the change survives proto -> config -> proto (so it was neither
// dropped nor written to another field).
TEST(Convert, EveryFieldReachesTheConfig) {
  const v1::Scenario baseline = FromModelConfig(ConfigWithOneOfEach());
  // Every scalar as a chain of fields from the root (lists: element 0).
  using Chain = std::vector<const FieldDescriptor*>;
  std::vector<Chain> chains;
  std::function<void(const Descriptor*, Chain, bool)> collect = [&](const Descriptor* type,
                                                                    Chain chain, bool is_root) {
    for (int i = 0; i < type->field_count(); ++i) {
      const FieldDescriptor* field = type->field(i);
      if (is_root && kNonModelFields.count(field->name()) > 0) continue;
      Chain next = chain;
      next.push_back(field);
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        collect(field->message_type(), next, false);
      } else if (!field->is_repeated()) {
        chains.push_back(next);
      }
    }
  };
  collect(v1::Scenario::descriptor(), {}, true);
  ASSERT_GT(chains.size(), 150u);
  for (const Chain& chain : chains) {
    v1::Scenario changed = baseline;
    Message* message = &changed;
    std::string name;
    for (std::size_t s = 0; s + 1 < chain.size(); ++s) {
      const Reflection* r = message->GetReflection();
      message = chain[s]->is_repeated() ? r->MutableRepeatedMessage(message, chain[s], 0)
                                        : r->MutableMessage(message, chain[s]);
      name += chain[s]->name() + (chain[s]->is_repeated() ? "[0]." : ".");
    }
    name += chain.back()->name();
    SetOtherValue(message, chain.back());
    v1::Scenario round_trip = FromModelConfig(ToModelConfig(changed, ""));
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(round_trip, changed))
        << name << " = " << ValueText(*message, chain.back())
        << " does not survive proto -> config -> proto";
  }
}

// config.h and the schema name the same fields: a field added to config.h
// without its proto mirror (or the reverse) fails here, naming the field.
TEST(Convert, ConfigHeaderAndSchemaHaveTheSameFields) {
  const char* source_dir = std::getenv("ORGSIM_SOURCE_DIR");
  ASSERT_NE(source_dir, nullptr) << "ORGSIM_SOURCE_DIR is not set (run through ctest)";
  std::ifstream in(std::string(source_dir) + "/engine/model/config.h");
  ASSERT_TRUE(in) << "cannot read engine/model/config.h";
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string header = std::regex_replace(buffer.str(), std::regex("//[^\n]*"), "");

  const std::map<std::string, const Descriptor*> mirror = {
      {"ModelConfig", v1::Scenario::descriptor()},
      {"OrganizationConfig", v1::Organization::descriptor()},
      {"TeamConfig", v1::Team::descriptor()},
      {"PmConfig", v1::Pm::descriptor()},
      {"OperatingModelConfig", v1::OperatingModel::descriptor()},
      {"GraphConfig", v1::Graph::descriptor()},
      {"EdgeConfig", v1::Edge::descriptor()},
      {"MarketConfig", v1::Market::descriptor()},
      {"SegmentConfig", v1::Segment::descriptor()},
      {"CompetitorConfig", v1::Competitor::descriptor()},
      {"WorkConfig", v1::Work::descriptor()},
      {"DeliveryConfig", v1::Delivery::descriptor()},
      {"SalesConfig", v1::Sales::descriptor()},
      {"FinanceConfig", v1::Finance::descriptor()},
      {"PmfConfig", v1::Pmf::descriptor()},
      {"MechanismConfig", v1::Mechanisms::descriptor()},
  };
  const std::regex struct_re(R"(struct (\w+) \{([^}]*)\};)");
  const std::regex member_re(R"(\n\s+[\w:<>]+\s+(\w+)(\s*=[^;]*)?;)");
  std::set<std::string> structs_seen;
  for (auto it = std::sregex_iterator(header.begin(), header.end(), struct_re);
       it != std::sregex_iterator(); ++it) {
    const std::string name = (*it)[1];
    const std::string body = (*it)[2];
    auto found = mirror.find(name);
    if (found == mirror.end()) {
      ADD_FAILURE() << "config.h struct " << name
                    << " has no mirror in scenario.proto (add it and to this table)";
      continue;
    }
    structs_seen.insert(name);
    std::set<std::string> config_fields;
    for (auto m = std::sregex_iterator(body.begin(), body.end(), member_re);
         m != std::sregex_iterator(); ++m) {
      config_fields.insert((*m)[1]);
    }
    std::set<std::string> proto_fields;
    for (int i = 0; i < found->second->field_count(); ++i) {
      const std::string& field = found->second->field(i)->name();
      if (name == "ModelConfig" && kNonModelFields.count(field) > 0) continue;
      proto_fields.insert(field);
    }
    for (const std::string& f : config_fields) {
      EXPECT_TRUE(proto_fields.count(f) > 0)
          << name << "::" << f << " (config.h) has no field in " << found->second->full_name()
          << ": mirror it in proto/orgsim/scenario.proto and engine/io/internal/convert.cc";
    }
    for (const std::string& f : proto_fields) {
      EXPECT_TRUE(config_fields.count(f) > 0)
          << found->second->full_name() << "." << f << " has no member in " << name;
    }
  }
  EXPECT_EQ(structs_seen.size(), mirror.size());
}

TEST(Convert, GraphmlPathIsResolvedAgainstTheScenarioFolder) {
  v1::Scenario scenario;
  scenario.mutable_organization()->mutable_graph()->set_graphml_path("graphs/org.graphml");
  EXPECT_EQ(ToModelConfig(scenario, "scenarios/claims").organization.graph.graphml_path,
            "scenarios/claims/graphs/org.graphml");
  EXPECT_EQ(ToModelConfig(scenario, "").organization.graph.graphml_path, "graphs/org.graphml");
  scenario.mutable_organization()->mutable_graph()->set_graphml_path("/abs/org.graphml");
  EXPECT_EQ(ToModelConfig(scenario, "scenarios").organization.graph.graphml_path,
            "/abs/org.graphml");
}

}  // namespace
}  // namespace orgsim::io::internal
