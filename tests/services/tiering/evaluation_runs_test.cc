// Evaluation runs over a real gRPC channel: a run scores and tiers a region's customers,
// keeps each result with its explanation, publishes each tier change keyed by its
// customer, and is idempotent by run id; a later run with new inputs moves a tier.
#include "absl/strings/str_cat.h"
#include "crm/base/key_encoding.h"
#include "crm/kafka/cloud_events.h"
#include "crm/known_customers/known_customers.h"
#include "crm/tiering/read_models.h"
#include "crm/v1/engagement.pb.h"
#include "crm/v1/satisfaction.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "support/wait.h"
#include "tiering_harness.h"
#include "topic_reader.h"

namespace crm::tiering::testing {
namespace {

using ::testing::HasSubstr;

class EvaluationRunsTest : public ::testing::Test {
 protected:
  EvaluationRunsTest() : tiering_(registry_) {
    for (const char* name : {"Alpha GmbH", "Beta GmbH", "Gamma GmbH"}) {
      emea_.push_back(
          registry::testing::RegisterCustomer(registry_, registry::testing::Summary(name)));
    }
    apac_ = registry::testing::RegisterCustomer(registry_,
                                                registry::testing::Summary("Delta KK", "apac"));
    crm::v1::PublishModelRequest publish;
    publish.set_request_id(NewUuid());
    *publish.mutable_model() = ThresholdModel("fy26");
    publish.set_make_current(true);
    EXPECT_TRUE(tiering_.Call(&TieringStub::PublishModel, publish, "admin").first.ok());
    // Runs evaluate the customers the projection has learnt from the registry's events.
    EXPECT_TRUE(crm::testing::WaitFor([&] {
      for (const std::string& id : {emea_[0], emea_[1], emea_[2], apac_}) {
        auto row = tiering_.store().GetRow(customers::kKnownCustomersTable, id);
        if (!row.ok() || !row->has_value()) return false;
      }
      return true;
    }));
  }

