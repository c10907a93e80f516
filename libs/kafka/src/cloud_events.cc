#include "crm/kafka/cloud_events.h"

#include <algorithm>
#include <ctime>

#include "absl/strings/str_cat.h"

namespace crm::kafka {

std::string_view FormatRfc3339(const google::protobuf::Timestamp& time, char* buffer) {
  std::time_t seconds = static_cast<std::time_t>(time.seconds());
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  const int length = std::snprintf(buffer, 32, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
                                   utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour,
                                   utc.tm_min, utc.tm_sec, static_cast<int>(time.nanos() / 1000));
  return std::string_view(buffer, static_cast<size_t>(std::clamp(length, 0, 31)));
}

std::string FormatRfc3339(const google::protobuf::Timestamp& time) {
  char buffer[32];
  return std::string(FormatRfc3339(time, buffer));
}

void ForEachCloudEventHeader(const crm::v1::EventMetadata& metadata,
                             const std::function<void(std::string_view, std::string_view)>& add) {
  add(kSpecVersionHeader, "1.0");
  add(kIdHeader, metadata.event_id());
  add(kSourceHeader, metadata.source());
  add(kTypeHeader, metadata.event_type());
  char time[32];
  add(kTimeHeader, FormatRfc3339(metadata.occurred_at(), time));
  if (!metadata.customer_id().empty()) add(kSubjectHeader, metadata.customer_id());
  add(kContentTypeHeader, kProtobufContentType);
}

std::vector<std::pair<std::string, std::string>> CloudEventHeaders(
    const crm::v1::EventMetadata& metadata) {
  std::vector<std::pair<std::string, std::string>> headers;
  ForEachCloudEventHeader(metadata, [&](std::string_view name, std::string_view value) {
    headers.emplace_back(std::string(name), std::string(value));
  });
  return headers;
}

std::string EventTopic(const std::string& prefix, const std::string& service) {
  return absl::StrCat(prefix, "crm.", service, ".events.v1");
}

}  // namespace crm::kafka
