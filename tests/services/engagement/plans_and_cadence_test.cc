// Relationship plans, assessments and cadence over a real gRPC channel.
#include "engagement_harness.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/wait.h"

namespace crm::engagement::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class PlansAndCadenceTest : public ::testing::Test {
 protected:
  PlansAndCadenceTest() : engagement_(registry_) {
    customer_ = RegisterCustomer(registry_, "Plan AG");
    ceo_ = AddPerson(registry_, customer_, "Ceci", crm::v1::DECISION_ROLE_DECISION_MAKER, 4);
    user_ = AddPerson(registry_, customer_, "Ugo", crm::v1::DECISION_ROLE_USER, 1);
  }

  crm::v1::PlanAction Action(const std::string& description, crm::v1::CalendarDate due,
                             const std::string& owner = "u-alice") {
    crm::v1::PlanAction action;
    action.set_description(description);
    action.set_owner_id(owner);
    *action.mutable_due_date() = due;
    return action;
  }

  crm::v1::CreateRelationshipPlanRequest Plan() {
    crm::v1::CreateRelationshipPlanRequest request;
    request.set_request_id(NewUuid());
    request.set_customer_id(customer_);
    request.set_person_id(ceo_);
    request.set_current_stance(crm::v1::STANCE_NEUTRAL);
    request.set_target_stance(crm::v1::STANCE_SUPPORTER);
    request.set_current_level(2);
    request.set_target_level(4);
    request.set_owner_id("u-alice");
    *request.add_actions() = Action("invite to the summit", Date(2026, 12, 10));
    return request;
  }

  crm::v1::RecordAssessmentRequest Assessment(const std::string& person, int score,
                                              crm::v1::CalendarDate on) {
    crm::v1::RecordAssessmentRequest request;
    request.set_request_id(NewUuid());
    crm::v1::RelationshipAssessment& a = *request.mutable_assessment();
    a.set_customer_id(customer_);
    a.set_person_id(person);
    *a.mutable_assessed_on() = on;
    for (auto* criterion : {a.mutable_brand_acceptance(), a.mutable_event_participation(),
                            a.mutable_information_sharing(), a.mutable_willingness_to_advise(),
                            a.mutable_project_support(), a.mutable_competitive_attitude()}) {
      criterion->set_score(score);
    }
    return request;
  }

  std::vector<crm::v1::OverdueCustomer> Overdue() {
    crm::v1::ListOverdueContactsRequest request;
    auto [status, reply] = engagement_.Call(&EngagementStub::ListOverdueContacts, request);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {reply.customers().begin(), reply.customers().end()};
  }

  RegistryHarness registry_;
  EngagementHarness engagement_;
  std::string customer_, ceo_, user_;
};

