#include "crm/registry/archive_rules.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace crm::registry {
namespace {

using crm::v1::LifecycleStatus;
using ::testing::HasSubstr;

crm::v1::CustomerSummary ValidSummary() {
  crm::v1::CustomerSummary summary;
  summary.set_legal_name("Acme Holdings Ltd.");
  summary.set_region("emea");
  summary.set_country_code("DE");
  return summary;
}

TEST(NormalizeLegalName, IgnoresCaseSpacingAndPunctuation) {
  EXPECT_EQ(NormalizeLegalName("  ACME  Holdings, Ltd. "), "acme holdings ltd");
  EXPECT_EQ(NormalizeLegalName("acme holdings ltd"), "acme holdings ltd");
  EXPECT_EQ(NormalizeLegalName("Acme-Holdings"), "acmeholdings");
  EXPECT_EQ(NormalizeLegalName("华为技术有限公司（深圳）"), "华为技术有限公司深圳");
  EXPECT_EQ(NormalizeLegalName("华为技术有限公司(深圳)"), "华为技术有限公司深圳");
  EXPECT_EQ(NormalizeLegalName(" .,() "), "");
}

TEST(ValidateSummary, AcceptsAMinimalSummary) { EXPECT_TRUE(ValidateSummary(ValidSummary()).ok()); }

TEST(ValidateSummary, NamesTheFieldOfEachProblem) {
  struct Case {
    std::function<void(crm::v1::CustomerSummary&)> spoil;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& s) { s.clear_legal_name(); }, "summary.legal_name"},
      {[](auto& s) { s.set_legal_name("..."); }, "summary.legal_name"},
      {[](auto& s) { s.set_legal_name(std::string(201, 'a')); }, "summary.legal_name"},
      {[](auto& s) { s.set_short_name(std::string(101, 'a')); }, "summary.short_name"},
      {[](auto& s) { s.clear_region(); }, "summary.region"},
      {[](auto& s) { s.set_region("EMEA"); }, "summary.region"},
      {[](auto& s) { s.set_country_code("Germany"); }, "summary.country_code"},
      {[](auto& s) { s.set_country_code("de"); }, "summary.country_code"},
      {[](auto& s) { s.set_industry(std::string(201, 'x')); }, "summary.industry"},
      {[](auto& s) { s.add_team_member_ids(""); }, "summary.team_member_ids"},
  };
  for (const Case& c : cases) {
    crm::v1::CustomerSummary summary = ValidSummary();
    c.spoil(summary);
    absl::Status status = ValidateSummary(summary);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_THAT(std::string(status.message()), HasSubstr(c.field));
  }
}

TEST(ValidateSummary, CountsCharactersNotBytes) {
  crm::v1::CustomerSummary summary = ValidSummary();
  std::string chinese;
  for (int i = 0; i < 150; ++i) chinese += "华";  // 150 characters, 450 bytes
  summary.set_legal_name(chinese);
  EXPECT_TRUE(ValidateSummary(summary).ok());
}

TEST(CheckLifecycleTransition, AllowsTheMethodsPaths) {
  using S = LifecycleStatus;
  const std::vector<std::pair<S, S>> allowed = {
      {crm::v1::LIFECYCLE_STATUS_PROSPECT, crm::v1::LIFECYCLE_STATUS_ACTIVE},
      {crm::v1::LIFECYCLE_STATUS_ACTIVE, crm::v1::LIFECYCLE_STATUS_DORMANT},
      {crm::v1::LIFECYCLE_STATUS_DORMANT, crm::v1::LIFECYCLE_STATUS_ACTIVE},
      {crm::v1::LIFECYCLE_STATUS_CHURNED, crm::v1::LIFECYCLE_STATUS_ACTIVE},
  };
  for (const auto& [from, to] : allowed) {
    EXPECT_TRUE(CheckLifecycleTransition(from, to, "").ok())
        << LifecycleStatus_Name(from) << " -> " << LifecycleStatus_Name(to);
  }
  for (S from : {crm::v1::LIFECYCLE_STATUS_PROSPECT, crm::v1::LIFECYCLE_STATUS_ACTIVE,
                 crm::v1::LIFECYCLE_STATUS_DORMANT}) {
    EXPECT_TRUE(
        CheckLifecycleTransition(from, crm::v1::LIFECYCLE_STATUS_CHURNED, "lost tender").ok());
  }
}

TEST(CheckLifecycleTransition, RefusesOtherMovesAndChurnWithoutReason) {
  EXPECT_EQ(CheckLifecycleTransition(crm::v1::LIFECYCLE_STATUS_PROSPECT,
                                     crm::v1::LIFECYCLE_STATUS_DORMANT, "")
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckLifecycleTransition(crm::v1::LIFECYCLE_STATUS_CHURNED,
                                     crm::v1::LIFECYCLE_STATUS_DORMANT, "")
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckLifecycleTransition(crm::v1::LIFECYCLE_STATUS_ACTIVE,
                                     crm::v1::LIFECYCLE_STATUS_ACTIVE, "")
                .code(),
            absl::StatusCode::kFailedPrecondition);
  absl::Status no_reason = CheckLifecycleTransition(crm::v1::LIFECYCLE_STATUS_ACTIVE,
                                                    crm::v1::LIFECYCLE_STATUS_CHURNED, "  ");
  EXPECT_EQ(no_reason.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(no_reason.message()), HasSubstr("reason"));
  absl::Status unknown = CheckLifecycleTransition(crm::v1::LIFECYCLE_STATUS_ACTIVE,
                                                  static_cast<LifecycleStatus>(42), "");
  EXPECT_EQ(unknown.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(unknown.message()), HasSubstr("status"));
}

}  // namespace
}  // namespace crm::registry
