// The satisfaction service in the test process, next to a registry harness (see
// common/customer_service_harness.h), with helpers that build valid requests.
//
//   RegistryHarness registry;
//   SatisfactionHarness satisfaction(registry);
//   auto [status, reply] = satisfaction.Call(&SatisfactionStub::RecordResponse, request);
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "crm/base/ids.h"
#include "customer_service_harness.h"
#include "registry_harness.h"
#include "satisfaction_service.h"

namespace crm::satisfaction::testing {

using SatisfactionStub = crm::v1::SatisfactionService::Stub;
using registry::testing::AddPerson;
using registry::testing::RegistryHarness;
using RegistryStub = crm::v1::RegistryService::Stub;
using crm::testing::CustomerServiceHarnessOptions;
using crm::testing::Date;
using crm::testing::TestNow;

class SatisfactionHarness
    : public crm::testing::CustomerServiceHarness<crm::v1::SatisfactionService> {
 public:
  explicit SatisfactionHarness(RegistryHarness& registry,
                               CustomerServiceHarnessOptions options = {})
      : CustomerServiceHarness(
            registry, "satisfaction",
            [](eventstore::EventStore& store, const CustomerDirectory& directory, std::string topic,
               const Clock* clock) {
              return std::make_unique<SatisfactionService>(
                  store, directory,
                  SatisfactionServiceOptions{.topic = std::move(topic), .clock = clock});
            },
            options) {}

  // Creates a survey open through December 2026 of `customers`; returns its id.
  std::string CreateSurvey(const std::vector<std::string>& customers) {
    crm::v1::CreateSurveyRequest request;
    request.set_request_id(NewUuid());
    request.set_title("Relationship survey 2026");
    request.set_kind(crm::v1::SURVEY_KIND_RELATIONSHIP);
    for (const std::string& customer : customers) request.add_customer_ids(customer);
    *request.mutable_opens_on() = Date(2026, 12, 1);
    *request.mutable_closes_on() = Date(2026, 12, 31);
    auto [status, reply] = Call(&SatisfactionStub::CreateSurvey, request);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return reply.survey().survey_id();
  }
};

// A valid response of `person` of `customer` to `survey`.
inline crm::v1::RecordResponseRequest Response(const std::string& survey,
                                               const std::string& customer,
                                               const std::string& person,
                                               std::optional<int> score) {
  crm::v1::RecordResponseRequest request;
  request.set_request_id(NewUuid());
  request.set_survey_id(survey);
  request.set_customer_id(customer);
  request.set_person_id(person);
  if (score.has_value()) request.set_score(*score);
  request.set_comment("delivery was late twice");
  request.set_channel(crm::v1::RESPONSE_CHANNEL_WEB);
  return request;
}

// A customer in `region` with one key person; returns {customer, person}.
inline std::pair<std::string, std::string> CustomerWithPerson(RegistryHarness& registry,
                                                              const std::string& name,
                                                              const std::string& region = "emea") {
  const std::string customer =
      registry::testing::RegisterCustomer(registry, registry::testing::Summary(name, region));
  const std::string person =
      AddPerson(registry, customer, name + " CTO", crm::v1::DECISION_ROLE_DECISION_MAKER, 4);
  return {customer, person};
}

inline crm::v1::NpsScope RegionScope(const std::string& region) {
  crm::v1::NpsScope scope;
  scope.set_region(region);
  return scope;
}

}  // namespace crm::satisfaction::testing
