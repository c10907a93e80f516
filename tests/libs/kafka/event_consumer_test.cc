// The event consumer against crm-devbroker: effectively-once projections, redeliveries,
// foreign messages, missing topics, stored offsets and a crash between batches.
#include "crm/kafka/event_consumer.h"

#include <signal.h>

#include <random>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "event_fixtures.h"
#include "gtest/gtest.h"
#include "support/dev_broker.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"
#include "support/wait.h"
#include "topic_reader.h"

namespace crm::kafka {
namespace {

using crm::kafka::testing::CountingProjection;
using crm::kafka::testing::MakeEvent;
using crm::kafka::testing::ProduceRaw;
using crm::testing::DevBroker;
using crm::testing::WaitFor;

using Messages = std::vector<std::pair<std::string, std::string>>;

// `streams` streams of `versions` events each, stream i about customer "cus_i".
Messages MakeEvents(int streams, int versions, int first_version = 1) {
  Messages messages;
  for (int v = first_version; v < first_version + versions; ++v) {
    for (int s = 0; s < streams; ++s) {
      const std::string customer = absl::StrCat("cus_", s);
      messages.emplace_back(customer, MakeEvent(absl::StrCat("customer-", s), v, customer));
    }
  }
  return messages;
}

class EventConsumerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    broker_ = DevBroker::Shared();
    auto store = eventstore::EventStore::Open({.path = dir_.Sub("db")});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    topic_ = crm::testing::UniqueTopic("crm.registry.events.v1");
  }

  ConsumerOptions Options(std::vector<std::string> topics = {}) const {
    if (topics.empty()) topics = {topic_};
    return ConsumerOptions{.brokers = broker_->bootstrap(),
                           .group_id = absl::StrCat("group-", topic_),
                           .topics = std::move(topics),
                           .max_batch = 16,
                           .overrides = {{"fetch.wait.max.ms", "10"},
                                         {"session.timeout.ms", "3000"},
                                         {"heartbeat.interval.ms", "500"},
                                         {"topic.metadata.refresh.interval.ms", "300"}}};
  }

  std::string Row(const std::string& table, const std::string& key) const {
    auto row = store_->GetRow(table, key);
    return row.ok() && row->has_value() ? **row : "";
  }

  DevBroker* broker_ = nullptr;
  crm::testing::TempDir dir_;
  std::unique_ptr<eventstore::EventStore> store_;
  std::string topic_;
};

TEST_F(EventConsumerTest, AppliesEachEventOnceAndSkipsRedeliveries) {
  const Messages messages = MakeEvents(/*streams=*/4, /*versions=*/10);
  ProduceRaw(broker_->bootstrap(), topic_, messages);
  EventConsumer consumer(*store_, Options(), CountingProjection);
  ASSERT_TRUE(consumer.Start().ok());
  ASSERT_TRUE(WaitFor([&] { return consumer.Applied() == 40; })) << consumer.Applied();
  for (int s = 0; s < 4; ++s) EXPECT_EQ(Row("notes", absl::StrCat("cus_", s)), "10");

  // The same events again, as a relay resends them after a crash: nothing changes.
  ProduceRaw(broker_->bootstrap(), topic_, messages);
  ASSERT_TRUE(WaitFor([&] { return consumer.SkippedDuplicates() == 40; }));
  consumer.Stop();
  EXPECT_EQ(consumer.Applied(), 40u);
  for (int s = 0; s < 4; ++s) EXPECT_EQ(Row("notes", absl::StrCat("cus_", s)), "10");
  auto seen = store_->ScanRows("seen", "", "", 1000);
  ASSERT_TRUE(seen.ok());
  ASSERT_EQ(seen->rows.size(), 40u);
  for (const auto& [event_id, count] : seen->rows) EXPECT_EQ(count, "1") << event_id;
  EXPECT_TRUE(consumer.status().ok());
}

TEST_F(EventConsumerTest, AStreamPublishedUnderSeveralKeysLosesNoEventToReordering) {
  // One stream whose events are keyed by their customers, as an evaluation run publishes
  // its tier changes: the keys land on different partitions, so version 2 may be read
  // before version 1. Both apply; a resend of either is still a duplicate.
  const Messages messages = {{"cus_a", MakeEvent("run-1", 1, "cus_a")},
                             {"cus_b", MakeEvent("run-1", 2, "cus_b")},
                             {"cus_c", MakeEvent("run-1", 3, "cus_c")}};
  ProduceRaw(broker_->bootstrap(), topic_, {messages[2], messages[1]});
  EventConsumer consumer(*store_, Options(), CountingProjection);
  ASSERT_TRUE(consumer.Start().ok());
  ASSERT_TRUE(WaitFor([&] { return consumer.Applied() == 2; })) << consumer.Applied();
  ProduceRaw(broker_->bootstrap(), topic_, {messages[0], messages[2]});
  ASSERT_TRUE(WaitFor([&] { return consumer.Applied() == 3 && consumer.SkippedDuplicates() == 1; }))
      << consumer.Applied() << " applied, " << consumer.SkippedDuplicates() << " duplicates";
  consumer.Stop();
  for (const char* customer : {"cus_a", "cus_b", "cus_c"}) EXPECT_EQ(Row("notes", customer), "1");
}

