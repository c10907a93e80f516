// The tiering service in the test process, next to a registry harness (see
// common/customer_service_harness.h), and models and inputs the tests use.
#pragma once

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "crm/base/ids.h"
#include "crm/tiering/scoring_model.h"
#include "crm/tiering/tier_policies.h"
#include "customer_service_harness.h"
#include "registry_harness.h"
#include "signals_projection.h"
#include "tiering_service.h"

namespace crm::tiering::testing {

using registry::testing::RegistryHarness;
using TieringStub = crm::v1::TieringService::Stub;

class TieringHarness : public crm::testing::CustomerServiceHarness<crm::v1::TieringService> {
 public:
  explicit TieringHarness(RegistryHarness& registry)
      : CustomerServiceHarness(
            registry, "tiering",
            [](eventstore::EventStore& store, const CustomerDirectory& directory, std::string topic,
               const Clock* clock) {
              // Two results to a part: the tests' runs of a few customers have several.
              return std::make_unique<TieringService>(
                  store, directory,
                  TieringServiceOptions{
                      .topic = std::move(topic), .clock = clock, .most_results_per_part = 2});
            },
            {.more_events = SignalsConsumer}) {}
};

// The default model's factors with every level's points, tiers by thresholds.
inline crm::v1::ScoringModel ThresholdModel(const std::string& version) {
  crm::v1::ScoringModel model = DefaultModel();
  model.set_version(version);
  model.mutable_thresholds()->set_s_min(80);
  model.mutable_thresholds()->set_a_min(50);
  model.mutable_thresholds()->set_b_min(20);
  return model;
}

inline crm::v1::FactorInput InputOf(const char* factor_id, double value) {
  crm::v1::FactorInput input;
  input.set_factor_id(factor_id);
  input.set_value(value);
  return input;
}

// An event of another service as its relay would publish it, the `version`th of the
// customer's stream there.
template <class Event>
std::pair<std::string, std::string> Published(Event event, const std::string& customer,
                                              const std::string& service, uint64_t version = 1) {
  crm::v1::EventMetadata& metadata = *event.mutable_metadata();
  metadata.set_event_id(NewUuid());
  metadata.set_event_type(Event::descriptor()->full_name());
  metadata.set_stream_id(absl::StrCat("customer-", customer));
  metadata.set_stream_version(version);
  metadata.set_customer_id(customer);
  metadata.set_source(absl::StrCat("crm/", service, "/test"));
  return {customer, event.SerializeAsString()};
}

}  // namespace crm::tiering::testing
