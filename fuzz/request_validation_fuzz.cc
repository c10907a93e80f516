// The request checks of engagement, satisfaction and tiering on any message: each one
// accepts or refuses with INVALID_ARGUMENT (or another status), never crashes.
#include "absl/time/civil_time.h"
#include "crm/engagement/plans.h"
#include "crm/engagement/settings_rules.h"
#include "crm/engagement/touchpoints.h"
#include "crm/satisfaction/issues.h"
#include "crm/satisfaction/surveys.h"
#include "crm/tiering/inputs.h"
#include "crm/tiering/scoring_model.h"
#include "crm/tiering/tier_policies.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  crm::fuzz::FuzzInput input(data, size);
  const absl::CivilDay today(2026, 11, 29);
  static const crm::v1::ScoringModel* const kModel =
      new crm::v1::ScoringModel(crm::tiering::DefaultModel());
  while (!input.empty()) {
    switch (input.Choice(12)) {
      case 0:
        (void)crm::engagement::ValidateTouchpointFacts(input.Next<crm::v1::TouchpointFacts>(),
                                                       today);
        break;
      case 1:
        (void)crm::engagement::ValidateNewPlan(
            input.Next<crm::v1::CreateRelationshipPlanRequest>());
        break;
      case 2:
        (void)crm::engagement::ValidateAction(input.Next<crm::v1::PlanAction>(), "action");
        break;
      case 3:
        (void)crm::satisfaction::ValidateSurvey(input.Next<crm::v1::Survey>(), today);
        break;
      case 4: {
        const auto survey = input.Next<crm::v1::Survey>();
        (void)crm::satisfaction::ValidateResponse(input.Next<crm::v1::SurveyResponse>(), survey,
                                                  absl::FromUnixSeconds(1'790'000'000));
        break;
      }
      case 5:
        (void)crm::satisfaction::ValidateRaisedIssue(input.Next<crm::v1::Issue>());
        break;
      case 6:
        (void)crm::satisfaction::ValidateChurnReason(input.Next<crm::v1::ChurnReason>());
        break;
      case 7:
        (void)crm::satisfaction::ValidateCommitment(input.Next<crm::v1::ResponseCommitment>());
        break;
      case 10:
        (void)crm::engagement::ValidateCadenceRule(input.Next<crm::v1::CadenceRule>());
        break;
      case 11:
        (void)crm::engagement::ValidateQuota(input.Next<crm::v1::TouchpointQuota>());
        break;
      case 8:
        (void)crm::tiering::ValidateTierPolicies(input.Next<crm::v1::TierPolicies>());
        break;
      default:
        (void)crm::tiering::ValidateEnteredInputs(*kModel,
                                                  input.Next<crm::v1::CustomerInputs>().inputs());
        break;
    }
  }
  return 0;
}