TEST_F(EventConsumerTest, SkipsForeignMessagesAndRejectedEventsWithoutPartialWrites) {
  metrics::Registry registry;
  ProduceRaw(broker_->bootstrap(), topic_,
             {{"cus_0", "not a protobuf event"},
              {"cus_0", MakeEvent("customer-0", 1, "cus_0", "reject")},
              {"cus_0", MakeEvent("customer-0", 2, "cus_0")}});
  EventConsumer consumer(*store_, Options(), CountingProjection, &registry);
  ASSERT_TRUE(consumer.Start().ok());
  ASSERT_TRUE(WaitFor([&] { return consumer.Applied() == 1; }));
  consumer.Stop();
  // The rejected event's writes were rolled back: only version 2 counted.
  EXPECT_EQ(Row("notes", "cus_0"), "1");
  const std::string text = registry.Render();
  EXPECT_NE(text.find(absl::StrCat("crm_consumer_events_total{topic=\"", topic_,
                                   "\",outcome=\"malformed\"} 1")),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(absl::StrCat("crm_consumer_events_total{topic=\"", topic_,
                                   "\",outcome=\"rejected\"} 1")),
            std::string::npos);
  EXPECT_TRUE(consumer.status().ok());
}

TEST_F(EventConsumerTest, WaitsForATopicThatDoesNotExistYet) {
  const std::string later = crm::testing::UniqueTopic("crm.tiering.events.v1");
  ProduceRaw(broker_->bootstrap(), topic_, MakeEvents(1, 3));
  EventConsumer consumer(*store_, Options({topic_, later}), CountingProjection);
  ASSERT_TRUE(consumer.Start().ok());
  ASSERT_TRUE(WaitFor([&] { return consumer.Applied() == 3; }));

  ProduceRaw(broker_->bootstrap(), later, {{"cus_9", MakeEvent("tier-9", 1, "cus_9")}});
  ASSERT_TRUE(WaitFor([&] { return consumer.Applied() == 4; }, absl::Seconds(60)));
  consumer.Stop();
  EXPECT_EQ(Row("notes", "cus_9"), "1");
  EXPECT_TRUE(consumer.status().ok());
}

TEST_F(EventConsumerTest, ResumesFromStoredOffsetsAfterARestart) {
  ProduceRaw(broker_->bootstrap(), topic_, MakeEvents(2, 10));
  {
    EventConsumer first(*store_, Options(), CountingProjection);
    ASSERT_TRUE(first.Start().ok());
    ASSERT_TRUE(WaitFor([&] { return first.Applied() == 20; }));
    first.Stop();
  }
  ProduceRaw(broker_->bootstrap(), topic_, MakeEvents(2, 5, /*first_version=*/11));
  EventConsumer second(*store_, Options(), CountingProjection);
  ASSERT_TRUE(second.Start().ok());
  ASSERT_TRUE(WaitFor([&] { return second.Applied() == 10; }));
  second.Stop();
  // It started where the first one stopped: it did not even see the old events again.
  EXPECT_EQ(second.SkippedDuplicates(), 0u);
  EXPECT_EQ(Row("notes", "cus_0"), "15");
}

TEST_F(EventConsumerTest, RestartsAPartitionFromItsStartWhenTheStoredOffsetIsPastTheEnd) {
  // As after the dev broker restarted and lost its messages: stored offsets point beyond
  // what the partitions hold.
  eventstore::ConsumedBatch stale;
  for (int32_t partition = 0; partition < 4; ++partition) {
    stale.offsets.push_back({.group = Options().group_id,
                             .topic = topic_,
                             .partition = partition,
                             .next_offset = 1000});
  }
  ASSERT_TRUE(store_->CommitConsumed(stale).ok());
  ProduceRaw(broker_->bootstrap(), topic_, MakeEvents(3, 2));
  metrics::Registry registry;
  EventConsumer consumer(*store_, Options(), CountingProjection, &registry);
  ASSERT_TRUE(consumer.Start().ok());
  ASSERT_TRUE(WaitFor([&] { return consumer.Applied() == 6; }));
  consumer.Stop();
  EXPECT_NE(registry.Render().find("outcome"), std::string::npos);
  EXPECT_NE(registry.Render().find("reason=\"past_end\""), std::string::npos);
}

TEST_F(EventConsumerTest, AConsumerKilledBetweenBatchesResumesWithoutApplyingAnyEventTwice) {
  constexpr int kEvents = 300;
  Messages messages;
  for (int v = 1; v <= kEvents; ++v) {
    messages.emplace_back("cus_crash", MakeEvent("customer-crash", v, "cus_crash"));
  }
  ProduceRaw(broker_->bootstrap(), topic_, messages);
  const std::string path = dir_.Sub("crash-db");
  std::mt19937 random(std::random_device{}());
  int applied = 0;
  for (int run = 0; run < 4 && applied < kEvents; ++run) {
    auto child = crm::testing::Subprocess::Start(
        {CRM_CONSUMER_CHILD_PATH, broker_->bootstrap(), topic_, path});
    ASSERT_TRUE(child.ok());
    const bool last_run = run == 3;
    const int kill_at =
        last_run ? kEvents : applied + std::uniform_int_distribution<int>(20, 80)(random);
    while (applied < kill_at) {
      std::optional<std::string> line = (*child)->ReadLine(absl::Seconds(60));
      ASSERT_TRUE(line.has_value()) << "the consumer stopped making progress at " << applied;
      std::istringstream in(*line);
      std::string word;
      int duplicates = -1;
      in >> word >> applied >> word >> duplicates;
      // Offsets are stored with the rows: a restarted consumer never sees an applied event.
      EXPECT_EQ(duplicates, 0) << *line;
    }
    (*child)->Signal(SIGKILL);
    (*child)->Wait();
  }
  ASSERT_EQ(applied, kEvents);
  auto store = eventstore::EventStore::Open({.path = path});
  ASSERT_TRUE(store.ok());
  auto seen = (*store)->ScanRows("seen", "", "", 1000);
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->rows.size(), static_cast<size_t>(kEvents));
  for (const auto& [event_id, count] : seen->rows) EXPECT_EQ(count, "1") << event_id;
}

}  // namespace
}  // namespace crm::kafka
