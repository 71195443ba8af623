// docs/scenario-format.md's reference section is generated from the proto
// comments (the source of truth) and checked here. Regenerate with
//   ORGSIM_UPDATE_GOLDEN=1 ctest --test-dir build -R SchemaDoc
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/io/internal/field_path.h"
#include "proto/orgsim/options.pb.h"
#include "proto/orgsim/results.pb.h"
#include "proto/orgsim/scenario.pb.h"
#include "tests/testing/files.h"

namespace orgsim::io {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;
using google::protobuf::SourceLocation;

constexpr char kBegin[] =
    "<!-- BEGIN GENERATED REFERENCE: tests/io/schema_doc_test.cc, regenerate with "
    "ORGSIM_UPDATE_GOLDEN=1 -->\n";
constexpr char kEnd[] = "<!-- END GENERATED REFERENCE -->\n";

using test::ReadFile;

// Comments come from a descriptor set built with --include_source_info
// (compiled-in descriptors carry no comments).
class Comments {
 public:
  Comments() {
    google::protobuf::FileDescriptorSet set;
    std::ifstream in(ORGSIM_SCHEMA_DESCRIPTOR, std::ios::binary);
    EXPECT_TRUE(set.ParseFromIstream(&in)) << "cannot read " << ORGSIM_SCHEMA_DESCRIPTOR;
    for (const google::protobuf::FileDescriptorProto& file : set.file()) {
      EXPECT_NE(pool_.BuildFile(file), nullptr) << file.name();
    }
  }

  // The leading comment of the element `full_name`, as one paragraph.
  std::string For(const std::string& full_name, int* line = nullptr) const {
    SourceLocation location;
    bool found = false;
    if (const Descriptor* m = pool_.FindMessageTypeByName(full_name)) {
      found = m->GetSourceLocation(&location);
    } else if (const EnumDescriptor* e = pool_.FindEnumTypeByName(full_name)) {
      found = e->GetSourceLocation(&location);
    } else if (const FieldDescriptor* f = pool_.FindFieldByName(full_name)) {
      found = f->GetSourceLocation(&location);
    } else if (const auto* v = pool_.FindEnumValueByName(full_name)) {
      found = v->GetSourceLocation(&location);
    }
    if (line != nullptr) *line = found ? location.start_line : 0;
    return found ? Paragraph(location.leading_comments) : "";
  }

 private:
  // Joins comment lines; keeps indented lines (examples) as a code block
  // would not fit a table cell, so they become inline text.
  static std::string Paragraph(const std::string& comment) {
    std::string out;
    std::istringstream lines(comment);
    std::string line;
    while (std::getline(lines, line)) {
      std::size_t start = line.find_first_not_of(' ');
      if (start == std::string::npos) continue;
      if (!out.empty()) out += ' ';
      out += line.substr(start);
    }
    std::string escaped;
    for (char c : out) {
      if (c == '|')
        escaped += "\\|";
      else
        escaped += c;
    }
    return escaped;
  }

