// The consumer handler that keeps the known_customers table from the registry's and
// tiering's topics (one row per customer, see crm/known_customers/known_customers.h), and the
// tier policies in force (crm/customers/tier_policies_in_force.h). The
// consumer makes it effectively once: redelivered events are skipped before they get here.
//
//   process.AddConsumer({registry_topic, tiering_topic},
//                       KnownCustomersProjection(registry_topic, tiering_topic));
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "crm/kafka/event_consumer.h"

namespace crm::customers {

kafka::EventHandler KnownCustomersProjection(std::string registry_topic, std::string tiering_topic);

// The tables it writes: the known customers and the tier policies in force.
std::vector<std::string_view> KnownCustomersProjectionTables();

}  // namespace crm::customers
