#include "crm/eventstore/event_store.h"

#include <algorithm>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "crm/eventstore/counters.h"
#include "crm/testing/v1/testing.pb.h"
#include "event_store_fixture.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"

namespace crm::eventstore {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST_F(EventStoreTest, AppendStampsMetadataAndReadsBackInOrder) {
  auto request = Notes("note-1", {"first", "second"}, kNoStream, "req-1");
  request.customer_id = "cus_1";
  auto result = store_->Append(request);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->first_version, 1u);
  EXPECT_EQ(result->last_version, 2u);
  EXPECT_EQ(result->first_position, 1u);
  EXPECT_EQ(result->last_position, 2u);
  EXPECT_FALSE(result->deduplicated);

  auto events = store_->ReadStream("note-1", 1, 100);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 2u);
  const crm::v1::EventMetadata& m = (*events)[1].metadata;
  EXPECT_EQ(m.stream_id(), "note-1");
  EXPECT_EQ(m.stream_version(), 2u);
  EXPECT_EQ(m.global_position(), 2u);
  EXPECT_EQ(m.event_type(), "crm.testing.v1.NoteRecorded");
  EXPECT_EQ(m.region(), "emea");
  EXPECT_EQ(m.source(), "crm/registry/emea");
  EXPECT_EQ(m.customer_id(), "cus_1");
  EXPECT_EQ(m.request_id(), "req-1");
  EXPECT_EQ(m.correlation_id(), "req-1");
  EXPECT_EQ(m.actor().principal(), "alice");
  EXPECT_EQ(m.occurred_at().seconds(), 1'700'000'000);
  EXPECT_EQ(m.event_id().size(), 36u);
  EXPECT_NE(m.event_id(), (*events)[0].metadata.event_id());

  // The stored bytes are the full event message, metadata included.
  crm::testing::v1::NoteRecorded decoded;
  ASSERT_TRUE(decoded.ParseFromString((*events)[1].bytes));
  EXPECT_EQ(decoded.text(), "second");
  EXPECT_EQ(decoded.metadata().event_id(), m.event_id());

  auto from_two = store_->ReadStream("note-1", 2, 100);
  ASSERT_TRUE(from_two.ok());
  ASSERT_EQ(from_two->size(), 1u);
  EXPECT_EQ((*from_two)[0].metadata.stream_version(), 2u);
}

TEST_F(EventStoreTest, VersionClashIsAbortedAndWritesNothing) {
  ASSERT_TRUE(store_->Append(Notes("s", {"a"}, kNoStream)).ok());
  auto clash = store_->Append(Notes("s", {"b"}, /*expected=*/0));
  EXPECT_EQ(clash.status().code(), absl::StatusCode::kAborted);
  auto stale = store_->Append(Notes("s", {"b"}, /*expected=*/5));
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(store_->LastPosition(), 1u);
  auto head = store_->LoadHead("s");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->version, 1u);
  EXPECT_TRUE(store_->Append(Notes("s", {"b"}, /*expected=*/1)).ok());
}

TEST_F(EventStoreTest, RetryWithSameRequestIdReturnsFirstResultAndWritesNothing) {
  auto request = Notes("s", {"a", "b"}, kNoStream, "req-42");
  request.response = "first reply";
  auto first = store_->Append(request);
  ASSERT_TRUE(first.ok());
  // Even though the expected version no longer holds, the retry is answered from the record.
  auto retry = store_->Append(request);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_TRUE(retry->deduplicated);
  EXPECT_EQ(retry->response, "first reply");
  EXPECT_EQ(retry->first_position, first->first_position);
  EXPECT_EQ(retry->last_version, 2u);
  EXPECT_EQ(store_->LastPosition(), 2u);

  // The record survives a restart.
  Reopen();
  auto after_restart = store_->Append(request);
  ASSERT_TRUE(after_restart.ok());
  EXPECT_TRUE(after_restart->deduplicated);
  EXPECT_EQ(store_->LastPosition(), 2u);
}

