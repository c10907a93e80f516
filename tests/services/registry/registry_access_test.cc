// Who sees and changes what in the registry, over a real gRPC channel: region scoping,
// redaction of finance figures by role, and the restricted profile's account-team rule.
// The caller comes from the metadata here (the service runs with --auth=off); the
// secured transport that puts a verified token's claims there is tested in security_test
// and over processes in e2e.
#include "crm/base/ids.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "registry_harness.h"

namespace crm::registry::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

class RegistryAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    emea_ = RegisterCustomer(registry_, Summary("Emea Telecom"));
    apac_ = RegisterCustomer(registry_, Summary("Apac Telecom", "apac"));
  }

  crm::v1::UpdateSectionRequest FinanceUpdate(const std::string& customer_id,
                                              bool with_executive_figures) {
    crm::v1::UpdateSectionRequest request;
    request.set_request_id(NewUuid());
    request.set_customer_id(customer_id);
    crm::v1::FinanceYear& year = *request.mutable_update()->mutable_finance();
    year.set_fiscal_year(2026);
    *year.mutable_revenue() = Eur(1'000'000);
    *year.mutable_profit() = Eur(90'000);
    if (with_executive_figures) {
      *year.mutable_net_profit() = Eur(30'000);
      *year.mutable_service_cost() = Eur(12'000);
    }
    return request;
  }

  std::pair<grpc::Status, crm::v1::GetCustomerResponse> GetAs(const std::string& customer_id,
                                                              const std::string& role,
                                                              const std::string& regions = "") {
    crm::v1::GetCustomerRequest request;
    request.set_customer_id(customer_id);
    return registry_.Call(&Stub::GetCustomer, request, role, "u-caller", regions);
  }

  RegistryHarness registry_;
  std::string emea_;
  std::string apac_;
};

TEST_F(RegistryAccessTest, ACallerLimitedToARegionNeitherReadsNorChangesAnother) {
  EXPECT_TRUE(GetAs(emea_, "assistant", "emea").first.ok());
  auto [refused, unused] = GetAs(apac_, "assistant", "emea");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(refused.error_message(), HasSubstr("region apac"));
  EXPECT_TRUE(GetAs(apac_, "assistant", "emea,apac").first.ok());

  crm::v1::GetOrgChartRequest chart;
  chart.set_customer_id(apac_);
  EXPECT_EQ(
      registry_.Call(&Stub::GetOrgChart, chart, "assistant", "u-emea", "emea").first.error_code(),
      grpc::StatusCode::PERMISSION_DENIED);

  crm::v1::ChangeLifecycleRequest activate;
  activate.set_request_id(NewUuid());
  activate.set_customer_id(apac_);
  activate.set_status(crm::v1::LIFECYCLE_STATUS_ACTIVE);
  EXPECT_EQ(registry_.Call(&Stub::ChangeLifecycle, activate, "account_manager", "u-emea", "emea")
                .first.error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(GetAs(apac_, "admin").second.customer().status(), crm::v1::LIFECYCLE_STATUS_PROSPECT);

  // Nor registers one in another region.
  crm::v1::RegisterCustomerRequest register_apac;
  register_apac.set_request_id(NewUuid());
  *register_apac.mutable_summary() = Summary("Another Apac Co", "apac");
  EXPECT_EQ(
      registry_.Call(&Stub::RegisterCustomer, register_apac, "account_manager", "u-emea", "emea")
          .first.error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  crm::v1::ListCustomersRequest everything;
  EXPECT_EQ(registry_.Call(&Stub::ListCustomers, everything).second.customers_size(), 2);
}

TEST_F(RegistryAccessTest, ListsShowOnlyTheCallersRegions) {
  crm::v1::ListCustomersRequest all;
  auto [status, listed] = registry_.Call(&Stub::ListCustomers, all, "assistant", "u-emea", "emea");
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(listed.customers_size(), 1);
  EXPECT_EQ(listed.customers(0).customer_id(), emea_);

  crm::v1::ListCustomersRequest apac_only;
  apac_only.set_region("apac");
  EXPECT_EQ(registry_.Call(&Stub::ListCustomers, apac_only, "assistant", "u-emea", "emea")
                .first.error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(registry_.Call(&Stub::ListCustomers, all, "assistant", "u-all").second.customers_size(),
            2);

  // Upcoming key dates too.
  for (const std::string& id : {emea_, apac_}) {
    crm::v1::AddKeyDateRequest date;
    date.set_request_id(NewUuid());
    date.set_customer_id(id);
    date.mutable_date()->set_title("budget planning starts");
    date.mutable_date()->set_month(12);
    date.mutable_date()->set_day(24);
    ASSERT_TRUE(registry_.Call(&Stub::AddKeyDate, date).first.ok());
  }
  auto upcoming_of = [&](const std::string& regions) {
    std::vector<std::string> ids;
    crm::v1::ListUpcomingKeyDatesRequest request;
    const crm::v1::ListUpcomingKeyDatesResponse reply =
        registry_.Call(&Stub::ListUpcomingKeyDates, request, "assistant", "u", regions).second;
    for (const auto& date : reply.dates()) ids.push_back(date.customer_id());
    return ids;
  };
  EXPECT_THAT(upcoming_of("emea"), ElementsAre(emea_));
  EXPECT_THAT(upcoming_of("apac"), ElementsAre(apac_));
  EXPECT_THAT(upcoming_of("amer"), IsEmpty());
  EXPECT_THAT(upcoming_of(""), UnorderedElementsAre(emea_, apac_));
}

TEST_F(RegistryAccessTest, FinanceFiguresAreRedactedByRoleAndMarked) {
  ASSERT_TRUE(
      registry_.Call(&Stub::UpdateSection, FinanceUpdate(emea_, true), "executive").first.ok());

  auto [assistant_status, as_assistant] = GetAs(emea_, "assistant");
  ASSERT_TRUE(assistant_status.ok()) << assistant_status.error_message();
  const crm::v1::FinanceYear& seen_by_assistant = as_assistant.customer().finances(0);
  EXPECT_EQ(seen_by_assistant.revenue().minor_units(), 1'000'000);
  EXPECT_FALSE(seen_by_assistant.has_profit());
  EXPECT_FALSE(seen_by_assistant.has_net_profit());
  EXPECT_FALSE(seen_by_assistant.has_service_cost());
  EXPECT_THAT(as_assistant.redacted_fields(),
              ElementsAre("finances.profit", "finances.net_profit", "finances.service_cost"));

  auto [unused, as_manager] = GetAs(emea_, "account_manager");
  EXPECT_EQ(as_manager.customer().finances(0).profit().minor_units(), 90'000);
  EXPECT_FALSE(as_manager.customer().finances(0).has_net_profit());
  EXPECT_FALSE(as_manager.customer().finances(0).has_service_cost());
  EXPECT_THAT(as_manager.redacted_fields(),
              ElementsAre("finances.net_profit", "finances.service_cost"));

  auto [unused2, as_executive] = GetAs(emea_, "executive");
  EXPECT_EQ(as_executive.customer().finances(0).net_profit().minor_units(), 30'000);
  EXPECT_EQ(as_executive.customer().finances(0).service_cost().minor_units(), 12'000);
  EXPECT_THAT(as_executive.redacted_fields(), IsEmpty());

  // The history's events are redacted alike.
  crm::v1::GetHistoryRequest history;
  history.set_customer_id(emea_);
  auto [history_status, past] = registry_.Call(&Stub::GetHistory, history, "account_manager");
  ASSERT_TRUE(history_status.ok()) << history_status.error_message();
  EXPECT_THAT(past.redacted_fields(), ElementsAre("finances.net_profit", "finances.service_cost"));
  crm::v1::ArchiveSectionUpdated updated;
  ASSERT_TRUE(past.entries(past.entries_size() - 1).event().UnpackTo(&updated));
  EXPECT_EQ(updated.finance().profit().minor_units(), 90'000);
  EXPECT_FALSE(updated.finance().has_net_profit());
  EXPECT_FALSE(updated.finance().has_service_cost());
}

TEST_F(RegistryAccessTest, OnlyExecutivesSetNetProfitAndServiceCostAndOthersKeepThem) {
  auto [refused, unused] =
      registry_.Call(&Stub::UpdateSection, FinanceUpdate(emea_, true), "account_manager");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(refused.error_message(), HasSubstr("finance.net_profit"));

  ASSERT_TRUE(
      registry_.Call(&Stub::UpdateSection, FinanceUpdate(emea_, true), "executive").first.ok());
  crm::v1::UpdateSectionRequest correction = FinanceUpdate(emea_, false);
  *correction.mutable_update()->mutable_finance()->mutable_revenue() = Eur(1'100'000);
  ASSERT_TRUE(registry_.Call(&Stub::UpdateSection, correction, "account_manager").first.ok());

  const crm::v1::FinanceYear year = GetAs(emea_, "executive").second.customer().finances(0);
  EXPECT_EQ(year.revenue().minor_units(), 1'100'000);
  EXPECT_EQ(year.net_profit().minor_units(), 30'000);
  EXPECT_EQ(year.service_cost().minor_units(), 12'000);
}

TEST_F(RegistryAccessTest, RestrictedProfilesAreForExecutivesAndTheAccountTeam) {
  const std::string person =
      AddPerson(registry_, emea_, "Dr. Li", crm::v1::DECISION_ROLE_DECISION_MAKER, 5,
                crm::v1::STANCE_SUPPORTER);
  crm::v1::RecordPersonalProfileRequest record;
  record.set_request_id(NewUuid());
  record.set_customer_id(emea_);
  record.set_person_id(person);
  record.mutable_profile()->add_hobbies("go");
  // The owner is u-alice: another account manager may not record one.
  EXPECT_EQ(registry_.Call(&Stub::RecordPersonalProfile, record, "account_manager", "u-bob")
                .first.error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(registry_.Call(&Stub::RecordPersonalProfile, record, "account_manager", "u-alice")
                  .first.ok());

  crm::v1::GetPersonalProfileRequest get;
  get.set_customer_id(emea_);
  get.set_person_id(person);
  auto read_as = [&](const std::string& role, const std::string& principal) {
    return registry_.Call(&Stub::GetPersonalProfile, get, role, principal);
  };
  EXPECT_EQ(read_as("account_manager", "u-alice").second.profile().hobbies(0), "go");
  EXPECT_EQ(read_as("executive", "u-ceo").second.profile().hobbies(0), "go");
  for (const auto& [role, principal] :
       std::vector<std::pair<std::string, std::string>>{{"account_manager", "u-bob"},
                                                        {"assistant", "u-alice"},
                                                        {"admin", "u-root"},
                                                        {"service", "crm-tiering"}}) {
    auto [status, reply] = read_as(role, principal);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << role << " " << principal;
    EXPECT_FALSE(reply.has_profile());
  }
}

}  // namespace
}  // namespace crm::registry::testing
