// The reply to each registry command, as a function of the events it recorded and the
// archive after them: the command path answers with it, and a rebuild from the topics
// records it again with the request id, so a client's retry after a rebuild gets the same
// answer.
//
//   std::string reply = CommandReply("AddKeyPerson", events, after);
#pragma once

#include <string>
#include <string_view>

#include "crm/registry/customer.h"

namespace crm::registry {

// The serialized response of `method` (the RPC's name: "RegisterCustomer", …) that
// recorded `events` and left the customer's archive as `after`.
std::string CommandReply(std::string_view method, const CustomerEvents& events,
                         const crm::v1::CustomerArchive& after);

// The RPC a stored request id names: the store keeps "<method>:<client's request id>".
std::string_view MethodOfRequest(std::string_view stored_request_id);

}  // namespace crm::registry
