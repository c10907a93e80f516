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

void AddRows(std::vector<RowChange> changes, std::vector<eventstore::RowWrite>& rows) {
  for (RowChange& row : changes) {
    rows.push_back({std::string(row.table), std::move(row.key), std::move(row.value)});
  }
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
    std::vector<RowChange> profile_rows;
    for (const eventstore::StoredEvent& stored : events) {
      ASSIGN_OR_RETURN(CustomerEvent event,
                       ParseCustomerEvent(stored.metadata.event_type(), stored.bytes));
      Evolve(stored.metadata, event, archive);
      if (const auto* erased = std::get_if<crm::v1::PersonalProfileErased>(&event)) {
        RETURN_IF_ERROR(
            vault_.DestroyKey(ProfileSubject(erased->customer_id(), erased->person_id())));
      }
      if (std::optional<RowChange> row = ProfileRowChange(event, stored.metadata.occurred_at())) {
        profile_rows.push_back(*std::move(row));
      }
      recorded.push_back(std::move(event));
    }
    // In the order the command path writes them: the read models, then the profiles.
    runtime::ReplayedCommand& outcome = replayed.commands.emplace_back();
    AddRows(ReadModelChanges(before, archive), outcome.rows);
    AddRows(std::move(profile_rows), outcome.rows);
    outcome.reply =
        CommandReply(MethodOfRequest(events.front().metadata.request_id()), recorded, archive);
  }
  replayed.state = archive.SerializeAsString();
  return replayed;
}

}  // namespace crm::registry
