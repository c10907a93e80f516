#include "crm/customers/known_customers_projection.h"

#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"
#include "crm/customers/tier_policies_in_force.h"
#include "crm/known_customers/known_customers.h"

namespace crm::customers {

kafka::EventHandler KnownCustomersProjection(std::string registry_topic,
                                             std::string tiering_topic) {
  return [registry_topic = std::move(registry_topic), tiering_topic = std::move(tiering_topic)](
             const kafka::ConsumedEvent& event, kafka::ProjectionBatch& batch) -> absl::Status {
    if (event.topic == tiering_topic) {
      ASSIGN_OR_RETURN(bool policies,
                       ApplyTierPoliciesEvent(event.metadata.event_type(), event.bytes, batch));
      if (policies) return absl::OkStatus();
    }
    const std::string& customer_id = event.metadata.customer_id();
    if (customer_id.empty()) return absl::OkStatus();  // not about one customer
    ASSIGN_OR_RETURN(std::optional<std::string> row,
                     batch.Get(std::string(kKnownCustomersTable), customer_id));
    KnownCustomer customer;
    if (row.has_value() && !customer.ParseFromString(*row)) {
      return absl::InternalError(
          absl::StrCat("the known customer ", customer_id, " does not parse"));
    }
    customer.set_customer_id(customer_id);
    if (event.topic == registry_topic) {
      RETURN_IF_ERROR(ApplyRegistryEvent(event.metadata.event_type(), event.bytes, customer));
    } else if (event.topic == tiering_topic) {
      RETURN_IF_ERROR(ApplyTieringEvent(event.metadata.event_type(), event.bytes, customer));
    }
    batch.Put(std::string(kKnownCustomersTable), customer_id, customer.SerializeAsString());
    return absl::OkStatus();
  };
}

std::vector<std::string_view> KnownCustomersProjectionTables() {
  return {kKnownCustomersTable, kTierPoliciesInForceTable};
}

}  // namespace crm::customers