  DescriptorPool pool_;
};

std::string Anchor(const std::string& kind, const std::string& name) {
  std::string lower = kind + "-" + name;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

std::string TypeText(const FieldDescriptor* field) {
  std::string type;
  if (field->message_type() != nullptr) {
    type = "[" + field->message_type()->name() + "](#" +
           Anchor("message", field->message_type()->name()) + ")";
  } else if (field->enum_type() != nullptr) {
    type =
        "[" + field->enum_type()->name() + "](#" + Anchor("enum", field->enum_type()->name()) + ")";
  } else {
    type = field->type_name();
  }
  return field->is_repeated() ? "repeated " + type : type;
}

std::string DefaultText(const FieldDescriptor* field) {
  if (field->is_repeated()) return "empty";
  if (field->message_type() != nullptr) return "unset";
  if (field->containing_oneof() != nullptr && !field->has_default_value()) return "unset";
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return "`\"" + field->default_value_string() + "\"`";
    case FieldDescriptor::CPPTYPE_ENUM:
      return "`" + field->default_value_enum()->name() + "`";
    case FieldDescriptor::CPPTYPE_BOOL:
      return field->default_value_bool() ? "`true`" : "`false`";
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return field->has_default_value()
                 ? "`" + internal::NumberText(field->default_value_double()) + "`"
                 : "unset";
    case FieldDescriptor::CPPTYPE_INT32:
      return field->has_default_value() ? "`" + std::to_string(field->default_value_int32()) + "`"
                                        : "unset";
    case FieldDescriptor::CPPTYPE_UINT32:
      return field->has_default_value() ? "`" + std::to_string(field->default_value_uint32()) + "`"
                                        : "unset";
    case FieldDescriptor::CPPTYPE_UINT64:
      return field->has_default_value() ? "`" + std::to_string(field->default_value_uint64()) + "`"
                                        : "unset";
    default:
      return "";
  }
}

// The range from the (min)/(max) options only (type limits are implied by
// the type column), with the unit.
std::string RangeText(const FieldDescriptor* field) {
  const google::protobuf::FieldOptions& o = field->options();
  const bool lo = o.HasExtension(orgsim::v1::min);
  const bool hi = o.HasExtension(orgsim::v1::max);
  std::string text;
  if (lo && hi) {
    text = std::string(o.GetExtension(orgsim::v1::min_exclusive) ? "(" : "[") +
           internal::NumberText(o.GetExtension(orgsim::v1::min)) + ", " +
           internal::NumberText(o.GetExtension(orgsim::v1::max)) +
           (o.GetExtension(orgsim::v1::max_exclusive) ? ")" : "]");
  } else if (lo) {
    text = std::string(o.GetExtension(orgsim::v1::min_exclusive) ? "> " : "≥ ") +
           internal::NumberText(o.GetExtension(orgsim::v1::min));
  } else if (hi) {
    text = std::string(o.GetExtension(orgsim::v1::max_exclusive) ? "< " : "≤ ") +
           internal::NumberText(o.GetExtension(orgsim::v1::max));
  }
  if (o.HasExtension(orgsim::v1::unit)) {
    text += (text.empty() ? "" : " ") + o.GetExtension(orgsim::v1::unit);
  }
  return text;
}

void RenderMessage(const Descriptor* message, const Comments& comments, std::string& out) {
  out += "### " + message->name() + " {#" + Anchor("message", message->name()) + "}\n\n";
  std::string comment = comments.For(message->full_name());
  if (!comment.empty()) out += comment + "\n\n";
  if (message->field_count() == 0) {
    out += "No fields.\n\n";
    return;
  }
  out += "| Field | Type | Default | Range | Meaning |\n|---|---|---|---|---|\n";
  for (int i = 0; i < message->field_count(); ++i) {
    const FieldDescriptor* field = message->field(i);
    std::string meaning = comments.For(field->full_name());
    if (field->containing_oneof() != nullptr) {
      meaning = "(one of `" + field->containing_oneof()->name() + "`) " + meaning;
    }
    if (field->options().GetExtension(orgsim::v1::run_constant)) {
      meaning = "*Read when a run starts: not schedulable" +
                std::string(field->type() == FieldDescriptor::TYPE_MESSAGE ? ", nor any field in it"
                                                                           : "") +
                ".* " + meaning;
    }
    out += "| `" + field->name() + "` | " + TypeText(field) + " | " + DefaultText(field) + " | " +
           RangeText(field) + " | " + meaning + " |\n";
  }
  out += "\n";
}

void RenderEnum(const EnumDescriptor* type, const Comments& comments, std::string& out) {
  out += "### " + type->name() + " {#" + Anchor("enum", type->name()) + "}\n\n";
  std::string comment = comments.For(type->full_name());
  if (!comment.empty()) out += comment + "\n\n";
  out += "| Value | Number | Meaning |\n|---|---|---|\n";
  for (int i = 0; i < type->value_count(); ++i) {
    const auto* value = type->value(i);
    // Enum values are scoped like siblings of their enum in protobuf.
    std::string scope = type->full_name().substr(0, type->full_name().rfind('.') + 1);
    out += "| `" + value->name() + "` | " + std::to_string(value->number()) + " | " +
           comments.For(scope + value->name()) + " |\n";
  }
  out += "\n";
}

// The reference of one .proto file: its messages and enums in file order.
void RenderFile(const FileDescriptor* file, const Comments& comments, std::string& out) {
  struct Item {
    int line;
    const Descriptor* message;
    const EnumDescriptor* enumeration;
  };
  std::vector<Item> items;
  for (int i = 0; i < file->message_type_count(); ++i) {
    int line = 0;
    comments.For(file->message_type(i)->full_name(), &line);
    items.push_back({line, file->message_type(i), nullptr});
  }
  for (int i = 0; i < file->enum_type_count(); ++i) {
    int line = 0;
    comments.For(file->enum_type(i)->full_name(), &line);
    items.push_back({line, nullptr, file->enum_type(i)});
  }
  std::sort(items.begin(), items.end(),
            [](const Item& a, const Item& b) { return a.line < b.line; });
  for (const Item& item : items) {
    if (item.message != nullptr)
      RenderMessage(item.message, comments, out);
    else
      RenderEnum(item.enumeration, comments, out);
  }
}

std::string GenerateReference() {
  Comments comments;
  std::string out = kBegin;
  out += "\n## Reference: scenario.proto\n\n";
  RenderFile(orgsim::v1::Scenario::descriptor()->file(), comments, out);
  out += "## Reference: results.proto\n\n";
  RenderFile(orgsim::v1::RunRecord::descriptor()->file(), comments, out);
  out += kEnd;
  return out;
}

TEST(SchemaDoc, ReferenceInDocsMatchesTheProtoComments) {
  const std::string path = test::SourcePath("docs/scenario-format.md");
  std::string doc = ReadFile(path);
  const std::string generated = GenerateReference();
  std::size_t begin = doc.find(kBegin);
  std::size_t end = doc.find(kEnd);
  if (std::getenv("ORGSIM_UPDATE_GOLDEN") != nullptr) {
    if (begin == std::string::npos || end == std::string::npos) {
      doc += "\n" + generated;
    } else {
      doc.replace(begin, end + std::string(kEnd).size() - begin, generated);
    }
    std::ofstream(path, std::ios::binary) << doc;
    GTEST_SKIP() << "updated " << path;
  }
  ASSERT_NE(begin, std::string::npos) << path << " has no generated reference section";
  ASSERT_NE(end, std::string::npos);
  EXPECT_EQ(doc.substr(begin, end + std::string(kEnd).size() - begin), generated)
      << "docs/scenario-format.md is out of date with proto/orgsim/*.proto; regenerate with "
         "ORGSIM_UPDATE_GOLDEN=1";
}

// The schema's promise: every field says what it means.
TEST(SchemaDoc, EveryFieldAndTypeHasAComment) {
  Comments comments;
  for (const FileDescriptor* file :
       {orgsim::v1::Scenario::descriptor()->file(), orgsim::v1::RunRecord::descriptor()->file()}) {
    for (int i = 0; i < file->message_type_count(); ++i) {
      const Descriptor* message = file->message_type(i);
      EXPECT_NE(comments.For(message->full_name()), "") << message->full_name();
      for (int f = 0; f < message->field_count(); ++f) {
        EXPECT_NE(comments.For(message->field(f)->full_name()), "")
            << message->field(f)->full_name() << " has no comment";
      }
    }
    for (int i = 0; i < file->enum_type_count(); ++i) {
      EXPECT_NE(comments.For(file->enum_type(i)->full_name()), "")
          << file->enum_type(i)->full_name();
    }
  }
}

}  // namespace
}  // namespace orgsim::io