TEST_F(EventStoreTest, ExecuteDecidesOnTheCurrentHeadAndKeepsState) {
  auto decide_add = [&](const StreamHead& head) -> absl::StatusOr<AppendRequest> {
    const int count = head.state.empty() ? 0 : std::stoi(head.state);
    if (count >= 2) return absl::FailedPreconditionError("at most two notes");
    AppendRequest request;
    request.events.push_back(NewEvent::From(Note("n")));
    request.state = std::to_string(count + 1);
    return request;
  };
  ASSERT_TRUE(store_->Execute("counter", Context("r1"), decide_add).ok());
  ASSERT_TRUE(store_->Execute("counter", Context("r2"), decide_add).ok());
  auto third = store_->Execute("counter", Context("r3"), decide_add);
  EXPECT_EQ(third.status().code(), absl::StatusCode::kFailedPrecondition);

  // A retry of r1 is answered without deciding again.
  bool decided = false;
  auto retry = store_->Execute("counter", Context("r1"), [&](const StreamHead&) {
    decided = true;
    return absl::StatusOr<AppendRequest>(AppendRequest{});
  });
  ASSERT_TRUE(retry.ok());
  EXPECT_TRUE(retry->deduplicated);
  EXPECT_FALSE(decided);

  auto head = store_->LoadHead("counter");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->version, 2u);
  EXPECT_EQ(head->state, "2");
}

