// The wire form of a stored event: the event message serialized with its metadata. Every
// event message has `crm.v1.EventMetadata metadata = 1`, and protobuf parses concatenated
// serializations as one merged message, so the store writes the metadata (field 1) first
// and the payload (the message without field 1) after it. Readers that need only the
// metadata (relay, consumers, replay) read field 1 and skip the rest.
//
//   std::string bytes = ComposeEvent(metadata, payload);
//   crm::v1::EventMetadata m;
//   if (ParseEventMetadata(bytes, m)) { ... }
#pragma once

#include <string>
#include <string_view>

#include "crm/v1/common.pb.h"

namespace crm::eventstore {

// The full serialized event: field 1 = `metadata`, then `payload`.
std::string ComposeEvent(const crm::v1::EventMetadata& metadata, std::string_view payload);

// Reads the metadata of a serialized event. False when the bytes are not a valid event or
// carry no metadata.
bool ParseEventMetadata(std::string_view bytes, crm::v1::EventMetadata& metadata);

// The payload of an event the store composed: the bytes after its metadata field. Empty
// when the bytes do not start with a metadata field.
std::string_view EventPayload(std::string_view bytes);

}  // namespace crm::eventstore
