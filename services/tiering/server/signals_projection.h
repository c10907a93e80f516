// The consumer handler that keeps each customer's signals (crm/tiering/signals.h) from the
// registry's, engagement's and satisfaction's topics: what the inputs derived from other
// services' events are computed from.
#pragma once

#include <string>

#include "crm/customers/customer_service_main.h"

namespace crm::tiering {

// The three topics under `topic_prefix` and the handler, as RunCustomerService's `more`.
customers::ServiceConsumer SignalsConsumer(const std::string& topic_prefix);

}  // namespace crm::tiering