TEST_F(EventStoreTest, EventsCarryTheTimeTheCommandDecidedAtWhenItSaysSo) {
  // Without a time of its own, an append's events carry the store's clock.
  ASSERT_TRUE(store_->Append(Notes("s", {"a"})).ok());
  // Given one, by the append or by the decider, the events carry it instead: the time a
  // command folded into its state is the time its events say.
  const absl::Time decided = absl::FromUnixSeconds(1'600'000'000);
  AppendRequest appended = Notes("s", {"b"});
  appended.context.occurred_at = decided;
  ASSERT_TRUE(store_->Append(appended).ok());
  ASSERT_TRUE(store_
                  ->Execute("s", Context("r-decided"),
                            [&](const StreamHead&) -> absl::StatusOr<AppendRequest> {
                              AppendRequest request;
                              request.events.push_back(NewEvent::From(Note("c")));
                              request.context.occurred_at = decided + absl::Seconds(1);
                              return request;
                            })
                  .ok());

  auto events = store_->ReadStream("s", 1, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 3u);
  auto time_of = [&](size_t i) {
    return absl::FromUnixNanos(google::protobuf::util::TimeUtil::TimestampToNanoseconds(
        (*events)[i].metadata.occurred_at()));
  };
  EXPECT_EQ(time_of(0), clock_.Now());
  EXPECT_EQ(time_of(1), decided);
  EXPECT_EQ(time_of(2), decided + absl::Seconds(1));
  // The decider's time does not take the command's request id or actor away.
  EXPECT_EQ((*events)[2].metadata.request_id(), "r-decided");
}

TEST_F(EventStoreTest, RejectsBadInputNamingTheField) {
  auto empty_stream = store_->Append(Notes("", {"a"}));
  EXPECT_EQ(empty_stream.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(empty_stream.status().message()), ::testing::HasSubstr("stream id"));

  auto nul = store_->Append(Notes(std::string("a\0b", 3), {"a"}));
  EXPECT_EQ(nul.status().code(), absl::StatusCode::kInvalidArgument);

  AppendRequest with_metadata = Notes("s", {});
  crm::testing::v1::NoteRecorded note = Note("x");
  note.mutable_metadata()->set_event_id("forged");
  with_metadata.events.push_back(NewEvent::From(note));
  auto forged = store_->Append(with_metadata);
  EXPECT_EQ(forged.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(forged.status().message()), ::testing::HasSubstr("metadata"));

  AppendRequest bad_row = Notes("s", {"a"});
  bad_row.rows.push_back(RowWrite{.table = "", .key = "k", .value = "v"});
  EXPECT_EQ(store_->Append(bad_row).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->LastPosition(), 0u);
}

TEST_F(EventStoreTest, ReadModelRowsCommitWithEventsAndPageInKeyOrder) {
  AppendRequest request = Notes("s", {"a"});
  for (const char* key : {"emea/c", "emea/a", "apac/z", "emea/b", "emea/d"}) {
    request.rows.push_back(RowWrite{.table = "customers", .key = key, .value = key});
  }
  ASSERT_TRUE(store_->Append(request).ok());

  auto first = store_->ScanRows("customers", "emea/", "", 2);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_THAT(first->rows, ElementsAre(Pair("emea/a", "emea/a"), Pair("emea/b", "emea/b")));
  ASSERT_FALSE(first->next_page_token.empty());
  auto second = store_->ScanRows("customers", "emea/", first->next_page_token, 2);
  ASSERT_TRUE(second.ok());
  EXPECT_THAT(second->rows, ElementsAre(Pair("emea/c", "emea/c"), Pair("emea/d", "emea/d")));
  EXPECT_TRUE(second->next_page_token.empty());

  // Visiting the same rows: the visitor stops after emea/b, and the token resumes there.
  std::vector<std::string> visited;
  auto token = store_->VisitRows("customers", "emea/", "", [&](auto key, auto value) {
    EXPECT_EQ(key, value);
    visited.emplace_back(key);
    return key != "emea/b";
  });
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_THAT(visited, ElementsAre("emea/a", "emea/b"));
  EXPECT_EQ(*token, first->next_page_token);
  visited.clear();
  token = store_->VisitRows("customers", "emea/", *token, [&](auto key, auto) {
    visited.emplace_back(key);
    return key != "emea/d";  // stops at the last row: no token, as when the rows run out
  });
  ASSERT_TRUE(token.ok());
  EXPECT_THAT(visited, ElementsAre("emea/c", "emea/d"));
  EXPECT_EQ(*token, "");

  EXPECT_EQ(store_->ScanRows("customers", "emea/", "not base64!", 2).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->ScanRows("customers", "apac/", first->next_page_token, 2).status().code(),
            absl::StatusCode::kInvalidArgument);

  AppendRequest removal = Notes("s", {"b"});
  removal.rows.push_back(RowWrite{.table = "customers", .key = "emea/a"});
  ASSERT_TRUE(store_->Append(removal).ok());
  auto gone = store_->GetRow("customers", "emea/a");
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
  auto kept = store_->GetRow("customers", "apac/z");
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->value_or(""), "apac/z");
}

// The keys and values a reader walks over, to its end.
std::vector<std::pair<std::string, std::string>> ReadAll(RowReader& reader) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (; reader.Valid(); reader.Next()) rows.emplace_back(reader.key(), reader.value());
  EXPECT_TRUE(reader.status().ok()) << reader.status();
  return rows;
}

