// Tiering's domain rules without any I/O: scores and levels against values worked out by
// hand, model validation, percentile cut-offs on small populations with ties, thresholds,
// and abnormal churn.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "crm/tiering/inputs.h"
#include "crm/tiering/scoring.h"
#include "crm/tiering/scoring_model.h"
#include "crm/tiering/signals.h"
#include "crm/tiering/tiers.h"
#include "crm/v1/engagement.pb.h"
#include "crm/v1/registry.pb.h"
#include "crm/v1/satisfaction.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace crm::tiering {
namespace {

using crm::v1::TIER_A;
using crm::v1::TIER_B;
using crm::v1::TIER_C;
using crm::v1::TIER_S;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

crm::v1::Factor FactorOf(const char* id, crm::v1::ValueGroup group, double weight,
                         std::vector<std::pair<double, int>> levels) {
  crm::v1::Factor factor;
  factor.set_factor_id(id);
  factor.set_group(group);
  factor.set_weight(weight);
  for (auto [min_input, points] : levels) {
    crm::v1::FactorLevel& level = *factor.add_levels();
    level.set_name(std::to_string(points));
    level.set_min_input(min_input);
    level.set_points(points);
  }
  return factor;
}

// Revenue (explicit, 60%): 0 → 0 points, from 10 → 50, from 50 → 100.
// Fit (implicit, 40%): 1 → 0, from 3 → 50, from 5 → 100.
crm::v1::ScoringModel SmallModel() {
  crm::v1::ScoringModel model;
  model.set_version("small-1");
  *model.add_factors() =
      FactorOf("revenue", crm::v1::VALUE_GROUP_EXPLICIT, 60, {{0, 0}, {10, 50}, {50, 100}});
  *model.add_factors() =
      FactorOf("fit", crm::v1::VALUE_GROUP_IMPLICIT, 40, {{1, 0}, {3, 50}, {5, 100}});
  model.mutable_thresholds()->set_s_min(80);
  model.mutable_thresholds()->set_a_min(50);
  model.mutable_thresholds()->set_b_min(20);
  return model;
}

TEST(Scoring, WeighsEachFactorsLevelAndFlagsMissingInputs) {
  // Revenue 20 is "from 10": 50 points × 60% = 30. Fit is missing: lowest level, 0.
  const crm::v1::ScoreCard card = Score(SmallModel(), "cus_1", {{"revenue", 20}});
  EXPECT_EQ(card.model_version(), "small-1");
  ASSERT_EQ(card.factors_size(), 2);
  EXPECT_EQ(card.factors(0).points(), 50);
  EXPECT_DOUBLE_EQ(card.factors(0).weighted_points(), 30);
  EXPECT_DOUBLE_EQ(card.factors(0).input(), 20);
  EXPECT_FALSE(card.factors(0).missing());
  EXPECT_TRUE(card.factors(1).missing());
  EXPECT_FALSE(card.factors(1).has_input());
  EXPECT_EQ(card.factors(1).points(), 0);
  EXPECT_DOUBLE_EQ(card.explicit_score(), 30);
  EXPECT_DOUBLE_EQ(card.implicit_score(), 0);
  EXPECT_DOUBLE_EQ(card.total_score(), 30);
  EXPECT_EQ(TierByThresholds(card.total_score(), SmallModel().thresholds()), TIER_B);

  // Revenue 50 reaches the top (100 × 60% = 60); fit 4 is "from 3" (50 × 40% = 20): 80.
  const crm::v1::ScoreCard best = Score(SmallModel(), "cus_2", {{"revenue", 50}, {"fit", 4}});
  EXPECT_DOUBLE_EQ(best.total_score(), 80);
  EXPECT_EQ(TierByThresholds(best.total_score(), SmallModel().thresholds()), TIER_S);
  // Below the first threshold still takes the lowest level.
  EXPECT_EQ(LevelIndex(SmallModel().factors(1), -5), 0);
}

TEST(Scoring, TheRunsTotalIsTheCardsToTheLastBit) {
  // Runs rank by TotalScore and show ScoreValues' card: the two must never disagree, or a
  // tie would be broken differently from what the card says.
  const crm::v1::ScoringModel model = DefaultModel();
  const FactorIndex index = IndexOf(model);
  ASSERT_EQ(index.at("last_year_profit"), 0);
  std::mt19937 random(7);
  std::uniform_real_distribution<double> value(-10, 500);
  for (int trial = 0; trial < 1000; ++trial) {
    FactorValues values(model.factors_size());
    for (auto& input : values) {
      if (random() % 4 != 0) input = value(random);
    }
    const crm::v1::ScoreCard card = ScoreValues(model, "cus_1", values);
    EXPECT_EQ(TotalScore(model, values), card.total_score());
    Inputs by_id;
    for (int i = 0; i < model.factors_size(); ++i) {
      if (values[i]) by_id[model.factors(i).factor_id()] = *values[i];
    }
    EXPECT_EQ(Score(model, "cus_1", by_id).total_score(), card.total_score());
  }
  // Inputs of factors the model lacks are left out; a later input replaces an earlier.
  FactorValues placed(model.factors_size());
  std::vector<crm::v1::FactorInput> inputs(3);
  inputs[0].set_factor_id("last_year_profit");
  inputs[0].set_value(1);
  inputs[1].set_factor_id("no_such_factor");
  inputs[2].set_factor_id("last_year_profit");
  inputs[2].set_value(2);
  PlaceInputs(index, inputs, placed);
  EXPECT_EQ(placed[0], 2);
  EXPECT_EQ(std::count_if(placed.begin(), placed.end(), [](auto& v) { return v.has_value(); }), 1);
}

TEST(ScoringModel, TheDefaultModelIsValidAndSpansZeroToHundred) {
  const crm::v1::ScoringModel model = DefaultModel();
  ASSERT_TRUE(ValidateModel(model).ok()) << ValidateModel(model);
  EXPECT_EQ(model.factors_size(), 13);
  const crm::v1::ScoreCard empty = Score(model, "cus_1", {});
  EXPECT_DOUBLE_EQ(empty.total_score(), 0);
  EXPECT_EQ(std::count_if(empty.factors().begin(), empty.factors().end(),
                          [](const auto& line) { return line.missing(); }),
            13);
  Inputs top;
  for (const crm::v1::Factor& factor : model.factors()) top[factor.factor_id()] = 1e9;
  const crm::v1::ScoreCard full = Score(model, "cus_2", top);
  EXPECT_NEAR(full.total_score(), 100, 1e-9);
  EXPECT_NEAR(full.explicit_score(), 50, 1e-9);
}

TEST(ScoringModel, ValidationNamesWhatIsWrong) {
  auto problem = [](std::function<void(crm::v1::ScoringModel&)> spoil) {
    crm::v1::ScoringModel model = SmallModel();
    spoil(model);
    return std::string(ValidateModel(model).message());
  };
  EXPECT_TRUE(ValidateModel(SmallModel()).ok());
  EXPECT_THAT(problem([](auto& m) { m.mutable_factors(0)->set_weight(50); }),
              HasSubstr("sum to 100"));
  EXPECT_THAT(problem([](auto& m) { m.mutable_factors(1)->set_weight(-40); }),
              HasSubstr("factors[1].weight"));
  EXPECT_THAT(problem([](auto& m) { m.mutable_factors(0)->mutable_levels(2)->set_min_input(5); }),
              HasSubstr("factors[0].levels[2].min_input"));
  EXPECT_THAT(problem([](auto& m) { m.mutable_factors(0)->mutable_levels(1)->set_points(101); }),
              HasSubstr("factors[0].levels[1].points"));
  EXPECT_THAT(problem([](auto& m) { m.mutable_factors(1)->set_factor_id("revenue"); }),
              HasSubstr("used twice"));
  EXPECT_THAT(problem([](auto& m) { m.mutable_thresholds()->set_b_min(60); }),
              HasSubstr("thresholds"));
  EXPECT_THAT(problem([](auto& m) {
                m.mutable_shares()->set_s(5);
                m.mutable_shares()->set_a(20);
                m.mutable_shares()->set_b(30);
                m.mutable_shares()->set_c(44);
              }),
              HasSubstr("shares must sum to 100"));
  EXPECT_THAT(problem([](auto& m) { m.clear_thresholds(); }), HasSubstr("tier_rule"));
  // Not-a-number passes every comparison: each number is checked for being finite.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double infinity = std::numeric_limits<double>::infinity();
  EXPECT_THAT(problem([&](auto& m) {
                *m.mutable_shares() = DefaultModel().shares();
                m.mutable_shares()->set_a(nan);
              }),
              HasSubstr("shares.a must be a finite number"));
  EXPECT_THAT(problem([&](auto& m) { m.mutable_thresholds()->set_s_min(infinity); }),
              HasSubstr("thresholds.s_min"));
  EXPECT_THAT(
      problem([&](auto& m) { m.mutable_factors(0)->mutable_levels(1)->set_min_input(nan); }),
      HasSubstr("factors[0].levels[1].min_input"));
  EXPECT_THAT(problem([&](auto& m) { m.mutable_factors(0)->set_weight(infinity); }),
              HasSubstr("factors[0].weight"));
  EXPECT_THAT(problem([](auto& m) { m.clear_version(); }), HasSubstr("version"));
}

TEST(ScoringModel, PublishingAVersionOnceAndMakingItCurrent) {
  internal::TieringSettings settings;  // the built-in default is current
  crm::v1::ScoringModel model = SmallModel();
  model.set_version("small-2");
  auto kept = DecidePublishModel(settings, model, /*published_already=*/false,
                                 /*make_current=*/false);
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ(kept->published.model().version(), "small-2");
  EXPECT_FALSE(kept->made_current.has_value());

  auto current = DecidePublishModel(settings, model, false, /*make_current=*/true);
  ASSERT_TRUE(current.ok()) << current.status();
  ASSERT_TRUE(current->made_current.has_value());
  EXPECT_EQ(current->made_current->version(), "small-2");
  EXPECT_EQ(current->made_current->previous_version(), "default-1");
  EvolveSettings(*current->made_current, settings);
  EXPECT_EQ(CurrentVersionOf(settings), "small-2");
  EXPECT_EQ(DecideCurrentModel(settings, "default-1").previous_version(), "small-2");

  auto again = DecidePublishModel(settings, model, /*published_already=*/true, false);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(again.status().message(), "model.version small-2 is published already");
  model.set_version("default-1");
  EXPECT_EQ(DecidePublishModel(settings, model, false, false).status().code(),
            absl::StatusCode::kAlreadyExists)
      << "the built-in default's version is taken";
  model.set_version("small 2");
  auto badly_named = DecidePublishModel(settings, model, false, false);
  EXPECT_EQ(badly_named.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(badly_named.status().message()), HasSubstr("model.version"));
}

TEST(Tiers, SharesCutTwentyCustomersOneFourSixAndNine) {
  // Scores 20 down to 1: S = round(20 × 5%) = 1, A up to round(20 × 25%) = 5, B up to
  // round(20 × 55%) = 11, C the remaining 9.
  std::vector<double> scores;
  for (int score = 20; score >= 1; --score) scores.push_back(score);
  const auto tiers = TiersByShares(scores, DefaultModel().shares());
  EXPECT_EQ(std::count(tiers.begin(), tiers.end(), TIER_S), 1);
  EXPECT_EQ(std::count(tiers.begin(), tiers.end(), TIER_A), 4);
  EXPECT_EQ(std::count(tiers.begin(), tiers.end(), TIER_B), 6);
  EXPECT_EQ(std::count(tiers.begin(), tiers.end(), TIER_C), 9);
  EXPECT_EQ(tiers[0], TIER_S);
  EXPECT_EQ(tiers[19], TIER_C);
}

TEST(Tiers, SmallPopulationsRoundTheirCutOffs) {
  // Three: S up to round(0.15) = 0, A up to round(0.75) = 1, B up to round(1.65) = 2.
  EXPECT_THAT(TiersByShares(std::vector<double>{9, 5, 1}, DefaultModel().shares()),
              ElementsAre(TIER_A, TIER_B, TIER_C));
  // One: A up to round(0.25) = 0, B up to round(0.55) = 1.
  EXPECT_THAT(TiersByShares(std::vector<double>{50}, DefaultModel().shares()), ElementsAre(TIER_B));
  EXPECT_TRUE(TiersByShares({}, DefaultModel().shares()).empty());
}

TEST(Tiers, TiesNeverStraddleACutOffAndTheOrderOfInputDoesNotMatter) {
  // Twenty customers; the 5th and 6th best tie on the A/B cut-off: both are A.
  std::vector<double> scores = {20, 19, 18, 17, 16, 16, 14, 13, 12, 11,
                                10, 9,  8,  7,  6,  5,  4,  3,  2,  1};
  const auto tiers = TiersByShares(scores, DefaultModel().shares());
  EXPECT_EQ(tiers[4], TIER_A);
  EXPECT_EQ(tiers[5], TIER_A);
  EXPECT_EQ(tiers[6], TIER_B);

  std::vector<size_t> shuffled(scores.size());
  std::iota(shuffled.begin(), shuffled.end(), 0);
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(7));
  std::vector<double> reordered;
  for (size_t i : shuffled) reordered.push_back(scores[i]);
  const auto again = TiersByShares(reordered, DefaultModel().shares());
  for (size_t i = 0; i < shuffled.size(); ++i) EXPECT_EQ(again[i], tiers[shuffled[i]]);
}

