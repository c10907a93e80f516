// EventStore::AppendBulk: the same append as Append, written as ingested table files.
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "crm/base/status_macros.h"
#include "crm/eventstore/counters.h"
#include "crm/eventstore/event_store.h"
#include "event_store_fixture.h"
#include "gmock/gmock.h"

namespace crm::eventstore {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

std::optional<std::string> Row(const EventStore& store, std::string_view table,
                               std::string_view key) {
  auto row = store.GetRow(table, key);
  EXPECT_TRUE(row.ok()) << row.status();
  return row.ok() ? *row : std::nullopt;
}

std::vector<std::pair<std::string, std::string>> AllRows(const EventStore& store,
                                                         std::string_view table) {
  auto page = store.ScanRows(table, "", "", 1000);
  EXPECT_TRUE(page.ok()) << page.status();
  return page.ok() ? page->rows : std::vector<std::pair<std::string, std::string>>{};
}

// The global log runs from 1 to the last position without a gap.
void ExpectGaplessLog(const EventStore& store) {
  uint64_t expected = 1;
  ASSERT_TRUE(store
                  .ScanLog(1,
                           [&](uint64_t position, std::string_view) {
                             EXPECT_EQ(position, expected) << "gap in the global log";
                             ++expected;
                             return true;
                           })
                  .ok());
  EXPECT_EQ(expected - 1, store.LastPosition());
}

TEST_F(EventStoreTest, BulkAppendRecordsEventsRowsAndStateAsAnAppendDoes) {
  AppendRequest before = Notes("other", {"one", "two"});
  before.rows.push_back({.table = "notes", .key = "gone", .value = "soon deleted"});
  ASSERT_TRUE(store_->Append(before).ok());

  AppendRequest bulk = Notes("run-1", {"a", "b", "c"}, kNoStream, "req-bulk");
  bulk.topic = "crm.test.events.v1";
  bulk.customer_id = "cus_1";
  bulk.state = "state after the run";
  bulk.response = "reply";
  // Two tables, each in its own order, one of them not sorted, and a delete.
  for (const char* key : {"k3", "k1", "k2"}) {
    bulk.rows.push_back({.table = "notes", .key = key, .value = absl::StrCat("note ", key)});
  }
  bulk.rows.push_back({.table = "notes", .key = "gone"});
  for (const char* key : {"a", "b"}) {
    bulk.rows.push_back({.table = "index", .key = key, .value = key});
  }
  auto result = store_->AppendBulk(bulk);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->first_version, 1u);
  EXPECT_EQ(result->last_version, 3u);
  EXPECT_EQ(result->first_position, 3u);
  EXPECT_EQ(result->last_position, 5u);
  EXPECT_FALSE(result->deduplicated);

  auto events = store_->ReadStream("run-1", 1, 10);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 3u);
  std::set<std::string> event_ids;
  for (size_t i = 0; i < events->size(); ++i) {
    const crm::v1::EventMetadata& metadata = (*events)[i].metadata;
    EXPECT_EQ(metadata.event_type(), "crm.testing.v1.NoteRecorded");
    EXPECT_EQ(metadata.event_id().size(), 36u);
    event_ids.insert(metadata.event_id());
    EXPECT_EQ(metadata.stream_version(), i + 1);
    EXPECT_EQ(metadata.global_position(), i + 3);
    EXPECT_EQ(metadata.customer_id(), "cus_1");
    EXPECT_EQ(metadata.request_id(), "req-bulk");
    EXPECT_EQ(metadata.actor().principal(), "alice");
    EXPECT_EQ(metadata.source(), "crm/registry/emea");
    crm::testing::v1::NoteRecorded note;
    ASSERT_TRUE(note.ParseFromString((*events)[i].bytes));
    EXPECT_EQ(note.text(), std::string(1, static_cast<char>('a' + i)));
  }
  EXPECT_EQ(event_ids.size(), 3u) << "every event has an id of its own";
  ExpectGaplessLog(*store_);

  auto head = store_->LoadHead("run-1");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->version, 3u);
  EXPECT_EQ(head->state, "state after the run");
  EXPECT_THAT(AllRows(*store_, "notes"),
              ElementsAre(Pair("k1", "note k1"), Pair("k2", "note k2"), Pair("k3", "note k3")));
  EXPECT_THAT(AllRows(*store_, "index"), ElementsAre(Pair("a", "a"), Pair("b", "b")));

  auto outbox = store_->ReadOutbox(0, 10);
  ASSERT_TRUE(outbox.ok());
  ASSERT_EQ(outbox->size(), 3u);
  EXPECT_EQ((*outbox)[0].id, 3u);
  EXPECT_EQ((*outbox)[0].topic, "crm.test.events.v1");
  EXPECT_EQ((*outbox)[0].key, "cus_1");
  EXPECT_EQ((*outbox)[2].event.metadata.global_position(), 5u);
  EXPECT_EQ(store_->OutboxDepth(), 3);
  EXPECT_EQ(store_->EventsAppended(), 5u);

  // Appends after it go on from its last position.
  auto after = store_->Append(Notes("other", {"three"}));
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->first_position, 6u);
  EXPECT_EQ(store_->LastPosition(), 6u);
}

