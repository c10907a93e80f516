// The customer aggregate: each decision's events and errors, and the archive they build.
#include "crm/registry/customer.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace crm::registry {
namespace {

using ::testing::HasSubstr;

const absl::Time kT0 = absl::FromUnixSeconds(1'790'000'000);

crm::v1::CustomerSummary Summary(const std::string& name = "Acme Ltd") {
  crm::v1::CustomerSummary summary;
  summary.set_legal_name(name);
  summary.set_region("emea");
  return summary;
}

crm::v1::KeyPerson Person(const std::string& id, const std::string& reports_to = "") {
  crm::v1::KeyPerson person;
  person.set_person_id(id);
  person.set_name("Person " + id);
  person.set_title("Director");
  person.set_department("IT");
  person.set_influence(3);
  person.set_reports_to(reports_to);
  return person;
}

void ApplyAll(const absl::StatusOr<CustomerEvents>& events, crm::v1::CustomerArchive& archive) {
  ASSERT_TRUE(events.ok()) << events.status();
  for (const CustomerEvent& event : *events) Apply(event, kT0, archive);
}

class CustomerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ApplyAll(DecideRegister("cus_1", Summary(), crm::v1::LIFECYCLE_STATUS_UNSPECIFIED), archive_);
  }
  crm::v1::CustomerArchive archive_;
};

void ExpectInvalid(const absl::StatusOr<CustomerEvents>& result, const std::string& field) {
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << field;
  EXPECT_THAT(std::string(result.status().message()), HasSubstr(field));
}

