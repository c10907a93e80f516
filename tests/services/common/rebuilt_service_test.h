// A fixture for a service's rebuild from its topic, in the test process: the service (a
// CustomerServiceHarness) next to a registry, a way to send commands a minute apart, and
// the checks every replayer must pass: a store rebuilt from the service's topic holds the
// very same log, heads, tables (counter tables included) and kept replies as the service's
// own, also when the rebuild was interrupted and started again; and the service's own store,
// its read models recomputed from its log, holds what its commands wrote.
//
//   class EngagementRebuildTest : public RebuiltServiceTest<EngagementHarness,
//                                                           EngagementReplayer> { … };
//   TEST_F(EngagementRebuildTest, …) { RecordEveryKindOfCommand(); ExpectRebuiltTheSame(); }
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crm/base/ids.h"
#include "crm/runtime/rebuild.h"
#include "crm/runtime/recompute.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "registry_harness.h"
#include "support/rebuilt_stores.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace crm::testing {

template <class Harness, class Replayer>
class RebuiltServiceTest : public ::testing::Test {
 protected:
  // `tables`: every table of the service's store.
  RebuiltServiceTest(std::string service, std::vector<std::string_view> tables)
      : harness_(registry_), service_(std::move(service)), tables_(std::move(tables)) {}

  // Sends `request` with a fresh request id, a minute after the previous command, so that
  // every event has a time of its own; expects it to succeed.
  template <class Stub, class Request, class Response>
  Response Send(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                Request request, const std::string& role = "account_manager") {
    harness_.clock().Advance(absl::Minutes(1));
    request.set_request_id(NewUuid());
    auto [status, reply] = harness_.Call(method, request, role);
    EXPECT_TRUE(status.ok()) << Request::descriptor()->name() << ": " << status.error_message();
    ++commands_;
    return reply;
  }

  // The last command sent keeps no reply (an evaluation run: its run id, not its request
  // id, makes it idempotent), so the stores need not hold one for it.
  void KeepsNoReply() { --commands_; }

  // The rebuilt store equals the service's, every table has rows, every command its reply.
  void ExpectRebuiltTheSame() {
    WaitForTopic();
    std::unique_ptr<eventstore::EventStore> rebuilt = NewStore();
    ASSERT_NE(rebuilt, nullptr);
    Replayer replayer(*rebuilt);
    auto summary = Rebuild(*rebuilt, replayer);
    ASSERT_TRUE(summary.ok()) << summary.status();
    EXPECT_EQ(summary->events_restored, harness_.store().LastPosition());
    EXPECT_TRUE(summary->gaps.empty());
    ExpectSameStore(*rebuilt);
  }

  // The same after a first rebuild stopped at its `fail_at`-th replay.
  void ExpectInterruptedRebuildTheSame(int fail_at) {
    WaitForTopic();
    std::unique_ptr<eventstore::EventStore> rebuilt = NewStore();
    ASSERT_NE(rebuilt, nullptr);
    Replayer replayer(*rebuilt);
    InterruptedReplayer interrupted(replayer, fail_at);
    EXPECT_EQ(Rebuild(*rebuilt, interrupted).status().code(), absl::StatusCode::kUnavailable);
    const uint64_t written_before = rebuilt->LastPosition();
    EXPECT_GT(written_before, 0u);
    EXPECT_LT(written_before, harness_.store().LastPosition());

    auto summary = Rebuild(*rebuilt, replayer);
    ASSERT_TRUE(summary.ok()) << summary.status();
    EXPECT_EQ(written_before + summary->events_restored, harness_.store().LastPosition());
    ExpectSameStore(*rebuilt);
  }

  // The service's own store, its commands' work, spoiled (a stray row in every table, a
  // stale state), recomputes its read models from its own log (a first run stopped at its
  // `fail_at`-th replay, a second finishing it) and holds again what the commands wrote;
  // so does a whole recompute after it.
  void ExpectRecomputedTheSame(int fail_at) {
    WaitForTopic();
    eventstore::EventStore& store = harness_.store();
    Replayer replayer(store);
    // What a recompute empties: exactly the service's tables.
    EXPECT_THAT(replayer.Tables(), ::testing::UnorderedElementsAreArray(tables_));
    const std::span<const std::string_view> tables(tables_);
    const StoreContents written = ContentsOf(store, tables);
    Spoil(store, tables);
    RecomputeInterrupted(store, replayer, fail_at);
    ExpectSameContents(ContentsOf(store, tables), written);

    Spoil(store, tables);
    auto whole = runtime::RecomputeReadModels(store, replayer, {.progress = nullptr});
    ASSERT_TRUE(whole.ok()) << whole.status();
    EXPECT_FALSE(whole->resumed);
    EXPECT_EQ(whole->events, store.LastPosition());
    ExpectSameContents(ContentsOf(store, tables), written);
  }

  registry::testing::RegistryHarness registry_;
  Harness harness_;

 private:
  // Once the relay has published every event.
  void WaitForTopic() {
    ASSERT_TRUE(WaitFor([&] { return harness_.store().OutboxDepth() == 0; }, absl::Seconds(30)));
  }

  absl::StatusOr<runtime::RebuildSummary> Rebuild(eventstore::EventStore& store,
                                                  runtime::EventReplayer& replayer) {
    // Batches of a few events, so that the commands fall in several of them.
    return runtime::RebuildOwnEvents(
        store, replayer,
        {.topic = {.brokers = registry_.brokers(), .topic = harness_.topic()},
         .batch_events = 3,
         .progress = nullptr});
  }

  std::unique_ptr<eventstore::EventStore> NewStore() {
    auto store = eventstore::EventStore::Open({.path = dir_.Sub("rebuilt"), .service = service_});
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  void ExpectSameStore(const eventstore::EventStore& rebuilt) {
    const std::span<const std::string_view> tables(tables_);
    const StoreContents original = ContentsOf(harness_.store(), tables);
    ExpectSameContents(ContentsOf(rebuilt, tables), original);
    // What the comparison covers: every kind of row, and a reply per command.
    for (std::string_view table : tables_) {
      EXPECT_FALSE(original.tables.at(std::string(table)).empty()) << table;
    }
    EXPECT_EQ(original.replies.size(), commands_) << "a reply per command sent";
    EXPECT_EQ(rebuilt.OutboxDepth(), 0) << "restored events are on their topic already";
  }

  std::string service_;
  std::vector<std::string_view> tables_;
  TempDir dir_;
  size_t commands_ = 0;
};

}  // namespace crm::testing
