// Touchpoints over a real gRPC channel: logging with its checks, retries, correcting and
// cancelling, and the lists and coverage they feed.
#include "engagement_harness.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace crm::engagement::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class TouchpointsTest : public ::testing::Test {
 protected:
  TouchpointsTest() : engagement_(registry_) {
    customer_ = RegisterCustomer(registry_, "Touch GmbH");
    cto_ = AddPerson(registry_, customer_, "Cleo", crm::v1::DECISION_ROLE_DECISION_MAKER, 5);
    cfo_ = AddPerson(registry_, customer_, "Finn", crm::v1::DECISION_ROLE_INFLUENCER, 3);
  }

  crm::v1::Touchpoint Log(const crm::v1::LogTouchpointRequest& request) {
    auto [status, reply] = engagement_.Call(&EngagementStub::LogTouchpoint, request);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return reply.touchpoint();
  }

  crm::v1::GetCoverageResponse Coverage(int window_days = 0) {
    crm::v1::GetCoverageRequest request;
    request.set_customer_id(customer_);
    request.set_window_days(window_days);
    auto [status, reply] = engagement_.Call(&EngagementStub::GetCoverage, request);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return reply;
  }

  // The CTO's last meeting at the key-person layer, as coverage reports it.
  crm::v1::CalendarDate CtoLastMet() {
    const crm::v1::GetCoverageResponse coverage = Coverage();
    for (const auto& member : coverage.layers(1).members()) {
      if (member.person_id() == cto_) return member.last_met();
    }
    return {};
  }

  RegistryHarness registry_;
  EngagementHarness engagement_;
  std::string customer_, cto_, cfo_;
};

TEST_F(TouchpointsTest, LoggedTouchpointIsStoredWithWhoLoggedItAndListedNewestFirst) {
  const crm::v1::Touchpoint older = Log(Touchpoint(customer_, Date(2026, 12, 1), {cto_}));
  const crm::v1::Touchpoint newer = Log(Touchpoint(customer_, Date(2026, 12, 15), {cfo_}));
  EXPECT_THAT(older.touchpoint_id(), HasSubstr("tp_"));
  EXPECT_EQ(older.logged_by().principal(), "u-alice");
  EXPECT_EQ(older.logged_by().role(), crm::v1::ROLE_ACCOUNT_MANAGER);

  crm::v1::GetTouchpointRequest get;
  get.set_customer_id(customer_);
  get.set_touchpoint_id(older.touchpoint_id());
  auto [got, stored] = engagement_.Call(&EngagementStub::GetTouchpoint, get);
  ASSERT_TRUE(got.ok()) << got.error_message();
  EXPECT_EQ(stored.touchpoint().outcome(), "agreed on a pilot");
  EXPECT_THAT(stored.touchpoint().person_ids(), ElementsAre(cto_));

  crm::v1::ListTouchpointsRequest list;
  list.set_customer_id(customer_);
  list.mutable_page()->set_page_size(1);
  auto [first, page1] = engagement_.Call(&EngagementStub::ListTouchpoints, list);
  ASSERT_TRUE(first.ok()) << first.error_message();
  ASSERT_EQ(page1.touchpoints_size(), 1);
  EXPECT_EQ(page1.touchpoints(0).touchpoint_id(), newer.touchpoint_id());
  list.mutable_page()->set_page_token(page1.page().next_page_token());
  auto [second, page2] = engagement_.Call(&EngagementStub::ListTouchpoints, list);
  ASSERT_EQ(page2.touchpoints_size(), 1);
  EXPECT_EQ(page2.touchpoints(0).touchpoint_id(), older.touchpoint_id());

  list.clear_page();
  list.set_person_id(cto_);
  auto [filtered, only_cto] = engagement_.Call(&EngagementStub::ListTouchpoints, list);
  ASSERT_EQ(only_cto.touchpoints_size(), 1);
  EXPECT_EQ(only_cto.touchpoints(0).touchpoint_id(), older.touchpoint_id());
}

TEST_F(TouchpointsTest, ARetryReturnsTheFirstTouchpointAndRecordsNothingMore) {
  const crm::v1::LogTouchpointRequest request = Touchpoint(customer_, Date(2026, 12, 10), {cto_});
  const crm::v1::Touchpoint first = Log(request);
  const crm::v1::Touchpoint retried = Log(request);
  EXPECT_EQ(retried.touchpoint_id(), first.touchpoint_id());

  crm::v1::ListTouchpointsRequest list;
  list.set_customer_id(customer_);
  EXPECT_EQ(engagement_.Call(&EngagementStub::ListTouchpoints, list).second.touchpoints_size(), 1);
  crm::v1::GetQuotaReportRequest report;
  *report.mutable_week_of() = Date(2026, 12, 10);
  auto [status, weeks] = engagement_.Call(&EngagementStub::GetQuotaReport, report);
  ASSERT_EQ(weeks.employees_size(), 1);
  EXPECT_EQ(weeks.employees(0).touchpoints(), 1);
}

