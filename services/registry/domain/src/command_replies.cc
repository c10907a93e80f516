#include "crm/registry/command_replies.h"

#include <variant>

namespace crm::registry {
namespace {

// The id of the first event of type `Event` a command recorded, by `id_of`.
template <class Event, class IdOf>
std::string IdAdded(const CustomerEvents& events, IdOf id_of) {
  for (const CustomerEvent& event : events) {
    if (const auto* added = std::get_if<Event>(&event)) return id_of(*added);
  }
  return {};
}

template <class Response>
std::string VersionReply(uint64_t version) {
  Response response;
  response.set_version(version);
  return response.SerializeAsString();
}

}  // namespace

std::string CommandReply(std::string_view method, const CustomerEvents& events,
                         const crm::v1::CustomerArchive& after) {
  const uint64_t version = after.version();
  if (method == "RegisterCustomer") {
    crm::v1::RegisterCustomerResponse reply;
    reply.set_customer_id(after.customer_id());
    reply.set_version(version);
    return reply.SerializeAsString();
  }
  if (method == "AddKeyPerson") {
    crm::v1::AddKeyPersonResponse reply;
    reply.set_person_id(IdAdded<crm::v1::KeyPersonAdded>(
        events, [](const crm::v1::KeyPersonAdded& added) { return added.person().person_id(); }));
    reply.set_version(version);
    return reply.SerializeAsString();
  }
  if (method == "AddKeyDate") {
    crm::v1::AddKeyDateResponse reply;
    reply.set_date_id(IdAdded<crm::v1::KeyDateAdded>(
        events, [](const crm::v1::KeyDateAdded& added) { return added.date().date_id(); }));
    reply.set_version(version);
    return reply.SerializeAsString();
  }
  // Every other command answers with the customer's version alone; the responses share
  // that one field, so one of them serializes for all.
  return VersionReply<crm::v1::UpdateSummaryResponse>(version);
}

std::string_view MethodOfRequest(std::string_view stored_request_id) {
  const size_t colon = stored_request_id.find(':');
  return colon == std::string_view::npos ? std::string_view() : stored_request_id.substr(0, colon);
}

}  // namespace crm::registry