TEST_F(EventStoreTest, RowReadersWalkATableUnderAPrefixAsItStoodWhenMade) {
  AppendRequest request = Notes("s", {"a"});
  for (const char* key : {"emea/c", "emea/a", "apac/z", "emea/b"}) {
    request.rows.push_back(RowWrite{.table = "customers", .key = key, .value = key});
  }
  // A neighbouring table whose name extends this one's must stay out of the pass.
  request.rows.push_back(RowWrite{.table = "customers2", .key = "emea/x", .value = "x"});
  ASSERT_TRUE(store_->Append(request).ok());

  auto emea = store_->ReadRows("customers", "emea/");
  ASSERT_TRUE(emea.ok()) << emea.status();
  AppendRequest later = Notes("s", {"b"});
  later.rows.push_back(RowWrite{.table = "customers", .key = "emea/d", .value = "emea/d"});
  ASSERT_TRUE(store_->Append(later).ok());
  EXPECT_THAT(ReadAll(*emea), ElementsAre(Pair("emea/a", "emea/a"), Pair("emea/b", "emea/b"),
                                          Pair("emea/c", "emea/c")));

  auto all = store_->ReadRows("customers", "");
  ASSERT_TRUE(all.ok());
  EXPECT_THAT(ReadAll(*all), ElementsAre(Pair("apac/z", "apac/z"), Pair("emea/a", "emea/a"),
                                         Pair("emea/b", "emea/b"), Pair("emea/c", "emea/c"),
                                         Pair("emea/d", "emea/d")));
  auto none = store_->ReadRows("customers", "latam/");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->Valid());
  EXPECT_TRUE(none->status().ok());
  EXPECT_EQ(store_->ReadRows("", "").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(EventStoreTest, SplitRowsCutsATableIntoEvenRangesThatRowReadersWalkWithoutOverlap) {
  AppendRequest request = Notes("s", {"a"});
  for (int i = 0; i < 1000; ++i) {
    const std::string id = absl::StrFormat("cus_%04d", i);
    request.rows.push_back(
        RowWrite{.table = "customers", .key = absl::StrCat("y1/", id), .value = id});
  }
  request.rows.push_back(RowWrite{.table = "customers", .key = "y2/cus_9999", .value = "other"});
  ASSERT_TRUE(store_->Append(request).ok());

  for (size_t parts : {2u, 4u}) {
    auto splits = store_->SplitRows("customers", "y1/", parts);
    ASSERT_TRUE(splits.ok()) << splits.status();
    ASSERT_EQ(splits->size(), parts - 1);
    std::vector<std::string> walked;
    for (size_t p = 0; p < parts; ++p) {
      auto part = store_->ReadRows("customers", "y1/", p == 0 ? "" : (*splits)[p - 1],
                                   p + 1 == parts ? "" : (*splits)[p]);
      ASSERT_TRUE(part.ok()) << part.status();
      const auto rows = ReadAll(*part);
      // Even ids: each part holds its share, give or take a tenth of the rows.
      EXPECT_NEAR(static_cast<double>(rows.size()), 1000.0 / parts, 100.0) << p << "/" << parts;
      for (const auto& [key, value] : rows) walked.push_back(value);
    }
    ASSERT_EQ(walked.size(), 1000u) << "the parts cover the rows once, the other prefix not";
    EXPECT_TRUE(std::is_sorted(walked.begin(), walked.end()));
    EXPECT_EQ(std::set<std::string>(walked.begin(), walked.end()).size(), 1000u);
  }
  // Nothing to cut: no rows, or a single one.
  auto empty = store_->SplitRows("customers", "y3/", 2);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  auto single = store_->SplitRows("customers", "y2/", 2);
  ASSERT_TRUE(single.ok());
  EXPECT_TRUE(single->empty());
  EXPECT_EQ(store_->SplitRows("", "", 2).status().code(), absl::StatusCode::kInvalidArgument);
}

std::vector<int64_t> CountersAt(const EventStore& store, const std::string& key) {
  auto row = store.GetRow("counts", key);
  EXPECT_TRUE(row.ok()) << row.status();
  return DecodeCounters(row.ok() ? row->value_or("") : "");
}

TEST(CountersTest, EncodeDecodeAndAddElementWise) {
  const std::vector<int64_t> values = {1, -2, int64_t{1} << 40};
  EXPECT_EQ(DecodeCounters(EncodeCounters(values)), values);
  EXPECT_TRUE(DecodeCounters("").empty());

  std::string row = EncodeCounters(std::vector<int64_t>{5, 7});
  AddToCounters(row, EncodeCounters(std::vector<int64_t>{1, -10, 3}));
  EXPECT_EQ(DecodeCounters(row), (std::vector<int64_t>{6, -3, 3}));
  AddToCounters(row, EncodeCounters(std::vector<int64_t>{1}));
  EXPECT_EQ(DecodeCounters(row), (std::vector<int64_t>{7, -3, 3}));
}

TEST_F(EventStoreTest, CountersAddUpAcrossConcurrentAppendsAndSurviveReopen) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 100;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        AppendRequest request = Notes(absl::StrCat("counter-", t), {"x"});
        request.counters.push_back(CounterAdd{.table = "counts", .key = "all", .deltas = {1, t}});
        ASSERT_TRUE(store_->Append(request).ok());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const int64_t thread_sum = kThreads * (kThreads - 1) / 2;
  EXPECT_EQ(CountersAt(*store_, "all"),
            (std::vector<int64_t>{kThreads * kPerThread, thread_sum * kPerThread}));

  // Counters share the append's fate: a rejected append adds nothing.
  AppendRequest stale = Notes("counter-0", {"y"}, /*expected=*/1);
  stale.counters.push_back(CounterAdd{.table = "counts", .key = "all", .deltas = {1000}});
  EXPECT_EQ(store_->Append(stale).status().code(), absl::StatusCode::kAborted);

  Reopen();
  EXPECT_EQ(CountersAt(*store_, "all"),
            (std::vector<int64_t>{kThreads * kPerThread, thread_sum * kPerThread}));
  EXPECT_TRUE(CountersAt(*store_, "never").empty());

  ConsumedBatch batch;
  batch.counters.push_back(CounterAdd{.table = "counts", .key = "all", .deltas = {-1}});
  ASSERT_TRUE(store_->CommitConsumed(batch).ok());
  EXPECT_EQ(CountersAt(*store_, "all")[0], kThreads * kPerThread - 1);
}