TEST_F(EventStoreTest, BulkAppendOverwritesEarlierRowsAndLaterWritesOverwriteIt) {
  AppendRequest first = Notes("s", {"x"});
  first.rows.push_back({.table = "t", .key = "k", .value = "first"});
  first.rows.push_back({.table = "t", .key = "kept", .value = "kept"});
  ASSERT_TRUE(store_->Append(first).ok());

  AppendRequest bulk = Notes("s", {"y"});
  // The same key twice in one append: the last write wins, as in a WriteBatch.
  bulk.rows.push_back({.table = "t", .key = "k", .value = "bulk, superseded"});
  bulk.rows.push_back({.table = "t", .key = "j", .value = "bulk"});
  bulk.rows.push_back({.table = "t", .key = "k", .value = "bulk"});
  ASSERT_TRUE(store_->AppendBulk(bulk).ok());
  EXPECT_EQ(Row(*store_, "t", "k"), "bulk");
  EXPECT_EQ(Row(*store_, "t", "j"), "bulk");
  EXPECT_EQ(Row(*store_, "t", "kept"), "kept");

  AppendRequest later = Notes("s", {"z"});
  later.rows.push_back({.table = "t", .key = "k", .value = "later"});
  ASSERT_TRUE(store_->Append(later).ok());
  EXPECT_EQ(Row(*store_, "t", "k"), "later");

  Reopen();  // the same after the memtables are flushed and the files reopened
  EXPECT_EQ(Row(*store_, "t", "k"), "later");
  EXPECT_EQ(Row(*store_, "t", "j"), "bulk");
  EXPECT_THAT(AllRows(*store_, "t"),
              ElementsAre(Pair("j", "bulk"), Pair("k", "later"), Pair("kept", "kept")));
}

TEST_F(EventStoreTest, BulkAppendKeepsTablesWhoseNamesArePrefixesOfEachOtherApart) {
  // A row key is the table, a NUL and the key: "note" + "s" must not meet "notes".
  AppendRequest bulk = Notes("s", {"x"});
  bulk.rows.push_back({.table = "notes", .key = "b", .value = "notes b"});
  bulk.rows.push_back({.table = "note", .key = "s", .value = "note s"});
  bulk.rows.push_back({.table = "notes", .key = "a", .value = "notes a"});
  bulk.rows.push_back({.table = "note", .key = "a", .value = "note a"});
  ASSERT_TRUE(store_->AppendBulk(bulk).ok());
  EXPECT_THAT(AllRows(*store_, "note"), ElementsAre(Pair("a", "note a"), Pair("s", "note s")));
  EXPECT_THAT(AllRows(*store_, "notes"), ElementsAre(Pair("a", "notes a"), Pair("b", "notes b")));
}

