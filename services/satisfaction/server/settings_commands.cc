// Response-time commitments (admin only, on the settings stream) and churn reasons (on
// the customer's stream, counted per month and category).
#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"
#include "crm/customers/tier_policies_in_force.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/replies.h"
#include "crm/runtime/request_checks.h"
#include "crm/runtime/row_writes.h"
#include "crm/runtime/stored_messages.h"
#include "crm/satisfaction/issues.h"
#include "crm/satisfaction/periods.h"
#include "crm/satisfaction/read_models.h"
#include "crm/satisfaction/surveys.h"
#include "google/protobuf/util/time_util.h"
#include "satisfaction_service.h"

namespace crm::satisfaction {

grpc::Status SatisfactionService::SetResponseCommitment(
    grpc::ServerContext* context, const crm::v1::SetResponseCommitmentRequest* request,
    crm::v1::SetResponseCommitmentResponse* response) {
  auto set = [&]() -> absl::StatusOr<std::string> {
    RETURN_IF_ERROR(runtime::RequireAdmin(*context, "changing a response-time commitment"));
    RETURN_IF_ERROR(ValidateCommitment(request->commitment()));
    RETURN_IF_ERROR(customers::RequireNoTierPolicies(store_, "response commitments"));
    const Command command{.method = "SetResponseCommitment",
                          .request_id = request->request_id(),
                          .stream = std::string(kSettingsStream)};
    return Run(*context, command,
               [&](const eventstore::StreamHead& head) -> absl::StatusOr<Decision> {
                 ASSIGN_OR_RETURN(SatisfactionSettings settings,
                                  runtime::ParseState<SatisfactionSettings>(head, command.stream));
                 crm::v1::ResponseCommitmentChanged changed;
                 *changed.mutable_previous() =
                     CommitmentOf(settings.commitments(), request->commitment().tier());
                 *changed.mutable_commitment() = request->commitment();
                 SetCommitment(request->commitment(), *settings.mutable_commitments());
                 crm::v1::SetResponseCommitmentResponse reply;
                 *reply.mutable_commitment() = request->commitment();
                 return Decision{.events = {eventstore::NewEvent::From(changed)},
                                 .state = settings.SerializeAsString(),
                                 .response = reply.SerializeAsString()};
               });
  };
  return runtime::Reply(set(), response);
}

grpc::Status SatisfactionService::RecordChurnReason(
    grpc::ServerContext* context, const crm::v1::RecordChurnReasonRequest* request,
    crm::v1::RecordChurnReasonResponse* response) {
  auto record = [&]() -> absl::StatusOr<std::string> {
    const std::string& customer_id = request->customer_id();
    RETURN_IF_ERROR(runtime::CheckId("customer_id", customer_id));
    const absl::Time now = Now();
    crm::v1::ChurnReason reason;
    reason.set_churn_reason_id(runtime::NewId("chr"));
    reason.set_customer_id(customer_id);
    reason.set_category(request->category());
    reason.set_text(request->text());
    *reason.mutable_recorded_by() = runtime::CallerOf(*context);
    *reason.mutable_recorded_at() =
        google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(now));
    RETURN_IF_ERROR(ValidateChurnReason(reason));
    RETURN_IF_ERROR(directory_.Find(runtime::PrincipalOf(*context), customer_id).status());
    const Command command{.method = "RecordChurnReason",
                          .request_id = request->request_id(),
                          .stream = CustomerStream(customer_id),
                          .customer_id = customer_id};
    return Run(*context, command, [&](const eventstore::StreamHead&) -> absl::StatusOr<Decision> {
      crm::v1::ChurnReasonRecorded recorded;
      *recorded.mutable_churn_reason() = reason;
      crm::v1::RecordChurnReasonResponse reply;
      *reply.mutable_churn_reason() = reason;
      Projection changes = ChurnReasonChanges(reason);
      return Decision{.events = {eventstore::NewEvent::From(recorded)},
                      .rows = runtime::RowWritesOf(std::move(changes.rows)),
                      .counters = runtime::CounterAddsOf(std::move(changes.counters)),
                      .response = reply.SerializeAsString(),
                      .occurred_at = now};
    });
  };
  return runtime::Reply(record(), response);
}

}  // namespace crm::satisfaction
