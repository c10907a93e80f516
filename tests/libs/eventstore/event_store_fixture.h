// What the event store's tests share: notes as events, a caller's context, and a store in
// a temporary directory that a test can reopen.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "crm/base/clock.h"
#include "crm/eventstore/event_store.h"
#include "crm/testing/v1/testing.pb.h"
#include "gtest/gtest.h"
#include "support/temp_dir.h"

namespace crm::eventstore {

inline crm::testing::v1::NoteRecorded Note(const std::string& text, int64_t sequence = 0) {
  crm::testing::v1::NoteRecorded note;
  note.set_text(text);
  note.set_sequence(sequence);
  return note;
}

inline CommandContext Context(const std::string& request_id) {
  CommandContext context;
  context.request_id = request_id;
  context.actor.set_principal("alice");
  context.actor.set_role(crm::v1::ROLE_ACCOUNT_MANAGER);
  return context;
}

inline AppendRequest Notes(const std::string& stream, std::vector<std::string> texts,
                           uint64_t expected = kAnyVersion, const std::string& request_id = "") {
  AppendRequest request{.stream_id = stream, .expected_version = expected};
  for (const std::string& text : texts) request.events.push_back(NewEvent::From(Note(text)));
  request.context = Context(request_id);
  return request;
}

class EventStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen() {
    store_.reset();
    auto store = EventStore::Open(
        {.path = dir_.Sub("db"), .region = "emea", .service = "registry", .clock = &clock_});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  crm::testing::TempDir dir_;
  ManualClock clock_{absl::FromUnixSeconds(1'700'000'000)};
  std::unique_ptr<EventStore> store_;
};

}  // namespace crm::eventstore
