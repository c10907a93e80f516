// Engagement's domain rules without any I/O: days and weeks, touchpoint checks, latest
// contacts, assessments, coverage windows, cadence with a given "today", quotas and plans.
#include "crm/calendar/calendar.h"
#include "crm/engagement/assessments.h"
#include "crm/engagement/coverage.h"
#include "crm/engagement/plans.h"
#include "crm/engagement/settings_rules.h"
#include "crm/engagement/touchpoints.h"
#include "crm/known_customers/known_customers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace crm::engagement {
namespace {

using crm::internal::KnownCustomer;
using crm::internal::KnownPerson;
using customers::EffectiveTier;

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr absl::CivilDay kToday(2026, 12, 20);

crm::v1::CalendarDate Date(int y, int m, int d) { return CalendarDateOf(absl::CivilDay(y, m, d)); }

crm::v1::TouchpointFacts Facts() {
  crm::v1::TouchpointFacts facts;
  facts.set_type(crm::v1::TOUCHPOINT_TYPE_VISIT);
  facts.set_layer(crm::v1::RELATIONSHIP_LAYER_KEY_PERSON);
  *facts.mutable_date() = Date(2026, 12, 1);
  facts.add_person_ids("kp_a");
  auto* employee = facts.add_employees();
  employee->set_employee_id("u-alice");
  employee->set_role("account_manager");
  return facts;
}

crm::v1::Touchpoint Met(const std::string& id, crm::v1::CalendarDate date,
                        std::vector<std::string> persons,
                        crm::v1::RelationshipLayer layer = crm::v1::RELATIONSHIP_LAYER_KEY_PERSON) {
  crm::v1::TouchpointFacts facts = Facts();
  *facts.mutable_date() = date;
  facts.set_layer(layer);
  facts.clear_person_ids();
  for (auto& p : persons) facts.add_person_ids(p);
  return TouchpointFrom(id, "cus_1", facts);
}

KnownCustomer Customer(
    std::vector<std::tuple<std::string, crm::v1::DecisionRole, int, crm::v1::Stance>> persons) {
  KnownCustomer customer;
  customer.set_customer_id("cus_1");
  customer.set_registered(true);
  for (auto& [id, role, influence, stance] : persons) {
    KnownPerson& p = *customer.add_persons();
    p.set_person_id(id);
    p.set_role(role);
    p.set_influence(influence);
    p.set_stance(stance);
  }
  return customer;
}

TEST(Calendar, RejectsDaysThatAreNotInTheCalendarAndStartsWeeksOnMonday) {
  EXPECT_TRUE(DayOf(Date(2028, 2, 29), "d").ok());
  crm::v1::CalendarDate feb30;
  feb30.set_year(2026);
  feb30.set_month(2);
  feb30.set_day(30);
  EXPECT_THAT(DayOf(feb30, "when").status().message(), HasSubstr("when"));
  EXPECT_THAT(DayOf(crm::v1::CalendarDate(), "when").status().message(), HasSubstr("required"));
  EXPECT_EQ(WeekStartOf(absl::CivilDay(2026, 12, 20)), absl::CivilDay(2026, 12, 14));  // Sunday
  EXPECT_EQ(WeekStartOf(absl::CivilDay(2026, 12, 14)), absl::CivilDay(2026, 12, 14));  // Monday
  EXPECT_LT(NewestFirstDayKey(absl::CivilDay(2026, 12, 2)),
            NewestFirstDayKey(absl::CivilDay(2026, 12, 1)));
  EXPECT_LT(DayKey(absl::CivilDay(2026, 12, 1)), DayKey(absl::CivilDay(2026, 12, 2)));
}

TEST(TouchpointFacts, EachProblemNamesItsField) {
  EXPECT_TRUE(ValidateTouchpointFacts(Facts(), kToday).ok());
  auto problem = [](std::function<void(crm::v1::TouchpointFacts&)> spoil) {
    crm::v1::TouchpointFacts facts = Facts();
    spoil(facts);
    return std::string(ValidateTouchpointFacts(facts, kToday).message());
  };
  EXPECT_THAT(problem([](auto& f) { f.set_type(crm::v1::TouchpointType(99)); }),
              HasSubstr("facts.type"));
  EXPECT_THAT(problem([](auto& f) { *f.mutable_date() = Date(2026, 12, 21); }),
              HasSubstr("future"));
  EXPECT_THAT(problem([](auto& f) { f.add_person_ids("kp_a"); }), HasSubstr("twice"));
  EXPECT_THAT(problem([](auto& f) { f.add_person_ids("bad id"); }),
              HasSubstr("facts.person_ids[1]"));
  EXPECT_THAT(problem([](auto& f) { f.mutable_employees(0)->clear_employee_id(); }),
              HasSubstr("facts.employees[0].employee_id"));
  EXPECT_THAT(problem([](auto& f) { f.set_outcome(std::string(4001, 'x')); }),
              HasSubstr("facts.outcome"));
}

TEST(LatestContacts, KeepTheNewestPerPersonAndLayerAndNameWhatATouchpointHolds) {
  CustomerEngagement state;
  NoteContacts(Met("tp_1", Date(2026, 12, 5), {"kp_a", "kp_b"}), state);
  NoteContacts(Met("tp_2", Date(2026, 12, 1), {"kp_a"}), state);  // older: changes nothing
  NoteContacts(Met("tp_3", Date(2026, 12, 9), {"kp_b"}, crm::v1::RELATIONSHIP_LAYER_GENERAL),
               state);
  EXPECT_EQ(LastContactOf(state, {"kp_a", crm::v1::RELATIONSHIP_LAYER_KEY_PERSON})->touchpoint_id(),
            "tp_1");
  EXPECT_EQ(LastContactOf(state, {"", crm::v1::RELATIONSHIP_LAYER_UNSPECIFIED})->touchpoint_id(),
            "tp_3");
  EXPECT_THAT(ContactsHeldBy(state, "tp_1"),
              ElementsAre(ContactKey{"kp_a", crm::v1::RELATIONSHIP_LAYER_KEY_PERSON},
                          ContactKey{"kp_b", crm::v1::RELATIONSHIP_LAYER_KEY_PERSON}));
  ReplaceContact({"kp_b", crm::v1::RELATIONSHIP_LAYER_KEY_PERSON}, std::nullopt, state);
  EXPECT_FALSE(LastContactOf(state, {"kp_b", crm::v1::RELATIONSHIP_LAYER_KEY_PERSON}));
}

TEST(Assessments, LevelIsTheMeanAndRollupWeighsByInfluence) {
  crm::v1::RelationshipAssessment a;
  a.set_person_id("kp_a");
  for (auto* c : {a.mutable_brand_acceptance(), a.mutable_event_participation(),
                  a.mutable_information_sharing(), a.mutable_willingness_to_advise(),
                  a.mutable_project_support(), a.mutable_competitive_attitude()}) {
    c->set_score(3);
  }
  a.mutable_competitive_attitude()->set_score(5);
  ASSERT_TRUE(ValidateAssessment(a, kToday).ok());
  EXPECT_EQ(a.assessed_on().day(), 20);  // defaults to today
  EXPECT_DOUBLE_EQ(LevelOf(a), 20.0 / 6);
  a.set_level(LevelOf(a));

  CustomerEngagement state;
  NoteAssessment(a, state);
  crm::v1::RelationshipAssessment older = a;
  *older.mutable_assessed_on() = Date(2026, 1, 1);
  older.set_level(1);
  NoteAssessment(older, state);  // an older assessment recorded late does not win
  const auto rollup =
      Rollup(Customer({{"kp_a", crm::v1::DECISION_ROLE_DECISION_MAKER, 3, crm::v1::STANCE_NEUTRAL},
                       {"kp_b", crm::v1::DECISION_ROLE_USER, 1, crm::v1::STANCE_NEUTRAL}}),
             state);
  EXPECT_DOUBLE_EQ(rollup.weighted_level(), 20.0 / 6);
  EXPECT_THAT(rollup.unassessed_person_ids(), ElementsAre("kp_b"));

  a.mutable_brand_acceptance()->set_score(0);
  EXPECT_THAT(ValidateAssessment(a, kToday).message(), HasSubstr("assessment.brand_acceptance"));
}

TEST(Coverage, CountsMeetingsInsideTheWindowOnlyWithTodayIncluded) {
  CustomerEngagement state;
  NoteContacts(Met("tp_1", Date(2026, 11, 21), {"kp_a"}), state);  // 29 days ago: inside 30
  NoteContacts(Met("tp_2", Date(2026, 11, 20), {"kp_b"}), state);  // 30 days ago: outside
  const KnownCustomer customer =
      Customer({{"kp_a", crm::v1::DECISION_ROLE_DECISION_MAKER, 2, crm::v1::STANCE_SUPPORTER},
                {"kp_b", crm::v1::DECISION_ROLE_DECISION_MAKER, 5, crm::v1::STANCE_OPPONENT},
                {"kp_c", crm::v1::DECISION_ROLE_EVALUATOR, 1, crm::v1::STANCE_NEUTRAL}});
  const auto coverage = BuildCoverage(customer, state, kToday, 30);
  const auto& key_layer = coverage.layers(1);
  EXPECT_EQ(key_layer.members_met(), 1);
  EXPECT_EQ(key_layer.members(0).person_id(), "kp_b");  // most influential first
  EXPECT_FALSE(key_layer.members(0).has_last_met());
  EXPECT_EQ(key_layer.members(1).last_met().day(), 21);
  EXPECT_DOUBLE_EQ(coverage.supporter_share(), 0.5);
  EXPECT_THAT(coverage.never_met_person_ids(), ElementsAre("kp_c"));
  EXPECT_EQ(BuildCoverage(customer, state, kToday, 31).layers(1).members_met(), 2);
}

TEST(Cadence, TheTierPicksTheRuleAndAChangeOfTierChangesWhatIsOverdue) {
  CustomerEngagement state;
  NoteContacts(Met("tp_1", Date(2026, 11, 10), {"kp_a"}), state);  // 40 days ago
  KnownCustomer customer =
      Customer({{"kp_a", crm::v1::DECISION_ROLE_DECISION_MAKER, 3, crm::v1::STANCE_NEUTRAL}});
  const EngagementSettings defaults;
  EXPECT_EQ(EffectiveTier(customer), crm::v1::TIER_C);
  EXPECT_FALSE(
      OverdueOf(customer, state, CadenceRuleOf(defaults, EffectiveTier(customer)), kToday));

  customer.set_tier(crm::v1::TIER_S);  // 14 days overall, 30 per decision maker
  auto overdue =
      OverdueOf(customer, state, CadenceRuleOf(defaults, EffectiveTier(customer)), kToday);
  ASSERT_TRUE(overdue.has_value());
  EXPECT_TRUE(overdue->contact_overdue());
  ASSERT_EQ(overdue->decision_makers_size(), 1);
  EXPECT_EQ(overdue->decision_makers(0).last_met().day(), 10);

  EngagementSettings settings;
  crm::v1::CadenceRule lenient;
  lenient.set_tier(crm::v1::TIER_S);
  lenient.set_contact_every_days(40);
  lenient.set_decision_maker_every_days(40);
  ASSERT_TRUE(ValidateCadenceRule(lenient).ok());
  SetCadenceRule(lenient, settings);
  EXPECT_FALSE(OverdueOf(customer, state, CadenceRuleOf(settings, crm::v1::TIER_S), kToday));
  EXPECT_EQ(CadenceRuleOf(settings, crm::v1::TIER_A).contact_every_days(), 30);  // default
}

TEST(Quotas, AreKeptPerRoleAndZeroRemovesOne) {
  EngagementSettings settings;
  crm::v1::TouchpointQuota quota;
  quota.set_employee_role("rnd_vp");
  quota.set_weekly_touchpoints(3);
  SetQuota(quota, settings);
  EXPECT_EQ(QuotaOf(settings, "rnd_vp"), 3);
  EXPECT_EQ(QuotaOf(settings, "executive"), 0);
  quota.set_weekly_touchpoints(0);
  SetQuota(quota, settings);
  EXPECT_EQ(settings.quotas_size(), 0);
  quota.set_employee_role("");
  EXPECT_THAT(ValidateQuota(quota).message(), HasSubstr("quota.employee_role"));
}

TEST(Plans, CompletingAnActionOnceAndCountingDaysOverdue) {
  crm::v1::RelationshipPlan plan;
  plan.set_plan_id("plan_1");
  crm::v1::PlanAction facts;
  facts.set_description("dinner");
  facts.set_owner_id("u-alice");
  *facts.mutable_due_date() = Date(2026, 12, 15);
  ASSERT_TRUE(ValidateAction(facts, "action").ok());
  *plan.add_actions() = NewAction(facts, "act_1");
  EXPECT_EQ(DaysOverdue(plan.actions(0), kToday), 5);
  EXPECT_TRUE(CompleteAction("act_1", Date(2026, 12, 18), "done", plan).ok());
  EXPECT_EQ(CompleteAction("act_1", Date(2026, 12, 18), "", plan).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CompleteAction("act_2", Date(2026, 12, 18), "", plan).code(),
            absl::StatusCode::kNotFound);
  facts.clear_due_date();
  EXPECT_THAT(ValidateAction(facts, "actions[2]").message(), HasSubstr("actions[2].due_date"));
}

}  // namespace
}  // namespace crm::engagement
