// The registry's events as a downstream consumer sees them on the broker: every change,
// in order, keyed by customer, with the CloudEvents headers of docs/ARCHITECTURE.md.
#include "crm/base/ids.h"
#include "crm/v1/common.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "registry_harness.h"
#include "topic_reader.h"

namespace crm::registry::testing {
namespace {

using ::testing::ElementsAre;

TEST(RegistryEvents, EveryChangeReachesTheTopicInOrderWithItsHeaders) {
  RegistryHarness registry;
  crm::v1::RegisterCustomerRequest register_request;
  register_request.set_request_id("ev-register");
  *register_request.mutable_summary() = Summary("Events AG");
  const std::string id =
      registry.Call(&Stub::RegisterCustomer, register_request, "account_manager", "u-dora")
          .second.customer_id();
  ASSERT_FALSE(id.empty());

  crm::v1::AddKeyPersonRequest add;
  add.set_request_id(NewUuid());
  add.set_customer_id(id);
  add.mutable_person()->set_name("Fay");
  add.mutable_person()->set_influence(3);
  add.mutable_person()->set_title("CIO");
  auto [added, person] = registry.Call(&Stub::AddKeyPerson, add);
  ASSERT_TRUE(added.ok()) << added.error_message();

  crm::v1::UpdateKeyPersonRequest update;
  update.set_request_id(NewUuid());
  update.set_customer_id(id);
  update.mutable_person()->set_person_id(person.person_id());
  update.mutable_person()->set_name("Fay");
  update.mutable_person()->set_influence(3);
  update.mutable_person()->set_title("CEO");
  ASSERT_TRUE(registry.Call(&Stub::UpdateKeyPerson, update).first.ok());

  crm::v1::ChangeLifecycleRequest churn;
  churn.set_request_id(NewUuid());
  churn.set_customer_id(id);
  churn.set_status(crm::v1::LIFECYCLE_STATUS_CHURNED);
  churn.set_reason("budget cut");
  ASSERT_TRUE(registry.Call(&Stub::ChangeLifecycle, churn).first.ok());

  const auto records = kafka::testing::ReadTopic(registry.brokers(), registry.topic(), 5);
  ASSERT_EQ(records.size(), 5u);
  std::vector<std::string> types;
  std::set<std::string> ids;
  for (size_t i = 0; i < records.size(); ++i) {
    const auto& record = records[i];
    EXPECT_EQ(record.key, id);
    EXPECT_EQ(record.partition, records[0].partition);
    crm::v1::EventEnvelope envelope;
    ASSERT_TRUE(envelope.ParseFromString(record.value));
    const crm::v1::EventMetadata& m = envelope.metadata();
    EXPECT_EQ(m.stream_version(), i + 1) << "in stream order";
    EXPECT_EQ(m.stream_id(), "customer-" + id);
    EXPECT_EQ(m.customer_id(), id);
    types.push_back(record.headers.at("ce_type"));
    EXPECT_EQ(record.headers.at("ce_type"), m.event_type());
    EXPECT_EQ(record.headers.at("ce_id"), m.event_id());
    EXPECT_EQ(record.headers.at("ce_subject"), id);
    EXPECT_EQ(record.headers.at("ce_specversion"), "1.0");
    EXPECT_EQ(record.headers.at("content-type"), "application/protobuf");
    EXPECT_THAT(record.headers.at("ce_source"), ::testing::StartsWith("crm/registry/"));
    EXPECT_FALSE(record.headers.at("ce_time").empty());
    ids.insert(m.event_id());
  }
  EXPECT_EQ(ids.size(), 5u) << "event ids are unique";
  EXPECT_THAT(types, ElementsAre("crm.v1.CustomerRegistered", "crm.v1.KeyPersonAdded",
                                 "crm.v1.KeyPersonUpdated", "crm.v1.KeyPositionChanged",
                                 "crm.v1.LifecycleChanged"));

  crm::v1::CustomerRegistered registered;
  ASSERT_TRUE(registered.ParseFromString(records[0].value));
  EXPECT_EQ(registered.summary().legal_name(), "Events AG");
  EXPECT_EQ(registered.metadata().actor().principal(), "u-dora");
  EXPECT_EQ(registered.metadata().actor().role(), crm::v1::ROLE_ACCOUNT_MANAGER);
  EXPECT_THAT(registered.metadata().request_id(), ::testing::HasSubstr("ev-register"));
  crm::v1::KeyPositionChanged moved;
  ASSERT_TRUE(moved.ParseFromString(records[3].value));
  EXPECT_EQ(moved.previous_title(), "CIO");
  EXPECT_EQ(moved.title(), "CEO");
  crm::v1::LifecycleChanged churned;
  ASSERT_TRUE(churned.ParseFromString(records[4].value));
  EXPECT_EQ(churned.reason(), "budget cut");
}

}  // namespace
}  // namespace crm::registry::testing
