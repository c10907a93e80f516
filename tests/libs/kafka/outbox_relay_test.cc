// The outbox relay against crm-devbroker: what reaches the topic, and what happens when
// the broker goes away or the relay restarts.
#include "crm/kafka/outbox_relay.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "crm/kafka/cloud_events.h"
#include "crm/testing/v1/testing.pb.h"
#include "gtest/gtest.h"
#include "support/dev_broker.h"
#include "support/temp_dir.h"
#include "support/wait.h"
#include "topic_reader.h"

namespace crm::kafka {
namespace {

using crm::kafka::testing::ReadTopic;
using crm::kafka::testing::Record;
using crm::testing::DevBroker;
using crm::testing::WaitFor;

class OutboxRelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    broker_ = DevBroker::Shared();
    auto store = eventstore::EventStore::Open(
        {.path = dir_.Sub("db"), .region = "emea", .service = "registry"});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    topic_ = crm::testing::UniqueTopic("crm.registry.events.v1");
  }

  // Appends `per_customer` events to each of `customers` customers, interleaved.
  void AppendNotes(int customers, int per_customer, int start_sequence = 0) {
    for (int i = 0; i < per_customer; ++i) {
      for (int c = 0; c < customers; ++c) {
        crm::testing::v1::NoteRecorded note;
        note.set_text(absl::StrCat("note ", i));
        note.set_sequence(start_sequence + i);
        eventstore::AppendRequest request{.stream_id = absl::StrCat("customer-", c),
                                          .customer_id = absl::StrCat("cus_", c)};
        request.events.push_back(eventstore::NewEvent::From(note));
        request.topic = topic_;
        request.context.request_id = absl::StrCat(topic_, "-", c, "-", start_sequence + i);
        ASSERT_TRUE(store_->Append(request).ok());
      }
    }
  }

  RelayOptions Options() const {
    return RelayOptions{.brokers = broker_->bootstrap(), .client_id = "relay-test"};
  }

  DevBroker* broker_ = nullptr;
  crm::testing::TempDir dir_;
  std::unique_ptr<eventstore::EventStore> store_;
  std::string topic_;
};

// Checks that `records` hold each of `expected` events once, per key in version order.
void ExpectEachEventOnceInOrder(const std::vector<Record>& records, size_t expected) {
  std::set<std::string> ids;
  std::map<std::string, uint64_t> last_version_per_key;
  for (const Record& record : records) {
    crm::testing::v1::NoteRecorded note;
    ASSERT_TRUE(note.ParseFromString(record.value)) << "value is not the event message";
    const auto& m = note.metadata();
    EXPECT_TRUE(ids.insert(record.headers.at(kIdHeader)).second)
        << "duplicate event " << record.headers.at(kIdHeader);
    EXPECT_EQ(record.headers.at(kIdHeader), m.event_id());
    EXPECT_EQ(record.key, m.customer_id());
    uint64_t& last = last_version_per_key[record.key];
    EXPECT_EQ(m.stream_version(), last + 1) << "out of order for key " << record.key;
    last = m.stream_version();
  }
  EXPECT_EQ(ids.size(), expected);
  EXPECT_EQ(records.size(), expected);
}

TEST_F(OutboxRelayTest, PublishesEveryEventOnceWithCloudEventHeadersInOrderPerKey) {
  AppendNotes(/*customers=*/10, /*per_customer=*/30);
  metrics::Registry registry;
  OutboxRelay relay(*store_, Options(), &registry);
  ASSERT_TRUE(relay.Start().ok());
  ASSERT_TRUE(WaitFor([&] { return store_->OutboxDepth() == 0; })) << store_->OutboxDepth();
  EXPECT_EQ(relay.Delivered(), 300u);
  EXPECT_NE(registry.Render().find("crm_relay_delivered_total 300"), std::string::npos);

  std::vector<Record> records = ReadTopic(broker_->bootstrap(), topic_, 300);
  ExpectEachEventOnceInOrder(records, 300);
  ASSERT_FALSE(records.empty());
  const Record& record = records.front();
  crm::testing::v1::NoteRecorded note;
  ASSERT_TRUE(note.ParseFromString(record.value));
  EXPECT_EQ(record.headers.at("ce_specversion"), "1.0");
  EXPECT_EQ(record.headers.at("ce_type"), "crm.testing.v1.NoteRecorded");
  EXPECT_EQ(record.headers.at("ce_source"), "crm/registry/emea");
  EXPECT_EQ(record.headers.at("ce_subject"), record.key);
  EXPECT_EQ(record.headers.at("content-type"), "application/protobuf");
  EXPECT_EQ(record.headers.at("ce_time").back(), 'Z');
  EXPECT_EQ(note.metadata().region(), "emea");
  relay.Stop(absl::Seconds(5));
}

