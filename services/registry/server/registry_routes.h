// Where each of the registry's methods goes when its customers are spread over partitions
// (crm/runtime/routes.h): a customer's calls to its partition, registering to the
// partition of the request id (the new customer's id is drawn there, so that a retry
// finds its request record), and the lists across customers to every partition.
#pragma once

#include "crm/runtime/routes.h"

namespace crm::registry {

const runtime::MethodRoutes& RegistryRoutes();

}  // namespace crm::registry
