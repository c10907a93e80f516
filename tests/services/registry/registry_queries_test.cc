// The registry's queries over a real gRPC channel: lists with filters and pages, upcoming
// key dates, the org chart, the decision chain and history.
#include "crm/base/ids.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "registry_harness.h"

namespace crm::registry::testing {
namespace {

using ::testing::ElementsAre;

class RegistryQueriesTest : public ::testing::Test {
 protected:
  std::string Register(crm::v1::CustomerSummary summary,
                       crm::v1::LifecycleStatus status = crm::v1::LIFECYCLE_STATUS_PROSPECT) {
    return RegisterCustomer(registry_, std::move(summary), status);
  }

  std::string AddPerson(const std::string& customer_id, const std::string& name,
                        crm::v1::DecisionRole role, int influence, crm::v1::Stance stance,
                        const std::string& reports_to = "") {
    return testing::AddPerson(registry_, customer_id, name, role, influence, stance, reports_to);
  }

  std::string AddDate(const std::string& customer_id, const std::string& title, int month, int day,
                      int year = 0) {
    crm::v1::AddKeyDateRequest request;
    request.set_request_id(NewUuid());
    request.set_customer_id(customer_id);
    request.mutable_date()->set_title(title);
    request.mutable_date()->set_month(month);
    request.mutable_date()->set_day(day);
    request.mutable_date()->set_year(year);
    request.mutable_date()->set_remind_days_before(7);
    auto [status, reply] = registry_.Call(&Stub::AddKeyDate, request);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return reply.date_id();
  }

  // Every name ListCustomers returns for `request`, page after page.
  std::vector<std::string> ListAll(crm::v1::ListCustomersRequest request, int* pages = nullptr) {
    std::vector<std::string> names;
    int count = 0;
    do {
      auto [status, reply] = registry_.Call(&Stub::ListCustomers, request);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      for (const auto& item : reply.customers()) names.push_back(item.legal_name());
      request.mutable_page()->set_page_token(reply.page().next_page_token());
      ++count;
    } while (!request.page().page_token().empty());
    if (pages != nullptr) *pages = count;
    return names;
  }