TEST_F(EventStoreTest, OutboxHoldsPublishedEventsUntilRemoved) {
  AppendRequest published = Notes("s1", {"a", "b"});
  published.topic = "crm.registry.events.v1";
  published.customer_id = "cus_9";
  ASSERT_TRUE(store_->Append(published).ok());
  ASSERT_TRUE(store_->Append(Notes("s2", {"unpublished"})).ok());
  EXPECT_EQ(store_->OutboxDepth(), 2);

  auto messages = store_->ReadOutbox(0, 10);
  ASSERT_TRUE(messages.ok());
  ASSERT_EQ(messages->size(), 2u);
  EXPECT_EQ((*messages)[0].topic, "crm.registry.events.v1");
  EXPECT_EQ((*messages)[0].key, "cus_9");
  EXPECT_EQ((*messages)[0].id, 1u);
  EXPECT_EQ((*messages)[1].event.metadata.stream_version(), 2u);

  const uint64_t first_id = (*messages)[0].id;
  ASSERT_TRUE(store_->RemoveFromOutbox({&first_id, 1}).ok());
  EXPECT_EQ(store_->OutboxDepth(), 1);
  Reopen();
  EXPECT_EQ(store_->OutboxDepth(), 1);
  auto left = store_->ReadOutbox(0, 10);
  ASSERT_TRUE(left.ok());
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].id, 2u);
}

TEST_F(EventStoreTest, ThePublishedMarkStartsBeforeTheOutboxAndOnlyRises) {
  AppendRequest first = Notes("s1", {"a", "b", "c"});
  first.topic = "crm.registry.events.v1";
  ASSERT_TRUE(store_->Append(first).ok());
  // Positions 1 and 2 confirmed and removed, 3 still in the outbox.
  const std::vector<uint64_t> confirmed = {1, 2};
  ASSERT_TRUE(store_->RemoveFromOutbox(confirmed).ok());
  Reopen();
  EXPECT_EQ(store_->PublishedThrough(), 2u) << "every event before the outbox's oldest row";
  EXPECT_FALSE(store_->WaitForPublished(3, absl::Now() + absl::Milliseconds(50)));

  // A waiter wakes when the relay notes the position.
  std::thread relay([&] {
    absl::SleepFor(absl::Milliseconds(50));
    store_->NotePublished(3);
  });
  EXPECT_TRUE(store_->WaitForPublished(3, absl::Now() + absl::Seconds(10)));
  relay.join();
  store_->NotePublished(1);
  EXPECT_EQ(store_->PublishedThrough(), 3u) << "the mark never falls";

  // With an empty outbox, the whole log is published.
  const std::vector<uint64_t> last = {3};
  ASSERT_TRUE(store_->RemoveFromOutbox(last).ok());
  Reopen();
  EXPECT_EQ(store_->PublishedThrough(), 3u);
}

