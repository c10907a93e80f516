// The rows an evaluation run's results give, worked out by hand: each part of a run's
// results holds its members as scored and tiered, gives each a current-tier row without the
// inputs and a history row with them, and an abnormal-churn row to the customers that had
// a tier and fell two tiers or were lost from S or A; a part stays well below a Kafka
// message's limit under any model; recorded inputs replace the factors'
// earlier inputs; the current model's version follows its changes.
#include "crm/tiering/run_results.h"

#include "crm/tiering/inputs.h"
#include "crm/tiering/internal/state.pb.h"
#include "crm/tiering/read_models.h"
#include "crm/tiering/scoring_model.h"
#include "gtest/gtest.h"

namespace crm::tiering {
namespace {

using crm::v1::Tier;

google::protobuf::Timestamp At(int64_t seconds) {
  google::protobuf::Timestamp at;
  at.set_seconds(seconds);
  return at;
}

crm::v1::EvaluationRun FirstRun() {
  crm::v1::EvaluationRun run;
  run.set_run_id("fy26-emea");
  run.set_fiscal_year(2026);
  run.set_region("emea");
  run.set_model_version("fy26");
  return run;
}

RunMember Member(const std::string& id, Tier previous, bool lost = false) {
  return {.customer_id = id,
          .region = "emea",
          .values = {10.0, std::nullopt},
          .total_score = 42.5,
          .previous_tier = previous,
          .lost = lost};
}

TEST(RunResultsTest, APartHoldsItsMembersAsScoredAndTiered) {
  const std::vector<RunMember> members = {Member("c-1", crm::v1::TIER_UNSPECIFIED),
                                          Member("c-2", crm::v1::TIER_S, /*lost=*/true)};
  const std::vector<Tier> tiers = {crm::v1::TIER_B, crm::v1::TIER_UNSPECIFIED};
  const crm::v1::EvaluationResultsRecorded part =
      ResultsPart(FirstRun(), At(1'800'000'000), members, tiers);

  EXPECT_EQ(part.run_id(), "fy26-emea");
  EXPECT_EQ(part.fiscal_year(), 2026);
  EXPECT_EQ(part.region(), "emea");
  EXPECT_EQ(part.model_version(), "fy26");
  EXPECT_EQ(part.evaluated_at().seconds(), 1'800'000'000);
  ASSERT_EQ(part.results_size(), 2);
  const crm::v1::EvaluatedCustomer& first = part.results(0);
  EXPECT_EQ(first.customer_id(), "c-1");
  EXPECT_EQ(first.region(), "emea");
  EXPECT_EQ(first.tier(), crm::v1::TIER_B);
  EXPECT_EQ(first.previous_tier(), crm::v1::TIER_UNSPECIFIED);
  EXPECT_FALSE(first.lost());
  EXPECT_DOUBLE_EQ(first.total_score(), 42.5);
  ASSERT_EQ(first.inputs_size(), 2);
  EXPECT_DOUBLE_EQ(first.inputs(0), 10);
  EXPECT_DOUBLE_EQ(first.inputs(1), 0);
  ASSERT_EQ(first.missing_size(), 2);
  EXPECT_FALSE(first.missing(0));
  EXPECT_TRUE(first.missing(1));
  EXPECT_TRUE(part.results(1).lost());
  EXPECT_EQ(part.results(1).previous_tier(), crm::v1::TIER_S);
}

TEST(RunResultsTest, EachResultGivesACurrentRowAndAHistoryRowWithItsInputs) {
  const std::vector<RunMember> members = {Member("c-1", crm::v1::TIER_C),
                                          Member("c-2", crm::v1::TIER_A)};
  const std::vector<Tier> tiers = {crm::v1::TIER_B, crm::v1::TIER_A};
  const std::vector<RowChange> rows =
      ResultRows(ResultsPart(FirstRun(), At(1'800'000'000), members, tiers));

  // Customer by customer: its current row, then its history row.
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].table, kTiers);
  EXPECT_EQ(rows[0].key, "c-1");
  EXPECT_EQ(rows[1].table, kTierHistory);
  EXPECT_EQ(rows[1].key, TierHistoryKey("c-1", At(1'800'000'000), "fy26-emea"));
  EXPECT_EQ(rows[2].key, "c-2");

  internal::StoredTier current;
  ASSERT_TRUE(current.ParseFromString(*rows[0].value));
  EXPECT_EQ(current.customer_id(), "c-1");
  EXPECT_EQ(current.tier(), crm::v1::TIER_B);
  EXPECT_EQ(current.previous_tier(), crm::v1::TIER_C);
  EXPECT_EQ(current.run_id(), "fy26-emea");
  EXPECT_EQ(current.fiscal_year(), 2026);
  EXPECT_EQ(current.evaluated_at().seconds(), 1'800'000'000);
  EXPECT_EQ(current.model_version(), "fy26");
  EXPECT_EQ(current.inputs_size(), 0) << "the inputs are in the history row";

  internal::StoredTier history;
  ASSERT_TRUE(history.ParseFromString(*rows[1].value));
  EXPECT_EQ(history.customer_id(), "c-1");
  EXPECT_EQ(history.tier(), crm::v1::TIER_B);
  ASSERT_EQ(history.inputs_size(), 2);
  EXPECT_DOUBLE_EQ(history.inputs(0), 10);
  ASSERT_EQ(history.missing_size(), 2);
  EXPECT_TRUE(history.missing(1));
}

TEST(RunResultsTest, AbnormalChurnIsAFallOfTwoTiersOrAStrategicCustomerLost) {
  const std::vector<RunMember> members = {
      Member("down-two", crm::v1::TIER_S),       // S → B
      Member("down-one", crm::v1::TIER_A),       // A → B: not abnormal
      Member("new", crm::v1::TIER_UNSPECIFIED),  // first tier C: not a fall
      Member("lost-a", crm::v1::TIER_A, /*lost=*/true),
      Member("lost-c", crm::v1::TIER_C, /*lost=*/true),  // a C customer lost: not abnormal
  };
  const std::vector<Tier> tiers = {crm::v1::TIER_B, crm::v1::TIER_B, crm::v1::TIER_C,
                                   crm::v1::TIER_UNSPECIFIED, crm::v1::TIER_UNSPECIFIED};
  const std::vector<RowChange> rows =
      AbnormalChurnRows(ResultsPart(FirstRun(), At(1'800'000'000), members, tiers));

  ASSERT_EQ(rows.size(), 2u);
  crm::v1::AbnormalChurn down;
  ASSERT_TRUE(down.ParseFromString(*rows[0].value));
  EXPECT_EQ(rows[0].table, kAbnormalChurn);
  EXPECT_EQ(rows[0].key, AbnormalChurnKey(down));
  EXPECT_EQ(down.customer_id(), "down-two");
  EXPECT_EQ(down.region(), "emea");
  EXPECT_EQ(down.previous_tier(), crm::v1::TIER_S);
  EXPECT_EQ(down.tier(), crm::v1::TIER_B);
  EXPECT_FALSE(down.lost());
  EXPECT_EQ(down.run_id(), "fy26-emea");
  EXPECT_EQ(down.fiscal_year(), 2026);
  EXPECT_EQ(down.evaluated_at().seconds(), 1'800'000'000);
  crm::v1::AbnormalChurn lost;
  ASSERT_TRUE(lost.ParseFromString(*rows[1].value));
  EXPECT_EQ(lost.customer_id(), "lost-a");
  EXPECT_TRUE(lost.lost());
}

TEST(RunResultsTest, PartsOfManyFactorsHoldFewerResults) {
  EXPECT_EQ(ResultsPerPart(13), 1000u);   // 256 KiB / 194 bytes: capped at a thousand
  EXPECT_EQ(ResultsPerPart(100), 246u);   // 262144 / 1064
  EXPECT_EQ(ResultsPerPart(100000), 1u);  // never none
}

crm::v1::FactorInput Input(const char* factor, double value, int64_t at) {
  crm::v1::FactorInput input;
  input.set_factor_id(factor);
  input.set_value(value);
  input.set_source(crm::v1::INPUT_SOURCE_ENTERED);
  *input.mutable_updated_at() = At(at);
  return input;
}

TEST(InputsEvolveTest, RecordedInputsReplaceTheirFactorsAndKeepTheOthers) {
  crm::v1::CustomerInputs inputs;
  *inputs.add_inputs() = Input("a", 1, 100);
  *inputs.add_inputs() = Input("c", 3, 100);
  crm::v1::CustomerInputsRecorded recorded;
  *recorded.add_inputs() = Input("b", 2, 200);
  *recorded.add_inputs() = Input("a", 5, 200);

  EvolveInputs(recorded, inputs);

  ASSERT_EQ(inputs.inputs_size(), 3);
  EXPECT_EQ(inputs.inputs(0).factor_id(), "a");
  EXPECT_DOUBLE_EQ(inputs.inputs(0).value(), 5);
  EXPECT_EQ(inputs.inputs(0).updated_at().seconds(), 200);
  EXPECT_EQ(inputs.inputs(1).factor_id(), "b");
  EXPECT_DOUBLE_EQ(inputs.inputs(1).value(), 2);
  EXPECT_EQ(inputs.inputs(2).factor_id(), "c");
  EXPECT_EQ(inputs.inputs(2).updated_at().seconds(), 100);
}

TEST(SettingsEvolveTest, TheCurrentModelIsTheBuiltInOneUntilAnotherIsChosen) {
  internal::TieringSettings settings;
  EXPECT_EQ(CurrentVersionOf(settings), "default-1");
  crm::v1::CurrentModelChanged changed;
  changed.set_version("fy26");
  changed.set_previous_version("default-1");
  EvolveSettings(changed, settings);
  EXPECT_EQ(CurrentVersionOf(settings), "fy26");
}

}  // namespace
}  // namespace crm::tiering
