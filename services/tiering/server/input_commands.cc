// Entering a customer's inputs for a fiscal year, on the customer's stream: each replaces
// the factor's earlier input.
#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/replies.h"
#include "crm/runtime/request_checks.h"
#include "crm/runtime/row_writes.h"
#include "crm/tiering/inputs.h"
#include "crm/tiering/read_models.h"
#include "tiering_service.h"

namespace crm::tiering {

grpc::Status TieringService::RecordInputs(grpc::ServerContext* context,
                                          const crm::v1::RecordInputsRequest* request,
                                          crm::v1::RecordInputsResponse* response) {
  auto record = [&]() -> absl::StatusOr<std::string> {
    const std::string& customer_id = request->customer_id();
    RETURN_IF_ERROR(runtime::CheckId("customer_id", customer_id));
    RETURN_IF_ERROR(ValidateFiscalYear(request->fiscal_year(), "fiscal_year"));
    ASSIGN_OR_RETURN(crm::v1::ScoringModel model, LoadModel("", "the current model"));
    RETURN_IF_ERROR(ValidateEnteredInputs(model, request->inputs()));
    RETURN_IF_ERROR(directory_.Find(runtime::PrincipalOf(*context), customer_id).status());
    const Command command{.method = "RecordInputs",
                          .request_id = request->request_id(),
                          .stream = CustomerStream(customer_id),
                          .customer_id = customer_id};
    return Run(*context, command, [&](const eventstore::StreamHead&) -> absl::StatusOr<Decision> {
      ASSIGN_OR_RETURN(crm::v1::CustomerInputs inputs,
                       LoadInputs(customer_id, request->fiscal_year()));
      // The event holds the entered inputs as they are stored; the row follows from it.
      crm::v1::CustomerInputs entered;
      MergeInputs(request->inputs(), crm::v1::INPUT_SOURCE_ENTERED, options_.clock->Now(), entered);
      crm::v1::CustomerInputsRecorded recorded;
      recorded.set_customer_id(customer_id);
      recorded.set_fiscal_year(request->fiscal_year());
      *recorded.mutable_inputs() = std::move(*entered.mutable_inputs());
      EvolveInputs(recorded, inputs);
      crm::v1::RecordInputsResponse reply;
      *reply.mutable_inputs() = inputs;
      return Decision{.events = {eventstore::NewEvent::From(recorded)},
                      .rows = runtime::RowWritesOf({InputsRow(inputs)}),
                      .response = reply.SerializeAsString()};
    });
  };
  return runtime::Reply(record(), response);
}

}  // namespace crm::tiering
