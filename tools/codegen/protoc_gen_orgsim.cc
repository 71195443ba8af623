// protoc-gen-orgsim: the plain C++ side of a scenario schema, generated at
// build time so that a lever is declared once, in the .proto.
//
// From the message `root` and every message reachable from it (fields marked
// (orgsim.v1.config_skip) excluded) it emits, depending on `kind`:
//   kind=model    OUT.h   enum classes and structs with the schema's field
//                         names, defaults and comments (no protobuf types),
//                         plus the per-field range table's declarations;
//                 OUT.cc  the range table ((min), (max), exclusivity, unit),
//                         a visitor over every ranged value of a config, and
//                         the table of schedulable levers (every singular
//                         number, bool or enum outside lists and not under a
//                         field marked (orgsim.v1.run_constant)).
//   kind=convert  OUT.h/.cc  ToConfig/FromConfig overloads between each
//                         generated protobuf message and its struct.
//
//   protoc --plugin=protoc-gen-orgsim=BIN --orgsim_out=DIR
//     --orgsim_opt=kind=model,root=Scenario,ns=orgsim.model,out=engine/model/config_levers
//     proto/orgsim/scenario.proto
// Options: ns (struct namespace, dots for ::), out (output path without
// extension), config_header (kind=convert: what OUT.h includes for the
// structs), convert_ns (kind=convert; default orgsim.io.internal).
#include <google/protobuf/compiler/code_generator.h>
#include <google/protobuf/compiler/plugin.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/io/printer.h>
#include <google/protobuf/io/zero_copy_stream.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "proto/orgsim/options.pb.h"

namespace orgsim::codegen {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;
using google::protobuf::SourceLocation;
using google::protobuf::compiler::GeneratorContext;

std::string Namespace(const std::string& dotted) {
  std::string out = "::";
  for (char ch : dotted) out += ch == '.' ? std::string("::") : std::string(1, ch);
  return out;
}

// "orgsim.model" -> "namespace orgsim::model {".
std::string OpenNamespace(const std::string& dotted) {
  return "namespace " + Namespace(dotted).substr(2) + " {\n";
}

std::string Stem(const std::string& proto_name) {
  return proto_name.substr(0, proto_name.rfind('.'));
}

// The leading comment as "//" lines with `indent`; empty when none.
template <typename D>
std::string Comment(const D* d, const std::string& indent) {
  SourceLocation location;
  if (!d->GetSourceLocation(&location) || location.leading_comments.empty()) return "";
  std::string text = location.leading_comments;
  while (!text.empty() && text.back() == '\n') text.pop_back();
  std::string out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += indent + "//" + line + "\n";
  }
  return out;
}

std::string StructName(const Descriptor* m) {
  const std::string& explicit_name = m->options().GetExtension(orgsim::v1::config_struct);
  return explicit_name.empty() ? m->name() + "Config" : explicit_name;
}

bool Skipped(const FieldDescriptor* f) {
  return f->options().GetExtension(orgsim::v1::config_skip);
}

bool RunConstant(const FieldDescriptor* f) {
  return f->options().GetExtension(orgsim::v1::run_constant);
}

// ROLE_CUSTOMER_SUCCESS -> kCustomerSuccess (the enum's common prefix dropped).
std::string EnumeratorName(const EnumValueDescriptor* v) {
  const EnumDescriptor* e = v->type();
  std::string prefix = e->value(0)->name();
  for (int i = 1; i < e->value_count(); ++i) {
    const std::string& name = e->value(i)->name();
    std::size_t n = 0;
    while (n < prefix.size() && n < name.size() && prefix[n] == name[n]) ++n;
    prefix.resize(n);
  }
  if (e->value_count() == 1) prefix = prefix.substr(0, prefix.find('_') + 1);
  prefix = prefix.substr(0, prefix.rfind('_') + 1);
  std::string out = "k";
  bool upper = true;
  for (char ch : v->name().substr(prefix.size())) {
    if (ch == '_') {
      upper = true;
      continue;
    }
    out += upper ? ch : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    upper = false;
  }
  return out;
}

// The shortest decimal text that reads back as `v`, as a double literal.
std::string DoubleLiteral(double v) {
  if (std::isinf(v)) {
    return v > 0 ? "std::numeric_limits<double>::infinity()"
                 : "-std::numeric_limits<double>::infinity()";
  }
  char buffer[64];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(buffer, sizeof buffer, "%.1f", v);
    return buffer;
  }
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, v);
    if (std::strtod(buffer, nullptr) == v) break;
  }
  std::string text = buffer;
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

