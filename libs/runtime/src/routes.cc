#include "crm/runtime/routes.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"

namespace crm::runtime {

using google::protobuf::FieldDescriptor;
using google::protobuf::internal::WireFormatLite;

absl::Status CheckRoutes(const google::protobuf::ServiceDescriptor& service,
                         const MethodRoutes& routes) {
  std::vector<std::string> faults;
  for (int i = 0; i < service.method_count(); ++i) {
    const google::protobuf::MethodDescriptor& method = *service.method(i);
    const auto route = routes.find(method.name());
    if (route == routes.end()) {
      faults.push_back(absl::StrCat(method.name(), " has no route"));
      continue;
    }
    if (route->second.kind != Route::Kind::kByKey) continue;
    const FieldDescriptor* field = method.input_type()->FindFieldByName(route->second.key_field);
    if (field == nullptr || field->type() != FieldDescriptor::TYPE_STRING || field->is_repeated()) {
      faults.push_back(absl::StrCat(method.name(), " is routed by '", route->second.key_field,
                                    "', which is no string field of ",
                                    method.input_type()->name()));
    }
  }
  for (const auto& [name, route] : routes) {
    if (service.FindMethodByName(name) == nullptr) {
      faults.push_back(absl::StrCat(name, " is routed but is no method of ", service.name()));
    }
  }
  if (faults.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("routes of ", service.full_name(), ": ", absl::StrJoin(faults, "; ")));
}

absl::StatusOr<std::string> ReadStringField(std::string_view bytes, int field_number) {
  google::protobuf::io::CodedInputStream input(reinterpret_cast<const uint8_t*>(bytes.data()),
                                               static_cast<int>(bytes.size()));
  std::string value;
  while (true) {
    const uint32_t tag = input.ReadTag();
    if (tag == 0) break;  // the end, or a malformed tag (told apart below)
    if (WireFormatLite::GetTagFieldNumber(tag) != field_number) {
      if (!WireFormatLite::SkipField(&input, tag)) break;
      continue;
    }
    if (WireFormatLite::GetTagWireType(tag) != WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      return absl::InvalidArgumentError(
          absl::StrCat("field ", field_number, " of the request is not a string"));
    }
    uint32_t length = 0;
    if (!input.ReadVarint32(&length) || !input.ReadString(&value, static_cast<int>(length))) {
      break;
    }
  }
  // True only when the last tag read was the end of the bytes.
  if (!input.ConsumedEntireMessage()) {
    return absl::InvalidArgumentError("the request is not a well-formed protobuf message");
  }
  return value;
}

}  // namespace crm::runtime