TEST_F(OutboxRelayTest, KeepsAcceptingAppendsWhileTheBrokerIsDownAndDrainsWhenItReturns) {
  OutboxRelay relay(*store_, Options());
  ASSERT_TRUE(relay.Start().ok());
  AppendNotes(4, 5);
  ASSERT_TRUE(WaitFor([&] { return store_->OutboxDepth() == 0; }));
  // The store learns that Kafka has every event so far.
  const uint64_t before_outage = store_->LastPosition();
  EXPECT_TRUE(store_->WaitForPublished(before_outage, absl::Now() + absl::Seconds(10)));

  broker_->Down();
  AppendNotes(4, 25, /*start_sequence=*/5);  // every append still succeeds
  // Nothing can be confirmed while the broker is down: the rows stay, unpublished.
  EXPECT_FALSE(WaitFor([&] { return store_->OutboxDepth() == 0; }, absl::Milliseconds(500)));
  EXPECT_GT(store_->OutboxDepth(), 0);
  EXPECT_FALSE(store_->WaitForPublished(before_outage + 1, absl::Now() + absl::Milliseconds(200)));
  EXPECT_EQ(store_->PublishedThrough(), before_outage);
  broker_->Up();

  ASSERT_TRUE(WaitFor([&] { return store_->OutboxDepth() == 0; }, absl::Seconds(60)))
      << store_->OutboxDepth() << " left";
  EXPECT_TRUE(store_->WaitForPublished(store_->LastPosition(), absl::Now() + absl::Seconds(10)));
  std::vector<Record> records = ReadTopic(broker_->bootstrap(), topic_, 120);
  std::set<std::string> ids;
  for (const Record& r : records) ids.insert(r.headers.at(kIdHeader));
  EXPECT_EQ(ids.size(), 120u) << "events lost during the outage";
  relay.Stop(absl::Seconds(5));
}

TEST_F(OutboxRelayTest, ResendsWhatWasNotConfirmedAfterARestart) {
  broker_->Down();
  AppendNotes(3, 10);
  {
    OutboxRelay relay(*store_, Options());
    ASSERT_TRUE(relay.Start().ok());
    relay.Stop(absl::Milliseconds(200));  // the broker is down: nothing is confirmed
    EXPECT_EQ(relay.Delivered(), 0u);
  }
  EXPECT_EQ(store_->OutboxDepth(), 30);
  broker_->Up();

  OutboxRelay restarted(*store_, Options());
  ASSERT_TRUE(restarted.Start().ok());
  ASSERT_TRUE(WaitFor([&] { return store_->OutboxDepth() == 0; }, absl::Seconds(60)));
  ExpectEachEventOnceInOrder(ReadTopic(broker_->bootstrap(), topic_, 30), 30);
  restarted.Stop(absl::Seconds(5));
}

TEST_F(OutboxRelayTest, StopFlushesTheOutboxWithinItsTimeout) {
  OutboxRelay relay(*store_, Options());
  ASSERT_TRUE(relay.Start().ok());
  AppendNotes(5, 20);
  relay.Stop(absl::Seconds(20));
  EXPECT_EQ(store_->OutboxDepth(), 0);
  EXPECT_EQ(relay.Delivered(), 100u);
}

TEST_F(OutboxRelayTest, RejectsABadProducerSetting) {
  RelayOptions options = Options();
  options.overrides["acks"] = "sometimes";
  OutboxRelay relay(*store_, options);
  absl::Status status = relay.Start();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("acks"), std::string::npos);
}

}  // namespace
}  // namespace crm::kafka
