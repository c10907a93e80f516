#include "crm/registry/access_rules.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace crm::registry {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

crm::v1::Money Amount(int64_t units) {
  crm::v1::Money money;
  money.set_currency_code("EUR");
  money.set_minor_units(units);
  return money;
}

crm::v1::FinanceYear FullYear(int year) {
  crm::v1::FinanceYear finance;
  finance.set_fiscal_year(year);
  *finance.mutable_revenue() = Amount(1000);
  *finance.mutable_profit() = Amount(100);
  *finance.mutable_relevant_spend() = Amount(50);
  *finance.mutable_net_profit() = Amount(20);
  *finance.mutable_service_cost() = Amount(7);
  return finance;
}

google::protobuf::RepeatedPtrField<crm::v1::FinanceYear> TwoYears() {
  google::protobuf::RepeatedPtrField<crm::v1::FinanceYear> years;
  *years.Add() = FullYear(2025);
  *years.Add() = FullYear(2026);
  return years;
}

TEST(RedactFinances, AssistantsSeeRevenueAndSpendButNoProfitFigure) {
  auto years = TwoYears();
  EXPECT_THAT(RedactFinances(crm::v1::ROLE_ASSISTANT, years),
              ElementsAre("finances.profit", "finances.net_profit", "finances.service_cost"));
  for (const crm::v1::FinanceYear& year : years) {
    EXPECT_EQ(year.revenue().minor_units(), 1000);
    EXPECT_EQ(year.relevant_spend().minor_units(), 50);
    // Absent, not zero: a client tells the two apart.
    EXPECT_FALSE(year.has_profit());
    EXPECT_FALSE(year.has_net_profit());
    EXPECT_FALSE(year.has_service_cost());
  }
}

TEST(RedactFinances, AccountManagersAndAdminsSeeProfitButNotNetProfitOrServiceCost) {
  for (crm::v1::Role role : {crm::v1::ROLE_ACCOUNT_MANAGER, crm::v1::ROLE_ADMIN}) {
    auto years = TwoYears();
    EXPECT_THAT(RedactFinances(role, years),
                ElementsAre("finances.net_profit", "finances.service_cost"));
    EXPECT_EQ(years[1].profit().minor_units(), 100);
    EXPECT_FALSE(years[1].has_net_profit());
    EXPECT_FALSE(years[1].has_service_cost());
  }
}

TEST(RedactFinances, ExecutivesSeeEverything) {
  auto years = TwoYears();
  EXPECT_THAT(RedactFinances(crm::v1::ROLE_EXECUTIVE, years), IsEmpty());
  EXPECT_EQ(years[0].net_profit().minor_units(), 20);
  EXPECT_EQ(years[0].service_cost().minor_units(), 7);
}

TEST(RedactFinances, ACallerWithoutARoleSeesTheLeast) {
  EXPECT_EQ(HiddenFinanceFields(crm::v1::ROLE_UNSPECIFIED),
            HiddenFinanceFields(crm::v1::ROLE_ASSISTANT));
}

TEST(FinanceUpdateBy, ExecutivesSetEveryFigure) {
  auto year = FinanceUpdateBy(crm::v1::ROLE_EXECUTIVE, FullYear(2026), nullptr);
  ASSERT_TRUE(year.ok());
  EXPECT_EQ(year->net_profit().minor_units(), 20);
}

TEST(FinanceUpdateBy, OthersMayNotSetNetProfitOrServiceCost) {
  crm::v1::FinanceYear requested = FullYear(2026);
  requested.clear_service_cost();
  auto refused = FinanceUpdateBy(crm::v1::ROLE_ACCOUNT_MANAGER, requested, nullptr);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(refused.status().message(), HasSubstr("finance.net_profit"));

  requested = FullYear(2026);
  requested.clear_net_profit();
  refused = FinanceUpdateBy(crm::v1::ROLE_ADMIN, requested, nullptr);
  EXPECT_THAT(refused.status().message(), HasSubstr("finance.service_cost"));
}

TEST(FinanceUpdateBy, AnUpdateByOthersKeepsTheStoredExecutiveFigures) {
  const crm::v1::FinanceYear stored = FullYear(2026);
  crm::v1::FinanceYear requested;
  requested.set_fiscal_year(2026);
  *requested.mutable_revenue() = Amount(1200);
  auto year = FinanceUpdateBy(crm::v1::ROLE_ACCOUNT_MANAGER, requested, &stored);
  ASSERT_TRUE(year.ok()) << year.status();
  EXPECT_EQ(year->revenue().minor_units(), 1200);
  EXPECT_FALSE(year->has_profit());  // the caller's own figures are taken as given
  EXPECT_EQ(year->net_profit().minor_units(), 20);
  EXPECT_EQ(year->service_cost().minor_units(), 7);
}

crm::v1::CustomerArchive ArchiveOwnedBy(const std::string& owner, const std::string& person_owner) {
  crm::v1::CustomerArchive archive;
  archive.set_customer_id("cus-1");
  archive.mutable_summary()->set_owner_id(owner);
  archive.add_key_persons()->set_relationship_owner_id(person_owner);
  return archive;
}

TEST(AccountTeam, IsTheOwnerAndTheKeyPersonsRelationshipOwners) {
  const crm::v1::CustomerArchive archive = ArchiveOwnedBy("u-owner", "u-rel");
  EXPECT_TRUE(IsOnAccountTeam(archive, "u-owner"));
  EXPECT_TRUE(IsOnAccountTeam(archive, "u-rel"));
  EXPECT_FALSE(IsOnAccountTeam(archive, "u-other"));
  EXPECT_FALSE(IsOnAccountTeam(ArchiveOwnedBy("", ""), ""));
}

TEST(PersonalProfileAccess, ExecutivesAndTheAccountTeamOnly) {
  const crm::v1::CustomerArchive archive = ArchiveOwnedBy("u-owner", "u-rel");
  EXPECT_TRUE(CheckMayHandlePersonalProfile(archive, crm::v1::ROLE_EXECUTIVE, "u-ceo").ok());
  EXPECT_TRUE(CheckMayHandlePersonalProfile(archive, crm::v1::ROLE_ACCOUNT_MANAGER, "u-rel").ok());

  const absl::Status other =
      CheckMayHandlePersonalProfile(archive, crm::v1::ROLE_ACCOUNT_MANAGER, "u-other");
  EXPECT_EQ(other.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(other.message(), HasSubstr("account team"));
  // On the team by name, but an assistant or an admin: still not.
  EXPECT_FALSE(CheckMayHandlePersonalProfile(archive, crm::v1::ROLE_ASSISTANT, "u-owner").ok());
  EXPECT_FALSE(CheckMayHandlePersonalProfile(archive, crm::v1::ROLE_ADMIN, "u-admin").ok());
}

TEST(PersonalProfileAccess, AdminsMayEraseButNotRead) {
  const crm::v1::CustomerArchive archive = ArchiveOwnedBy("u-owner", "u-rel");
  EXPECT_TRUE(CheckMayErasePersonalProfile(archive, crm::v1::ROLE_ADMIN, "u-admin").ok());
  EXPECT_TRUE(CheckMayErasePersonalProfile(archive, crm::v1::ROLE_ACCOUNT_MANAGER, "u-owner").ok());
  EXPECT_FALSE(
      CheckMayErasePersonalProfile(archive, crm::v1::ROLE_ACCOUNT_MANAGER, "u-other").ok());
  EXPECT_FALSE(CheckMayErasePersonalProfile(archive, crm::v1::ROLE_SERVICE, "crm-tiering").ok());
}

}  // namespace
}  // namespace crm::registry