TEST_F(EventStoreTest, BulkAppendOfRowsInFallingOrderSortsThem) {
  AppendRequest bulk = Notes("s", {"x"});
  for (int i = 99; i >= 0; --i) {
    bulk.rows.push_back({.table = "t", .key = absl::StrFormat("%03d", i), .value = "v"});
  }
  ASSERT_TRUE(store_->AppendBulk(bulk).ok());
  const auto rows = AllRows(*store_, "t");
  ASSERT_EQ(rows.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(rows[i].first, absl::StrFormat("%03d", i));
}

TEST_F(EventStoreTest, BulkAppendOfManyEventsWrittenInPartsKeepsTheirOrder) {
  // Enough events for the store to write them in parts on several threads, where the
  // machine has several cores.
  constexpr int kEvents = 120'001;
  ASSERT_TRUE(store_->Append(Notes("before", {"a"})).ok());
  AppendRequest bulk{.stream_id = "bulk", .topic = "crm.test.events.v1"};
  for (int i = 0; i < kEvents; ++i) bulk.events.push_back(NewEvent::From(Note("n", i)));
  auto result = store_->AppendBulk(std::move(bulk));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->first_position, 2u);
  EXPECT_EQ(result->last_position, kEvents + 1u);

  auto events = store_->ReadStream("bulk", 1, kEvents + 1);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), static_cast<size_t>(kEvents));
  std::set<std::string> event_ids;
  for (int i = 0; i < kEvents; ++i) {
    const StoredEvent& event = (*events)[i];
    ASSERT_EQ(event.metadata.stream_version(), i + 1u);
    ASSERT_EQ(event.metadata.global_position(), i + 2u);
    crm::testing::v1::NoteRecorded note;
    ASSERT_TRUE(note.ParseFromString(event.bytes));
    ASSERT_EQ(note.sequence(), i);
    event_ids.insert(event.metadata.event_id());
  }
  EXPECT_EQ(event_ids.size(), static_cast<size_t>(kEvents));
  ExpectGaplessLog(*store_);
  EXPECT_EQ(store_->OutboxDepth(), kEvents);
  // Three parts of 40,000 events where there are enough threads: these straddle the
  // first two.
  auto outbox = store_->ReadOutbox(kEvents / 3, 3);
  ASSERT_TRUE(outbox.ok());
  ASSERT_EQ(outbox->size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*outbox)[i].id, kEvents / 3 + 1 + i);
    EXPECT_EQ((*outbox)[i].event.metadata.global_position(), (*outbox)[i].id);
  }
}

TEST_F(EventStoreTest, BulkAppendWritesRowsPutByItsProducerBesideTheRequestsRows) {
  AppendRequest bulk = Notes("s", {"x"}, kAnyVersion, "req-stream");
  bulk.rows.push_back({.table = "summary", .key = "run", .value = "done"});
  auto result = store_->AppendBulk(bulk, [](EventStore::RowSink& rows, size_t) -> absl::Status {
    // Two tables interleaved, each in rising key order; "note" and "notes" stay apart.
    for (int i = 0; i < 3; ++i) {
      const std::string key = absl::StrCat("k", i);
      RETURN_IF_ERROR(rows.Put("notes", key, absl::StrCat("notes ", i)));
      RETURN_IF_ERROR(rows.Put("note", key, absl::StrCat("note ", i)));
    }
    return absl::OkStatus();
  });
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(AllRows(*store_, "notes"),
              ElementsAre(Pair("k0", "notes 0"), Pair("k1", "notes 1"), Pair("k2", "notes 2")));
  EXPECT_THAT(AllRows(*store_, "note"),
              ElementsAre(Pair("k0", "note 0"), Pair("k1", "note 1"), Pair("k2", "note 2")));
  EXPECT_EQ(Row(*store_, "summary", "run"), "done");
  // A retry of the request is answered from its record: the producer is not called.
  bool called = false;
  auto retry = store_->AppendBulk(bulk, [&](EventStore::RowSink&, size_t) {
    called = true;
    return absl::OkStatus();
  });
  ASSERT_TRUE(retry.ok());
  EXPECT_TRUE(retry->deduplicated);
  EXPECT_FALSE(called);
}

