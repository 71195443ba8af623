// The generated config structs and converters (tools/codegen) mirror the
// schema exactly: same defaults, and every field reaches the config and
// back. (Same fields by construction: both sides come from scenario.proto.)
#include "engine/io/internal/convert.h"

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "engine/io/internal/field_path.h"
#include "engine/io/internal/field_rules.h"
#include "proto/orgsim/options.pb.h"

namespace orgsim::io::internal {
namespace {

namespace v1 = ::orgsim::v1;
using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The Scenario fields that are not part of ModelConfig (marked in the schema).
bool NotInConfig(const FieldDescriptor* field) {
  return field->options().GetExtension(v1::config_skip);
}

// A config with one element in every list, so element messages are covered.
model::ModelConfig ConfigWithOneOfEach() {
  model::ModelConfig config;
  config.organization.teams.emplace_back();
  config.organization.graph.edges.emplace_back();
  config.market.segments.emplace_back();
  config.schedule.emplace_back().set.emplace_back();
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
    if (is_root && NotInConfig(field)) continue;
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
// member initializer the generator wrote.
TEST(Convert, SchemaDefaultsEqualConfigDefaults) {
  const v1::Scenario from_config = FromModelConfig(ConfigWithOneOfEach());
  int checked = 0;
  ForEachScalar(from_config, [&](const Message& message, const FieldDescriptor* field) {
    std::unique_ptr<Message> empty(message.New());  // declared defaults
    EXPECT_EQ(ValueText(*empty, field), ValueText(message, field))
        << field->full_name() << ": the proto default differs from the generated config";
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
      r->SetEnumValue(message, field,
                      current == type->value(0)->number()
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
      if (is_root && NotInConfig(field)) continue;
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
