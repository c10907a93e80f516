// The state topics: besides its events, a service publishes the current state of each
// customer its events touch, keyed by customer id, so that a downstream consumer loads
// today's picture without replaying history. The registry's archive never carries the
// restricted personal profile, and erasing one publishes the archive again; engagement's
// state shows the latest touchpoint and coverage; satisfaction's state counts NPS and open issues;
// tiering's tier carries its explanation, and a lost customer's tier becomes a tombstone.
#include <map>
#include <string>

#include "absl/strings/match.h"
#include "crm/base/ids.h"
#include "gtest/gtest.h"
#include "support/wait.h"
#include "system.h"

namespace crm::e2e {
namespace {

// The newest record of each key on a topic (what compaction keeps), once `ready` holds.
std::map<std::string, kafka::testing::Record> Latest(
    System& system, const std::string& topic,
    const std::function<bool(const std::map<std::string, kafka::testing::Record>&)>& ready) {
  std::map<std::string, kafka::testing::Record> latest;
  crm::testing::WaitFor(
      [&] {
        latest.clear();
        for (auto& record : kafka::testing::ReadTopic(system.brokers(), topic, 1, absl::Seconds(2),
                                                      absl::Milliseconds(200))) {
          latest[record.key] = record;  // in partition order, and one key has one partition
        }
        return ready(latest);
      },
      absl::Seconds(30));
  return latest;
}

TEST(StateTopics, CarryTodaysPictureOfEachServiceWithoutTheRestrictedProfile) {
  System system;
  ASSERT_TRUE(system.Serving());
  const std::string secret = "Lives at 12 Quiet Lane";

  crm::v1::RegisterCustomerRequest registration;
  registration.set_request_id(NewUuid());
  registration.mutable_summary()->set_legal_name("State Topic Telecom AG");
  registration.mutable_summary()->set_region("emea");
  // The caller's own customer: its account team records restricted profiles.
  registration.mutable_summary()->set_owner_id("u-alice");
  const std::string customer =
      Call(*system.registry, &RegistryStub::RegisterCustomer, registration).second.customer_id();
  ASSERT_FALSE(customer.empty());
  crm::v1::AddKeyPersonRequest add;
  add.set_request_id(NewUuid());
  add.set_customer_id(customer);
  add.mutable_person()->set_name("Ada CTO");
  add.mutable_person()->set_role(crm::v1::DECISION_ROLE_DECISION_MAKER);
  add.mutable_person()->set_influence(4);
  add.mutable_person()->set_stance(crm::v1::STANCE_SUPPORTER);
  const std::string person =
      Call(*system.registry, &RegistryStub::AddKeyPerson, add).second.person_id();
  ASSERT_FALSE(person.empty());
  crm::v1::RecordPersonalProfileRequest profile;
  profile.set_request_id(NewUuid());
  profile.set_customer_id(customer);
  profile.set_person_id(person);
  profile.mutable_profile()->set_home_address(secret);
  const grpc::Status recorded =
      Call(*system.registry, &RegistryStub::RecordPersonalProfile, profile).first;
  ASSERT_TRUE(recorded.ok()) << recorded.error_message();

  // The registry's state: the archive with its key person, flagged as having a profile,
  // and not the profile itself.
  const std::string registry_states = kafka::StateTopic(system.topic_prefix(), "registry");
  auto archive_of = [&](const auto& latest) {
    crm::v1::CustomerArchive archive;
    auto found = latest.find(customer);
    if (found != latest.end()) archive.ParseFromString(found->second.value);
    return archive;
  };
  auto latest = Latest(system, registry_states, [&](const auto& records) {
    const auto archive = archive_of(records);
    return archive.key_persons_size() == 1 && archive.key_persons(0).has_personal_profile();
  });
  ASSERT_EQ(archive_of(latest).key_persons_size(), 1);
  EXPECT_EQ(archive_of(latest).summary().legal_name(), "State Topic Telecom AG");
  EXPECT_TRUE(archive_of(latest).key_persons(0).has_personal_profile());
  EXPECT_EQ(latest.at(customer).headers.at("ce_type"), "crm.v1.CustomerArchive");

  crm::v1::ErasePersonalProfileRequest erase;
  erase.set_request_id(NewUuid());
  erase.set_customer_id(customer);
  erase.set_person_id(person);
  erase.set_reason("The person asked");
  ASSERT_TRUE(
      Call(*system.registry, &RegistryStub::ErasePersonalProfile, erase, "admin").first.ok());
  latest = Latest(system, registry_states, [&](const auto& records) {
    const auto archive = archive_of(records);
    return archive.key_persons_size() == 1 && !archive.key_persons(0).has_personal_profile();
  });
  EXPECT_FALSE(archive_of(latest).key_persons(0).has_personal_profile());
  for (const auto& record :
       kafka::testing::ReadTopic(system.brokers(), registry_states, 1, absl::Seconds(2))) {
    EXPECT_FALSE(absl::StrContains(record.value, secret));
  }

  // Engagement's state: a meeting with the decision maker shows as the latest touchpoint
  // and as coverage.
  crm::v1::LogTouchpointRequest meeting;
  meeting.set_request_id(NewUuid());
  meeting.set_customer_id(customer);
  meeting.mutable_facts()->set_type(crm::v1::TOUCHPOINT_TYPE_MEETING);
  meeting.mutable_facts()->set_layer(crm::v1::RELATIONSHIP_LAYER_KEY_PERSON);
  *meeting.mutable_facts()->mutable_date() = DaysAgo(3);
  meeting.mutable_facts()->add_person_ids(person);
  meeting.mutable_facts()->add_employees()->set_employee_id("u-alice");
  meeting.mutable_facts()->mutable_employees(0)->set_role("account_manager");
  const grpc::Status logged =
      Call(*system.engagement, &EngagementStub::LogTouchpoint, meeting).first;
  ASSERT_TRUE(logged.ok()) << logged.error_message();
  auto engagement_of = [&](const auto& records) {
    crm::v1::CustomerEngagementSummary state;
    auto found = records.find(customer);
    if (found != records.end()) state.ParseFromString(found->second.value);
    return state;
  };
  latest =
      Latest(system, kafka::StateTopic(system.topic_prefix(), "engagement"),
             [&](const auto& records) { return engagement_of(records).has_last_touchpoint(); });
  const crm::v1::CustomerEngagementSummary engaged = engagement_of(latest);
  EXPECT_EQ(engaged.last_touchpoint().day(), DaysAgo(3).day());
  EXPECT_EQ(engaged.coverage().decision_makers(), 1);
  EXPECT_EQ(engaged.tier(), crm::v1::TIER_C);
  EXPECT_EQ(latest.at(customer).headers.at("ce_type"), "crm.v1.CustomerEngagementSummary");

  // Satisfaction's state: a detractor's answer shows in the NPS and opens an issue.
  crm::v1::CreateSurveyRequest survey;
  survey.set_request_id(NewUuid());
  survey.set_title("After the pilot");
  survey.set_kind(crm::v1::SURVEY_KIND_TRANSACTIONAL);
  survey.add_customer_ids(customer);
  *survey.mutable_opens_on() = DaysAgo(1);
  *survey.mutable_closes_on() = DaysAgo(-30);
  crm::v1::RecordResponseRequest answer;
  answer.set_request_id(NewUuid());
  answer.set_survey_id(Call(*system.satisfaction, &SatisfactionStub::CreateSurvey, survey)
                           .second.survey()
                           .survey_id());
  answer.set_customer_id(customer);
  answer.set_person_id(person);
  answer.set_score(3);
  answer.set_channel(crm::v1::RESPONSE_CHANNEL_WEB);
  ASSERT_TRUE(Call(*system.satisfaction, &SatisfactionStub::RecordResponse, answer).first.ok());
  auto satisfaction_of = [&](const auto& records) {
    crm::v1::CustomerSatisfaction state;
    auto found = records.find(customer);
    if (found != records.end()) state.ParseFromString(found->second.value);
    return state;
  };
  latest = Latest(system, kafka::StateTopic(system.topic_prefix(), "satisfaction"),
                  [&](const auto& records) { return satisfaction_of(records).open_issues() == 1; });
  EXPECT_EQ(satisfaction_of(latest).nps().detractors(), 1);
  EXPECT_EQ(satisfaction_of(latest).nps().nps(), -100);
  EXPECT_EQ(satisfaction_of(latest).open_issues(), 1);
  EXPECT_EQ(latest.at(customer).headers.at("ce_type"), "crm.v1.CustomerSatisfaction");

  // Tiering's state: the tier with its explanation, once an evaluation gave one.
  const std::string tiering_states = kafka::StateTopic(system.topic_prefix(), "tiering");
  int runs = 0;
  ASSERT_TRUE(crm::testing::WaitFor([&] {
    crm::v1::RunEvaluationRequest run;
    run.set_request_id(NewUuid());
    run.set_run_id("state-" + std::to_string(++runs));
    run.set_fiscal_year(2026);
    return Call(*system.tiering, &TieringStub::RunEvaluation, run, "admin")
               .second.run()
               .customers() == 1;
  }));
  auto tier_of = [&](const auto& records) {
    crm::v1::CustomerTier tier;
    auto found = records.find(customer);
    if (found != records.end()) tier.ParseFromString(found->second.value);
    return tier;
  };
  latest = Latest(system, tiering_states, [&](const auto& records) {
    return tier_of(records).tier() != crm::v1::TIER_UNSPECIFIED;
  });
  const crm::v1::CustomerTier tier = tier_of(latest);
  EXPECT_EQ(tier.customer_id(), customer);
  EXPECT_NE(tier.tier(), crm::v1::TIER_UNSPECIFIED);
  EXPECT_GT(tier.score_card().factors_size(), 10);  // the explanation, factor by factor
  EXPECT_EQ(latest.at(customer).headers.at("ce_type"), "crm.v1.CustomerTier");

  // Lost: its tier is cleared, and the state topic says so with a tombstone.
  crm::v1::ChangeLifecycleRequest churn;
  churn.set_request_id(NewUuid());
  churn.set_customer_id(customer);
  churn.set_status(crm::v1::LIFECYCLE_STATUS_CHURNED);
  churn.set_reason("Went to a competitor");
  ASSERT_TRUE(Call(*system.registry, &RegistryStub::ChangeLifecycle, churn).first.ok());
  ASSERT_TRUE(crm::testing::WaitFor([&] {
    crm::v1::RunEvaluationRequest run;
    run.set_request_id(NewUuid());
    run.set_run_id("state-" + std::to_string(++runs));
    run.set_fiscal_year(2026);
    return Call(*system.tiering, &TieringStub::RunEvaluation, run, "admin").second.run().lost() ==
           1;
  }));
  latest = Latest(system, tiering_states, [&](const auto& records) {
    auto found = records.find(customer);
    return found != records.end() && found->second.value.empty();
  });
  EXPECT_TRUE(latest.at(customer).value.empty());
}

}  // namespace
}  // namespace crm::e2e
