// CloudEvents over Kafka, binary content mode: the event's attributes travel as message
// headers named `ce_<attribute>` and the value is the serialized protobuf event.
//
//   for (const auto& [name, value] : CloudEventHeaders(metadata)) headers->add(name, value);
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crm/v1/common.pb.h"

namespace crm::kafka {

inline constexpr char kSpecVersionHeader[] = "ce_specversion";
inline constexpr char kIdHeader[] = "ce_id";
inline constexpr char kSourceHeader[] = "ce_source";
inline constexpr char kTypeHeader[] = "ce_type";
inline constexpr char kTimeHeader[] = "ce_time";
inline constexpr char kSubjectHeader[] = "ce_subject";
inline constexpr char kContentTypeHeader[] = "content-type";
inline constexpr char kProtobufContentType[] = "application/protobuf";

// Calls `add(name, value)` for each header of an event, in a fixed order. `ce_subject`
// (the customer id) is left out for events about no customer; `ce_time` is RFC 3339 in UTC
// with microseconds. (The relay's hot path: no allocation beyond the time string.)
void ForEachCloudEventHeader(const crm::v1::EventMetadata& metadata,
                             const std::function<void(std::string_view, std::string_view)>& add);

// The same headers as a list.
std::vector<std::pair<std::string, std::string>> CloudEventHeaders(
    const crm::v1::EventMetadata& metadata);

// "2026-11-23T08:46:13.123456Z".
std::string FormatRfc3339(const google::protobuf::Timestamp& time);
// The same into `buffer` (at least 32 bytes), without allocating; returns the text.
std::string_view FormatRfc3339(const google::protobuf::Timestamp& time, char* buffer);

// The topic of a service's events: "<prefix>crm.<service>.events.v1".
std::string EventTopic(const std::string& prefix, const std::string& service);

}  // namespace crm::kafka
