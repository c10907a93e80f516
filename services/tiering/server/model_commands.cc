// Publishing scoring models and choosing the current one: admin-only changes to the
// models stream. A published version is a row that never changes.
#include "absl/strings/str_cat.h"
#include "crm/base/field_errors.h"
#include "crm/base/status_macros.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/replies.h"
#include "crm/runtime/row_writes.h"
#include "crm/runtime/stored_messages.h"
#include "crm/tiering/read_models.h"
#include "crm/tiering/scoring_model.h"
#include "tiering_service.h"

namespace crm::tiering {

grpc::Status TieringService::PublishModel(grpc::ServerContext* context,
                                          const crm::v1::PublishModelRequest* request,
                                          crm::v1::PublishModelResponse* response) {
  auto publish = [&]() -> absl::StatusOr<std::string> {
    RETURN_IF_ERROR(runtime::RequireAdmin(*context, "publishing a scoring model"));
    const crm::v1::ScoringModel& model = request->model();
    const Command command{.method = "PublishModel",
                          .request_id = request->request_id(),
                          .stream = std::string(kModelsStream)};
    return Run(
        *context, command, [&](const eventstore::StreamHead& head) -> absl::StatusOr<Decision> {
          ASSIGN_OR_RETURN(TieringSettings settings,
                           runtime::ParseState<TieringSettings>(head, command.stream));
          ASSIGN_OR_RETURN(std::optional<std::string> existing,
                           store_.GetRow(kModels, model.version()));
          ASSIGN_OR_RETURN(
              ModelPublication publication,
              DecidePublishModel(settings, model, existing.has_value(), request->make_current()));
          Decision decision{.events = {eventstore::NewEvent::From(publication.published)},
                            .rows = runtime::RowWritesOf({ModelRow(model)})};
          if (publication.made_current.has_value()) {
            decision.events.push_back(eventstore::NewEvent::From(*publication.made_current));
            EvolveSettings(*publication.made_current, settings);
            decision.state = settings.SerializeAsString();
          }
          crm::v1::PublishModelResponse reply;
          *reply.mutable_model() = model;
          reply.set_current_version(CurrentVersionOf(settings));
          decision.response = reply.SerializeAsString();
          return decision;
        });
  };
  return runtime::Reply(publish(), response);
}

grpc::Status TieringService::SetCurrentModel(grpc::ServerContext* context,
                                             const crm::v1::SetCurrentModelRequest* request,
                                             crm::v1::SetCurrentModelResponse* response) {
  auto set = [&]() -> absl::StatusOr<std::string> {
    RETURN_IF_ERROR(runtime::RequireAdmin(*context, "choosing the current scoring model"));
    if (request->version().empty()) return Invalid("version", "is required");
    const Command command{.method = "SetCurrentModel",
                          .request_id = request->request_id(),
                          .stream = std::string(kModelsStream)};
    return Run(*context, command,
               [&](const eventstore::StreamHead& head) -> absl::StatusOr<Decision> {
                 RETURN_IF_ERROR(LoadModel(request->version(), "version").status());
                 ASSIGN_OR_RETURN(TieringSettings settings,
                                  runtime::ParseState<TieringSettings>(head, command.stream));
                 const crm::v1::CurrentModelChanged changed =
                     DecideCurrentModel(settings, request->version());
                 EvolveSettings(changed, settings);
                 crm::v1::SetCurrentModelResponse reply;
                 reply.set_current_version(changed.version());
                 reply.set_previous_version(changed.previous_version());
                 return Decision{.events = {eventstore::NewEvent::From(changed)},
                                 .state = settings.SerializeAsString(),
                                 .response = reply.SerializeAsString()};
               });
  };
  return runtime::Reply(set(), response);
}

}  // namespace crm::tiering
