#include "event_fixtures.h"

#include "absl/strings/str_cat.h"
#include "crm/base/ids.h"
#include "crm/eventstore/event_codec.h"
#include "crm/testing/v1/testing.pb.h"

namespace crm::kafka::testing {
namespace {

absl::Status Increment(ProjectionBatch& batch, const std::string& table, const std::string& key) {
  auto row = batch.Get(table, key);
  if (!row.ok()) return row.status();
  const int count = row->has_value() ? std::stoi(**row) : 0;
  batch.Put(table, key, std::to_string(count + 1));
  return absl::OkStatus();
}

}  // namespace

std::string MakeEvent(const std::string& stream, uint64_t version, const std::string& customer,
                      const std::string& text) {
  crm::v1::EventMetadata metadata;
  metadata.set_event_id(NewUuid());
  metadata.set_event_type("crm.testing.v1.NoteRecorded");
  metadata.set_stream_id(stream);
  metadata.set_stream_version(version);
  metadata.set_customer_id(customer);
  metadata.set_source("crm/registry/test");
  crm::testing::v1::NoteRecorded note;
  note.set_text(text);
  note.set_sequence(static_cast<int64_t>(version));
  return eventstore::ComposeEvent(metadata, note.SerializeAsString());
}

absl::Status CountingProjection(const ConsumedEvent& event, ProjectionBatch& batch) {
  crm::testing::v1::NoteRecorded note;
  if (!note.ParseFromString(event.bytes)) return absl::InvalidArgumentError("not a note");
  if (absl::Status s = Increment(batch, "notes", event.metadata.customer_id()); !s.ok()) return s;
  if (absl::Status s = Increment(batch, "seen", event.metadata.event_id()); !s.ok()) return s;
  if (note.text() == "reject") return absl::InvalidArgumentError("rejected by the projection");
  return absl::OkStatus();
}

}  // namespace crm::kafka::testing
