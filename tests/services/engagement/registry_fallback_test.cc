// An engagement service that does not follow the registry's events still accepts the
// registry's customers and persons by asking it, refuses what the registry does not know,
// and says UNAVAILABLE rather than NOT_FOUND when the registry cannot be asked. What it
// recorded survives a restart.
#include "engagement_harness.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace crm::engagement::testing {
namespace {

using ::testing::HasSubstr;

TEST(RegistryFallback, CustomersTheEventsHaveNotBroughtAreCheckedWithTheRegistry) {
  RegistryHarness registry;
  EngagementHarness engagement(registry, {.follow_registry_events = false});
  const std::string customer = RegisterCustomer(registry, "Asked Ltd");
  const std::string person =
      AddPerson(registry, customer, "Ada", crm::v1::DECISION_ROLE_DECISION_MAKER, 5);

  auto [logged, reply] = engagement.Call(&EngagementStub::LogTouchpoint,
                                         Touchpoint(customer, Date(2026, 12, 3), {person}));
  ASSERT_TRUE(logged.ok()) << logged.error_message();
  auto [stranger, r1] = engagement.Call(&EngagementStub::LogTouchpoint,
                                        Touchpoint(customer, Date(2026, 12, 3), {"kp_stranger"}));
  EXPECT_EQ(stranger.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(stranger.error_message(), HasSubstr("facts.person_ids[0]"));

  engagement.Restart();
  crm::v1::GetTouchpointRequest get;
  get.set_customer_id(customer);
  get.set_touchpoint_id(reply.touchpoint().touchpoint_id());
  auto [got, stored] = engagement.Call(&EngagementStub::GetTouchpoint, get);
  ASSERT_TRUE(got.ok()) << got.error_message();
  EXPECT_EQ(stored.touchpoint().person_ids(0), person);

  crm::v1::ListTouchpointsRequest bad_page;
  bad_page.set_customer_id(customer);
  bad_page.mutable_page()->set_page_token("not-a-token");
  EXPECT_EQ(engagement.Call(&EngagementStub::ListTouchpoints, bad_page).first.error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  registry.Stop();
  auto [unreachable, r2] = engagement.Call(&EngagementStub::LogTouchpoint,
                                           Touchpoint(customer, Date(2026, 12, 4), {person}));
  EXPECT_EQ(unreachable.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(unreachable.error_message(), HasSubstr("registry"));
}

}  // namespace
}  // namespace crm::engagement::testing
