// Sample values for every field of a message, the same on every run: what the golden
// event files were written from, and what today's code must still read out of them.
#pragma once

#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace crm::contract {

// Sets every field (the first member of each oneof, one element of each repeated field,
// nested messages three levels deep) to a value derived from its number and name.
void FillSample(google::protobuf::Message& message);

// Clears in `sample` what `golden` does not set, recursively, so that fields added since
// the golden file was written do not count as differences.
void KeepOnlyWhatIsSetIn(const google::protobuf::Message& golden,
                         google::protobuf::Message& sample);

// Where `message` holds a field that today's type neither declares nor reserves, one line
// each ("CustomerSummary.3"): a field that was renumbered or deleted without reserving its
// number, so that old data reads wrong.
std::vector<std::string> UnreservedUnknownFields(const google::protobuf::Message& message);

// The event messages of the public contract: every message of crm/v1 whose field 1 is
// `EventMetadata metadata` (EventEnvelope, the generic reader, aside).
std::vector<const google::protobuf::Descriptor*> ContractEventTypes();

}  // namespace crm::contract
