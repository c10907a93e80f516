// The write path every engagement command shares (DESIGN.md "Write path"), and the loads
// of stream states that commands and queries share.
#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/request_checks.h"
#include "engagement_service.h"
#include "stored_messages.h"
#include "tables.h"

namespace crm::engagement {
EngagementService::EngagementService(eventstore::EventStore& store,
                                     const CustomerDirectory& directory,
                                     EngagementServiceOptions options)
    : store_(store), directory_(directory), options_(std::move(options)) {}

absl::StatusOr<std::string> EngagementService::Run(const grpc::ServerContext& context,
                                                   const Command& command, Decide decide) {
  RETURN_IF_ERROR(runtime::CheckRequestId(command.request_id));
  const eventstore::CommandContext command_context =
      runtime::CommandContextOf(context, command.method, command.request_id);
  ASSIGN_OR_RETURN(
      eventstore::AppendResult result,
      store_.Execute(
          command.stream, command_context,
          [&](const eventstore::StreamHead& head) -> absl::StatusOr<eventstore::AppendRequest> {
            if (command.expected_version != 0 && command.expected_version != head.version) {
              return absl::AbortedError(absl::StrCat("expected_version ", command.expected_version,
                                                     " is stale: ", command.stream,
                                                     " is at version ", head.version));
            }
            ASSIGN_OR_RETURN(Decision decision, decide(head));
            return eventstore::AppendRequest{.expected_version = head.version,
                                             .customer_id = decision.customer_id.empty()
                                                                ? command.customer_id
                                                                : decision.customer_id,
                                             .events = std::move(decision.events),
                                             .state = std::move(decision.state),
                                             .rows = std::move(decision.rows),
                                             .topic = options_.topic,
                                             .response = std::move(decision.response)};
          }));
  return std::move(result.response);
}

absl::CivilDay EngagementService::Today() const {
  return absl::ToCivilDay(options_.clock->Now(), absl::UTCTimeZone());
}

absl::StatusOr<internal::CustomerEngagement> EngagementService::LoadEngagement(
    std::string_view customer_id) const {
  const std::string stream = CustomerStream(customer_id);
  ASSIGN_OR_RETURN(eventstore::StreamHead head, store_.LoadHead(stream));
  return ParseState<internal::CustomerEngagement>(head, stream);
}

absl::StatusOr<internal::EngagementSettings> EngagementService::LoadSettings() const {
  ASSIGN_OR_RETURN(eventstore::StreamHead head, store_.LoadHead(kSettingsStream));
  return ParseState<internal::EngagementSettings>(head, kSettingsStream);
}

absl::StatusOr<crm::v1::RelationshipPlan> EngagementService::LoadPlan(
    std::string_view plan_id) const {
  RETURN_IF_ERROR(runtime::CheckId("plan_id", plan_id));
  const std::string stream = PlanStream(plan_id);
  ASSIGN_OR_RETURN(eventstore::StreamHead head, store_.LoadHead(stream));
  if (head.version == 0) {
    return absl::NotFoundError(absl::StrCat("plan_id ", std::string(plan_id), " names no plan"));
  }
  return ParseState<crm::v1::RelationshipPlan>(head, stream);
}

absl::StatusOr<crm::v1::Touchpoint> EngagementService::LoadTouchpoint(
    std::string_view customer_id, std::string_view touchpoint_id) const {
  RETURN_IF_ERROR(runtime::CheckId("touchpoint_id", touchpoint_id));
  ASSIGN_OR_RETURN(std::optional<std::string> row,
                   store_.GetRow(kTouchpoints, TouchpointKey(customer_id, touchpoint_id)));
  crm::v1::Touchpoint touchpoint;
  if (!row.has_value()) {
    return absl::NotFoundError(absl::StrCat("touchpoint_id ", std::string(touchpoint_id),
                                            " names no touchpoint of customer ",
                                            std::string(customer_id)));
  }
  if (!touchpoint.ParseFromString(*row)) return absl::InternalError("a touchpoint row is corrupt");
  return touchpoint;
}

}  // namespace crm::engagement
