// RequeueLog: the whole log back into the outbox, for a topic that lost it: each event
// once, in position order, keyed as its append was, beside what still waits there; an
// interrupted call completed by a second one.
#include <vector>

#include "crm/eventstore/event_store.h"
#include "event_store_fixture.h"
#include "gtest/gtest.h"

namespace crm::eventstore {
namespace {

constexpr char kTopic[] = "crm.registry.events.v1";

class RequeueLogTest : public EventStoreTest {
 protected:
  // Appends the log the tests requeue: positions 1-2 about cus_1, 3 about cus_2, 4-5 about
  // no customer (keyed by their stream).
  void AppendLog() {
    AppendRequest first = Notes("customer-cus_1", {"a", "b"});
    first.topic = kTopic;
    first.customer_id = "cus_1";
    ASSERT_TRUE(store_->Append(first).ok());
    AppendRequest second = Notes("customer-cus_2", {"c"});
    second.topic = kTopic;
    second.customer_id = "cus_2";
    ASSERT_TRUE(store_->Append(second).ok());
    AppendRequest settings = Notes("settings", {"d", "e"});
    settings.topic = kTopic;
    ASSERT_TRUE(store_->Append(settings).ok());
  }

  // Removes the outbox rows at `ids`, as the relay does once the broker confirmed them.
  void Relayed(std::vector<uint64_t> ids) { ASSERT_TRUE(store_->RemoveFromOutbox(ids).ok()); }

  std::vector<OutboxMessage> Outbox() {
    auto messages = store_->ReadOutbox(0, 100);
    EXPECT_TRUE(messages.ok()) << messages.status();
    return messages.ok() ? *messages : std::vector<OutboxMessage>{};
  }
};

TEST_F(RequeueLogTest, PutsEveryRelayedEventBackInOrderKeyedAsItsAppendWas) {
  AppendLog();
  Relayed({1, 2, 3, 4});  // position 5 is still waiting
  ASSERT_EQ(store_->OutboxDepth(), 1);

  auto requeued = store_->RequeueLog(kTopic, /*batch_size=*/2);
  ASSERT_TRUE(requeued.ok()) << requeued.status();
  EXPECT_EQ(*requeued, 4u);
  EXPECT_EQ(store_->OutboxDepth(), 5);
  const std::vector<OutboxMessage> outbox = Outbox();
  ASSERT_EQ(outbox.size(), 5u);
  const std::vector<std::string> keys = {"cus_1", "cus_1", "cus_2", "settings", "settings"};
  for (size_t i = 0; i < outbox.size(); ++i) {
    EXPECT_EQ(outbox[i].id, i + 1);
    EXPECT_EQ(outbox[i].topic, kTopic);
    EXPECT_EQ(outbox[i].key, keys[i]) << "position " << i + 1;
    EXPECT_EQ(outbox[i].event.metadata.global_position(), i + 1);
  }
  // The depth is kept, not only counted: it holds after a reopen too.
  Reopen();
  EXPECT_EQ(store_->OutboxDepth(), 5);
}

TEST_F(RequeueLogTest, ASecondCallCompletesAnInterruptedOneAndPutsNothingTwice) {
  AppendLog();
  Relayed({1, 2, 3, 4, 5});
  // An interrupted call: it had put back positions 1 and 2 when it stopped.
  ASSERT_TRUE(store_->RequeueLog(kTopic).ok());
  Relayed({3, 4, 5});
  ASSERT_EQ(store_->OutboxDepth(), 2);

  auto completed = store_->RequeueLog(kTopic);
  ASSERT_TRUE(completed.ok()) << completed.status();
  EXPECT_EQ(*completed, 3u);
  EXPECT_EQ(Outbox().size(), 5u);
  EXPECT_EQ(store_->OutboxDepth(), 5);

  // With everything waiting already, there is nothing to put back.
  auto again = store_->RequeueLog(kTopic);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0u);
  EXPECT_EQ(store_->OutboxDepth(), 5);
}

TEST_F(RequeueLogTest, RefusesAnEmptyTopicNamingIt) {
  AppendLog();
  auto refused = store_->RequeueLog("");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("topic"), std::string::npos);
}

}  // namespace
}  // namespace crm::eventstore
