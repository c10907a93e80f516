// CloudEvents over Kafka, binary content mode: the event's attributes travel as message
// headers named `ce_<attribute>` and the value is the serialized protobuf event.
//
//   for (const auto& [name, value] : CloudEventHeaders(metadata)) headers->add(name, value);
#pragma once

#include <string>
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

// The headers of an event, in a fixed order. `ce_subject` (the customer id) is left out
// for events about no customer; `ce_time` is RFC 3339 in UTC.
std::vector<std::pair<std::string, std::string>> CloudEventHeaders(
    const crm::v1::EventMetadata& metadata);

// The topic of a service's events: "<prefix>crm.<service>.events.v1".
std::string EventTopic(const std::string& prefix, const std::string& service);

}  // namespace crm::kafka
