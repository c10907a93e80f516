// Engagement's store follows from its events: after commands of every kind (touchpoints
// logged by several employees, one corrected into another week and another cancelled, so
// that latest contacts are found anew; a plan with actions added and completed;
// assessments; a cadence rule and a quota changed), a store rebuilt from the service's
// topic holds the very same log, customer, plan and settings states, read-model rows,
// weekly touchpoint counts and the replies kept for every request id; also when the
// rebuild was interrupted and started again.
#include "crm/engagement/read_models.h"
#include "engagement_harness.h"
#include "engagement_replayer.h"
#include "gtest/gtest.h"
#include "rebuilt_service_test.h"

namespace crm::engagement::testing {
namespace {

class EngagementRebuildTest
    : public crm::testing::RebuiltServiceTest<EngagementHarness, EngagementReplayer> {
 protected:
  EngagementRebuildTest()
      : RebuiltServiceTest("engagement", {kTouchpoints, kTouchpointsByDay, kContacts,
                                          kPlansByCustomer, kOpenActions, kAssessments,
                                          kEmployeeWeekTouchpoints, kEmployeeWeekRoles}) {}

  void RecordEveryKindOfCommand() {
    const std::string acme = RegisterCustomer(registry_, "Acme Telecom GmbH");
    const std::string ceo =
        AddPerson(registry_, acme, "Acme CEO", crm::v1::DECISION_ROLE_DECISION_MAKER, 5);
    const std::string cto =
        AddPerson(registry_, acme, "Acme CTO", crm::v1::DECISION_ROLE_INFLUENCER, 4);
    const std::string borealis = RegisterCustomer(registry_, "Borealis Oy");

    Send(&EngagementStub::LogTouchpoint, Touchpoint(acme, Date(2026, 12, 1), {ceo}));
    crm::v1::LogTouchpointRequest both = Touchpoint(acme, Date(2026, 12, 8), {ceo, cto});
    crm::v1::EmployeePresence& bob = *both.mutable_facts()->add_employees();
    bob.set_employee_id("u-bob");
    bob.set_role("rnd_vp");
    const std::string met_both =
        Send(&EngagementStub::LogTouchpoint, both).touchpoint().touchpoint_id();
    const std::string at_borealis =
        Send(&EngagementStub::LogTouchpoint, Touchpoint(borealis, Date(2026, 12, 9)))
            .touchpoint()
            .touchpoint_id();

    // Into the week before, without the CEO: the CEO's latest contact is the first again.
    crm::v1::CorrectTouchpointRequest correct;
    correct.set_customer_id(acme);
    correct.set_touchpoint_id(met_both);
    *correct.mutable_facts() = Touchpoint(acme, Date(2026, 12, 3), {cto}).facts();
    correct.set_reason("wrong day");
    Send(&EngagementStub::CorrectTouchpoint, correct);
    // Borealis' only touchpoint: no latest contact is left.
    crm::v1::CancelTouchpointRequest cancel;
    cancel.set_customer_id(borealis);
    cancel.set_touchpoint_id(at_borealis);
    cancel.set_reason("logged twice");
    Send(&EngagementStub::CancelTouchpoint, cancel);

    crm::v1::CreateRelationshipPlanRequest plan;
    plan.set_customer_id(acme);
    plan.set_person_id(ceo);
    plan.set_current_stance(crm::v1::STANCE_NEUTRAL);
    plan.set_target_stance(crm::v1::STANCE_SUPPORTER);
    plan.set_current_level(2);
    plan.set_target_level(4);
    plan.set_owner_id("u-alice");
    crm::v1::PlanAction& invite = *plan.add_actions();
    invite.set_description("invite to the summit");
    invite.set_owner_id("u-alice");
    *invite.mutable_due_date() = Date(2026, 12, 10);
    const crm::v1::RelationshipPlan created =
        Send(&EngagementStub::CreateRelationshipPlan, plan).plan();
    crm::v1::AddPlanActionRequest add;
    add.set_plan_id(created.plan_id());
    add.mutable_action()->set_description("visit the lab");
    add.mutable_action()->set_owner_id("u-bob");
    *add.mutable_action()->mutable_due_date() = Date(2027, 1, 15);
    Send(&EngagementStub::AddPlanAction, add);
    crm::v1::CompletePlanActionRequest complete;
    complete.set_plan_id(created.plan_id());
    complete.set_action_id(created.actions(0).action_id());
    complete.set_note("came with two directors");
    Send(&EngagementStub::CompletePlanAction, complete);

    for (int score : {2, 4}) {
      crm::v1::RecordAssessmentRequest assessment;
      crm::v1::RelationshipAssessment& a = *assessment.mutable_assessment();
      a.set_customer_id(acme);
      a.set_person_id(ceo);
      *a.mutable_assessed_on() = Date(2026, 12, 10 + score);
      for (auto* criterion : {a.mutable_brand_acceptance(), a.mutable_event_participation(),
                              a.mutable_information_sharing(), a.mutable_willingness_to_advise(),
                              a.mutable_project_support(), a.mutable_competitive_attitude()}) {
        criterion->set_score(score);
      }
      Send(&EngagementStub::RecordAssessment, assessment);
    }

    crm::v1::SetCadenceRuleRequest cadence;
    cadence.mutable_rule()->set_tier(crm::v1::TIER_C);
    cadence.mutable_rule()->set_contact_every_days(30);
    cadence.mutable_rule()->set_decision_maker_every_days(365);
    Send(&EngagementStub::SetCadenceRule, cadence, "admin");
    crm::v1::SetTouchpointQuotaRequest quota;
    quota.mutable_quota()->set_employee_role("rnd_vp");
    quota.mutable_quota()->set_weekly_touchpoints(2);
    Send(&EngagementStub::SetTouchpointQuota, quota, "admin");
  }
};

TEST_F(EngagementRebuildTest, RebuiltFromItsTopicTheStoreIsTheSame) {
  RecordEveryKindOfCommand();
  ExpectRebuiltTheSame();
}

TEST_F(EngagementRebuildTest, AnInterruptedRebuildStartedAgainEndsTheSame) {
  RecordEveryKindOfCommand();
  ExpectInterruptedRebuildTheSame(/*fail_at=*/4);
}

TEST_F(EngagementRebuildTest, ReadModelsRecomputedFromItsLogAreTheSame) {
  RecordEveryKindOfCommand();
  ExpectRecomputedTheSame(/*fail_at=*/4);
}

}  // namespace
}  // namespace crm::engagement::testing