TEST_F(PlansAndCadenceTest, PlanActionsAreAddedCompletedAndListedWhenOverdue) {
  auto [created, plan] = engagement_.Call(&EngagementStub::CreateRelationshipPlan, Plan());
  ASSERT_TRUE(created.ok()) << created.error_message();
  EXPECT_EQ(plan.plan().version(), 1u);
  ASSERT_EQ(plan.plan().actions_size(), 1);

  crm::v1::AddPlanActionRequest add;
  add.set_request_id(NewUuid());
  add.set_plan_id(plan.plan().plan_id());
  *add.mutable_action() = Action("joint lab visit", Date(2027, 1, 15), "u-bob");
  add.set_expected_version(1);
  auto [added, after_add] = engagement_.Call(&EngagementStub::AddPlanAction, add);
  ASSERT_TRUE(added.ok()) << added.error_message();
  EXPECT_EQ(after_add.plan().actions_size(), 2);
  add.set_request_id(NewUuid());
  EXPECT_EQ(engagement_.Call(&EngagementStub::AddPlanAction, add).first.error_code(),
            grpc::StatusCode::ABORTED);  // version 1 is stale now
  add.set_request_id(NewUuid());
  add.set_plan_id("plan_missing");
  auto [missing, unused] = engagement_.Call(&EngagementStub::AddPlanAction, add);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);  // not found before stale
  EXPECT_EQ(missing.error_message(), "plan_id plan_missing names no plan");

  // 20 December: the summit invitation, due on the 10th, is 10 days overdue.
  auto [listed, overdue] =
      engagement_.Call(&EngagementStub::ListOverdueActions, crm::v1::ListOverdueActionsRequest());
  ASSERT_EQ(overdue.actions_size(), 1);
  EXPECT_EQ(overdue.actions(0).days_overdue(), 10);
  EXPECT_EQ(overdue.actions(0).person_id(), ceo_);

  engagement_.clock().Advance(absl::Hours(24 * 30));  // 19 January: both overdue
  crm::v1::ListOverdueActionsRequest by_bob;
  by_bob.set_owner_id("u-bob");
  EXPECT_EQ(engagement_.Call(&EngagementStub::ListOverdueActions, by_bob).second.actions_size(), 1);

  crm::v1::CompletePlanActionRequest complete;
  complete.set_request_id(NewUuid());
  complete.set_plan_id(plan.plan().plan_id());
  complete.set_action_id(plan.plan().actions(0).action_id());
  complete.set_note("came with two directors");
  auto [completed, done] = engagement_.Call(&EngagementStub::CompletePlanAction, complete);
  ASSERT_TRUE(completed.ok()) << completed.error_message();
  EXPECT_TRUE(done.plan().actions(0).completed());
  EXPECT_EQ(done.plan().actions(0).completed_on().month(), 1);
  complete.set_request_id(NewUuid());
  EXPECT_EQ(engagement_.Call(&EngagementStub::CompletePlanAction, complete).first.error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  complete.set_action_id("act_unknown");
  EXPECT_EQ(engagement_.Call(&EngagementStub::CompletePlanAction, complete).first.error_code(),
            grpc::StatusCode::NOT_FOUND);

  auto [still, remaining] =
      engagement_.Call(&EngagementStub::ListOverdueActions, crm::v1::ListOverdueActionsRequest());
  ASSERT_EQ(remaining.actions_size(), 1);
  EXPECT_EQ(remaining.actions(0).action().owner_id(), "u-bob");

  crm::v1::ListRelationshipPlansRequest list;
  list.set_customer_id(customer_);
  list.set_person_id(ceo_);
  auto [plans_listed, plans] = engagement_.Call(&EngagementStub::ListRelationshipPlans, list);
  ASSERT_EQ(plans.plans_size(), 1);
  EXPECT_EQ(plans.plans(0).version(), 3u);
  crm::v1::GetRelationshipPlanRequest get;
  get.set_plan_id(plan.plan().plan_id());
  EXPECT_EQ(engagement_.Call(&EngagementStub::GetRelationshipPlan, get).second.plan().version(),
            3u);
  get.set_plan_id("plan_missing");
  EXPECT_EQ(engagement_.Call(&EngagementStub::GetRelationshipPlan, get).first.error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(PlansAndCadenceTest, BadPlansAreRejectedNamingTheField) {
  crm::v1::CreateRelationshipPlanRequest lower = Plan();
  lower.set_target_level(1);
  auto [s1, r1] = engagement_.Call(&EngagementStub::CreateRelationshipPlan, lower);
  EXPECT_EQ(s1.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s1.error_message(), HasSubstr("target_level"));

  crm::v1::CreateRelationshipPlanRequest no_owner = Plan();
  no_owner.mutable_actions(0)->clear_owner_id();
  auto [s2, r2] = engagement_.Call(&EngagementStub::CreateRelationshipPlan, no_owner);
  EXPECT_THAT(s2.error_message(), HasSubstr("actions[0].owner_id"));

  crm::v1::CreateRelationshipPlanRequest stranger = Plan();
  stranger.set_person_id("kp_stranger");
  auto [s3, r3] = engagement_.Call(&EngagementStub::CreateRelationshipPlan, stranger);
  EXPECT_EQ(s3.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s3.error_message(), HasSubstr("person_id"));
}

TEST_F(PlansAndCadenceTest, AssessmentsKeepHistoryAndRollUpWeightedByInfluence) {
  ASSERT_TRUE(
      engagement_.Call(&EngagementStub::RecordAssessment, Assessment(ceo_, 2, Date(2026, 6, 1)))
          .first.ok());
  auto [recorded, latest] =
      engagement_.Call(&EngagementStub::RecordAssessment, Assessment(ceo_, 4, Date(2026, 12, 1)));
  ASSERT_TRUE(recorded.ok()) << recorded.error_message();
  EXPECT_DOUBLE_EQ(latest.assessment().level(), 4.0);

  crm::v1::ListAssessmentsRequest list;
  list.set_customer_id(customer_);
  list.set_person_id(ceo_);
  auto [listed, history] = engagement_.Call(&EngagementStub::ListAssessments, list);
  ASSERT_EQ(history.assessments_size(), 2);
  EXPECT_EQ(history.assessments(0).assessed_on().month(), 12);  // newest first

  crm::v1::GetRelationshipRollupRequest rollup;
  rollup.set_customer_id(customer_);
  auto [s1, only_ceo] = engagement_.Call(&EngagementStub::GetRelationshipRollup, rollup);
  EXPECT_DOUBLE_EQ(only_ceo.weighted_level(), 4.0);
  EXPECT_THAT(only_ceo.unassessed_person_ids(), ElementsAre(user_));

  // The user (influence 1) at level 1 pulls the CEO's (influence 4) level 4 to 17/5.
  ASSERT_TRUE(
      engagement_.Call(&EngagementStub::RecordAssessment, Assessment(user_, 1, Date(2026, 12, 2)))
          .first.ok());
  auto [s2, both] = engagement_.Call(&EngagementStub::GetRelationshipRollup, rollup);
  EXPECT_DOUBLE_EQ(both.weighted_level(), (4.0 * 4 + 1.0 * 1) / 5);
  ASSERT_EQ(both.assessed_size(), 2);
  EXPECT_EQ(both.assessed(0).person_id(), ceo_);

  crm::v1::RecordAssessmentRequest bad = Assessment(ceo_, 3, Date(2026, 12, 1));
  bad.mutable_assessment()->mutable_project_support()->set_score(6);
  auto [s3, r3] = engagement_.Call(&EngagementStub::RecordAssessment, bad);
  EXPECT_EQ(s3.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s3.error_message(), HasSubstr("assessment.project_support.score"));
}

TEST_F(PlansAndCadenceTest, CadenceRulesDecideWhoIsOverdueAndOnlyAdminsChangeThem) {
  auto [got, rules] =
      engagement_.Call(&EngagementStub::GetCadenceRules, crm::v1::GetCadenceRulesRequest());
  ASSERT_EQ(rules.rules_size(), 4);
  EXPECT_EQ(rules.rules(3).tier(), crm::v1::TIER_C);
  EXPECT_EQ(rules.rules(3).contact_every_days(), 90);

  // Never contacted: overdue as a whole, and its decision maker too, once the registry's
  // events have arrived (overdue lists come from the projection alone).
  std::vector<crm::v1::OverdueCustomer> overdue;
  ASSERT_TRUE(crm::testing::WaitFor([&] {
    overdue = Overdue();
    return overdue.size() == 1 && overdue[0].decision_makers_size() == 1;
  }));
  EXPECT_TRUE(overdue[0].contact_overdue());
  EXPECT_EQ(overdue[0].tier(), crm::v1::TIER_C);  // no tier yet: C
  ASSERT_EQ(overdue[0].decision_makers_size(), 1);
  EXPECT_EQ(overdue[0].decision_makers(0).person_id(), ceo_);

  // Met 40 days ago: within C's 90 and 180 days.
  ASSERT_TRUE(
      engagement_
          .Call(&EngagementStub::LogTouchpoint, Touchpoint(customer_, Date(2026, 11, 10), {ceo_}))
          .first.ok());
  EXPECT_TRUE(Overdue().empty());

  crm::v1::SetCadenceRuleRequest set;
  set.set_request_id(NewUuid());
  set.mutable_rule()->set_tier(crm::v1::TIER_C);
  set.mutable_rule()->set_contact_every_days(30);
  set.mutable_rule()->set_decision_maker_every_days(365);
  EXPECT_EQ(engagement_.Call(&EngagementStub::SetCadenceRule, set).first.error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(engagement_.Call(&EngagementStub::SetCadenceRule, set, "admin").first.ok());
  overdue = Overdue();
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_TRUE(overdue[0].contact_overdue());
  EXPECT_EQ(overdue[0].last_contact().day(), 10);
  EXPECT_EQ(overdue[0].decision_makers_size(), 0);

  set.set_request_id(NewUuid());
  set.mutable_rule()->set_contact_every_days(0);
  auto [bad, r] = engagement_.Call(&EngagementStub::SetCadenceRule, set, "admin");
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad.error_message(), HasSubstr("rule.contact_every_days"));
}

}  // namespace
}  // namespace crm::engagement::testing
