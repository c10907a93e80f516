// The registry's commands on the shared write path (crm/runtime/commands.h): each decides
// on the customer's archive, which its events then evolve, and the archive's read-model
// rows follow from the change.
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "crm/base/key_encoding.h"
#include "crm/base/status_macros.h"
#include "crm/crypto/sealed_box.h"
#include "crm/registry/command_replies.h"
#include "crm/registry/read_models.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/commands.h"
#include "crm/runtime/stored_messages.h"
#include "google/protobuf/util/time_util.h"
#include "handler_support.h"
#include "registry_service.h"

namespace crm::registry {

RegistryService::RegistryService(eventstore::EventStore& store, crypto::KeyVault& vault,
                                 RegistryServiceOptions options)
    : store_(store), vault_(vault), options_(std::move(options)) {
  // A partition outside the count would never draw an id of its own: a wiring mistake.
  if (options_.partition_count < 1 || options_.partition < 0 ||
      options_.partition >= options_.partition_count) {
    std::fprintf(stderr, "registry: partition %d of %d does not exist\n", options_.partition,
                 options_.partition_count);
    std::abort();
  }
}

absl::StatusOr<std::string> RegistryService::Run(const grpc::ServerContext& context,
                                                 const Command& command, Decide decide) {
  RETURN_IF_ERROR(CheckId("customer_id", command.customer_id));
  const security::Principal caller = runtime::PrincipalOf(context);
  const runtime::Command run{
      .method = command.method,
      .request_id = command.request_id,
      .stream = StreamOf(command.customer_id),
      .customer_id = std::string(command.customer_id),
      .expected_version = command.expected_version,
      .must = command.creates ? runtime::StreamMust::kBeNew : runtime::StreamMust::kExist,
      .subject = {"customer_id", command.customer_id, "customer"}};
  return runtime::RunCommand(
      store_, context, run, options_.topic,
      [&](const eventstore::StreamHead& head) -> absl::StatusOr<runtime::Decision> {
        ASSIGN_OR_RETURN(crm::v1::CustomerArchive before,
                         runtime::ParseState<crm::v1::CustomerArchive>(head, run.stream));
        // A caller limited to some regions neither changes a customer of another region nor
        // registers one there (a customer's region never changes).
        if (head.version > 0) {
          RETURN_IF_ERROR(security::RequireRegion(caller, before.summary().region()));
        }
        ASSIGN_OR_RETURN(CustomerEvents events, decide(before));
        // The time the events are stamped with, so that folding them (Evolve) gives the
        // archive computed here.
        const absl::Time now = options_.clock->Now();
        runtime::Decision decision{.occurred_at = now};
        if (events.empty()) {
          decision.response = CommandReply(command.method, events, before);
          return decision;
        }
        crm::v1::CustomerArchive after = before;
        for (const CustomerEvent& event : events) {
          Apply(event, now, after);
          decision.events.push_back(eventstore::NewEvent::From(AsMessage(event)));
        }
        after.set_version(head.version + events.size());
        if (head.version == 0) {
          RETURN_IF_ERROR(security::RequireRegion(caller, after.summary().region()));
        }
        // The key goes first: should the append then fail, the profile is already
        // unreadable, which errs on the side of the person; a retry records the event.
        RETURN_IF_ERROR(DestroyErasedKeys(vault_, events));
        decision.rows = RowWritesOf(CommandRowChanges(
            before, after, events,
            google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(now))));
        decision.state = after.SerializeAsString();
        decision.response = CommandReply(command.method, events, after);
        return decision;
      });
}

absl::StatusOr<crm::v1::CustomerArchive> RegistryService::LoadArchive(
    std::string_view customer_id) const {
  RETURN_IF_ERROR(CheckId("customer_id", customer_id));
  ASSIGN_OR_RETURN(eventstore::StreamHead head, store_.LoadHead(StreamOf(customer_id)));
  if (head.version == 0) {
    return absl::NotFoundError(
        absl::StrCat("customer_id ", std::string(customer_id), " names no customer"));
  }
  crm::v1::CustomerArchive archive;
  if (!archive.ParseFromString(head.state)) {
    return absl::InternalError(
        absl::StrCat("the archive of customer ", std::string(customer_id), " does not parse"));
  }
  return archive;
}

absl::StatusOr<crm::v1::CustomerArchive> RegistryService::LoadArchiveFor(
    const grpc::ServerContext& context, std::string_view customer_id) const {
  ASSIGN_OR_RETURN(crm::v1::CustomerArchive archive, LoadArchive(customer_id));
  RETURN_IF_ERROR(runtime::RequireRegion(context, archive.summary().region()));
  return archive;
}

absl::Status RegistryService::CheckIdentityFree(const crm::v1::CustomerSummary& summary,
                                                std::string_view customer_id) const {
  ASSIGN_OR_RETURN(
      std::optional<std::string> by_name,
      store_.GetRow(kNameIndexTable, NameIndexKey(summary.region(), summary.legal_name())));
  if (by_name.has_value() && *by_name != customer_id) {
    return absl::AlreadyExistsError(absl::StrCat("summary.legal_name \"", summary.legal_name(),
                                                 "\" is already registered in region ",
                                                 summary.region(), " as customer ", *by_name));
  }
  if (summary.external_id().empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::optional<std::string> by_external_id,
                   store_.GetRow(kExternalIdIndexTable, ExternalIdIndexKey(summary.external_id())));
  if (by_external_id.has_value() && *by_external_id != customer_id) {
    return absl::AlreadyExistsError(absl::StrCat("summary.external_id ", summary.external_id(),
                                                 " is already customer ", *by_external_id));
  }
  return absl::OkStatus();
}

}  // namespace crm::registry
