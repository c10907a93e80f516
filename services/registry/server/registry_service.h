// The registry's gRPC API (crm.v1.RegistryService) on the event store: each command loads
// the customer's archive (the stream's state), decides with the domain functions, and
// appends the events, the new archive and the read-model rows in one atomic, durable write.
// Queries read the archive or the read-model rows. Restricted profiles are sealed with the
// person's key from the key vault; erasing one destroys that key.
//
//   RegistryService service(process.store(), *vault, {.topic = EventTopic(prefix, "registry")});
//   process.AddService(&service);
//
// Thread-safe: handlers run concurrently; commands on one customer are serialised by the
// store, and registrations or renames that claim the same name or external id by a lock
// stripe of their own.
#pragma once

#include <string>

#include "crm/base/clock.h"
#include "crm/base/striped_locks.h"
#include "crm/crypto/key_vault.h"
#include "crm/eventstore/event_store.h"
#include "crm/registry/customer.h"
#include "crm/v1/registry.grpc.pb.h"

namespace crm::registry {

struct RegistryServiceOptions {
  // Topic the events are published to ("<prefix>crm.registry.events.v1").
  std::string topic;
  // Source of "now" for the archive's timestamps and for upcoming key dates.
  const Clock* clock = &SystemClock::Instance();
  // The partition this service's store holds, of how many (docs/ARCHITECTURE.md,
  // "Partition tasks inside an instance"): a customer it registers gets an id of that
  // partition, so that the router finds the customer where it was registered.
  int32_t partition = 0;
  int32_t partition_count = 1;
};

class RegistryService final : public crm::v1::RegistryService::Service {
 public:
  RegistryService(eventstore::EventStore& store, crypto::KeyVault& vault,
                  RegistryServiceOptions options);

  // Commands (customer_commands.cc).
  grpc::Status RegisterCustomer(grpc::ServerContext* context,
                                const crm::v1::RegisterCustomerRequest* request,
                                crm::v1::RegisterCustomerResponse* response) override;
  grpc::Status UpdateSummary(grpc::ServerContext* context,
                             const crm::v1::UpdateSummaryRequest* request,
                             crm::v1::UpdateSummaryResponse* response) override;
  grpc::Status UpdateSection(grpc::ServerContext* context,
                             const crm::v1::UpdateSectionRequest* request,
                             crm::v1::UpdateSectionResponse* response) override;
  grpc::Status ChangeLifecycle(grpc::ServerContext* context,
                               const crm::v1::ChangeLifecycleRequest* request,
                               crm::v1::ChangeLifecycleResponse* response) override;
  grpc::Status AddKeyDate(grpc::ServerContext* context, const crm::v1::AddKeyDateRequest* request,
                          crm::v1::AddKeyDateResponse* response) override;
  grpc::Status RemoveKeyDate(grpc::ServerContext* context,
                             const crm::v1::RemoveKeyDateRequest* request,
                             crm::v1::RemoveKeyDateResponse* response) override;

  // Key persons and their restricted profiles (key_person_commands.cc).
  grpc::Status AddKeyPerson(grpc::ServerContext* context,
                            const crm::v1::AddKeyPersonRequest* request,
                            crm::v1::AddKeyPersonResponse* response) override;
  grpc::Status UpdateKeyPerson(grpc::ServerContext* context,
                               const crm::v1::UpdateKeyPersonRequest* request,
                               crm::v1::UpdateKeyPersonResponse* response) override;
  grpc::Status AddCareerEntry(grpc::ServerContext* context,
                              const crm::v1::AddCareerEntryRequest* request,
                              crm::v1::AddCareerEntryResponse* response) override;
  grpc::Status RemoveKeyPerson(grpc::ServerContext* context,
                               const crm::v1::RemoveKeyPersonRequest* request,
                               crm::v1::RemoveKeyPersonResponse* response) override;
  grpc::Status RecordPersonalProfile(grpc::ServerContext* context,
                                     const crm::v1::RecordPersonalProfileRequest* request,
                                     crm::v1::RecordPersonalProfileResponse* response) override;
  grpc::Status GetPersonalProfile(grpc::ServerContext* context,
                                  const crm::v1::GetPersonalProfileRequest* request,
                                  crm::v1::GetPersonalProfileResponse* response) override;
  grpc::Status ErasePersonalProfile(grpc::ServerContext* context,
                                    const crm::v1::ErasePersonalProfileRequest* request,
                                    crm::v1::ErasePersonalProfileResponse* response) override;

  // Queries (queries.cc).
  grpc::Status GetCustomer(grpc::ServerContext* context, const crm::v1::GetCustomerRequest* request,
                           crm::v1::GetCustomerResponse* response) override;
  grpc::Status ListCustomers(grpc::ServerContext* context,
                             const crm::v1::ListCustomersRequest* request,
                             crm::v1::ListCustomersResponse* response) override;
  grpc::Status ListUpcomingKeyDates(grpc::ServerContext* context,
                                    const crm::v1::ListUpcomingKeyDatesRequest* request,
                                    crm::v1::ListUpcomingKeyDatesResponse* response) override;
  grpc::Status GetOrgChart(grpc::ServerContext* context, const crm::v1::GetOrgChartRequest* request,
                           crm::v1::GetOrgChartResponse* response) override;
  grpc::Status GetDecisionChain(grpc::ServerContext* context,
                                const crm::v1::GetDecisionChainRequest* request,
                                crm::v1::GetDecisionChainResponse* response) override;
  grpc::Status GetHistory(grpc::ServerContext* context, const crm::v1::GetHistoryRequest* request,
                          crm::v1::GetHistoryResponse* response) override;

  // The customer's state for the state topic (crm.registry.state.v1): its whole archive,
  // which never holds the restricted personal profile (only whether one exists).
  absl::StatusOr<std::optional<std::string>> PublishedState(std::string_view customer_id) const;

 private:
  // Runs one command on a customer (see archive_commands.cc): `decide` gets the archive
  // (empty for a customer not registered yet) and returns the events; the reply kept for
  // retries is CommandReply's for the method.
  struct Command {
    std::string_view method;
    std::string_view request_id;
    std::string_view customer_id;
    uint64_t expected_version = 0;
    // Whether the customer must not exist yet (registration) rather than exist.
    bool creates = false;
  };
  using Decide = absl::FunctionRef<absl::StatusOr<CustomerEvents>(const crm::v1::CustomerArchive&)>;
  absl::StatusOr<std::string> Run(const grpc::ServerContext& context, const Command& command,
                                  Decide decide);

  // The archive of `customer_id`; NOT_FOUND naming the field when it is not registered.
  absl::StatusOr<crm::v1::CustomerArchive> LoadArchive(std::string_view customer_id) const;

  // The same for a caller: PERMISSION_DENIED when it may not act in the customer's region.
  absl::StatusOr<crm::v1::CustomerArchive> LoadArchiveFor(const grpc::ServerContext& context,
                                                          std::string_view customer_id) const;

  // ALREADY_EXISTS when another customer than `customer_id` holds the summary's
  // normalised name in its region or its external id.
  absl::Status CheckIdentityFree(const crm::v1::CustomerSummary& summary,
                                 std::string_view customer_id) const;

  eventstore::EventStore& store_;
  crypto::KeyVault& vault_;
  RegistryServiceOptions options_;
  StripedLocks identity_locks_;
};

}  // namespace crm::registry