TEST(Tiers, EachCustomerTakesTheTierOfTheRankAfterAllBetterScores) {
  // Random populations with many ties: a customer's tier is the one its rank would have
  // if it came first among its equals, that is after every customer scored higher.
  std::mt19937 random(20261206);
  const crm::v1::PercentileShares shares = DefaultModel().shares();
  for (int population = 0; population < 20; ++population) {
    std::vector<double> scores(1 + random() % 500);
    for (double& score : scores) score = static_cast<double>(random() % 40) / 4;
    const auto tiers = TiersByShares(scores, shares);
    ASSERT_EQ(tiers.size(), scores.size());
    const double n = static_cast<double>(scores.size());
    for (size_t i = 0; i < scores.size(); ++i) {
      const double better = static_cast<double>(
          std::count_if(scores.begin(), scores.end(), [&](double s) { return s > scores[i]; }));
      const crm::v1::Tier expected =
          better < std::floor(n * shares.s() / 100 + 0.5)                               ? TIER_S
          : better < std::floor(n * (shares.s() + shares.a()) / 100 + 0.5)              ? TIER_A
          : better < std::floor(n * (shares.s() + shares.a() + shares.b()) / 100 + 0.5) ? TIER_B
                                                                                        : TIER_C;
      ASSERT_EQ(tiers[i], expected) << "customer " << i << " of " << scores.size();
    }
  }
}