TEST_F(EventStoreTest, EventsOfOneAppendMayEachBeAboutTheirOwnCustomer) {
  AppendRequest run = Notes("run-1", {"for cus_1", "for cus_2", "for the run"});
  run.topic = "crm.tiering.events.v1";
  run.customer_id = "";
  run.events[0].customer_id = "cus_1";
  run.events[1].customer_id = "cus_2";
  ASSERT_TRUE(store_->Append(run).ok());
  auto messages = store_->ReadOutbox(0, 10);
  ASSERT_TRUE(messages.ok());
  ASSERT_EQ(messages->size(), 3u);
  EXPECT_EQ((*messages)[0].key, "cus_1");
  EXPECT_EQ((*messages)[0].event.metadata.customer_id(), "cus_1");
  EXPECT_EQ((*messages)[1].key, "cus_2");
  EXPECT_EQ((*messages)[2].key, "run-1");  // none of its own: the append's (the stream)
  EXPECT_EQ((*messages)[2].event.metadata.customer_id(), "");
}

TEST_F(EventStoreTest, ConsumerProgressIsStoredWithProjectionRows) {
  ConsumedBatch batch;
  batch.rows.push_back(RowWrite{.table = "customers", .key = "cus_1", .value = "Acme"});
  batch.applied.push_back(
      AppliedVersion{.source = "crm/registry/emea", .stream_id = "customer-cus_1", .version = 3});
  batch.offsets.push_back(ConsumerOffset{
      .group = "engagement", .topic = "crm.registry.events.v1", .partition = 2, .next_offset = 17});
  ASSERT_TRUE(store_->CommitConsumed(batch).ok());
  Reopen();
  auto offset = store_->LoadConsumerOffset("engagement", "crm.registry.events.v1", 2);
  ASSERT_TRUE(offset.ok());
  EXPECT_EQ(offset->value_or(-1), 17);
  auto missing = store_->LoadConsumerOffset("engagement", "crm.registry.events.v1", 3);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  auto applied = store_->LoadAppliedVersion("crm/registry/emea", "customer-cus_1");
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(*applied, 3u);
  auto row = store_->GetRow("customers", "cus_1");
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->value_or(""), "Acme");
}

