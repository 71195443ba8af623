#include "engine/io/internal/merge.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/io/internal/field_path.h"

namespace orgsim::io::internal {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

namespace {

// Copies the singular scalar `field` of `from` into `to` (setting a oneof
// member clears its siblings, as the overlay's choice should).
void CopyScalar(const Message& from, const FieldDescriptor* field, Message* to) {
  const Reflection* src = from.GetReflection();
  const Reflection* dst = to->GetReflection();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_DOUBLE:
      dst->SetDouble(to, field, src->GetDouble(from, field));
      break;
    case FieldDescriptor::CPPTYPE_FLOAT:
      dst->SetFloat(to, field, src->GetFloat(from, field));
      break;
    case FieldDescriptor::CPPTYPE_INT32:
      dst->SetInt32(to, field, src->GetInt32(from, field));
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      dst->SetInt64(to, field, src->GetInt64(from, field));
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      dst->SetUInt32(to, field, src->GetUInt32(from, field));
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      dst->SetUInt64(to, field, src->GetUInt64(from, field));
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      dst->SetBool(to, field, src->GetBool(from, field));
      break;
    case FieldDescriptor::CPPTYPE_ENUM:
      dst->SetEnumValue(to, field, src->GetEnumValue(from, field));
      break;
    case FieldDescriptor::CPPTYPE_STRING:
      dst->SetString(to, field, src->GetString(from, field));
      break;
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;  // handled by the caller
  }
}

}  // namespace

void MergeOverlay(const Message& overlay, Message* base, LocationTree* overlay_locations,
                  LocationTree* base_locations) {
  const bool located = overlay_locations != nullptr && base_locations != nullptr;
  const Reflection* overlay_reflection = overlay.GetReflection();
  const Reflection* base_reflection = base->GetReflection();
  std::vector<const FieldDescriptor*> fields;
  overlay_reflection->ListFields(overlay, &fields);  // set fields, in number order
  for (const FieldDescriptor* field : fields) {
    if (!field->is_repeated()) {
      if (located) {
        base_locations->PositionAt(field, -1) = overlay_locations->PositionAt(field, -1);
      }
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        MergeOverlay(overlay_reflection->GetMessage(overlay, field),
                     base_reflection->MutableMessage(base, field),
                     located ? &overlay_locations->NestedAt(field, -1) : nullptr,
                     located ? &base_locations->NestedAt(field, -1) : nullptr);
      } else {
        CopyScalar(overlay, field, base);
      }
      continue;
    }
    const FieldDescriptor* name_field = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE
                                            ? NameField(field->message_type())
                                            : nullptr;
    if (name_field == nullptr) {
      // Unkeyed list: replaced as a whole.
      std::unique_ptr<Message> carrier(overlay.New());
      carrier->CopyFrom(overlay);
      std::vector<const FieldDescriptor*> one = {field};
      base_reflection->SwapFields(carrier.get(), base, one);
      if (located) base_locations->ReplaceField(field, *overlay_locations);
      continue;
    }
    int overlay_size = overlay_reflection->FieldSize(overlay, field);
    for (int i = 0; i < overlay_size; ++i) {
      const Message& element = overlay_reflection->GetRepeatedMessage(overlay, field, i);
      const std::string& name = element.GetReflection()->GetString(element, name_field);
      Message* target = nullptr;
      int base_size = base_reflection->FieldSize(*base, field);
      int target_index = base_size;
      for (int j = 0; j < base_size && target == nullptr; ++j) {
        Message* candidate = base_reflection->MutableRepeatedMessage(base, field, j);
        if (candidate->GetReflection()->GetString(*candidate, name_field) == name) {
          target = candidate;
          target_index = j;
        }
      }
      if (target != nullptr) {
        // The element keeps where the base declared it; its fields say where
        // they were set.
        MergeOverlay(element, target, located ? &overlay_locations->NestedAt(field, i) : nullptr,
                     located ? &base_locations->NestedAt(field, target_index) : nullptr);
      } else {
        base_reflection->AddMessage(base, field)->CopyFrom(element);
        if (located) {
          base_locations->PositionAt(field, target_index) = overlay_locations->PositionAt(field, i);
          std::swap(base_locations->NestedAt(field, target_index),
                    overlay_locations->NestedAt(field, i));
        }
      }
    }
  }
}

}  // namespace orgsim::io::internal