TEST(AbnormalChurn, StrategicOrPartnerLostOrTwoTiersDown) {
  EXPECT_TRUE(IsAbnormalChurn(TIER_S, TIER_S, /*lost=*/true));
  EXPECT_TRUE(IsAbnormalChurn(TIER_A, TIER_A, true));
  EXPECT_FALSE(IsAbnormalChurn(TIER_B, TIER_B, true));
  EXPECT_TRUE(IsAbnormalChurn(TIER_S, TIER_B, false));
  EXPECT_TRUE(IsAbnormalChurn(TIER_A, TIER_C, false));
  EXPECT_FALSE(IsAbnormalChurn(TIER_S, TIER_A, false));
  EXPECT_FALSE(IsAbnormalChurn(TIER_B, TIER_C, false));
  EXPECT_FALSE(IsAbnormalChurn(TIER_C, TIER_S, false));
  EXPECT_FALSE(IsAbnormalChurn(crm::v1::TIER_UNSPECIFIED, TIER_C, true));
}

crm::v1::FactorInput InputOf(const char* factor_id, double value) {
  crm::v1::FactorInput input;
  input.set_factor_id(factor_id);
  input.set_value(value);
  return input;
}

TEST(Inputs, OnlyEnteredFactorsOfTheModelWithNumbersAreAccepted) {
  const crm::v1::ScoringModel model = DefaultModel();
  google::protobuf::RepeatedPtrField<crm::v1::FactorInput> inputs;
  EXPECT_THAT(ValidateEnteredInputs(model, inputs).message(), HasSubstr("inputs"));
  *inputs.Add() = InputOf("last_year_revenue", 42);
  EXPECT_TRUE(ValidateEnteredInputs(model, inputs).ok());
  *inputs.Add() = InputOf("relationship_depth", 50);
  EXPECT_THAT(ValidateEnteredInputs(model, inputs).message(),
              HasSubstr("inputs[1].factor_id relationship_depth is derived"));
  inputs.Mutable(1)->set_factor_id("shoe_size");
  EXPECT_THAT(ValidateEnteredInputs(model, inputs).message(), HasSubstr("inputs[1].factor_id"));
  inputs.Mutable(1)->set_factor_id("last_year_revenue");
  EXPECT_THAT(ValidateEnteredInputs(model, inputs).message(), HasSubstr("twice"));
  inputs.Mutable(1)->set_factor_id("strategic_fit");
  inputs.Mutable(1)->set_value(std::nan(""));
  EXPECT_THAT(ValidateEnteredInputs(model, inputs).message(), HasSubstr("inputs[1].value"));

  EXPECT_EQ(SourceOf("loyalty"), crm::v1::INPUT_SOURCE_SATISFACTION);
  EXPECT_EQ(SourceOf("relationship_length"), crm::v1::INPUT_SOURCE_REGISTRY);
  EXPECT_EQ(SourceOf("payment_record"), crm::v1::INPUT_SOURCE_ENTERED);
  EXPECT_FALSE(ValidateFiscalYear(1999, "fiscal_year").ok());
  EXPECT_TRUE(ValidateFiscalYear(2026, "fiscal_year").ok());
}

