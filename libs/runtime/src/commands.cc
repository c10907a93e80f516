#include "crm/runtime/commands.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/request_checks.h"

namespace crm::runtime {
namespace {

absl::Status CheckExistence(const Command& command, const eventstore::StreamHead& head) {
  const Subject& subject = command.subject;
  switch (command.must) {
    case StreamMust::kEither:
      return absl::OkStatus();
    case StreamMust::kExist:
      if (head.version > 0) return absl::OkStatus();
      return absl::NotFoundError(absl::StrCat(std::string(subject.id_field), " ",
                                              std::string(subject.id), " names no ",
                                              std::string(subject.noun)));
    case StreamMust::kBeNew:
      if (head.version == 0) return absl::OkStatus();
      return absl::AlreadyExistsError(absl::StrCat(std::string(subject.id_field), " is taken"));
  }
  return absl::InternalError("unknown StreamMust");
}

}  // namespace

absl::StatusOr<std::string> RunCommand(eventstore::EventStore& store,
                                       const grpc::ServerContext& context, const Command& command,
                                       std::string_view topic, Decide decide) {
  RETURN_IF_ERROR(CheckRequestId(command.request_id));
  const eventstore::CommandContext command_context =
      CommandContextOf(context, command.method, command.request_id);
  ASSIGN_OR_RETURN(
      eventstore::AppendResult result,
      store.Execute(
          command.stream, command_context,
          [&](const eventstore::StreamHead& head) -> absl::StatusOr<eventstore::AppendRequest> {
            RETURN_IF_ERROR(CheckExistence(command, head));
            if (command.expected_version != 0 && command.expected_version != head.version) {
              return absl::AbortedError(absl::StrCat("expected_version ", command.expected_version,
                                                     " is stale: ", command.stream,
                                                     " is at version ", head.version));
            }
            ASSIGN_OR_RETURN(Decision decision, decide(head));
            eventstore::AppendRequest append{.expected_version = head.version,
                                             .customer_id = decision.customer_id.empty()
                                                                ? command.customer_id
                                                                : decision.customer_id,
                                             .events = std::move(decision.events),
                                             .state = std::move(decision.state),
                                             .rows = std::move(decision.rows),
                                             .counters = std::move(decision.counters),
                                             .topic = std::string(topic),
                                             .response = std::move(decision.response)};
            append.context.occurred_at = decision.occurred_at;
            return append;
          }));
  RETURN_IF_ERROR(AwaitPublished(store, context, result.last_position));
  return std::move(result.response);
}

absl::Status AwaitPublished(const eventstore::EventStore& store, const grpc::ServerContext& context,
                            uint64_t last_position) {
  if (!store.acknowledges_when_published() || last_position == 0) return absl::OkStatus();
  const absl::Time deadline =
      std::min(absl::FromChrono(context.deadline()), absl::Now() + store.publication_timeout());
  if (store.WaitForPublished(last_position, deadline)) return absl::OkStatus();
  return absl::UnavailableError(
      "the write is recorded, but Kafka has not confirmed its events yet: retry with the same "
      "request_id to wait for them again");
}

}  // namespace crm::runtime