TEST_F(TouchpointsTest, BadFactsAreInvalidArgumentNamingTheField) {
  struct Case {
    std::function<void(crm::v1::LogTouchpointRequest&)> spoil;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& r) { r.mutable_facts()->clear_type(); }, "facts.type"},
      {[](auto& r) { r.mutable_facts()->clear_layer(); }, "facts.layer"},
      {[](auto& r) { r.mutable_facts()->clear_date(); }, "facts.date"},
      {[](auto& r) { *r.mutable_facts()->mutable_date() = Date(2026, 2, 30); }, "facts.date"},
      {[](auto& r) { *r.mutable_facts()->mutable_date() = Date(2026, 12, 21); }, "facts.date"},
      {[](auto& r) { r.mutable_facts()->clear_employees(); }, "facts.employees"},
      {[](auto& r) { r.mutable_facts()->mutable_employees(0)->clear_role(); },
       "facts.employees[0].role"},
      {[&](auto& r) { r.mutable_facts()->add_person_ids(cto_); }, "facts.person_ids[1]"},
      {[](auto& r) { r.clear_request_id(); }, "request_id"},
      {[](auto& r) { r.set_customer_id("no such id!"); }, "customer_id"},
  };
  for (const Case& c : cases) {
    crm::v1::LogTouchpointRequest request = Touchpoint(customer_, Date(2026, 12, 10), {cto_});
    c.spoil(request);
    auto [status, reply] = engagement_.Call(&EngagementStub::LogTouchpoint, request);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.field;
    EXPECT_THAT(status.error_message(), HasSubstr(c.field));
  }
  crm::v1::ListTouchpointsRequest list;
  list.set_customer_id(customer_);
  EXPECT_EQ(engagement_.Call(&EngagementStub::ListTouchpoints, list).second.touchpoints_size(), 0);
}

