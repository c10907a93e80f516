// Events as another service would publish them, and a projection that records how often
// each event was applied: the consumer tests' inputs and their evidence.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "crm/kafka/event_consumer.h"

namespace crm::kafka::testing {

// A serialized NoteRecorded event of `stream` at `version`, about `customer`.
std::string MakeEvent(const std::string& stream, uint64_t version, const std::string& customer,
                      const std::string& text = "note");

// Counts events per customer in table "notes" and applications per event id in "seen";
// rejects (after writing) events whose text is "reject".
absl::Status CountingProjection(const ConsumedEvent& event, ProjectionBatch& batch);

}  // namespace crm::kafka::testing
