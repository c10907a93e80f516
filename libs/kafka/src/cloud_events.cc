#include "crm/kafka/cloud_events.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"

namespace crm::kafka {

std::vector<std::pair<std::string, std::string>> CloudEventHeaders(
    const crm::v1::EventMetadata& metadata) {
  std::vector<std::pair<std::string, std::string>> headers = {
      {kSpecVersionHeader, "1.0"},
      {kIdHeader, metadata.event_id()},
      {kSourceHeader, metadata.source()},
      {kTypeHeader, metadata.event_type()},
      {kTimeHeader, google::protobuf::util::TimeUtil::ToString(metadata.occurred_at())},
  };
  if (!metadata.customer_id().empty()) headers.emplace_back(kSubjectHeader, metadata.customer_id());
  headers.emplace_back(kContentTypeHeader, kProtobufContentType);
  return headers;
}

std::string EventTopic(const std::string& prefix, const std::string& service) {
  return absl::StrCat(prefix, "crm.", service, ".events.v1");
}

}  // namespace crm::kafka