  RegistryHarness registry_;  // today is 2026-12-20
};

TEST_F(RegistryQueriesTest, ListsByFiltersInNameOrderAcrossPages) {
  auto summary = [](const std::string& name, const std::string& region, const std::string& industry,
                    const std::string& owner) {
    crm::v1::CustomerSummary s = Summary(name, region);
    s.set_industry(industry);
    s.set_owner_id(owner);
    return s;
  };
  Register(summary("Delta Power", "emea", "energy", "u-bob"));
  Register(summary("alpha Telecom", "emea", "telecom", "u-alice"),
           crm::v1::LIFECYCLE_STATUS_ACTIVE);
  Register(summary("Charlie Telecom", "emea", "telecom", "u-bob"));
  Register(summary("Bravo Telecom", "emea", "telecom", "u-alice"));
  Register(summary("Alpha Asia", "apac", "telecom", "u-alice"));

  crm::v1::ListCustomersRequest request;
  request.set_region("emea");
  request.mutable_page()->set_page_size(2);
  int pages = 0;
  EXPECT_THAT(ListAll(request, &pages),
              ElementsAre("alpha Telecom", "Bravo Telecom", "Charlie Telecom", "Delta Power"));
  EXPECT_EQ(pages, 2);

  crm::v1::ListCustomersRequest telecom_of_alice;
  telecom_of_alice.set_industry("telecom");
  telecom_of_alice.set_owner_id("u-alice");
  EXPECT_THAT(ListAll(telecom_of_alice),
              ElementsAre("Alpha Asia", "alpha Telecom", "Bravo Telecom"))
      << "apac sorts before emea";

  crm::v1::ListCustomersRequest active;
  active.set_status(crm::v1::LIFECYCLE_STATUS_ACTIVE);
  EXPECT_THAT(ListAll(active), ElementsAre("alpha Telecom"));

  crm::v1::ListCustomersRequest prefix;
  prefix.set_region("emea");
  prefix.set_name_prefix("ALPHA ");
  EXPECT_THAT(ListAll(prefix), ElementsAre("alpha Telecom"));

  crm::v1::ListCustomersRequest bad_size;
  bad_size.mutable_page()->set_page_size(5000);
  EXPECT_EQ(registry_.Call(&Stub::ListCustomers, bad_size).first.error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  crm::v1::ListCustomersRequest bad_token = request;
  bad_token.mutable_page()->set_page_token("not-a-token!");
  EXPECT_EQ(registry_.Call(&Stub::ListCustomers, bad_token).first.error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(RegistryQueriesTest, ListsUpcomingKeyDatesAcrossCustomersSoonestFirst) {
  const std::string a = Register(Summary("Dates A AG"));
  const std::string b = Register(Summary("Dates B AG"));
  AddDate(a, "budget planning", 1, 5);                         // recurring, in 16 days
  AddDate(b, "founding anniversary", 12, 25);                  // recurring, in 5 days
  AddDate(b, "tender opens", 1, 10, 2027);                     // one-off, in 21 days
  AddDate(a, "last year's tender", 12, 22, 2025);              // one-off, past
  const std::string later = AddDate(a, "strategy day", 3, 1);  // beyond 30 days

  crm::v1::ListUpcomingKeyDatesRequest request;
  auto [status, reply] = registry_.Call(&Stub::ListUpcomingKeyDates, request);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<std::string> titles;
  for (const auto& d : reply.dates()) titles.push_back(d.date().title());
  EXPECT_THAT(titles, ElementsAre("founding anniversary", "budget planning", "tender opens"));
  EXPECT_EQ(reply.dates(0).days_until(), 5);
  EXPECT_TRUE(reply.dates(0).reminder_due());
  EXPECT_EQ(reply.dates(1).year(), 2027);
  EXPECT_FALSE(reply.dates(1).reminder_due());
  EXPECT_EQ(reply.dates(0).customer_id(), b);

  // One at a time, the same dates in the same order.
  request.mutable_page()->set_page_size(1);
  std::vector<std::string> paged;
  do {
    auto [page_status, page] = registry_.Call(&Stub::ListUpcomingKeyDates, request);
    ASSERT_TRUE(page_status.ok()) << page_status.error_message();
    for (const auto& d : page.dates()) paged.push_back(d.date().title());
    request.mutable_page()->set_page_token(page.page().next_page_token());
  } while (!request.page().page_token().empty());
  EXPECT_EQ(paged, titles);

  request.Clear();
  request.set_within_days(80);
  EXPECT_EQ(registry_.Call(&Stub::ListUpcomingKeyDates, request).second.dates_size(), 4);
  crm::v1::RemoveKeyDateRequest remove;
  remove.set_request_id(NewUuid());
  remove.set_customer_id(a);
  remove.set_date_id(later);
  ASSERT_TRUE(registry_.Call(&Stub::RemoveKeyDate, remove).first.ok());
  EXPECT_EQ(registry_.Call(&Stub::ListUpcomingKeyDates, request).second.dates_size(), 3);
  remove.set_request_id(NewUuid());
  EXPECT_EQ(registry_.Call(&Stub::RemoveKeyDate, remove).first.error_code(),
            grpc::StatusCode::NOT_FOUND);

  request.set_within_days(400);
  EXPECT_EQ(registry_.Call(&Stub::ListUpcomingKeyDates, request).first.error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  crm::v1::AddKeyDateRequest bad_day;
  bad_day.set_request_id(NewUuid());
  bad_day.set_customer_id(a);
  bad_day.mutable_date()->set_title("no such day");
  bad_day.mutable_date()->set_month(2);
  bad_day.mutable_date()->set_day(30);
  auto [invalid, unused] = registry_.Call(&Stub::AddKeyDate, bad_day);
  EXPECT_EQ(invalid.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(invalid.error_message(), ::testing::HasSubstr("date.day"));
}

TEST_F(RegistryQueriesTest, DrawsTheOrgChartAndTheDecisionChain) {
  const std::string id = Register(Summary("Chart AG"));
  const std::string ceo =
      AddPerson(id, "Ada", crm::v1::DECISION_ROLE_DECISION_MAKER, 5, crm::v1::STANCE_SUPPORTER);
  const std::string cfo =
      AddPerson(id, "Ben", crm::v1::DECISION_ROLE_DECISION_MAKER, 4, crm::v1::STANCE_OPPONENT, ceo);
  AddPerson(id, "Cy", crm::v1::DECISION_ROLE_EVALUATOR, 2, crm::v1::STANCE_NEUTRAL, cfo);
  AddPerson(id, "Di", crm::v1::DECISION_ROLE_INFLUENCER, 5, crm::v1::STANCE_SUPPORTER, ceo);

  crm::v1::GetOrgChartRequest chart_request;
  chart_request.set_customer_id(id);
  auto [chart_status, chart] = registry_.Call(&Stub::GetOrgChart, chart_request);
  ASSERT_TRUE(chart_status.ok());
  ASSERT_EQ(chart.roots_size(), 1);
  const auto& root = chart.roots(0);
  EXPECT_EQ(root.person().name(), "Ada");
  ASSERT_EQ(root.reports_size(), 2);
  EXPECT_EQ(root.reports(0).person().name(), "Di") << "more influence first";
  EXPECT_EQ(root.reports(1).person().name(), "Ben");
  EXPECT_EQ(root.reports(1).person().stance(), crm::v1::STANCE_OPPONENT);
  EXPECT_EQ(root.reports(1).reports(0).person().name(), "Cy");

  crm::v1::GetDecisionChainRequest chain_request;
  chain_request.set_customer_id(id);
  auto [chain_status, chain] = registry_.Call(&Stub::GetDecisionChain, chain_request);
  ASSERT_TRUE(chain_status.ok());
  ASSERT_EQ(chain.roles_size(), 3);
  EXPECT_EQ(chain.roles(0).role(), crm::v1::DECISION_ROLE_DECISION_MAKER);
  EXPECT_EQ(chain.roles(0).persons(0).name(), "Ada");
  EXPECT_EQ(chain.roles(0).total_influence(), 9);
  EXPECT_EQ(chain.roles(1).role(), crm::v1::DECISION_ROLE_INFLUENCER);
  EXPECT_EQ(chain.roles(2).role(), crm::v1::DECISION_ROLE_EVALUATOR);
  EXPECT_EQ(chain.supporters(), 2);
  EXPECT_EQ(chain.opponents(), 1);
  EXPECT_EQ(chain.decision_makers(), 2);
  EXPECT_EQ(chain.supporting_decision_makers(), 1);

  chart_request.set_customer_id("cus_missing");
  EXPECT_EQ(registry_.Call(&Stub::GetOrgChart, chart_request).first.error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(RegistryQueriesTest, HistoryTellsWhatChangedWhoWhenAndWhyPageByPage) {
  const std::string id = Register(Summary("History AG"));
  crm::v1::ChangeLifecycleRequest change;
  change.set_request_id("hist-1");
  change.set_customer_id(id);
  change.set_status(crm::v1::LIFECYCLE_STATUS_ACTIVE);
  change.set_reason("first order signed");
  registry_.clock().Advance(absl::Hours(1));
  ASSERT_TRUE(registry_.Call(&Stub::ChangeLifecycle, change, "executive", "u-carol").first.ok());
  crm::v1::UpdateSectionRequest notes;
  notes.set_request_id(NewUuid());
  notes.set_customer_id(id);
  notes.mutable_update()->set_notes("prefers email");
  notes.mutable_update()->set_reason("call notes");
  ASSERT_TRUE(registry_.Call(&Stub::UpdateSection, notes).first.ok());

  crm::v1::GetHistoryRequest request;
  request.set_customer_id(id);
  request.mutable_page()->set_page_size(2);
  auto [status, first] = registry_.Call(&Stub::GetHistory, request);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(first.entries_size(), 2);
  EXPECT_EQ(first.entries(0).event_type(), "crm.v1.CustomerRegistered");
  const auto& lifecycle = first.entries(1);
  EXPECT_EQ(lifecycle.version(), 2u);
  EXPECT_EQ(lifecycle.change(), "lifecycle PROSPECT → ACTIVE");
  EXPECT_EQ(lifecycle.reason(), "first order signed");
  EXPECT_EQ(lifecycle.actor().principal(), "u-carol");
  EXPECT_EQ(lifecycle.actor().role(), crm::v1::ROLE_EXECUTIVE);
  crm::v1::LifecycleChanged event;
  ASSERT_TRUE(lifecycle.event().UnpackTo(&event));
  EXPECT_EQ(event.to(), crm::v1::LIFECYCLE_STATUS_ACTIVE);
  ASSERT_FALSE(first.page().next_page_token().empty());

  request.mutable_page()->set_page_token(first.page().next_page_token());
  auto [next_status, second] = registry_.Call(&Stub::GetHistory, request);
  ASSERT_EQ(second.entries_size(), 1);
  EXPECT_EQ(second.entries(0).change(), "notes updated");
  EXPECT_EQ(second.entries(0).reason(), "call notes");
  EXPECT_TRUE(second.page().next_page_token().empty());
}

}  // namespace
}  // namespace crm::registry::testing
