// Logging, correcting and cancelling touchpoints, each on the customer's stream so that its
// latest contacts stay exact. The events carry what their rows need (a changed
// touchpoint's previous facts and the contacts found anew without it), and the rows and
// counters follow from them (crm/engagement/touchpoint_events.h); the employees' week
// counts are counter rows, added to without reading them.
#include "absl/strings/str_cat.h"
#include "crm/base/field_errors.h"
#include "crm/base/status_macros.h"
#include "crm/engagement/read_models.h"
#include "crm/engagement/touchpoint_events.h"
#include "crm/engagement/touchpoints.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/replies.h"
#include "crm/runtime/request_checks.h"
#include "crm/runtime/row_writes.h"
#include "crm/runtime/stored_messages.h"
#include "engagement_service.h"
#include "google/protobuf/util/time_util.h"
#include "touchpoint_facts.h"

namespace crm::engagement {
namespace {

constexpr size_t kMaxReasonLength = 1000;

std::vector<PersonReference> PersonsOf(const crm::v1::TouchpointFacts& facts) {
  std::vector<PersonReference> persons;
  persons.reserve(facts.person_ids_size());
  for (int i = 0; i < facts.person_ids_size(); ++i) {
    persons.push_back({facts.person_ids(i), absl::StrCat("facts.person_ids[", i, "]")});
  }
  return persons;
}

absl::Status CheckReason(std::string_view reason, bool required) {
  if (required && reason.empty()) return Invalid("reason", "is required");
  if (Utf8Length(reason) > kMaxReasonLength) {
    return Invalid("reason", "is longer than 1000 characters");
  }
  return absl::OkStatus();
}

// The decision of a touchpoint event: the event, the state after it, its rows and counters.
template <class Event>
runtime::Decision DecisionOf(const Event& event, CustomerEngagement state,
                             const std::string& reply) {
  Evolve(event, state);
  TouchpointProjection changes = TouchpointChanges(event);
  return {.events = {eventstore::NewEvent::From(event)},
          .state = state.SerializeAsString(),
          .rows = runtime::RowWritesOf(std::move(changes.rows)),
          .counters = runtime::CounterAddsOf(std::move(changes.counters)),
          .response = reply};
}

}  // namespace

grpc::Status EngagementService::LogTouchpoint(grpc::ServerContext* context,
                                              const crm::v1::LogTouchpointRequest* request,
                                              crm::v1::LogTouchpointResponse* response) {
  auto log = [&]() -> absl::StatusOr<std::string> {
    const std::string& customer_id = request->customer_id();
    RETURN_IF_ERROR(runtime::CheckId("customer_id", customer_id));
    RETURN_IF_ERROR(ValidateTouchpointFacts(request->facts(), Today()));
    RETURN_IF_ERROR(
        directory_.Find(runtime::PrincipalOf(*context), customer_id, PersonsOf(request->facts()))
            .status());
    crm::v1::Touchpoint touchpoint =
        TouchpointFrom(runtime::NewId("tp"), customer_id, request->facts());
    *touchpoint.mutable_logged_by() = runtime::CallerOf(*context);
    *touchpoint.mutable_logged_at() = google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
        absl::ToUnixNanos(options_.clock->Now()));

    const Command command{.method = "LogTouchpoint",
                          .request_id = request->request_id(),
                          .stream = CustomerStream(customer_id),
                          .customer_id = customer_id};
    return Run(*context, command,
               [&](const eventstore::StreamHead& head) -> absl::StatusOr<Decision> {
                 ASSIGN_OR_RETURN(CustomerEngagement state,
                                  runtime::ParseState<CustomerEngagement>(head, command.stream));
                 crm::v1::TouchpointLogged logged;
                 *logged.mutable_touchpoint() = touchpoint;
                 crm::v1::LogTouchpointResponse reply;
                 *reply.mutable_touchpoint() = touchpoint;
                 return DecisionOf(logged, std::move(state), reply.SerializeAsString());
               });
  };
  return runtime::Reply(log(), response);
}