TEST(Inputs, ANewInputReplacesTheFactorsEarlierOneAndTheRestStay) {
  crm::v1::CustomerInputs held;
  google::protobuf::RepeatedPtrField<crm::v1::FactorInput> first;
  *first.Add() = InputOf("strategic_fit", 3);
  *first.Add() = InputOf("last_year_revenue", 10);
  MergeInputs(first, crm::v1::INPUT_SOURCE_ENTERED, absl::FromUnixSeconds(100), held);
  google::protobuf::RepeatedPtrField<crm::v1::FactorInput> second;
  *second.Add() = InputOf("strategic_fit", 5);
  MergeInputs(second, crm::v1::INPUT_SOURCE_ENTERED, absl::FromUnixSeconds(200), held);

  ASSERT_EQ(held.inputs_size(), 2);
  EXPECT_EQ(held.inputs(0).factor_id(), "last_year_revenue");  // ordered by factor id
  EXPECT_EQ(held.inputs(0).updated_at().seconds(), 100);
  EXPECT_EQ(held.inputs(1).factor_id(), "strategic_fit");
  EXPECT_DOUBLE_EQ(held.inputs(1).value(), 5);
  EXPECT_EQ(held.inputs(1).updated_at().seconds(), 200);
  EXPECT_EQ(InputsOf(held), (Inputs{{"last_year_revenue", 10}, {"strategic_fit", 5}}));
}

