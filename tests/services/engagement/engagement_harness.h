// The engagement service in the test process, next to a registry harness (see
// common/customer_service_harness.h).
//
//   RegistryHarness registry;
//   EngagementHarness engagement(registry);
//   auto [status, reply] = engagement.Call(&EngagementStub::LogTouchpoint, request);
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "crm/base/ids.h"
#include "customer_service_harness.h"
#include "engagement_service.h"
#include "registry_harness.h"

namespace crm::engagement::testing {

using EngagementStub = crm::v1::EngagementService::Stub;
using registry::testing::RegistryHarness;
using RegistryStub = crm::v1::RegistryService::Stub;
using crm::testing::CustomerServiceHarnessOptions;
using crm::testing::Date;
using crm::testing::TestNow;
using EngagementHarnessOptions = CustomerServiceHarnessOptions;

class EngagementHarness : public crm::testing::CustomerServiceHarness<crm::v1::EngagementService> {
 public:
  explicit EngagementHarness(RegistryHarness& registry, EngagementHarnessOptions options = {})
      : CustomerServiceHarness(
            registry, "engagement",
            [](eventstore::EventStore& store, const CustomerDirectory& directory, std::string topic,
               const Clock* clock) {
              return std::make_unique<EngagementService>(
                  store, directory,
                  EngagementServiceOptions{.topic = std::move(topic), .clock = clock});
            },
            options) {}
};

using registry::testing::AddPerson;

// Registers a customer named `name`; returns its id.
inline std::string RegisterCustomer(RegistryHarness& registry, const std::string& name) {
  return registry::testing::RegisterCustomer(registry, registry::testing::Summary(name));
}

// A valid touchpoint request: a key-person meeting on `date` with `persons`, attended by
// u-alice as account manager.
inline crm::v1::LogTouchpointRequest Touchpoint(
    const std::string& customer_id, const crm::v1::CalendarDate& date,
    std::vector<std::string> persons = {},
    crm::v1::RelationshipLayer layer = crm::v1::RELATIONSHIP_LAYER_KEY_PERSON) {
  crm::v1::LogTouchpointRequest request;
  request.set_request_id(NewUuid());
  request.set_customer_id(customer_id);
  crm::v1::TouchpointFacts& facts = *request.mutable_facts();
  facts.set_type(crm::v1::TOUCHPOINT_TYPE_MEETING);
  facts.set_layer(layer);
  *facts.mutable_date() = date;
  for (std::string& person : persons) facts.add_person_ids(std::move(person));
  crm::v1::EmployeePresence& employee = *facts.add_employees();
  employee.set_employee_id("u-alice");
  employee.set_role("account_manager");
  facts.set_outcome("agreed on a pilot");
  return request;
}

}  // namespace crm::engagement::testing