  void Enter(const std::string& customer, std::vector<crm::v1::FactorInput> inputs) {
    crm::v1::RecordInputsRequest request;
    request.set_request_id(NewUuid());
    request.set_customer_id(customer);
    request.set_fiscal_year(2026);
    for (auto& input : inputs) *request.add_inputs() = std::move(input);
    auto [status, _] = tiering_.Call(&TieringStub::RecordInputs, request);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  std::pair<grpc::Status, crm::v1::RunEvaluationResponse> Run(const std::string& run_id,
                                                              const std::string& region = "emea",
                                                              int fiscal_year = 2026) {
    crm::v1::RunEvaluationRequest request;
    request.set_request_id(NewUuid());
    request.set_run_id(run_id);
    request.set_fiscal_year(fiscal_year);
    request.set_region(region);
    return tiering_.Call(&TieringStub::RunEvaluation, request, "admin");
  }

  crm::v1::CustomerTier TierOf(const std::string& customer) {
    crm::v1::GetCustomerTierRequest request;
    request.set_customer_id(customer);
    auto [status, reply] = tiering_.Call(&TieringStub::GetCustomerTier, request);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return reply.tier();
  }

  RegistryHarness registry_;
  TieringHarness tiering_;
  std::vector<std::string> emea_;
  std::string apac_;
};

TEST_F(EvaluationRunsTest, ARunTiersTheRegionKeepsExplanationsAndPublishesEachChange) {
  // Alpha: revenue and profit at the top, fit high: 15 + 15 + 3.5 = 33.5 → B.
  Enter(emea_[0], {InputOf("last_year_revenue", 300), InputOf("last_year_profit", 30),
                   InputOf("strategic_fit", 4)});
  // Beta: nothing entered: 0 → C. Gamma: every entered factor at the top: explicit 50,
  // implicit 8 + 8 + 6 + 5 + 5 = 32, 82 → S.
  Enter(emea_[2], {InputOf("last_year_revenue", 300), InputOf("last_year_profit", 30),
                   InputOf("forecast_revenue", 300), InputOf("payment_record", 5),
                   InputOf("share_of_wallet", 70), InputOf("product_importance", 5),
                   InputOf("industry_influence", 5), InputOf("growth_prospects", 5),
                   InputOf("loss_impact", 5), InputOf("strategic_fit", 5)});

  auto [status, reply] = Run("fy26-emea");
  ASSERT_TRUE(status.ok()) << status.error_message();
  const crm::v1::EvaluationRun& run = reply.run();
  EXPECT_EQ(run.customers(), 3);  // apac's customer is not in the region
  EXPECT_EQ(run.changed(), 3);
  EXPECT_EQ(run.tier_s(), 1);
  EXPECT_EQ(run.tier_a(), 0);
  EXPECT_EQ(run.tier_b(), 1);
  EXPECT_EQ(run.tier_c(), 1);
  EXPECT_EQ(run.model_version(), "fy26");

  const crm::v1::CustomerTier alpha = TierOf(emea_[0]);
  EXPECT_EQ(alpha.tier(), crm::v1::TIER_B);
  EXPECT_EQ(alpha.previous_tier(), crm::v1::TIER_UNSPECIFIED);
  EXPECT_EQ(alpha.run_id(), "fy26-emea");
  EXPECT_DOUBLE_EQ(alpha.score_card().total_score(), 33.5);
  EXPECT_EQ(alpha.score_card().factors_size(), 13);
  EXPECT_EQ(TierOf(emea_[2]).tier(), crm::v1::TIER_S);
  EXPECT_FALSE(TierOf(apac_).has_score_card());

  // Published: the model and its choice, two inputs, the results in two parts, three
  // changes, the run's completion.
  std::map<std::string, crm::v1::CustomerTierChanged> changes;
  int parts = 0;
  for (const auto& record : kafka::testing::ReadTopic(registry_.brokers(), tiering_.topic(), 10)) {
    if (record.headers.at("ce_type") == "crm.v1.EvaluationResultsRecorded") ++parts;
    if (record.headers.at("ce_type") != "crm.v1.CustomerTierChanged") continue;
    crm::v1::CustomerTierChanged changed;
    ASSERT_TRUE(changed.ParseFromString(record.value));
    EXPECT_EQ(record.key, changed.customer_id());
    EXPECT_EQ(record.headers.at("ce_subject"), changed.customer_id());
    changes[changed.customer_id()] = changed;
  }
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(parts, 2);
  EXPECT_EQ(changes[emea_[1]].tier(), crm::v1::TIER_C);
  EXPECT_EQ(changes[emea_[0]].model_version(), "fy26");
  EXPECT_THAT(changes[emea_[0]].reason(), HasSubstr("fy26-emea"));
}

TEST_F(EvaluationRunsTest, ACurrentTierRowOfTheEarlierLayoutIsShownFromItsOwnInputs) {
  Enter(emea_[0], {InputOf("last_year_revenue", 300), InputOf("last_year_profit", 30),
                   InputOf("strategic_fit", 4)});
  ASSERT_TRUE(Run("fy26-emea").first.ok());
  // Stores before the current row left its inputs to the history row kept them in both:
  // the current row becomes the whole result and the history row goes, so that only the
  // current row's own inputs can explain the tier.
  auto history = tiering_.store().ScanRows(kTierHistory, JoinKey({emea_[0]}), "", 10);
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(history->rows.size(), 1u);
  const auto& [history_key, whole_result] = history->rows.front();
  eventstore::AppendRequest earlier_layout{.stream_id = "test-earlier-layout"};
  earlier_layout.rows.push_back({std::string(kTiers), emea_[0], whole_result});
  earlier_layout.rows.push_back({std::string(kTierHistory), history_key, std::nullopt});
  ASSERT_TRUE(tiering_.store().Append(std::move(earlier_layout)).ok());

  const crm::v1::CustomerTier alpha = TierOf(emea_[0]);
  EXPECT_EQ(alpha.tier(), crm::v1::TIER_B);
  EXPECT_DOUBLE_EQ(alpha.score_card().total_score(), 33.5);
}

TEST_F(EvaluationRunsTest, APreviewUnderSharesComparesWithTheLatestRunsCutoffs) {
  // Shares of three customers: one S, one A, one B.
  crm::v1::ScoringModel shares = ThresholdModel("shares-3");
  shares.mutable_shares()->set_s(34);
  shares.mutable_shares()->set_a(33);
  shares.mutable_shares()->set_b(33);
  shares.mutable_shares()->set_c(0);
  crm::v1::PublishModelRequest publish;
  publish.set_request_id(NewUuid());
  *publish.mutable_model() = shares;
  publish.set_make_current(true);
  ASSERT_TRUE(tiering_.Call(&TieringStub::PublishModel, publish, "admin").first.ok());
  Enter(emea_[0], {InputOf("last_year_revenue", 300)});  // 15
  Enter(emea_[1], {InputOf("last_year_revenue", 60)});   // 15 × 0.7 = 10.5
  Enter(emea_[2], {InputOf("last_year_revenue", 10)});   // 15 × 0.4 = 6

  crm::v1::PreviewEvaluationRequest preview;
  preview.set_customer_id(emea_[1]);
  preview.set_fiscal_year(2026);
  auto [before, no_run] = tiering_.Call(&TieringStub::PreviewEvaluation, preview);
  ASSERT_TRUE(before.ok()) << before.error_message();
  EXPECT_EQ(no_run.tier(), crm::v1::TIER_UNSPECIFIED);  // nothing to compare with yet

  auto [ran, run] = Run("shares-emea");
  ASSERT_TRUE(ran.ok()) << ran.error_message();
  EXPECT_DOUBLE_EQ(run.run().cutoffs().s_min(), 15);
  EXPECT_DOUBLE_EQ(run.run().cutoffs().a_min(), 10.5);
  EXPECT_DOUBLE_EQ(run.run().cutoffs().b_min(), 6);

  // Beta's revenue grows to the top: it would now be S, as Alpha is.
  Enter(emea_[1], {InputOf("last_year_revenue", 250)});
  auto [after, would_be] = tiering_.Call(&TieringStub::PreviewEvaluation, preview);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(would_be.tier(), crm::v1::TIER_S);
  EXPECT_EQ(would_be.cutoffs_run_id(), "shares-emea");
  EXPECT_EQ(TierOf(emea_[1]).tier(), crm::v1::TIER_A);  // a preview records nothing
  // Under another model there is no run to compare with.
  preview.set_model_version("default-1");
  EXPECT_EQ(tiering_.Call(&TieringStub::PreviewEvaluation, preview).second.tier(),
            crm::v1::TIER_UNSPECIFIED);
}

TEST_F(EvaluationRunsTest, ARunIdNamesOneRunAndALaterRunMovesATier) {
  Enter(emea_[0], {InputOf("last_year_revenue", 300)});  // 15 → C
  auto [first, run] = Run("run-1");
  ASSERT_TRUE(first.ok()) << first.error_message();
  const uint64_t position = tiering_.store().LastPosition();

  auto [again, same] = Run("run-1");
  ASSERT_TRUE(again.ok()) << again.error_message();
  EXPECT_EQ(same.run().completed_at().seconds(), run.run().completed_at().seconds());
  EXPECT_EQ(same.run().changed(), run.run().changed());
  EXPECT_EQ(tiering_.store().LastPosition(), position);  // nothing recorded again
  EXPECT_EQ(Run("run-1", "emea", 2025).first.error_code(), grpc::StatusCode::ALREADY_EXISTS);

  Enter(emea_[0], {InputOf("last_year_profit", 30), InputOf("forecast_revenue", 300)});
  tiering_.clock().Advance(absl::Hours(24));
  auto [second, moved] = Run("run-2");
  ASSERT_TRUE(second.ok()) << second.error_message();
  EXPECT_EQ(moved.run().changed(), 1);  // only Alpha: 15 + 15 + 10 = 40 → B
  const crm::v1::CustomerTier alpha = TierOf(emea_[0]);
  EXPECT_EQ(alpha.tier(), crm::v1::TIER_B);
  EXPECT_EQ(alpha.previous_tier(), crm::v1::TIER_C);

  crm::v1::ListTierHistoryRequest history;
  history.set_customer_id(emea_[0]);
  auto [listed, entries] = tiering_.Call(&TieringStub::ListTierHistory, history);
  ASSERT_TRUE(listed.ok()) << listed.error_message();
  ASSERT_EQ(entries.entries_size(), 2);
  EXPECT_EQ(entries.entries(0).run_id(), "run-2");
  EXPECT_EQ(entries.entries(1).run_id(), "run-1");
}

TEST_F(EvaluationRunsTest, RunsAreForAdminsAndCheckTheirRequest) {
  crm::v1::RunEvaluationRequest request;
  request.set_request_id(NewUuid());
  request.set_run_id("r1");
  request.set_fiscal_year(2026);
  EXPECT_EQ(tiering_.Call(&TieringStub::RunEvaluation, request).first.error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  request.set_run_id("not a run id");
  auto [bad_id, _1] = tiering_.Call(&TieringStub::RunEvaluation, request, "admin");
  EXPECT_EQ(bad_id.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad_id.error_message(), HasSubstr("run_id"));
  request.set_run_id("r1");
  request.set_model_version("nope");
  EXPECT_EQ(tiering_.Call(&TieringStub::RunEvaluation, request, "admin").first.error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(EvaluationRunsTest, EventsOfTheOtherServicesChangeInputsAndANewRunMovesTheTier) {
  // Entered: explicit value at the top (50), product importance, industry influence and
  // growth prospects at the top (22): 72 → A.
  Enter(emea_[0], {InputOf("last_year_revenue", 300), InputOf("last_year_profit", 30),
                   InputOf("forecast_revenue", 300), InputOf("payment_record", 5),
                   InputOf("share_of_wallet", 70), InputOf("product_importance", 5),
                   InputOf("industry_influence", 5), InputOf("growth_prospects", 5)});
  ASSERT_TRUE(Run("before").first.ok());
  ASSERT_EQ(TierOf(emea_[0]).tier(), crm::v1::TIER_A);

  // The registry adds a decision maker; engagement meets them; satisfaction hears a
  // promoter.
  const std::string cto = registry::testing::AddPerson(registry_, emea_[0], "Cleo",
                                                       crm::v1::DECISION_ROLE_DECISION_MAKER, 5);
  crm::v1::TouchpointLogged met;
  met.mutable_touchpoint()->set_touchpoint_id("tp_1");
  met.mutable_touchpoint()->set_customer_id(emea_[0]);
  met.mutable_touchpoint()->add_person_ids(cto);
  kafka::testing::ProduceRaw(registry_.brokers(),
                             kafka::EventTopic(registry_.topic_prefix(), "engagement"),
                             {Published(met, emea_[0], "engagement")});
  crm::v1::SurveyResponseRecorded promoter;
  promoter.mutable_response()->set_customer_id(emea_[0]);
  // Given now: "a customer's NPS" counts the last twelve months.
  *promoter.mutable_response()->mutable_responded_at() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
          absl::ToUnixNanos(tiering_.clock().Now()));
  promoter.mutable_response()->set_person_id(cto);
  promoter.mutable_response()->set_score(10);
  kafka::testing::ProduceRaw(registry_.brokers(),
                             kafka::EventTopic(registry_.topic_prefix(), "satisfaction"),
                             {Published(promoter, emea_[0], "satisfaction")});

  crm::v1::GetInputsRequest get;
  get.set_customer_id(emea_[0]);
  get.set_fiscal_year(2026);
  std::map<std::string, crm::v1::FactorInput> derived;
  ASSERT_TRUE(crm::testing::WaitFor([&] {
    derived.clear();
    const crm::v1::GetInputsResponse reply = tiering_.Call(&TieringStub::GetInputs, get).second;
    for (const auto& input : reply.inputs().inputs()) {
      if (input.source() != crm::v1::INPUT_SOURCE_ENTERED) derived[input.factor_id()] = input;
    }
    return derived.size() == 3 && derived["relationship_depth"].value() == 100;
  }));
  EXPECT_EQ(derived["relationship_depth"].source(), crm::v1::INPUT_SOURCE_ENGAGEMENT);
  EXPECT_DOUBLE_EQ(derived["loyalty"].value(), 100);
  EXPECT_EQ(derived["loyalty"].source(), crm::v1::INPUT_SOURCE_SATISFACTION);
  EXPECT_EQ(derived["relationship_length"].source(), crm::v1::INPUT_SOURCE_REGISTRY);

  // Depth at the top (8) and loyalty at the top (5): 85 → S.
  auto [after, run] = Run("after");
  ASSERT_TRUE(after.ok()) << after.error_message();
  EXPECT_EQ(run.run().changed(), 1);
  EXPECT_EQ(TierOf(emea_[0]).tier(), crm::v1::TIER_S);
  bool published = false;
  // Published: the model and its choice, one input, three first tiers and a completion,
  // then Alpha's change and a completion.
  for (const auto& record : kafka::testing::ReadTopic(registry_.brokers(), tiering_.topic(), 9)) {
    crm::v1::CustomerTierChanged changed;
    if (record.headers.at("ce_type") == "crm.v1.CustomerTierChanged" &&
        changed.ParseFromString(record.value) && changed.customer_id() == emea_[0] &&
        changed.tier() == crm::v1::TIER_S) {
      published = changed.previous_tier() == crm::v1::TIER_A;
    }
  }
  EXPECT_TRUE(published);
}

TEST_F(EvaluationRunsTest, ALostStrategicCustomerIsAbnormalChurnAndTheDistributionCountsIt) {
  // Gamma at the top (82 → S, revenue 300), Alpha B (33.5, revenue 300), Beta C.
  Enter(emea_[2], {InputOf("last_year_revenue", 300), InputOf("last_year_profit", 30),
                   InputOf("forecast_revenue", 300), InputOf("payment_record", 5),
                   InputOf("share_of_wallet", 70), InputOf("product_importance", 5),
                   InputOf("industry_influence", 5), InputOf("growth_prospects", 5),
                   InputOf("loss_impact", 5), InputOf("strategic_fit", 5)});
  Enter(emea_[0], {InputOf("last_year_revenue", 100), InputOf("last_year_profit", 30),
                   InputOf("strategic_fit", 4)});
  ASSERT_TRUE(Run("first").first.ok());

  crm::v1::GetTierDistributionRequest distribution;
  distribution.set_fiscal_year(2026);
  distribution.set_region("emea");
  auto [got, first] = tiering_.Call(&TieringStub::GetTierDistribution, distribution);
  ASSERT_TRUE(got.ok()) << got.error_message();
  EXPECT_EQ(first.run_id(), "first");
  EXPECT_EQ(first.distribution().tier_s(), 1);
  EXPECT_EQ(first.distribution().new_customers(), 3);
  EXPECT_DOUBLE_EQ(first.distribution().value_share_s(), 75);  // 300 of 400
  EXPECT_DOUBLE_EQ(first.distribution().value_share_b(), 25);

  // Gamma churns, and satisfaction records why.
  crm::v1::ChangeLifecycleRequest churn;
  churn.set_request_id(NewUuid());
  churn.set_customer_id(emea_[2]);
  churn.set_status(crm::v1::LIFECYCLE_STATUS_CHURNED);
  churn.set_reason("moved to a competitor");
  ASSERT_TRUE(registry_.Call(&registry::testing::Stub::ChangeLifecycle, churn).first.ok());
  crm::v1::ChurnReasonRecorded reason;
  reason.mutable_churn_reason()->set_customer_id(emea_[2]);
  reason.mutable_churn_reason()->set_category(crm::v1::CHURN_CATEGORY_COMPETITOR);
  kafka::testing::ProduceRaw(registry_.brokers(),
                             kafka::EventTopic(registry_.topic_prefix(), "satisfaction"),
                             {Published(reason, emea_[2], "satisfaction")});
  ASSERT_TRUE(crm::testing::WaitFor([&] {
    auto row = tiering_.store().GetRow(customers::kKnownCustomersTable, emea_[2]);
    crm::internal::KnownCustomer known;
    return row.ok() && row->has_value() && known.ParseFromString(**row) &&
           known.status() == crm::v1::LIFECYCLE_STATUS_CHURNED;
  }));

  tiering_.clock().Advance(absl::Hours(1));
  auto [second, run] = Run("second");
  ASSERT_TRUE(second.ok()) << second.error_message();
  EXPECT_EQ(run.run().lost(), 1);
  EXPECT_EQ(run.run().customers(), 2);
  EXPECT_EQ(TierOf(emea_[2]).tier(), crm::v1::TIER_UNSPECIFIED);

  crm::v1::ListAbnormalChurnRequest list;
  list.set_fiscal_year(2026);
  list.set_region("emea");
  crm::v1::ListAbnormalChurnResponse churned;
  ASSERT_TRUE(crm::testing::WaitFor([&] {  // the churn reason may still be on its way
    churned = tiering_.Call(&TieringStub::ListAbnormalChurn, list).second;
    return churned.entries_size() == 1 && churned.entries(0).churn_reason_recorded();
  }));
  EXPECT_EQ(churned.entries(0).customer_id(), emea_[2]);
  EXPECT_EQ(churned.entries(0).previous_tier(), crm::v1::TIER_S);
  EXPECT_TRUE(churned.entries(0).lost());
  EXPECT_EQ(churned.entries(0).run_id(), "second");

  auto [now, later] = tiering_.Call(&TieringStub::GetTierDistribution, distribution);
  EXPECT_EQ(later.run_id(), "second");
  EXPECT_EQ(later.distribution().lost_customers(), 1);
  EXPECT_EQ(later.distribution().new_customers(), 0);
  EXPECT_EQ(later.distribution().tier_s(), 0);
  distribution.set_fiscal_year(2025);
  EXPECT_EQ(tiering_.Call(&TieringStub::GetTierDistribution, distribution).first.error_code(),
            grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace crm::tiering::testing