google::protobuf::Timestamp At(int year, int month, int day) {
  google::protobuf::Timestamp at;
  at.set_seconds(
      absl::ToUnixSeconds(absl::FromCivil(absl::CivilDay(year, month, day), absl::UTCTimeZone())));
  return at;
}

TEST(Signals, OtherServicesEventsGiveLengthDepthAndLoyalty) {
  internal::CustomerSignals signals;
  crm::v1::EventMetadata metadata;
  metadata.mutable_occurred_at()->set_seconds(
      absl::ToUnixSeconds(absl::FromCivil(absl::CivilDay(2020, 12, 20), absl::UTCTimeZone())));
  const auto apply = [&](SignalSource source, const google::protobuf::Message& event) {
    return ApplySignalEvent(source, event.GetDescriptor()->full_name(), event.SerializeAsString(),
                            metadata, signals);
  };
  ASSERT_TRUE(apply(SignalSource::kRegistry, crm::v1::CustomerRegistered()).ok());

  crm::v1::TouchpointLogged met;
  met.mutable_touchpoint()->add_person_ids("dm_1");
  met.mutable_touchpoint()->add_person_ids("user_1");
  ASSERT_TRUE(apply(SignalSource::kEngagement, met).ok());
  ASSERT_TRUE(apply(SignalSource::kEngagement, met).ok());  // each person once
  EXPECT_EQ(signals.persons_met_size(), 2);

  // Responses of the last twelve months, as of the 20 December 2026 below.
  crm::v1::SurveyResponseRecorded promoter;
  promoter.mutable_response()->set_score(10);
  *promoter.mutable_response()->mutable_responded_at() = At(2026, 11, 5);
  ASSERT_TRUE(apply(SignalSource::kSatisfaction, promoter).ok());
  crm::v1::SurveyResponseRecorded replaced;  // a 3 replaced by a 7
  replaced.mutable_response()->set_score(3);
  *replaced.mutable_response()->mutable_responded_at() = At(2026, 10, 1);
  ASSERT_TRUE(apply(SignalSource::kSatisfaction, replaced).ok());
  replaced.mutable_response()->set_score(7);
  *replaced.mutable_replaced() = promoter.response();
  replaced.mutable_replaced()->set_score(3);
  *replaced.mutable_replaced()->mutable_responded_at() = At(2026, 10, 1);
  ASSERT_TRUE(apply(SignalSource::kSatisfaction, replaced).ok());
  EXPECT_EQ(signals.promoters(), 1);
  EXPECT_EQ(signals.passives(), 1);
  EXPECT_EQ(signals.detractors(), 0);
  ASSERT_TRUE(apply(SignalSource::kSatisfaction, crm::v1::ChurnReasonRecorded()).ok());
  EXPECT_EQ(signals.churn_reasons(), 1);
  EXPECT_FALSE(ApplySignalEvent(SignalSource::kSatisfaction, "crm.v1.IssueRaised", "\xff\xff",
                                metadata, signals)
                   .ok());

  crm::internal::KnownCustomer customer;
  for (const char* id : {"dm_1", "dm_2"}) {
    crm::internal::KnownPerson& person = *customer.add_persons();
    person.set_person_id(id);
    person.set_role(crm::v1::DECISION_ROLE_DECISION_MAKER);
  }
  customer.add_persons()->set_person_id("user_1");
  const absl::Time now = absl::FromCivil(absl::CivilDay(2026, 12, 20), absl::UTCTimeZone());
  std::map<std::string, crm::v1::FactorInput> derived;
  for (const auto& input : DerivedInputs(signals, customer, now))
    derived[input.factor_id()] = input;
  ASSERT_EQ(derived.size(), 3u);
  EXPECT_NEAR(derived["relationship_length"].value(), 6.0, 0.01);
  EXPECT_DOUBLE_EQ(derived["relationship_depth"].value(), 50);  // one of two decision makers
  EXPECT_DOUBLE_EQ(derived["loyalty"].value(), 50);             // (1 − 0) / 2 responses
  EXPECT_EQ(derived["loyalty"].source(), crm::v1::INPUT_SOURCE_SATISFACTION);

  // Nothing known: nothing derived, so the factors score as missing.
  EXPECT_TRUE(
      DerivedInputs(internal::CustomerSignals(), crm::internal::KnownCustomer(), now).empty());
}

