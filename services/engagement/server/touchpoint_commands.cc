// Logging, correcting and cancelling touchpoints. Each runs on the customer's stream, so
// that its latest contacts stay exact, under the week locks of the employees it counts.
#include "absl/strings/str_cat.h"
#include "crm/base/field_errors.h"
#include "crm/base/status_macros.h"
#include "crm/calendar/calendar.h"
#include "crm/engagement/touchpoints.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/replies.h"
#include "crm/runtime/request_checks.h"
#include "crm/runtime/stored_messages.h"
#include "engagement_service.h"
#include "google/protobuf/util/time_util.h"
#include "tables.h"

namespace crm::engagement {
namespace {

constexpr size_t kMaxReasonLength = 1000;

std::vector<PersonReference> PersonsOf(const crm::v1::TouchpointFacts& facts) {
  std::vector<PersonReference> persons;
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

// Whether two versions of a touchpoint count the same employees in the same week.
bool SameWeekCounts(const crm::v1::Touchpoint& a, const crm::v1::Touchpoint& b) {
  return DayOfDate(a.date()) == DayOfDate(b.date()) &&
         a.employees().size() == b.employees().size() &&
         std::equal(
             a.employees().begin(), a.employees().end(), b.employees().begin(),
             [](const auto& x, const auto& y) { return x.employee_id() == y.employee_id(); });
}

std::vector<std::string> Concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

void Append(std::vector<eventstore::RowWrite>& rows, std::vector<eventstore::RowWrite> more) {
  for (auto& row : more) rows.push_back(std::move(row));
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

    StripedLocks::Guard guard(week_locks_, WeekLockKeys(touchpoint));
    const Command command{.method = "LogTouchpoint",
                          .request_id = request->request_id(),
                          .stream = CustomerStream(customer_id),
                          .customer_id = customer_id};
    return Run(*context, command,
               [&](const eventstore::StreamHead& head) -> absl::StatusOr<Decision> {
                 ASSIGN_OR_RETURN(CustomerEngagement state,
                                  runtime::ParseState<CustomerEngagement>(head, command.stream));
                 state.set_customer_id(customer_id);
                 NoteContacts(touchpoint, state);
                 WeekCounts counts;
                 RETURN_IF_ERROR(CountWeek(touchpoint, +1, counts));

                 crm::v1::TouchpointLogged logged;
                 *logged.mutable_touchpoint() = touchpoint;
                 crm::v1::LogTouchpointResponse reply;
                 *reply.mutable_touchpoint() = touchpoint;
                 Decision decision{.events = {eventstore::NewEvent::From(logged)},
                                   .state = state.SerializeAsString(),
                                   .response = reply.SerializeAsString()};
                 decision.rows.push_back({std::string(kTouchpoints),
                                          TouchpointKey(customer_id, touchpoint.touchpoint_id()),
                                          touchpoint.SerializeAsString()});
                 Append(decision.rows, TouchpointRows(touchpoint, true));
                 Append(decision.rows, WeekCountRows(counts));
                 return decision;
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
    // Read before any lock, to know which weeks' counts to lock: week locks are always taken
    // before the stream's, and the touchpoint is read again under both.
    ASSIGN_OR_RETURN(crm::v1::Touchpoint seen,
                     LoadTouchpoint(customer_id, request->touchpoint_id()));
    crm::v1::Touchpoint after = TouchpointFrom(seen.touchpoint_id(), customer_id, request->facts());
    *after.mutable_logged_by() = seen.logged_by();
    *after.mutable_logged_at() = seen.logged_at();

    StripedLocks::Guard guard(week_locks_, Concat(WeekLockKeys(seen), WeekLockKeys(after)));
    const Command command{.method = "CorrectTouchpoint",
                          .request_id = request->request_id(),
                          .stream = CustomerStream(customer_id),
                          .customer_id = customer_id};
    return Run(
        *context, command, [&](const eventstore::StreamHead& head) -> absl::StatusOr<Decision> {
          ASSIGN_OR_RETURN(crm::v1::Touchpoint before,
                           LoadTouchpoint(customer_id, request->touchpoint_id()));
          if (before.cancelled()) {
            return absl::FailedPreconditionError(absl::StrCat(
                "touchpoint_id ", before.touchpoint_id(), " is cancelled and cannot be corrected"));
          }
          if (!SameWeekCounts(before, seen)) {
            return absl::AbortedError("the touchpoint changed meanwhile; read it again and retry");
          }
          ASSIGN_OR_RETURN(CustomerEngagement state,
                           runtime::ParseState<CustomerEngagement>(head, command.stream));
          RETURN_IF_ERROR(RestoreContacts(before, state));
          NoteContacts(after, state);
          WeekCounts counts;
          RETURN_IF_ERROR(CountWeek(before, -1, counts));
          RETURN_IF_ERROR(CountWeek(after, +1, counts));

          crm::v1::TouchpointCorrected corrected;
          *corrected.mutable_touchpoint() = after;
          corrected.set_reason(request->reason());
          crm::v1::CorrectTouchpointResponse reply;
          *reply.mutable_touchpoint() = after;
          Decision decision{.events = {eventstore::NewEvent::From(corrected)},
                            .state = state.SerializeAsString(),
                            .response = reply.SerializeAsString()};
          decision.rows.push_back({std::string(kTouchpoints),
                                   TouchpointKey(customer_id, after.touchpoint_id()),
                                   after.SerializeAsString()});
          // The old rows go first: where a key is the same, the new row is written last.
          Append(decision.rows, TouchpointRows(before, false));
          Append(decision.rows, TouchpointRows(after, true));
          Append(decision.rows, WeekCountRows(counts));
          return decision;
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
    // Read before any lock, to know which weeks' counts to lock: week locks are always taken
    // before the stream's, and the touchpoint is read again under both.
    ASSIGN_OR_RETURN(crm::v1::Touchpoint seen,
                     LoadTouchpoint(customer_id, request->touchpoint_id()));

    StripedLocks::Guard guard(week_locks_, WeekLockKeys(seen));
    const Command command{.method = "CancelTouchpoint",
                          .request_id = request->request_id(),
                          .stream = CustomerStream(customer_id),
                          .customer_id = customer_id};
    return Run(
        *context, command, [&](const eventstore::StreamHead& head) -> absl::StatusOr<Decision> {
          ASSIGN_OR_RETURN(crm::v1::Touchpoint touchpoint,
                           LoadTouchpoint(customer_id, request->touchpoint_id()));
          if (touchpoint.cancelled()) {
            return absl::FailedPreconditionError(absl::StrCat(
                "touchpoint_id ", touchpoint.touchpoint_id(), " is already cancelled"));
          }
          if (!SameWeekCounts(touchpoint, seen)) {
            return absl::AbortedError("the touchpoint changed meanwhile; read it again and retry");
          }
          ASSIGN_OR_RETURN(CustomerEngagement state,
                           runtime::ParseState<CustomerEngagement>(head, command.stream));
          RETURN_IF_ERROR(RestoreContacts(touchpoint, state));
          WeekCounts counts;
          RETURN_IF_ERROR(CountWeek(touchpoint, -1, counts));

          crm::v1::TouchpointCancelled cancelled;
          cancelled.set_customer_id(customer_id);
          cancelled.set_touchpoint_id(touchpoint.touchpoint_id());
          cancelled.set_reason(request->reason());
          Decision decision{.events = {eventstore::NewEvent::From(cancelled)},
                            .state = state.SerializeAsString(),
                            .response = crm::v1::CancelTouchpointResponse().SerializeAsString()};
          Append(decision.rows, TouchpointRows(touchpoint, false));
          touchpoint.set_cancelled(true);
          touchpoint.set_cancel_reason(request->reason());
          decision.rows.push_back({std::string(kTouchpoints),
                                   TouchpointKey(customer_id, touchpoint.touchpoint_id()),
                                   touchpoint.SerializeAsString()});
          Append(decision.rows, WeekCountRows(counts));
          return decision;
        });
  };
  return runtime::Reply(cancel(), response);
}

}  // namespace crm::engagement