TEST_F(TouchpointsTest, UnknownCustomerOrPersonIsNotFound) {
  auto [no_customer, r1] =
      engagement_.Call(&EngagementStub::LogTouchpoint, Touchpoint("cus_nobody", Date(2026, 12, 1)));
  EXPECT_EQ(no_customer.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(no_customer.error_message(), HasSubstr("customer_id"));

  auto [no_person, r2] = engagement_.Call(&EngagementStub::LogTouchpoint,
                                          Touchpoint(customer_, Date(2026, 12, 1), {cto_, "kp_x"}));
  EXPECT_EQ(no_person.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(no_person.error_message(), HasSubstr("facts.person_ids[1]"));

  crm::v1::GetTouchpointRequest get;
  get.set_customer_id(customer_);
  get.set_touchpoint_id("tp_missing");
  EXPECT_EQ(engagement_.Call(&EngagementStub::GetTouchpoint, get).first.error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(TouchpointsTest, CorrectionMovesTheLastContactAndCancellationRestoresTheOneBefore) {
  Log(Touchpoint(customer_, Date(2026, 11, 1), {cto_}));
  const crm::v1::Touchpoint latest = Log(Touchpoint(customer_, Date(2026, 12, 10), {cto_}));
  EXPECT_EQ(CtoLastMet().day(), 10);

  crm::v1::CorrectTouchpointRequest correct;
  correct.set_request_id(NewUuid());
  correct.set_customer_id(customer_);
  correct.set_touchpoint_id(latest.touchpoint_id());
  *correct.mutable_facts() = Touchpoint(customer_, Date(2026, 12, 12), {cto_}).facts();
  correct.set_reason("wrong day");
  auto [corrected, reply] = engagement_.Call(&EngagementStub::CorrectTouchpoint, correct);
  ASSERT_TRUE(corrected.ok()) << corrected.error_message();
  EXPECT_EQ(reply.touchpoint().date().day(), 12);
  EXPECT_EQ(CtoLastMet().day(), 12);

  crm::v1::CancelTouchpointRequest cancel;
  cancel.set_request_id(NewUuid());
  cancel.set_customer_id(customer_);
  cancel.set_touchpoint_id(latest.touchpoint_id());
  auto [no_reason, r1] = engagement_.Call(&EngagementStub::CancelTouchpoint, cancel);
  EXPECT_EQ(no_reason.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(no_reason.error_message(), HasSubstr("reason"));
  cancel.set_reason("never happened");
  ASSERT_TRUE(engagement_.Call(&EngagementStub::CancelTouchpoint, cancel).first.ok());
  EXPECT_EQ(CtoLastMet().month(), 11);  // back to the touchpoint of 1 November

  cancel.set_request_id(NewUuid());
  EXPECT_EQ(engagement_.Call(&EngagementStub::CancelTouchpoint, cancel).first.error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  correct.set_request_id(NewUuid());
  EXPECT_EQ(engagement_.Call(&EngagementStub::CorrectTouchpoint, correct).first.error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  crm::v1::ListTouchpointsRequest list;
  list.set_customer_id(customer_);
  EXPECT_EQ(engagement_.Call(&EngagementStub::ListTouchpoints, list).second.touchpoints_size(), 1);
}

TEST_F(TouchpointsTest, QuotaReportCountsEachEmployeesWeekAgainstTheirRolesQuota) {
  crm::v1::SetTouchpointQuotaRequest quota;
  quota.set_request_id(NewUuid());
  quota.mutable_quota()->set_employee_role("rnd_vp");
  quota.mutable_quota()->set_weekly_touchpoints(2);
  EXPECT_EQ(engagement_.Call(&EngagementStub::SetTouchpointQuota, quota).first.error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(engagement_.Call(&EngagementStub::SetTouchpointQuota, quota, "admin").first.ok());
  auto [listed, quotas] = engagement_.Call(&EngagementStub::ListTouchpointQuotas,
                                           crm::v1::ListTouchpointQuotasRequest());
  ASSERT_EQ(quotas.quotas_size(), 1);
  EXPECT_EQ(quotas.quotas(0).weekly_touchpoints(), 2);

  // Monday 14 to Sunday 20 December; the 13th belongs to the week before.
  for (int day : {13, 14, 16}) {
    crm::v1::LogTouchpointRequest request = Touchpoint(customer_, Date(2026, 12, day));
    crm::v1::EmployeePresence& vp = *request.mutable_facts()->add_employees();
    vp.set_employee_id("u-victor");
    vp.set_role("rnd_vp");
    Log(request);
  }
  crm::v1::GetQuotaReportRequest report;
  report.set_employee_role("rnd_vp");
  auto [status, week] = engagement_.Call(&EngagementStub::GetQuotaReport, report);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(week.week_start().day(), 14);
  ASSERT_EQ(week.employees_size(), 1);
  EXPECT_EQ(week.employees(0).employee_id(), "u-victor");
  EXPECT_EQ(week.employees(0).touchpoints(), 2);
  EXPECT_EQ(week.employees(0).quota(), 2);
  EXPECT_TRUE(week.employees(0).quota_met());

  report.clear_employee_role();
  *report.mutable_week_of() = Date(2026, 12, 13);
  auto [before, previous_week] = engagement_.Call(&EngagementStub::GetQuotaReport, report);
  EXPECT_EQ(previous_week.week_start().day(), 7);
  EXPECT_EQ(previous_week.employees_size(), 2);  // u-alice and u-victor, once each

  quota.set_request_id(NewUuid());
  quota.mutable_quota()->set_weekly_touchpoints(-1);
  auto [bad, r] = engagement_.Call(&EngagementStub::SetTouchpointQuota, quota, "admin");
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad.error_message(), HasSubstr("quota.weekly_touchpoints"));
}

TEST_F(TouchpointsTest, CoverageShowsWhoWasMetPerLayerTheSupporterShareAndWhoNeverWas) {
  const std::string ceo =
      AddPerson(registry_, customer_, "Cora", crm::v1::DECISION_ROLE_DECISION_MAKER, 4,
                crm::v1::STANCE_SUPPORTER);
  Log(Touchpoint(customer_, Date(2026, 12, 1), {cto_}));
  Log(Touchpoint(customer_, Date(2026, 6, 1), {cfo_}, crm::v1::RELATIONSHIP_LAYER_ORGANISATIONAL));

  const crm::v1::GetCoverageResponse coverage = Coverage(30);
  EXPECT_EQ(coverage.window_days(), 30);
  ASSERT_EQ(coverage.layers_size(), 3);
  EXPECT_EQ(coverage.layers(0).members_met(), 0);              // general
  EXPECT_EQ(coverage.layers(1).members_met(), 1);              // key person: the CTO
  EXPECT_EQ(coverage.layers(1).members(0).person_id(), cto_);  // the most influential first
  EXPECT_EQ(coverage.layers(2).members_met(), 0);              // the CFO, but before the window
  EXPECT_EQ(Coverage(365).layers(2).members_met(), 1);
  EXPECT_EQ(coverage.decision_makers(), 2);
  EXPECT_EQ(coverage.supporting_decision_makers(), 1);
  EXPECT_DOUBLE_EQ(coverage.supporter_share(), 0.5);
  EXPECT_THAT(coverage.never_met_person_ids(), ElementsAre(ceo));

  crm::v1::GetCoverageRequest bad;
  bad.set_customer_id(customer_);
  bad.set_window_days(5000);
  auto [status, r] = engagement_.Call(&EngagementStub::GetCoverage, bad);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("window_days"));
  bad.set_customer_id("cus_nobody");
  bad.set_window_days(0);
  EXPECT_EQ(engagement_.Call(&EngagementStub::GetCoverage, bad).first.error_code(),
            grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace crm::engagement::testing
