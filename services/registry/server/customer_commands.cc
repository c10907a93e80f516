// Commands on a customer's summary, sections, lifecycle and key dates.
#include "crm/base/status_macros.h"
#include "crm/kafka/partitioner.h"
#include "crm/registry/access_rules.h"
#include "crm/registry/read_models.h"
#include "crm/runtime/caller.h"
#include "handler_support.h"
#include "registry_service.h"

namespace crm::registry {
namespace {

// The index keys a summary claims: its normalised name in its region, its external id.
std::vector<std::string> IdentitiesOf(const crm::v1::CustomerSummary& summary) {
  std::vector<std::string> keys = {NameIndexKey(summary.region(), summary.legal_name())};
  if (!summary.external_id().empty()) keys.push_back(ExternalIdIndexKey(summary.external_id()));
  return keys;
}

// The stored figures of the year an update names, or null.
const crm::v1::FinanceYear* StoredFinanceYear(const crm::v1::CustomerArchive& archive,
                                              const crm::v1::FinanceYear& requested) {
  for (const crm::v1::FinanceYear& year : archive.finances()) {
    if (year.fiscal_year() == requested.fiscal_year()) return &year;
  }
  return nullptr;
}

}  // namespace

grpc::Status RegistryService::RegisterCustomer(grpc::ServerContext* context,
                                               const crm::v1::RegisterCustomerRequest* request,
                                               crm::v1::RegisterCustomerResponse* response) {
  const crm::v1::CustomerSummary& summary = request->summary();
  // An id of this task's partition: about partition_count draws (one with one partition).
  std::string customer_id = NewId("cus");
  while (kafka::KeyPartition(customer_id, options_.partition_count) != options_.partition) {
    customer_id = NewId("cus");
  }
  StripedLocks::Guard guard(identity_locks_, IdentitiesOf(summary));
  return Reply(Run(*context,
                   {.method = "RegisterCustomer",
                    .request_id = request->request_id(),
                    .customer_id = customer_id,
                    .creates = true},
                   [&](const crm::v1::CustomerArchive&) -> absl::StatusOr<CustomerEvents> {
                     ASSIGN_OR_RETURN(CustomerEvents events,
                                      DecideRegister(customer_id, summary, request->status()));
                     RETURN_IF_ERROR(CheckIdentityFree(summary, customer_id));
                     return events;
                   }),
               response);
}

grpc::Status RegistryService::UpdateSummary(grpc::ServerContext* context,
                                            const crm::v1::UpdateSummaryRequest* request,
                                            crm::v1::UpdateSummaryResponse* response) {
  const crm::v1::CustomerSummary& summary = request->summary();
  StripedLocks::Guard guard(identity_locks_, IdentitiesOf(summary));
  return Reply(Run(*context,
                   {.method = "UpdateSummary",
                    .request_id = request->request_id(),
                    .customer_id = request->customer_id(),
                    .expected_version = request->expected_version()},
                   [&](const crm::v1::CustomerArchive& archive) -> absl::StatusOr<CustomerEvents> {
                     ASSIGN_OR_RETURN(CustomerEvents events,
                                      DecideUpdateSummary(archive, summary, request->reason()));
                     if (!events.empty())
                       RETURN_IF_ERROR(CheckIdentityFree(summary, archive.customer_id()));
                     return events;
                   }),
               response);
}

grpc::Status RegistryService::UpdateSection(grpc::ServerContext* context,
                                            const crm::v1::UpdateSectionRequest* request,
                                            crm::v1::UpdateSectionResponse* response) {
  const crm::v1::Role caller_role = runtime::CallerOf(*context).role();
  return Reply(Run(*context,
                   {.method = "UpdateSection",
                    .request_id = request->request_id(),
                    .customer_id = request->customer_id(),
                    .expected_version = request->expected_version()},
                   [&](const crm::v1::CustomerArchive& archive) -> absl::StatusOr<CustomerEvents> {
                     if (!request->update().has_finance()) {
                       return DecideUpdateSection(archive, request->update());
                     }
                     // Figures the caller's role may not set are kept as stored.
                     crm::v1::ArchiveSectionUpdated update = request->update();
                     ASSIGN_OR_RETURN(
                         *update.mutable_finance(),
                         FinanceUpdateBy(caller_role, update.finance(),
                                         StoredFinanceYear(archive, update.finance())));
                     return DecideUpdateSection(archive, update);
                   }),
               response);
}

grpc::Status RegistryService::ChangeLifecycle(grpc::ServerContext* context,
                                              const crm::v1::ChangeLifecycleRequest* request,
                                              crm::v1::ChangeLifecycleResponse* response) {
  return Reply(Run(*context,
                   {.method = "ChangeLifecycle",
                    .request_id = request->request_id(),
                    .customer_id = request->customer_id(),
                    .expected_version = request->expected_version()},
                   [&](const crm::v1::CustomerArchive& archive) {
                     return DecideChangeLifecycle(archive, request->status(), request->reason());
                   }),
               response);
}

grpc::Status RegistryService::AddKeyDate(grpc::ServerContext* context,
                                         const crm::v1::AddKeyDateRequest* request,
                                         crm::v1::AddKeyDateResponse* response) {
  crm::v1::KeyDate date = request->date();
  date.set_date_id(NewId("kd"));
  if (!date.person_id().empty()) {
    if (absl::Status valid = CheckId("date.person_id", date.person_id()); !valid.ok()) {
      return runtime::ToGrpcStatus(valid);
    }
  }
  return Reply(
      Run(*context,
          {.method = "AddKeyDate",
           .request_id = request->request_id(),
           .customer_id = request->customer_id(),
           .expected_version = request->expected_version()},
          [&](const crm::v1::CustomerArchive& archive) { return DecideAddKeyDate(archive, date); }),
      response);
}

grpc::Status RegistryService::RemoveKeyDate(grpc::ServerContext* context,
                                            const crm::v1::RemoveKeyDateRequest* request,
                                            crm::v1::RemoveKeyDateResponse* response) {
  if (absl::Status valid = CheckId("date_id", request->date_id()); !valid.ok()) {
    return runtime::ToGrpcStatus(valid);
  }
  return Reply(Run(*context,
                   {.method = "RemoveKeyDate",
                    .request_id = request->request_id(),
                    .customer_id = request->customer_id(),
                    .expected_version = request->expected_version()},
                   [&](const crm::v1::CustomerArchive& archive) {
                     return DecideRemoveKeyDate(archive, request->date_id());
                   }),
               response);
}

}  // namespace crm::registry
