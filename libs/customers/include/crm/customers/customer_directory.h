// The customers and key persons a service checks requests against: its projection of the
// registry's events first and, when that has not caught up (a customer registered or a
// person added a moment ago), the registry itself over gRPC.
//
//   CustomerDirectory directory(store, registry_channel, "crm-engagement");
//   ASSIGN_OR_RETURN(KnownCustomer customer,
//                    directory.Find(runtime::PrincipalOf(*context), request.customer_id(),
//                                   {{request.person_id(), "person_id"}}));
//
// The registry's answer is used for the request only; the projection still learns the
// customer from the events, so that it has one writer. Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "crm/eventstore/event_store.h"
#include "crm/known_customers/known_customers.h"
#include "crm/security/principal.h"
#include "crm/v1/registry.grpc.pb.h"
#include "grpcpp/channel.h"

namespace crm::customers {

// A key person a request names, and the request field that names it.
struct PersonReference {
  std::string_view person_id;
  std::string field;
};

class CustomerDirectory {
 public:
  // `registry` may be null: then only the projection is asked. `service` names the caller
  // to the registry ("crm-engagement").
  CustomerDirectory(const eventstore::EventStore& store,
                    const std::shared_ptr<grpc::Channel>& registry, std::string service);

  // The customer, with every person referenced among its key persons, for `caller`.
  // NOT_FOUND naming customer_id or the person's field when the registry does not know them
  // either; PERMISSION_DENIED when the caller may not act in the customer's region;
  // UNAVAILABLE when the registry has to be asked and cannot be reached.
  absl::StatusOr<KnownCustomer> Find(const security::Principal& caller,
                                     std::string_view customer_id,
                                     const std::vector<PersonReference>& persons = {}) const;

  // OK when `caller` may read the customer's rows: at once for a caller of every region,
  // else as Find decides. For queries, which answer such a caller without a lookup.
  absl::Status CheckCallerMayRead(const security::Principal& caller,
                                  std::string_view customer_id) const;

 private:
  absl::StatusOr<KnownCustomer> AskRegistry(std::string_view customer_id,
                                            crm::v1::Tier known_tier) const;

  const eventstore::EventStore& store_;
  std::unique_ptr<crm::v1::RegistryService::Stub> registry_;
  std::string principal_;
};

}  // namespace crm::customers