TEST_F(EventStoreTest, BulkAppendWritesItsProducersPartsSideBySide) {
  // Four parts of 2,500 rows each in two tables, every part a quarter of each table's keys.
  constexpr size_t kParts = 4;
  constexpr int kRowsPerPart = 2500;
  std::vector<std::thread::id> threads(kParts);
  auto result = store_->AppendBulk(
      Notes("parted", {"x"}),
      [&](EventStore::RowSink& rows, size_t part) -> absl::Status {
        threads[part] = std::this_thread::get_id();
        for (int i = 0; i < kRowsPerPart; ++i) {
          const std::string key = absl::StrFormat("%06d", part * kRowsPerPart + i);
          RETURN_IF_ERROR(rows.Put("left", key, absl::StrCat("left ", key)));
          RETURN_IF_ERROR(rows.Put("right", key, absl::StrCat(part)));
        }
        return absl::OkStatus();
      },
      kParts);
  ASSERT_TRUE(result.ok()) << result.status();
  for (std::thread::id thread : threads) EXPECT_NE(thread, std::thread::id()) << "a part not run";
  for (const char* table : {"left", "right"}) {
    auto page = store_->ScanRows(table, "", "", kParts * kRowsPerPart + 1);
    ASSERT_TRUE(page.ok()) << page.status();
    ASSERT_EQ(page->rows.size(), kParts * kRowsPerPart) << table;
    for (size_t i = 0; i < page->rows.size(); ++i) {
      ASSERT_EQ(page->rows[i].first, absl::StrFormat("%06d", i)) << table;
    }
  }
  EXPECT_EQ(Row(*store_, "right", "007499"), "2");
  EXPECT_EQ(Row(*store_, "left", "000000"), "left 000000");
}

