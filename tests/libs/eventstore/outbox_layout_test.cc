// The outbox's rows as stored: an event's bytes are written once, in the log, and its
// outbox row says only where to publish it; rows an earlier layout wrote with a copy of
// the event are still relayed. These tests open the store's RocksDB directly (the store
// closed), since the layout is what they check.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "crm/base/key_encoding.h"
#include "event_store_fixture.h"
#include "gtest/gtest.h"
#include "records.pb.h"
#include "rocksdb/db.h"

namespace crm::eventstore {
namespace {

// The store's database opened raw, with every column family it has.
class RawDatabase {
 public:
  explicit RawDatabase(const std::string& path) {
    std::vector<std::string> names;
    EXPECT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const std::string& name : names)
      families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    rocksdb::DB* db = nullptr;
    const rocksdb::Status status =
        rocksdb::DB::Open(rocksdb::DBOptions(), path, families, &handles_, &db);
    EXPECT_TRUE(status.ok()) << status.ToString();
    db_.reset(db);
    for (size_t i = 0; i < names.size(); ++i) by_name_[names[i]] = handles_[i];
  }
  ~RawDatabase() {
    for (auto* handle : handles_) (void)db_->DestroyColumnFamilyHandle(handle);
  }

  std::string Get(const std::string& family, const std::string& key) {
    std::string value;
    EXPECT_TRUE(db_->Get(rocksdb::ReadOptions(), by_name_.at(family), key, &value).ok())
        << family << " has no row at the key asked for";
    return value;
  }
  void Put(const std::string& family, const std::string& key, const std::string& value) {
    rocksdb::WriteOptions sync;
    sync.sync = true;
    ASSERT_TRUE(db_->Put(sync, by_name_.at(family), key, value).ok());
  }

 private:
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::map<std::string, rocksdb::ColumnFamilyHandle*> by_name_;
  std::unique_ptr<rocksdb::DB> db_;
};

TEST_F(EventStoreTest, AnEventsBytesAreStoredOnceInTheLogNotInItsOutboxRow) {
  AppendRequest published = Notes("s1", {std::string(400, 'x')});
  published.topic = "crm.registry.events.v1";
  published.customer_id = "cus_1";
  ASSERT_TRUE(store_->Append(published).ok());
  store_.reset();

  RawDatabase raw(dir_.Sub("db"));
  const std::string position = EncodeUint64(1);
  const std::string event = raw.Get("log", position);
  internal::OutboxRecord row;
  ASSERT_TRUE(row.ParseFromString(raw.Get("outbox", position)));
  EXPECT_EQ(row.topic(), "crm.registry.events.v1");
  EXPECT_EQ(row.key(), "cus_1");
  EXPECT_TRUE(row.event().empty());
  EXPECT_GT(event.size(), 400u);
}

TEST_F(EventStoreTest, OutboxRowsOfTheEarlierLayoutAreStillRelayed) {
  AppendRequest first = Notes("s1", {"first", "second"});
  first.topic = "crm.registry.events.v1";
  first.customer_id = "cus_1";
  ASSERT_TRUE(store_->Append(first).ok());
  store_.reset();
  {
    // Position 1's row as stores before this layout wrote it: the event copied in.
    RawDatabase raw(dir_.Sub("db"));
    const std::string position = EncodeUint64(1);
    internal::OutboxRecord row;
    row.set_topic("crm.registry.events.v1");
    row.set_key("cus_1");
    row.set_event(raw.Get("log", position));
    raw.Put("outbox", position, row.SerializeAsString());
  }
  Reopen();
  AppendRequest next = Notes("s2", {"third"});
  next.topic = "crm.registry.events.v1";
  next.customer_id = "cus_2";
  ASSERT_TRUE(store_->Append(next).ok());

  auto messages = store_->ReadOutbox(0, 10);
  ASSERT_TRUE(messages.ok()) << messages.status();
  ASSERT_EQ(messages->size(), 3u);
  for (size_t i = 0; i < messages->size(); ++i) {
    EXPECT_EQ((*messages)[i].id, i + 1);
    EXPECT_EQ((*messages)[i].event.metadata.global_position(), i + 1);
  }
  EXPECT_EQ((*messages)[0].key, "cus_1");
  EXPECT_EQ((*messages)[2].key, "cus_2");
  crm::testing::v1::NoteRecorded note;
  ASSERT_TRUE(note.ParseFromString((*messages)[0].event.bytes));
  EXPECT_EQ(note.text(), "first");
  ASSERT_TRUE(note.ParseFromString((*messages)[2].event.bytes));
  EXPECT_EQ(note.text(), "third");
}

TEST_F(EventStoreTest, OutboxReadsAfterRemovalsFindEachEventAcrossGaps) {
  for (int i = 0; i < 6; ++i) {
    AppendRequest request = Notes(absl::StrCat("s", i), {absl::StrCat("note ", i)});
    // Every other append is not published: the outbox skips those positions.
    if (i % 2 == 0) request.topic = "crm.registry.events.v1";
    request.customer_id = absl::StrCat("cus_", i);
    ASSERT_TRUE(store_->Append(request).ok());
  }
  const uint64_t delivered = 3;
  ASSERT_TRUE(store_->RemoveFromOutbox({&delivered, 1}).ok());

  auto messages = store_->ReadOutbox(0, 10);
  ASSERT_TRUE(messages.ok()) << messages.status();
  ASSERT_EQ(messages->size(), 2u);
  EXPECT_EQ((*messages)[0].id, 1u);
  EXPECT_EQ((*messages)[1].id, 5u);
  crm::testing::v1::NoteRecorded note;
  ASSERT_TRUE(note.ParseFromString((*messages)[1].event.bytes));
  EXPECT_EQ(note.text(), "note 4");
  EXPECT_EQ((*messages)[1].key, "cus_4");
}

}  // namespace
}  // namespace crm::eventstore
