#include "sample_event.h"

#include <string>

#include "crm/v1/engagement.pb.h"
#include "crm/v1/registry.pb.h"
#include "crm/v1/satisfaction.pb.h"
#include "crm/v1/tiering.pb.h"
#include "google/protobuf/unknown_field_set.h"

namespace crm::contract {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

void FillField(Message& message, const FieldDescriptor& field, int depth);

void Fill(Message& message, int depth) {
  const auto* descriptor = message.GetDescriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor& field = *descriptor->field(i);
    const auto* oneof = field.real_containing_oneof();
    if (oneof != nullptr && oneof->field(0) != &field) continue;
    FillField(message, field, depth);
  }
}

void FillField(Message& message, const FieldDescriptor& field, int depth) {
  const Reflection& reflection = *message.GetReflection();
  const int64_t number = field.number() * 7 + 1;
  const std::string text = field.name() + "-sample";
  if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    if (depth >= 3) return;
    Message* nested = field.is_repeated() ? reflection.AddMessage(&message, &field)
                                          : reflection.MutableMessage(&message, &field);
    Fill(*nested, depth + 1);
    return;
  }
  const bool repeated = field.is_repeated();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      repeated ? reflection.AddString(&message, &field, text)
               : reflection.SetString(&message, &field, text);
      break;
    case FieldDescriptor::CPPTYPE_INT32:
      repeated ? reflection.AddInt32(&message, &field, static_cast<int32_t>(number))
               : reflection.SetInt32(&message, &field, static_cast<int32_t>(number));
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      repeated ? reflection.AddInt64(&message, &field, number)
               : reflection.SetInt64(&message, &field, number);
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      repeated ? reflection.AddUInt32(&message, &field, static_cast<uint32_t>(number))
               : reflection.SetUInt32(&message, &field, static_cast<uint32_t>(number));
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      repeated ? reflection.AddUInt64(&message, &field, static_cast<uint64_t>(number))
               : reflection.SetUInt64(&message, &field, static_cast<uint64_t>(number));
      break;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      repeated ? reflection.AddDouble(&message, &field, static_cast<double>(number) + 0.5)
               : reflection.SetDouble(&message, &field, static_cast<double>(number) + 0.5);
      break;
    case FieldDescriptor::CPPTYPE_FLOAT:
      repeated ? reflection.AddFloat(&message, &field, static_cast<float>(number) + 0.5f)
               : reflection.SetFloat(&message, &field, static_cast<float>(number) + 0.5f);
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      repeated ? reflection.AddBool(&message, &field, true)
               : reflection.SetBool(&message, &field, true);
      break;
    case FieldDescriptor::CPPTYPE_ENUM: {
      // The last value: a real one, never the zero default.
      const auto* value = field.enum_type()->value(field.enum_type()->value_count() - 1);
      repeated ? reflection.AddEnum(&message, &field, value)
               : reflection.SetEnum(&message, &field, value);
      break;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
}

}  // namespace

void FillSample(Message& message) { Fill(message, 0); }

void KeepOnlyWhatIsSetIn(const Message& golden, Message& sample) {
  const Reflection& golden_reflection = *golden.GetReflection();
  const Reflection& reflection = *sample.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection.ListFields(sample, &fields);
  for (const FieldDescriptor* field : fields) {
    const bool set = field->is_repeated() ? golden_reflection.FieldSize(golden, field) > 0
                                          : golden_reflection.HasField(golden, field);
    if (!set) {
      reflection.ClearField(&sample, field);
      continue;
    }
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (!field->is_repeated()) {
      KeepOnlyWhatIsSetIn(golden_reflection.GetMessage(golden, field),
                          *reflection.MutableMessage(&sample, field));
      continue;
    }
    const int common =
        std::min(golden_reflection.FieldSize(golden, field), reflection.FieldSize(sample, field));
    for (int i = 0; i < common; ++i) {
      KeepOnlyWhatIsSetIn(golden_reflection.GetRepeatedMessage(golden, field, i),
                          *reflection.MutableRepeatedMessage(&sample, field, i));
    }
  }
}

std::vector<std::string> UnreservedUnknownFields(const Message& message) {
  std::vector<std::string> found;
  const auto* descriptor = message.GetDescriptor();
  const Reflection& reflection = *message.GetReflection();
  const google::protobuf::UnknownFieldSet& unknown = reflection.GetUnknownFields(message);
  for (int i = 0; i < unknown.field_count(); ++i) {
    const int number = unknown.field(i).number();
    if (!descriptor->IsReservedNumber(number)) {
      found.push_back(descriptor->full_name() + "." + std::to_string(number));
    }
  }
  std::vector<const FieldDescriptor*> fields;
  reflection.ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    const int count = field->is_repeated() ? reflection.FieldSize(message, field) : 1;
    for (int i = 0; i < count; ++i) {
      const Message& nested = field->is_repeated()
                                  ? reflection.GetRepeatedMessage(message, field, i)
                                  : reflection.GetMessage(message, field);
      for (std::string& line : UnreservedUnknownFields(nested)) found.push_back(std::move(line));
    }
  }
  return found;
}

std::vector<const google::protobuf::Descriptor*> ContractEventTypes() {
  std::vector<const google::protobuf::Descriptor*> events;
  for (const auto* file : {crm::v1::CustomerRegistered::descriptor()->file(),
                           crm::v1::LogTouchpointRequest::descriptor()->file(),
                           crm::v1::RecordResponseRequest::descriptor()->file(),
                           crm::v1::RecordInputsRequest::descriptor()->file()}) {
    for (int i = 0; i < file->message_type_count(); ++i) {
      const auto* message = file->message_type(i);
      const FieldDescriptor* first = message->FindFieldByNumber(1);
      if (first != nullptr && first->name() == "metadata" &&
          first->message_type() == crm::v1::EventMetadata::descriptor()) {
        events.push_back(message);
      }
    }
  }
  return events;
}

}  // namespace crm::contract