TEST(Signals, LoyaltyIsTheNpsOfTheLastTwelveMonths) {
  internal::CustomerSignals signals;
  crm::v1::EventMetadata metadata;
  metadata.mutable_occurred_at()->set_seconds(
      absl::ToUnixSeconds(absl::FromCivil(absl::CivilDay(2026, 3, 9), absl::UTCTimeZone())));
  const auto respond = [&](int score, std::optional<google::protobuf::Timestamp> at) {
    crm::v1::SurveyResponseRecorded recorded;
    recorded.mutable_response()->set_score(score);
    if (at.has_value()) *recorded.mutable_response()->mutable_responded_at() = *at;
    ASSERT_TRUE(ApplySignalEvent(SignalSource::kSatisfaction, recorded.GetDescriptor()->full_name(),
                                 recorded.SerializeAsString(), metadata, signals)
                    .ok());
  };
  respond(10, At(2026, 12, 31));
  respond(0, At(2027, 1, 1));    // after the current month: not counted
  respond(0, At(2025, 12, 31));  // a detractor of thirteen months before: not counted
  respond(3, std::nullopt);      // no responded_at: the event's month, March 2026
  respond(9, At(2026, 1, 1));    // the first month counted

  ASSERT_EQ(signals.responses_by_month_size(), 5);  // by month, oldest first
  EXPECT_EQ(signals.responses_by_month(0).year(), 2025);
  EXPECT_EQ(signals.responses_by_month(2).month(), 3);
  EXPECT_EQ(signals.responses_by_month(2).detractors(), 1);
  EXPECT_EQ(signals.responses_by_month(4).year(), 2027);

  const absl::Time now = absl::FromCivil(absl::CivilDay(2026, 12, 20), absl::UTCTimeZone());
  EXPECT_EQ(CustomerNpsCounts(signals, now), (nps::NpsCounts{.promoters = 2, .detractors = 1}));
  std::optional<double> loyalty;
  for (const auto& input : DerivedInputs(signals, crm::internal::KnownCustomer(), now)) {
    if (input.factor_id() == "loyalty") loyalty = input.value();
  }
  ASSERT_TRUE(loyalty.has_value());
  EXPECT_NEAR(*loyalty, 100.0 / 3, 1e-9);  // (2 − 1) / 3 responses

  // A row kept before the months were counts every response, also once responses after
  // the upgrade have started its months (which alone would give 100, or less than −100
  // after a replaced response they never counted).
  internal::CustomerSignals earlier;
  earlier.set_promoters(1);
  earlier.set_detractors(3);
  EXPECT_EQ(CustomerNpsCounts(earlier, now), (nps::NpsCounts{.promoters = 1, .detractors = 3}));
  signals = earlier;
  respond(10, At(2026, 12, 1));
  EXPECT_EQ(CustomerNpsCounts(signals, now), (nps::NpsCounts{.promoters = 2, .detractors = 3}));
  crm::v1::SurveyResponseRecorded replacing;  // a detractor of before replaced by a passive
  replacing.mutable_response()->set_score(8);
  *replacing.mutable_response()->mutable_responded_at() = At(2026, 12, 2);
  replacing.mutable_replaced()->set_score(2);
  *replacing.mutable_replaced()->mutable_responded_at() = At(2026, 5, 2);
  ASSERT_TRUE(ApplySignalEvent(SignalSource::kSatisfaction, replacing.GetDescriptor()->full_name(),
                               replacing.SerializeAsString(), metadata, signals)
                  .ok());
  EXPECT_EQ(CustomerNpsCounts(signals, now), (nps::NpsCounts{2, 1, 2}));
}

}  // namespace
}  // namespace crm::tiering