TEST_F(CustomerTest, RegistrationMakesAProspectWithItsSummary) {
  EXPECT_EQ(archive_.customer_id(), "cus_1");
  EXPECT_EQ(archive_.status(), crm::v1::LIFECYCLE_STATUS_PROSPECT);
  EXPECT_EQ(archive_.summary().legal_name(), "Acme Ltd");
  EXPECT_EQ(archive_.registered_at().seconds(), 1'790'000'000);
  ExpectInvalid(DecideRegister("cus_2", Summary(""), crm::v1::LIFECYCLE_STATUS_PROSPECT),
                "summary.legal_name");
  ExpectInvalid(DecideRegister("cus_2", Summary(), crm::v1::LIFECYCLE_STATUS_CHURNED), "status");
  ExpectInvalid(DecideRegister("", Summary(), crm::v1::LIFECYCLE_STATUS_PROSPECT), "customer_id");
}

TEST_F(CustomerTest, CommandsOnAnUnknownCustomerAreNotFound) {
  crm::v1::CustomerArchive none;
  EXPECT_EQ(DecideUpdateSummary(none, Summary(), "").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(DecideAddKeyPerson(none, Person("kp_1")).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(DecideChangeLifecycle(none, crm::v1::LIFECYCLE_STATUS_ACTIVE, "").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(CustomerTest, SummaryChangesAreRecordedButTheRegionIsFixed) {
  auto same = DecideUpdateSummary(archive_, Summary(), "no change");
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(same->empty());

  crm::v1::CustomerSummary renamed = Summary("Acme Holdings Ltd");
  renamed.set_owner_id("alice");
  ApplyAll(DecideUpdateSummary(archive_, renamed, "merger"), archive_);
  EXPECT_EQ(archive_.summary().legal_name(), "Acme Holdings Ltd");
  EXPECT_EQ(archive_.summary().owner_id(), "alice");

  crm::v1::CustomerSummary moved = renamed;
  moved.set_region("apac");
  auto refused = DecideUpdateSummary(archive_, moved, "");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("summary.region"));
}

TEST_F(CustomerTest, SectionsAreValidatedAndReplaced) {
  crm::v1::ArchiveSectionUpdated environment;
  auto* a = environment.mutable_environment()->add_competitors();
  a->set_name("Rival A");
  a->set_share_basis_points(6000);
  auto* b = environment.mutable_environment()->add_competitors();
  b->set_name("Rival B");
  b->set_share_basis_points(5000);
  ExpectInvalid(DecideUpdateSection(archive_, environment), "environment.competitors");
  b->set_share_basis_points(3000);
  ApplyAll(DecideUpdateSection(archive_, environment), archive_);
  EXPECT_EQ(archive_.environment().competitors_size(), 2);

  crm::v1::ArchiveSectionUpdated strategy;
  strategy.mutable_strategy()->add_pain_points()->set_title("Legacy billing");
  ExpectInvalid(DecideUpdateSection(archive_, strategy), "strategy.pain_points[0].severity");

  crm::v1::ArchiveSectionUpdated supplier;
  supplier.mutable_supplier_view()->set_our_wallet_share_basis_points(12000);
  ExpectInvalid(DecideUpdateSection(archive_, supplier),
                "supplier_view.our_wallet_share_basis_points");

  ExpectInvalid(DecideUpdateSection(archive_, crm::v1::ArchiveSectionUpdated()), "section");
}

TEST_F(CustomerTest, FinancesKeepOneEntryPerYearInOrder) {
  auto year = [](int fiscal_year, int64_t revenue, const std::string& currency = "CNY") {
    crm::v1::ArchiveSectionUpdated update;
    update.mutable_finance()->set_fiscal_year(fiscal_year);
    update.mutable_finance()->mutable_revenue()->set_currency_code(currency);
    update.mutable_finance()->mutable_revenue()->set_minor_units(revenue);
    return update;
  };
  ApplyAll(DecideUpdateSection(archive_, year(2025, 100)), archive_);
  ApplyAll(DecideUpdateSection(archive_, year(2023, 80)), archive_);
  ApplyAll(DecideUpdateSection(archive_, year(2024, 90)), archive_);
  ApplyAll(DecideUpdateSection(archive_, year(2024, 95)), archive_);
  ASSERT_EQ(archive_.finances_size(), 3);
  EXPECT_EQ(archive_.finances(0).fiscal_year(), 2023);
  EXPECT_EQ(archive_.finances(1).fiscal_year(), 2024);
  EXPECT_EQ(archive_.finances(1).revenue().minor_units(), 95);
  EXPECT_EQ(archive_.finances(2).fiscal_year(), 2025);

  ExpectInvalid(DecideUpdateSection(archive_, year(1800, 1)), "finance.fiscal_year");
  ExpectInvalid(DecideUpdateSection(archive_, year(2024, 1, "yuan")),
                "finance.revenue.currency_code");
  auto mixed = year(2024, 1);
  mixed.mutable_finance()->mutable_profit()->set_currency_code("EUR");
  mixed.mutable_finance()->mutable_profit()->set_minor_units(5);
  ExpectInvalid(DecideUpdateSection(archive_, mixed), "finance.profit.currency_code");
}

TEST_F(CustomerTest, LifecycleFollowsTheAllowedPaths) {
  ApplyAll(DecideChangeLifecycle(archive_, crm::v1::LIFECYCLE_STATUS_ACTIVE, ""), archive_);
  EXPECT_EQ(archive_.status(), crm::v1::LIFECYCLE_STATUS_ACTIVE);
  auto churn = DecideChangeLifecycle(archive_, crm::v1::LIFECYCLE_STATUS_CHURNED, "lost tender");
  ASSERT_TRUE(churn.ok());
  const auto& changed = std::get<crm::v1::LifecycleChanged>(churn->front());
  EXPECT_EQ(changed.from(), crm::v1::LIFECYCLE_STATUS_ACTIVE);
  EXPECT_EQ(changed.reason(), "lost tender");
  EXPECT_EQ(DecideChangeLifecycle(archive_, crm::v1::LIFECYCLE_STATUS_PROSPECT, "").status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(CustomerTest, KeyPersonsFormAnOrgChartWithoutCycles) {
  ApplyAll(DecideAddKeyPerson(archive_, Person("ceo")), archive_);
  ApplyAll(DecideAddKeyPerson(archive_, Person("cto", "ceo")), archive_);
  EXPECT_EQ(DecideAddKeyPerson(archive_, Person("cto")).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(DecideAddKeyPerson(archive_, Person("cfo", "nobody")).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(DecideUpdateKeyPerson(archive_, Person("ceo", "cto"), "").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(DecideUpdateKeyPerson(archive_, Person("ghost"), "").status().code(),
            absl::StatusCode::kNotFound);
  crm::v1::KeyPerson bad = Person("cfo");
  bad.set_influence(9);
  ExpectInvalid(DecideAddKeyPerson(archive_, bad), "person.influence");
}

TEST_F(CustomerTest, ANewTitleOrDepartmentIsAKeyPositionChange) {
  ApplyAll(DecideAddKeyPerson(archive_, Person("cto")), archive_);
  crm::v1::KeyPerson warmer = Person("cto");
  warmer.set_stance(crm::v1::STANCE_SUPPORTER);
  auto stance_only = DecideUpdateKeyPerson(archive_, warmer, "after the summit");
  ASSERT_TRUE(stance_only.ok());
  ASSERT_EQ(stance_only->size(), 1u);  // no position change
  ApplyAll(stance_only, archive_);
  EXPECT_EQ(archive_.key_persons(0).stance(), crm::v1::STANCE_SUPPORTER);

  crm::v1::KeyPerson promoted = warmer;
  promoted.set_title("CTO");
  promoted.set_department("Executive board");
  auto events = DecideUpdateKeyPerson(archive_, promoted, "promotion");
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  const auto& moved = std::get<crm::v1::KeyPositionChanged>((*events)[1]);
  EXPECT_EQ(moved.previous_title(), "Director");
  EXPECT_EQ(moved.title(), "CTO");
  EXPECT_EQ(moved.previous_department(), "IT");
  ApplyAll(events, archive_);
  EXPECT_EQ(archive_.key_persons(0).title(), "CTO");

  auto unchanged = DecideUpdateKeyPerson(archive_, promoted, "");
  ASSERT_TRUE(unchanged.ok());
  EXPECT_TRUE(unchanged->empty());
}

TEST_F(CustomerTest, RemovingAPersonNeedsNobodyReportingToThemAndTakesTheirDates) {
  ApplyAll(DecideAddKeyPerson(archive_, Person("ceo")), archive_);
  ApplyAll(DecideAddKeyPerson(archive_, Person("cto", "ceo")), archive_);
  crm::v1::KeyDate birthday;
  birthday.set_date_id("kd_1");
  birthday.set_title("Birthday");
  birthday.set_month(5);
  birthday.set_day(4);
  birthday.set_person_id("cto");
  ApplyAll(DecideAddKeyDate(archive_, birthday), archive_);

  EXPECT_EQ(DecideRemoveKeyPerson(archive_, "ceo", "left").status().code(),
            absl::StatusCode::kFailedPrecondition);
  ApplyAll(DecideRemoveKeyPerson(archive_, "cto", "left the company"), archive_);
  EXPECT_EQ(archive_.key_persons_size(), 1);
  EXPECT_EQ(archive_.key_dates_size(), 0);
  EXPECT_EQ(DecideRemoveKeyPerson(archive_, "cto", "").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(CustomerTest, KeyDatesMustBeRealDays) {
  crm::v1::KeyDate date;
  date.set_date_id("kd_1");
  date.set_title("Budget planning");
  date.set_kind("budget");
  date.set_month(2);
  date.set_day(29);
  ApplyAll(DecideAddKeyDate(archive_, date), archive_);  // every year: fine in leap years
  EXPECT_EQ(DecideAddKeyDate(archive_, date).status().code(), absl::StatusCode::kAlreadyExists);

  crm::v1::KeyDate one_off = date;
  one_off.set_date_id("kd_2");
  one_off.set_year(2027);
  ExpectInvalid(DecideAddKeyDate(archive_, one_off), "date.day");
  one_off.set_year(2028);
  EXPECT_TRUE(DecideAddKeyDate(archive_, one_off).ok());

  crm::v1::KeyDate april = date;
  april.set_date_id("kd_3");
  april.set_month(4);
  april.set_day(31);
  ExpectInvalid(DecideAddKeyDate(archive_, april), "date.day");
  april.set_day(30);
  april.set_remind_days_before(400);
  ExpectInvalid(DecideAddKeyDate(archive_, april), "date.remind_days_before");
  april.set_remind_days_before(7);
  april.set_person_id("nobody");
  EXPECT_EQ(DecideAddKeyDate(archive_, april).status().code(), absl::StatusCode::kNotFound);

  ApplyAll(DecideRemoveKeyDate(archive_, "kd_1"), archive_);
  EXPECT_EQ(archive_.key_dates_size(), 0);
  EXPECT_EQ(DecideRemoveKeyDate(archive_, "kd_1").status().code(), absl::StatusCode::kNotFound);
}

TEST(CustomerEvents, EachEventSerialisesUnderItsOwnType) {
  auto events = DecideRegister("cus_1", Summary(), crm::v1::LIFECYCLE_STATUS_ACTIVE);
  ASSERT_TRUE(events.ok());
  const google::protobuf::Message& message = AsMessage(events->front());
  EXPECT_EQ(message.GetDescriptor()->full_name(), "crm.v1.CustomerRegistered");
  crm::v1::CustomerRegistered parsed;
  ASSERT_TRUE(parsed.ParseFromString(message.SerializeAsString()));
  EXPECT_EQ(parsed.status(), crm::v1::LIFECYCLE_STATUS_ACTIVE);
}

}  // namespace
}  // namespace crm::registry
