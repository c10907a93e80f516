#include "registry_replayer.h"

#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"
#include "crm/registry/command_replies.h"
#include "crm/registry/history.h"
#include "crm/registry/read_models.h"
#include "handler_support.h"

namespace crm::registry {
namespace {

// What of an archive its read models depend on (see ReadModelChanges): a cheap copy of the
// archive before a command.
crm::v1::CustomerArchive ReadModelPart(const crm::v1::CustomerArchive& archive) {
  crm::v1::CustomerArchive part;
  part.set_customer_id(archive.customer_id());
  *part.mutable_summary() = archive.summary();
  *part.mutable_key_dates() = archive.key_dates();
  return part;
}

}  // namespace

absl::StatusOr<runtime::Replayed> RegistryReplayer::Replay(
    const eventstore::StreamHead& head, std::span<const runtime::RecordedEvents> commands) {
  crm::v1::CustomerArchive archive;
  if (head.version > 0 && !archive.ParseFromString(head.state)) {
    return absl::DataLossError(
        absl::StrCat("the rebuilt archive at version ", head.version, " does not parse"));
  }
  runtime::Replayed replayed;
  for (const runtime::RecordedEvents& events : commands) {
    const crm::v1::CustomerArchive before = ReadModelPart(archive);
    CustomerEvents recorded;
    for (const eventstore::StoredEvent& stored : events) {
      ASSIGN_OR_RETURN(CustomerEvent event,
                       ParseCustomerEvent(stored.metadata.event_type(), stored.bytes));
      Evolve(stored.metadata, event, archive);
      recorded.push_back(std::move(event));
    }
    RETURN_IF_ERROR(DestroyErasedKeys(vault_, recorded));
    // A command's events share the time it decided at.
    runtime::ReplayedCommand& outcome = replayed.commands.emplace_back();
    outcome.rows = RowWritesOf(
        CommandRowChanges(before, archive, recorded, events.front().metadata.occurred_at()));
    outcome.reply =
        CommandReply(MethodOfRequest(events.front().metadata.request_id()), recorded, archive);
  }
  replayed.state = archive.SerializeAsString();
  return replayed;
}

}  // namespace crm::registry