std::string CEscape(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

class Generator : public google::protobuf::compiler::CodeGenerator {
 public:
  bool Generate(const FileDescriptor* file, const std::string& parameter, GeneratorContext* context,
                std::string* error) const override {
    std::vector<std::pair<std::string, std::string>> pairs;
    google::protobuf::compiler::ParseGeneratorParameter(parameter, &pairs);
    std::map<std::string, std::string> opt(pairs.begin(), pairs.end());
    for (const char* required : {"kind", "root", "ns", "out"}) {
      if (opt[required].empty()) {
        *error = std::string("missing option ") + required;
        return false;
      }
    }
    const Descriptor* root = file->FindMessageTypeByName(opt["root"]);
    if (root == nullptr) {
      *error = "no message " + opt["root"] + " in " + file->name();
      return false;
    }
    Schema schema;
    if (!Collect(root, &schema, error)) return false;
    const std::string ns = opt["ns"];
    if (opt["kind"] == "model") {
      Write(context, opt["out"] + ".h", ModelHeader(file, schema, ns));
      Write(context, opt["out"] + ".cc", ModelSource(file, schema, ns, opt["out"] + ".h"));
      return true;
    }
    if (opt["kind"] == "convert") {
      if (opt["config_header"].empty()) {
        *error = "kind=convert needs config_header";
        return false;
      }
      const std::string convert_ns =
          opt["convert_ns"].empty() ? "orgsim.io.internal" : opt["convert_ns"];
      Write(context, opt["out"] + ".h",
            ConvertHeader(file, schema, ns, convert_ns, opt["config_header"]));
      Write(context, opt["out"] + ".cc",
            ConvertSource(file, schema, ns, convert_ns, opt["out"] + ".h"));
      return true;
    }
    *error = "kind must be model or convert";
    return false;
  }

 private:
  // Messages and enums the structs need, each after what it uses.
  struct Schema {
    const Descriptor* root = nullptr;
    std::vector<const Descriptor*> messages;
    std::vector<const EnumDescriptor*> enums;
  };

  static std::vector<const FieldDescriptor*> Fields(const Descriptor* m) {
    std::vector<const FieldDescriptor*> out;
    for (int i = 0; i < m->field_count(); ++i) {
      if (!Skipped(m->field(i))) out.push_back(m->field(i));
    }
    return out;
  }

  static bool Collect(const Descriptor* root, Schema* schema, std::string* error) {
    schema->root = root;
    std::set<const Descriptor*> seen;
    std::set<const EnumDescriptor*> enums_seen;
    std::function<bool(const Descriptor*)> visit = [&](const Descriptor* m) {
      if (!seen.insert(m).second) return true;
      for (const FieldDescriptor* f : Fields(m)) {
        if (f->real_containing_oneof() != nullptr || f->is_map()) {
          *error = f->full_name() + ": oneofs and maps have no config mirror";
          return false;
        }
        if (f->type() == FieldDescriptor::TYPE_MESSAGE && !visit(f->message_type())) return false;
        if (f->type() == FieldDescriptor::TYPE_ENUM) {
          if (f->is_repeated()) {
            *error = f->full_name() + ": repeated enums are not supported";
            return false;
          }
          if (enums_seen.insert(f->enum_type()).second) schema->enums.push_back(f->enum_type());
        }
      }
      schema->messages.push_back(m);
      return true;
    };
    return visit(root);
  }

  static void Write(GeneratorContext* context, const std::string& name, const std::string& text) {
    std::unique_ptr<google::protobuf::io::ZeroCopyOutputStream> out(context->Open(name));
    google::protobuf::io::Printer printer(out.get(), '$');
    printer.PrintRaw(text);
  }

  static std::string Banner(const std::string& what, const std::string& proto) {
    return "// " + what + "\n// Generated by protoc-gen-orgsim (tools/codegen) from " + proto +
           ": do not edit,\n// change the schema.\n";
  }

  static std::string CppType(const FieldDescriptor* f) {
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_DOUBLE:
        return "double";
      case FieldDescriptor::CPPTYPE_FLOAT:
        return "float";
      case FieldDescriptor::CPPTYPE_INT32:
        return "int";
      case FieldDescriptor::CPPTYPE_UINT32:
        return "std::uint32_t";
      case FieldDescriptor::CPPTYPE_INT64:
        return "std::int64_t";
      case FieldDescriptor::CPPTYPE_UINT64:
        return "std::uint64_t";
      case FieldDescriptor::CPPTYPE_BOOL:
        return "bool";
      case FieldDescriptor::CPPTYPE_STRING:
        return "std::string";
      case FieldDescriptor::CPPTYPE_ENUM:
        return f->enum_type()->name();
      case FieldDescriptor::CPPTYPE_MESSAGE:
        return StructName(f->message_type());
    }
    return "void";
  }

  // " = default" for a singular scalar (empty when the C++ default is it).
  static std::string Initializer(const FieldDescriptor* f) {
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_DOUBLE:
        return " = " + DoubleLiteral(f->default_value_double());
      case FieldDescriptor::CPPTYPE_FLOAT:
        return " = " + DoubleLiteral(f->default_value_float()) + "f";
      case FieldDescriptor::CPPTYPE_INT32:
        return " = " + std::to_string(f->default_value_int32());
      case FieldDescriptor::CPPTYPE_UINT32:
        return " = " + std::to_string(f->default_value_uint32()) + "u";
      case FieldDescriptor::CPPTYPE_INT64:
        return " = " + std::to_string(f->default_value_int64());
      case FieldDescriptor::CPPTYPE_UINT64:
        return " = " + std::to_string(f->default_value_uint64()) + "u";
      case FieldDescriptor::CPPTYPE_BOOL:
        return f->default_value_bool() ? " = true" : " = false";
      case FieldDescriptor::CPPTYPE_STRING:
        return f->default_value_string().empty() ? "" : " = " + CEscape(f->default_value_string());
      case FieldDescriptor::CPPTYPE_ENUM:
        return " = " + f->enum_type()->name() + "::" + EnumeratorName(f->default_value_enum());
      case FieldDescriptor::CPPTYPE_MESSAGE:
        return "";
    }
    return "";
  }

  static bool Ranged(const FieldDescriptor* f) {
    const auto& o = f->options();
    return o.HasExtension(orgsim::v1::min) || o.HasExtension(orgsim::v1::max);
  }

  // --- kind=model -------------------------------------------------------------

  static std::string ModelHeader(const FileDescriptor* file, const Schema& schema,
                                 const std::string& ns) {
    std::string out =
        Banner("Every lever of the model as a plain struct, with its default.", file->name());
    out +=
        "#pragma once\n\n#include <cstdint>\n#include <functional>\n#include <span>\n#include "
        "<string>\n"
        "#include <vector>\n\n#include \"engine/model/field_range.h\"\n#include "
        "\"engine/model/schedulable_lever.h\"\n\n" +
        OpenNamespace(ns) + "\n";
    for (const EnumDescriptor* e : schema.enums) {
      out += Comment(e, "") + "enum class " + e->name() + " {\n";
      for (int i = 0; i < e->value_count(); ++i) {
        out += Comment(e->value(i), "  ") + "  " + EnumeratorName(e->value(i)) + " = " +
               std::to_string(e->value(i)->number()) + ",\n";
      }
      out += "};\n\n";
    }
    for (const Descriptor* m : schema.messages) {
      if (m == schema.root) {
        out += "// The levers of " + m->name() +
               ", the message described below, without its\n"
               "// fields marked (config_skip):\n//\n";
      }
      out += Comment(m, "") + "struct " + StructName(m) + " {\n";
      for (const FieldDescriptor* f : Fields(m)) {
        out += Comment(f, "  ");
        const std::string type = CppType(f);
        if (f->is_repeated()) {
          out += "  std::vector<" + type + "> " + f->name() + ";\n";
        } else {
          out += "  " + type + " " + f->name() + Initializer(f) + ";\n";
        }
      }
      out += "};\n\n";
    }
    const std::string root = StructName(schema.root);
    out += "// Every ranged field of " + root +
           " (the schema's (min)/(max)/(unit)), in schema\n// order; list fields without keys "
           "(\"organization.teams.initial_headcount\").\n";
    out += "std::span<const ::orgsim::model::FieldRange> " + root + "Ranges();\n\n";
    out +=
        "// Calls visit(range, value, path) for every ranged number in `config`; the\n"
        "// path names list elements by name (or index): "
        "\"organization.teams[eng].hours_per_day\".\n";
    out += "void ForEachRangedValue(const " + root +
           "& config,\n                        const ::orgsim::model::RangeVisitor& visit);\n\n";
    out +=
        "// Every lever a lever schedule may change within a run, in schema order\n"
        "// (engine/model/schedulable_lever.h).\n";
    out += "std::span<const ::orgsim::model::BasicSchedulableLever<" + root + ">> " + root +
           "SchedulableLevers();\n\n";
    out += "}  // namespace " + Namespace(ns).substr(2) + "\n";
    return out;
  }

  static std::string ModelSource(const FileDescriptor* file, const Schema& schema,
                                 const std::string& ns, const std::string& header) {
    std::string table;
    std::string body;
    int index = 0;
    // Walks the config by path: `var` is the C++ expression of the current
    // struct; its path text is the variable `prefix` (empty at the root and
    // outside lists) followed by the literal `plain_tail`.
    std::function<void(const Descriptor*, const std::string&, const std::string&,
                       const std::string&, const std::string&, int, const std::string&)>
        walk = [&](const Descriptor* m, const std::string& var, const std::string& plain,
                   const std::string& prefix, const std::string& tail, int depth,
                   const std::string& indent) {
          auto path_expr = [&](const std::string& name) {
            return prefix.empty() ? CEscape(tail + name) : prefix + " + " + CEscape(tail + name);
          };
          for (const FieldDescriptor* f : Fields(m)) {
            const std::string plain_path = plain + f->name();
            if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
              const std::string child = "c" + std::to_string(depth + 1);
              if (f->is_repeated()) {
                const std::string i = "i" + std::to_string(depth + 1);
                const bool named = [&] {
                  const FieldDescriptor* n = f->message_type()->FindFieldByName("name");
                  return n != nullptr && n->cpp_type() == FieldDescriptor::CPPTYPE_STRING &&
                         !n->is_repeated();
                }();
                std::string sub_body;
                std::swap(sub_body, body);
                const std::string p = "p" + std::to_string(depth + 1);
                walk(f->message_type(), child, plain_path + ".", p, "", depth + 1, indent + "  ");
                std::swap(sub_body, body);
                if (sub_body.empty()) continue;
                body += indent + "for (std::size_t " + i + " = 0; " + i + " < " + var + "." +
                        f->name() + ".size(); ++" + i + ") {\n";
                body += indent + "  const auto& " + child + " = " + var + "." + f->name() + "[" +
                        i + "];\n";
                body += indent + "  const std::string " + p + " = std::string(" +
                        path_expr(f->name() + "[") + ") + " +
                        (named ? child + ".name" : "std::to_string(" + i + ")") + " + \"].\";\n";
                body += sub_body;
                body += indent + "}\n";
              } else {
                std::string sub_body;
                std::swap(sub_body, body);
                walk(f->message_type(), var + "." + f->name(), plain_path + ".", prefix,
                     tail + f->name() + ".", depth, indent);
                std::swap(sub_body, body);
                body += sub_body;
              }
              continue;
            }
            if (!Ranged(f) || f->cpp_type() == FieldDescriptor::CPPTYPE_STRING ||
                f->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
              continue;
            }
            const auto& o = f->options();
            const std::string lo = DoubleLiteral(o.HasExtension(orgsim::v1::min)
                                                     ? o.GetExtension(orgsim::v1::min)
                                                     : -std::numeric_limits<double>::infinity());
            const std::string hi = DoubleLiteral(o.HasExtension(orgsim::v1::max)
                                                     ? o.GetExtension(orgsim::v1::max)
                                                     : std::numeric_limits<double>::infinity());
            table += "    {\"" + plain_path + "\", " + lo + ", " + hi + ", " +
                     (o.GetExtension(orgsim::v1::min_exclusive) ? "true" : "false") + ", " +
                     (o.GetExtension(orgsim::v1::max_exclusive) ? "true" : "false") + ", " +
                     CEscape(o.GetExtension(orgsim::v1::unit)) + "},\n";
            const std::string entry = "kRanges[" + std::to_string(index++) + "]";
            if (f->is_repeated()) {
              const std::string j = "j" + std::to_string(depth);
              body += indent + "for (std::size_t " + j + " = 0; " + j + " < " + var + "." +
                      f->name() + ".size(); ++" + j + ") {\n";
              body += indent + "  visit(" + entry + ", static_cast<double>(" + var + "." +
                      f->name() + "[" + j + "]), std::string(" + path_expr(f->name() + "[") +
                      ") + std::to_string(" + j + ") + \"]\");\n";
              body += indent + "}\n";
            } else {
              body += indent + "visit(" + entry + ", static_cast<double>(" + var + "." + f->name() +
                      "), " + path_expr(f->name()) + ");\n";
            }
          }
        };
    walk(schema.root, "config", "", "", "", 0, "  ");
    const std::string root = StructName(schema.root);
    const std::string levers = SchedulableTable(schema);
    std::string out = Banner("The per-field range table of " + root + ".", file->name());
    out += "#include \"" + header + "\"\n\n#include <cmath>\n#include <limits>\n\n" +
           OpenNamespace(ns) + "namespace {\n\n";
    out += "using ::orgsim::model::FieldRange;\n\n";
    out +=
        "constexpr FieldRange kRanges[] = {\n" + table + "};\n\n" + levers + "}  // namespace\n\n";
    out += "std::span<const FieldRange> " + root + "Ranges() { return kRanges; }\n\n";
    out += "std::span<const ::orgsim::model::BasicSchedulableLever<" + root + ">> " + root +
           "SchedulableLevers() { return kSchedulable; }\n\n";
    out += "void ForEachRangedValue(const " + root +
           "& config, const ::orgsim::model::RangeVisitor& visit) {\n" + body + "}\n\n";
    out += "}  // namespace " + Namespace(ns).substr(2) + "\n";
    return out;
  }

  // The enumerator tables and kSchedulable[] (inside the source's anonymous
  // namespace): singular scalars reached through singular messages only,
  // none under a (run_constant) field; strings are not levers.
  static std::string SchedulableTable(const Schema& schema) {
    const std::string root = StructName(schema.root);
    std::string choices;
    std::set<const EnumDescriptor*> enums_done;
    std::string rows;
    std::function<void(const Descriptor*, const std::string&, const std::string&)> walk =
        [&](const Descriptor* m, const std::string& member, const std::string& path) {
          for (const FieldDescriptor* f : Fields(m)) {
            if (f->is_repeated() || RunConstant(f)) continue;
            const std::string field_member = member + f->name();
            const std::string field_path = path + f->name();
            if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
              walk(f->message_type(), field_member + ".", field_path + ".");
              continue;
            }
            if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) continue;
            std::string kind = "kNumber";
            std::string span = "{}";
            std::string assign = "static_cast<" + CppType(f) + ">(v)";
            switch (f->cpp_type()) {
              case FieldDescriptor::CPPTYPE_BOOL:
                kind = "kBool";
                assign = "v != 0";
                break;
              case FieldDescriptor::CPPTYPE_ENUM: {
                kind = "kEnum";
                const EnumDescriptor* e = f->enum_type();
                const std::string table = "kChoices" + e->name();
                if (enums_done.insert(e).second) {
                  choices += "constexpr ::orgsim::model::EnumChoice " + table + "[] = {\n";
                  for (int i = 0; i < e->value_count(); ++i) {
                    choices += "    {\"" + e->value(i)->name() + "\", " +
                               std::to_string(e->value(i)->number()) + "},\n";
                  }
                  choices += "};\n\n";
                }
                span = table;
                assign = "static_cast<" + CppType(f) + ">(static_cast<int>(v))";
                break;
              }
              case FieldDescriptor::CPPTYPE_DOUBLE:
              case FieldDescriptor::CPPTYPE_FLOAT:
                break;
              default:
                kind = "kInteger";
                assign = "static_cast<" + CppType(f) + ">(std::llround(v))";
                break;
            }
            rows += "    {\"" + field_path + "\", ::orgsim::model::LeverKind::" + kind + ", " +
                    span + ",\n     [](const " + root + "& c) { return static_cast<double>(c." +
                    field_member + "); },\n     [](" + root + "& c, double v) { c." + field_member +
                    " = " + assign + "; }},\n";
          }
        };
    walk(schema.root, "", "");
    return choices + "constexpr ::orgsim::model::BasicSchedulableLever<" + root +
           "> kSchedulable[] = {\n" + rows + "};\n\n";
  }

  // --- kind=convert -----------------------------------------------------------

  static std::string ProtoType(const Descriptor* m) {
    return Namespace(m->file()->package()) + "::" + m->name();
  }

  static std::string ConvertHeader(const FileDescriptor* file, const Schema& schema,
                                   const std::string& ns, const std::string& convert_ns,
                                   const std::string& config_header) {
    std::string out =
        Banner("Field-by-field conversion between the schema's messages and the config structs.",
               file->name());
    out += "#pragma once\n\n#include \"" + config_header + "\"\n#include \"" + Stem(file->name()) +
           ".pb.h\"\n\n" + OpenNamespace(convert_ns) + "\n";
    const std::string cns = Namespace(ns);
    out += "// Every field of `p` into `c` (unset fields: their schema defaults).\n";
    for (const Descriptor* m : schema.messages) {
      out +=
          "void ToConfig(const " + ProtoType(m) + "& p, " + cns + "::" + StructName(m) + "* c);\n";
    }
    out += "\n// Every field of `c` into `p`, each set explicitly.\n";
    for (const Descriptor* m : schema.messages) {
      out += "void FromConfig(const " + cns + "::" + StructName(m) + "& c, " + ProtoType(m) +
             "* p);\n";
    }
    out += "\n}  // namespace " + Namespace(convert_ns).substr(2) + "\n";
    return out;
  }

  static std::string ConvertSource(const FileDescriptor* file, const Schema& schema,
                                   const std::string& ns, const std::string& convert_ns,
                                   const std::string& header) {
    const std::string cns = Namespace(ns);
    std::string out = Banner("Field-by-field conversion (see the header).", file->name());
    out += "#include \"" + header + "\"\n\n" + OpenNamespace(convert_ns) + "\n";
    for (const Descriptor* m : schema.messages) {
      const std::vector<const FieldDescriptor*> fields = Fields(m);
      out += "void ToConfig(const " + ProtoType(m) + "& " + (fields.empty() ? "" : "p") + ", " +
             cns + "::" + StructName(m) + "* " + (fields.empty() ? "" : "c") + ") {\n";
      for (const FieldDescriptor* f : fields) {
        const std::string& n = f->name();
        if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
          out += f->is_repeated() ? "  c->" + n + ".clear();\n  for (const auto& e : p." + n +
                                        "()) ToConfig(e, &c->" + n + ".emplace_back());\n"
                                  : "  ToConfig(p." + n + "(), &c->" + n + ");\n";
        } else if (f->is_repeated()) {
          out += "  c->" + n + ".assign(p." + n + "().begin(), p." + n + "().end());\n";
        } else if (f->type() == FieldDescriptor::TYPE_ENUM) {
          out += "  c->" + n + " = static_cast<" + cns + "::" + f->enum_type()->name() + ">(p." +
                 n + "());\n";
        } else {
          out += "  c->" + n + " = p." + n + "();\n";
        }
      }
      out += "}\n\n";
    }
    for (const Descriptor* m : schema.messages) {
      const std::vector<const FieldDescriptor*> fields = Fields(m);
      out += "void FromConfig(const " + cns + "::" + StructName(m) + "& " +
             (fields.empty() ? "" : "c") + ", " + ProtoType(m) + "* " +
             (fields.empty() ? "" : "p") + ") {\n";
      for (const FieldDescriptor* f : fields) {
        const std::string& n = f->name();
        if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
          out += f->is_repeated()
                     ? "  for (const auto& e : c." + n + ") FromConfig(e, p->add_" + n + "());\n"
                     : "  FromConfig(c." + n + ", p->mutable_" + n + "());\n";
        } else if (f->is_repeated()) {
          out += "  for (const auto& v : c." + n + ") p->add_" + n + "(v);\n";
        } else if (f->type() == FieldDescriptor::TYPE_ENUM) {
          out += "  p->set_" + n + "(static_cast<" + Namespace(f->enum_type()->file()->package()) +
                 "::" + f->enum_type()->name() + ">(c." + n + "));\n";
        } else {
          out += "  p->set_" + n + "(c." + n + ");\n";
        }
      }
      out += "}\n\n";
    }
    out += "}  // namespace " + Namespace(convert_ns).substr(2) + "\n";
    return out;
  }
};

}  // namespace
}  // namespace orgsim::codegen

// In sanitizer builds protoc runs this plugin instrumented; protobuf's
// process-lifetime descriptor pools are not leaks worth failing the build on.
extern "C" const char* __asan_default_options() { return "detect_leaks=0"; }

int main(int argc, char* argv[]) {
  orgsim::codegen::Generator generator;
  return google::protobuf::compiler::PluginMain(argc, argv, &generator);
}