grpc::Status EngagementService::CorrectTouchpoint(grpc::ServerContext* context,
                                                  const crm::v1::CorrectTouchpointRequest* request,
                                                  crm::v1::CorrectTouchpointResponse* response) {
  auto correct = [&]() -> absl::StatusOr<std::string> {
    const std::string& customer_id = request->customer_id();
    RETURN_IF_ERROR(runtime::CheckId("customer_id", customer_id));
    RETURN_IF_ERROR(ValidateTouchpointFacts(request->facts(), Today()));
    RETURN_IF_ERROR(CheckReason(request->reason(), false));
    RETURN_IF_ERROR(
        directory_.Find(runtime::PrincipalOf(*context), customer_id, PersonsOf(request->facts()))
            .status());
    const Command command{.method = "CorrectTouchpoint",
                          .request_id = request->request_id(),
                          .stream = CustomerStream(customer_id),
                          .customer_id = customer_id};
    return Run(
        *context, command, [&](const eventstore::StreamHead& head) -> absl::StatusOr<Decision> {
          ASSIGN_OR_RETURN(crm::v1::Touchpoint before,
                           LoadTouchpoint(customer_id, request->touchpoint_id()));
          crm::v1::Touchpoint after =
              TouchpointFrom(before.touchpoint_id(), customer_id, request->facts());
          *after.mutable_logged_by() = before.logged_by();
          *after.mutable_logged_at() = before.logged_at();
          ASSIGN_OR_RETURN(CustomerEngagement state,
                           runtime::ParseState<CustomerEngagement>(head, command.stream));
          ASSIGN_OR_RETURN(std::vector<crm::v1::LatestContact> restored,
                           ContactsFoundAnew(store_, before, state));
          ASSIGN_OR_RETURN(crm::v1::TouchpointCorrected corrected,
                           DecideCorrection(before, after, request->reason(), std::move(restored)));
          crm::v1::CorrectTouchpointResponse reply;
          *reply.mutable_touchpoint() = after;
          return DecisionOf(corrected, std::move(state), reply.SerializeAsString());
        });
  };
  return runtime::Reply(correct(), response);
}

grpc::Status EngagementService::CancelTouchpoint(grpc::ServerContext* context,
                                                 const crm::v1::CancelTouchpointRequest* request,
                                                 crm::v1::CancelTouchpointResponse* response) {
  auto cancel = [&]() -> absl::StatusOr<std::string> {
    const std::string& customer_id = request->customer_id();
    RETURN_IF_ERROR(runtime::CheckId("customer_id", customer_id));
    RETURN_IF_ERROR(CheckReason(request->reason(), true));
    const Command command{.method = "CancelTouchpoint",
                          .request_id = request->request_id(),
                          .stream = CustomerStream(customer_id),
                          .customer_id = customer_id};
    return Run(
        *context, command, [&](const eventstore::StreamHead& head) -> absl::StatusOr<Decision> {
          ASSIGN_OR_RETURN(crm::v1::Touchpoint touchpoint,
                           LoadTouchpoint(customer_id, request->touchpoint_id()));
          ASSIGN_OR_RETURN(CustomerEngagement state,
                           runtime::ParseState<CustomerEngagement>(head, command.stream));
          ASSIGN_OR_RETURN(std::vector<crm::v1::LatestContact> restored,
                           ContactsFoundAnew(store_, touchpoint, state));
          ASSIGN_OR_RETURN(crm::v1::TouchpointCancelled cancelled,
                           DecideCancellation(touchpoint, request->reason(), std::move(restored)));
          return DecisionOf(cancelled, std::move(state),
                            crm::v1::CancelTouchpointResponse().SerializeAsString());
        });
  };
  return runtime::Reply(cancel(), response);
}

}  // namespace crm::engagement