TEST_F(EventStoreTest, BulkAppendWhoseProducerFailsOrBreaksTheRulesWritesNothing) {
  const auto refused = [&](const std::string& stream, EventStore::RowWriter write_rows,
                           size_t parts = 1) {
    AppendRequest bulk = Notes(stream, {"x"});
    bulk.rows.push_back({.table = "given", .key = "k", .value = "v"});
    return store_->AppendBulk(bulk, write_rows, parts).status();
  };
  EXPECT_EQ(refused("failing",
                    [](EventStore::RowSink& rows, size_t) {
                      EXPECT_TRUE(rows.Put("t", "a", "v").ok());
                      return absl::UnavailableError("the producer gave up");
                    }),
            absl::UnavailableError("the producer gave up"));
  EXPECT_EQ(refused("falling",
                    [](EventStore::RowSink& rows, size_t) -> absl::Status {
                      RETURN_IF_ERROR(rows.Put("t", "b", "v"));
                      return rows.Put("t", "a", "v");
                    })
                .code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(refused("twice",
                    [](EventStore::RowSink& rows, size_t) { return rows.Put("given", "z", "v"); })
                .code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(
      refused("unnamed", [](EventStore::RowSink& rows, size_t) { return rows.Put("", "z", "v"); })
          .code(),
      absl::StatusCode::kInvalidArgument);
  // Parts must follow each other in each table's key order: both here write "a" and "b".
  EXPECT_EQ(refused(
                "overlapping",
                [](EventStore::RowSink& rows, size_t) -> absl::Status {
                  RETURN_IF_ERROR(rows.Put("t", "a", "v"));
                  return rows.Put("t", "b", "v");
                },
                2)
                .code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(refused(
                "no part", [](EventStore::RowSink&, size_t) { return absl::OkStatus(); }, 0)
                .code(),
            absl::StatusCode::kInvalidArgument);
  for (const char* stream : {"failing", "falling", "twice", "unnamed", "overlapping", "no part"}) {
    auto head = store_->LoadHead(stream);
    ASSERT_TRUE(head.ok());
    EXPECT_EQ(head->version, 0u) << stream;
  }
  EXPECT_THAT(AllRows(*store_, "t"), ElementsAre());
  EXPECT_THAT(AllRows(*store_, "given"), ElementsAre());
  EXPECT_EQ(store_->LastPosition(), 0u);
}

TEST_F(EventStoreTest, BulkAppendSurvivesReopenAndLeavesNoTableFilesBehind) {
  AppendRequest bulk = Notes("run", {"a", "b"});
  bulk.topic = "crm.test.events.v1";
  for (int i = 0; i < 1000; ++i) {
    bulk.rows.push_back({.table = "t", .key = absl::StrCat(10000 + i), .value = "v"});
  }
  ASSERT_TRUE(store_->AppendBulk(bulk).ok());
  EXPECT_THAT(std::filesystem::directory_iterator(dir_.Sub("db/bulk")),
              ::testing::ResultOf([](auto it) { return it == std::filesystem::end(it); }, true));
  Reopen();
  EXPECT_EQ(store_->LastPosition(), 2u);
  EXPECT_EQ(store_->OutboxDepth(), 2);
  EXPECT_EQ(AllRows(*store_, "t").size(), 1000u);
  ExpectGaplessLog(*store_);
}

// Whether a file can be created in `dir` with O_DIRECT.
bool AcceptsDirectIo(const std::string& dir) {
  const std::string probe = dir + "/direct-io-probe";
  const int fd = open(probe.c_str(), O_CREAT | O_WRONLY | O_DIRECT, 0600);
  if (fd >= 0) close(fd);
  std::filesystem::remove(probe);
  return fd >= 0;
}

// Table files are written with O_DIRECT where the file system allows it; where it does not
// (tmpfs before Linux 6.6), through the page cache instead.
TEST(BulkAppendWithoutDirectIoTest, WritesItsTableFilesThroughThePageCache) {
  struct statfs fs;
  if (statfs("/dev/shm", &fs) != 0 || fs.f_type != TMPFS_MAGIC) {
    GTEST_SKIP() << "no tmpfs at /dev/shm";
  }
  crm::testing::TempDir dir("/dev/shm");
  if (AcceptsDirectIo(dir.path())) GTEST_SKIP() << "this kernel's tmpfs accepts O_DIRECT";
  auto store = EventStore::Open({.path = dir.Sub("db"), .region = "emea", .service = "registry"});
  ASSERT_TRUE(store.ok()) << store.status();
  AppendRequest bulk = Notes("run", {"a", "b"});
  for (int i = 0; i < 100; ++i) {
    bulk.rows.push_back({.table = "t", .key = absl::StrCat(1000 + i), .value = "v"});
  }
  auto appended = (*store)->AppendBulk(bulk);
  ASSERT_TRUE(appended.ok()) << appended.status();
  store->reset();
  store = EventStore::Open({.path = dir.Sub("db"), .region = "emea", .service = "registry"});
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->LastPosition(), 2u);
  EXPECT_EQ(AllRows(**store, "t").size(), 100u);
  ExpectGaplessLog(**store);
}

TEST_F(EventStoreTest, TableFilesLeftByACrashAreClearedOnOpening) {
  store_.reset();
  const std::string leftover = dir_.Sub("db/bulk/3-0-rows.sst");
  { std::ofstream(leftover) << "half-written table file"; }
  Reopen();
  EXPECT_FALSE(std::filesystem::exists(leftover));
  EXPECT_TRUE(store_->AppendBulk(Notes("s", {"a"})).ok());
}

TEST_F(EventStoreTest, BulkAppendChecksVersionAndRequestIdAsAnAppendDoes) {
  ASSERT_TRUE(store_->Append(Notes("s", {"a"})).ok());
  AppendRequest clash = Notes("s", {"b"}, /*expected=*/5);
  clash.rows.push_back({.table = "t", .key = "k", .value = "v"});
  EXPECT_EQ(store_->AppendBulk(clash).status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(Row(*store_, "t", "k"), std::nullopt);

  AppendRequest stamped = Notes("s", {"b"});
  stamped.events[0].payload = std::string("\x0a\x00", 2);  // carries metadata of its own
  EXPECT_EQ(store_->AppendBulk(stamped).status().code(), absl::StatusCode::kInvalidArgument);

  auto first = store_->AppendBulk(Notes("s", {"b", "c"}, 1, "req-1"));
  ASSERT_TRUE(first.ok()) << first.status();
  auto retry = store_->AppendBulk(Notes("s", {"b", "c"}, 1, "req-1"));
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_TRUE(retry->deduplicated);
  EXPECT_EQ(retry->first_position, first->first_position);
  EXPECT_EQ(retry->last_position, 3u);
  EXPECT_EQ(store_->LastPosition(), 3u);
  // A normal append sees the bulk one's request record too.
  auto plain_retry = store_->Append(Notes("s", {"b", "c"}, 1, "req-1"));
  ASSERT_TRUE(plain_retry.ok());
  EXPECT_TRUE(plain_retry->deduplicated);
}

TEST_F(EventStoreTest, BulkAppendAddsToCounters) {
  AppendRequest counted = Notes("s", {"a"});
  counted.counters.push_back({.table = "counts", .key = "emea", .deltas = {1, 2}});
  ASSERT_TRUE(store_->Append(counted).ok());
  AppendRequest bulk = Notes("s", {"b"});
  bulk.counters.push_back({.table = "counts", .key = "emea", .deltas = {10, 20, 30}});
  bulk.counters.push_back({.table = "counts", .key = "apac", .deltas = {5}});
  // Rows of other tables beside them, in the same column family.
  bulk.rows.push_back({.table = "counted", .key = "k", .value = "row"});
  bulk.rows.push_back({.table = "countz", .key = "k", .value = "row"});
  ASSERT_TRUE(store_->AppendBulk(bulk).ok());
  EXPECT_EQ(Row(*store_, "counted", "k"), "row");
  EXPECT_EQ(Row(*store_, "countz", "k"), "row");
  EXPECT_EQ(DecodeCounters(Row(*store_, "counts", "emea").value_or("")),
            (std::vector<int64_t>{11, 22, 30}));
  EXPECT_EQ(DecodeCounters(Row(*store_, "counts", "apac").value_or("")), (std::vector<int64_t>{5}));
}

TEST_F(EventStoreTest, BulkAppendsAmongConcurrentAppendsKeepTheLogGapless) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 100;
  constexpr int kBulks = 5;
  constexpr int kPerBulk = 2000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        ASSERT_TRUE(store_->Append(Notes(absl::StrCat("small-", t), {"x"})).ok());
      }
    });
  }
  threads.emplace_back([&] {
    for (int b = 0; b < kBulks; ++b) {
      AppendRequest bulk{.stream_id = absl::StrCat("bulk-", b), .topic = "crm.test.events.v1"};
      for (int i = 0; i < kPerBulk; ++i) {
        bulk.events.push_back(NewEvent::From(Note("n", i)));
        bulk.rows.push_back({.table = "t", .key = absl::StrCat(b, "-", i), .value = "v"});
      }
      ASSERT_TRUE(store_->AppendBulk(std::move(bulk)).ok());
    }
  });
  for (auto& thread : threads) thread.join();

  EXPECT_EQ(store_->LastPosition(), kThreads * kPerThread + kBulks * kPerBulk);
  ExpectGaplessLog(*store_);
  EXPECT_EQ(store_->OutboxDepth(), kBulks * kPerBulk);
  for (int b = 0; b < kBulks; ++b) {
    auto events = store_->ReadStream(absl::StrCat("bulk-", b), 1, kPerBulk + 1);
    ASSERT_TRUE(events.ok());
    ASSERT_EQ(events->size(), static_cast<size_t>(kPerBulk));
    // A bulk append's positions are consecutive: no other append falls between them.
    EXPECT_EQ(
        events->back().metadata.global_position() - events->front().metadata.global_position(),
        static_cast<uint64_t>(kPerBulk - 1));
  }
  Reopen();
  ExpectGaplessLog(*store_);
}

}  // namespace
}  // namespace crm::eventstore
