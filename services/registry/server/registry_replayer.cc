#include "registry_replayer.h"

#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"
#include "crm/registry/command_replies.h"
#include "crm/registry/history.h"
#include "crm/registry/read_models.h"
#include "handler_support.h"

namespace crm::registry {

absl::StatusOr<runtime::Replayed> RegistryReplayer::Replay(
    const eventstore::StreamHead& head, std::span<const eventstore::StoredEvent> events) {
  crm::v1::CustomerArchive before;
  if (head.version > 0 && !before.ParseFromString(head.state)) {
    return absl::DataLossError(
        absl::StrCat("the rebuilt archive at version ", head.version, " does not parse"));
  }
  crm::v1::CustomerArchive after = before;
  CustomerEvents recorded;
  runtime::Replayed replayed;
  std::vector<RowChange> profile_rows;
  for (const eventstore::StoredEvent& stored : events) {
    ASSIGN_OR_RETURN(CustomerEvent event,
                     ParseCustomerEvent(stored.metadata.event_type(), stored.bytes));
    Evolve(stored.metadata, event, after);
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
  for (RowChange& row : ReadModelChanges(before, after)) {
    replayed.rows.push_back({std::string(row.table), std::move(row.key), std::move(row.value)});
  }
  for (RowChange& row : profile_rows) {
    replayed.rows.push_back({std::string(row.table), std::move(row.key), std::move(row.value)});
  }
  replayed.reply =
      CommandReply(MethodOfRequest(events.front().metadata.request_id()), recorded, after);
  replayed.state = after.SerializeAsString();
  return replayed;
}

}  // namespace crm::registry