TEST_F(EventStoreTest, ForgettingWhatAGroupConsumedEmptiesItsTablesOffsetsAndAppliedVersions) {
  ASSERT_TRUE(store_->Append(Notes("s1", {"own"})).ok());
  ConsumedBatch batch;
  batch.rows.push_back(RowWrite{.table = "customers", .key = "cus_1", .value = "Acme"});
  batch.rows.push_back(RowWrite{.table = "customers_x", .key = "cus_1", .value = "kept"});
  batch.rows.push_back(RowWrite{.table = "signals", .key = "cus_1", .value = "met"});
  batch.applied.push_back(
      AppliedVersion{.source = "crm/registry/emea", .stream_id = "customer-cus_1", .version = 3});
  batch.offsets.push_back(ConsumerOffset{.group = "crm-tiering",
                                         .topic = "crm.registry.events.v1",
                                         .partition = 2,
                                         .next_offset = 17});
  batch.offsets.push_back(ConsumerOffset{.group = "crm-tiering-x",
                                         .topic = "crm.registry.events.v1",
                                         .partition = 2,
                                         .next_offset = 5});
  ASSERT_TRUE(store_->CommitConsumed(batch).ok());

  const std::vector<std::string_view> tables = {"customers", "signals"};
  ASSERT_TRUE(store_->ForgetConsumed("crm-tiering", tables).ok());
  Reopen();  // and durably so

  EXPECT_FALSE(store_->GetRow("customers", "cus_1")->has_value());
  EXPECT_FALSE(store_->GetRow("signals", "cus_1")->has_value());
  EXPECT_FALSE(store_->LoadConsumerOffset("crm-tiering", "crm.registry.events.v1", 2)->has_value());
  EXPECT_EQ(*store_->LoadAppliedVersion("crm/registry/emea", "customer-cus_1"), 0u);
  // What is not the group's or the named tables' stays: a table and a group whose names
  // begin the same, and the own events.
  EXPECT_EQ(store_->GetRow("customers_x", "cus_1")->value_or(""), "kept");
  EXPECT_EQ(store_->LoadConsumerOffset("crm-tiering-x", "crm.registry.events.v1", 2)->value_or(-1),
            5);
  EXPECT_EQ(store_->LastPosition(), 1u);

  const std::vector<std::string_view> unnamed = {""};
  EXPECT_EQ(store_->ForgetConsumed("crm-tiering", unnamed).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(EventStoreTest, ConcurrentAppendersGetGaplessPositionsAndOneWinnerPerVersion) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  std::atomic<int> clashes{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        // Own stream: always succeeds.
        ASSERT_TRUE(store_->Append(Notes(absl::StrCat("own-", t), {"x"})).ok());
        // Shared stream with optimistic concurrency: clashes are ABORTED, never lost.
        auto head = store_->LoadHead("shared");
        ASSERT_TRUE(head.ok());
        auto shared = store_->Append(Notes("shared", {"y"}, head->version));
        if (!shared.ok()) {
          ASSERT_EQ(shared.status().code(), absl::StatusCode::kAborted);
          ++clashes;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();

  const uint64_t shared_events = kThreads * kPerThread - clashes.load();
  EXPECT_EQ(store_->LastPosition(), kThreads * kPerThread + shared_events);
  uint64_t expected = 1;
  ASSERT_TRUE(store_
                  ->ScanLog(1,
                            [&](uint64_t position, std::string_view) {
                              EXPECT_EQ(position, expected);
                              ++expected;
                              return true;
                            })
                  .ok());
  EXPECT_EQ(expected - 1, store_->LastPosition());
  auto shared = store_->ReadStream("shared", 1, 100000);
  ASSERT_TRUE(shared.ok());
  ASSERT_EQ(shared->size(), shared_events);
  for (size_t i = 0; i < shared->size(); ++i) {
    EXPECT_EQ((*shared)[i].metadata.stream_version(), i + 1);
  }
}

TEST_F(EventStoreTest, PositionsContinueAfterReopen) {
  ASSERT_TRUE(store_->Append(Notes("s", {"a", "b", "c"})).ok());
  Reopen();
  EXPECT_EQ(store_->LastPosition(), 3u);
  auto result = store_->Append(Notes("t", {"d"}));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->first_position, 4u);
  auto log = store_->ReadLog(2, 10);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 3u);
  EXPECT_EQ((*log)[0].metadata.global_position(), 2u);
  EXPECT_EQ((*log)[2].metadata.stream_id(), "t");
}

TEST_F(EventStoreTest, WaitForCommitWakesOnAppend) {
  std::thread appender([&] {
    absl::SleepFor(absl::Milliseconds(20));
    ASSERT_TRUE(store_->Append(Notes("s", {"a"})).ok());
  });
  EXPECT_EQ(store_->WaitForCommit(0, absl::Seconds(30)), 1u);
  appender.join();
  EXPECT_EQ(store_->WaitForCommit(1, absl::Milliseconds(10)), 1u);
}

}  // namespace
}  // namespace crm::eventstore
