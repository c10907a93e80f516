#include "crm/customers/customer_directory.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/grpc_status.h"

namespace crm::customers {
namespace {

constexpr auto kRegistryDeadline = std::chrono::seconds(3);

bool HasAll(const KnownCustomer& customer, const std::vector<PersonReference>& persons) {
  for (const PersonReference& person : persons) {
    if (FindPerson(customer, person.person_id) == nullptr) return false;
  }
  return true;
}

}  // namespace

CustomerDirectory::CustomerDirectory(const eventstore::EventStore& store,
                                     const std::shared_ptr<grpc::Channel>& registry,
                                     std::string service)
    : store_(store),
      registry_(registry ? crm::v1::RegistryService::NewStub(registry) : nullptr),
      principal_(std::move(service)) {}

absl::StatusOr<KnownCustomer> CustomerDirectory::Find(
    const security::Principal& caller, std::string_view customer_id,
    const std::vector<PersonReference>& persons) const {
  ASSIGN_OR_RETURN(std::optional<std::string> row,
                   store_.GetRow(kKnownCustomersTable, customer_id));
  KnownCustomer customer;
  if (row.has_value() && !customer.ParseFromString(*row)) {
    return absl::InternalError(
        absl::StrCat("the known customer ", std::string(customer_id), " does not parse"));
  }
  if (!customer.registered() || !HasAll(customer, persons)) {
    ASSIGN_OR_RETURN(customer, AskRegistry(customer_id, customer.tier()));
  }
  // Before the persons are looked at: a caller of another region learns nothing of them.
  RETURN_IF_ERROR(security::RequireRegion(caller, customer.region()));
  for (const PersonReference& person : persons) {
    if (FindPerson(customer, person.person_id) == nullptr) {
      return absl::NotFoundError(absl::StrCat(person.field, " ", std::string(person.person_id),
                                              " is no key person of customer ",
                                              std::string(customer_id)));
    }
  }
  return customer;
}

absl::Status CustomerDirectory::CheckCallerMayRead(const security::Principal& caller,
                                                   std::string_view customer_id) const {
  if (caller.HasAllRegions()) return absl::OkStatus();
  return Find(caller, customer_id).status();
}

absl::StatusOr<KnownCustomer> CustomerDirectory::AskRegistry(std::string_view customer_id,
                                                             crm::v1::Tier known_tier) const {
  const auto unknown = [&] {
    return absl::NotFoundError(
        absl::StrCat("customer_id ", std::string(customer_id), " names no customer"));
  };
  if (registry_ == nullptr) return unknown();
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kRegistryDeadline);
  // A registry that is restarting gets the deadline to come back, rather than the call
  // failing while the channel reconnects.
  context.set_wait_for_ready(true);
  context.AddMetadata(runtime::kPrincipalHeader, principal_);
  context.AddMetadata(runtime::kRoleHeader, "service");
  crm::v1::GetCustomerRequest request;
  request.set_customer_id(std::string(customer_id));
  request.add_parts(crm::v1::ARCHIVE_PART_KEY_PERSONS);
  crm::v1::GetCustomerResponse response;
  const grpc::Status status = registry_->GetCustomer(&context, request, &response);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) return unknown();
  if (!status.ok()) {
    return absl::UnavailableError(absl::StrCat(
        "customer_id ", std::string(customer_id),
        " is not known here yet and the registry cannot be asked: ", status.error_message()));
  }
  return KnownCustomerOf(response.customer(), known_tier);
}

}  // namespace crm::customers
