// Queries over touchpoints, plans and assessments: one row or one page of rows each.
#include "absl/strings/str_cat.h"
#include "crm/base/key_encoding.h"
#include "crm/base/status_macros.h"
#include "crm/calendar/calendar.h"
#include "crm/engagement/plans.h"
#include "crm/engagement/read_models.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/replies.h"
#include "crm/runtime/request_checks.h"
#include "crm/runtime/row_pages.h"
#include "crm/runtime/stored_messages.h"
#include "engagement_service.h"

namespace crm::engagement {

using runtime::RowVerdict;

grpc::Status EngagementService::GetTouchpoint(grpc::ServerContext* context,
                                              const crm::v1::GetTouchpointRequest* request,
                                              crm::v1::GetTouchpointResponse* response) {
  auto get = [&]() -> absl::StatusOr<crm::v1::GetTouchpointResponse> {
    RETURN_IF_ERROR(runtime::CheckId("customer_id", request->customer_id()));
    RETURN_IF_ERROR(
        directory_.CheckCallerMayRead(runtime::PrincipalOf(*context), request->customer_id()));
    crm::v1::GetTouchpointResponse reply;
    ASSIGN_OR_RETURN(*reply.mutable_touchpoint(),
                     LoadTouchpoint(request->customer_id(), request->touchpoint_id()));
    return reply;
  };
  return runtime::Answer(get(), response);
}

grpc::Status EngagementService::ListTouchpoints(grpc::ServerContext* context,
                                                const crm::v1::ListTouchpointsRequest* request,
                                                crm::v1::ListTouchpointsResponse* response) {
  auto list = [&]() -> absl::StatusOr<crm::v1::ListTouchpointsResponse> {
    RETURN_IF_ERROR(runtime::CheckId("customer_id", request->customer_id()));
    ASSIGN_OR_RETURN(size_t page_size, runtime::PageSizeOf(request->page()));
    RETURN_IF_ERROR(
        directory_.CheckCallerMayRead(runtime::PrincipalOf(*context), request->customer_id()));
    if (!crm::v1::RelationshipLayer_IsValid(request->layer())) {
      return absl::InvalidArgumentError("layer is not a relationship layer");
    }
    if (!request->person_id().empty()) {
      RETURN_IF_ERROR(runtime::CheckId("person_id", request->person_id()));
    }
    crm::v1::ListTouchpointsResponse reply;
    ASSIGN_OR_RETURN(
        std::string next,
        runtime::ReadRowPage(
            store_, kTouchpointsByDay, JoinKey({request->customer_id()}),
            request->page().page_token(), page_size,
            [&](std::string_view, std::string_view value) -> absl::StatusOr<RowVerdict> {
              ASSIGN_OR_RETURN(crm::v1::Touchpoint touchpoint,
                               runtime::ParseRow<crm::v1::Touchpoint>(value));
              if (request->layer() != crm::v1::RELATIONSHIP_LAYER_UNSPECIFIED &&
                  touchpoint.layer() != request->layer()) {
                return RowVerdict::kSkip;
              }
              if (!request->person_id().empty() &&
                  std::find(touchpoint.person_ids().begin(), touchpoint.person_ids().end(),
                            request->person_id()) == touchpoint.person_ids().end()) {
                return RowVerdict::kSkip;
              }
              *reply.add_touchpoints() = std::move(touchpoint);
              return RowVerdict::kKeep;
            }));
    reply.mutable_page()->set_next_page_token(next);
    return reply;
  };
  return runtime::Answer(list(), response);
}

grpc::Status EngagementService::GetRelationshipPlan(
    grpc::ServerContext* context, const crm::v1::GetRelationshipPlanRequest* request,
    crm::v1::GetRelationshipPlanResponse* response) {
  auto get = [&]() -> absl::StatusOr<crm::v1::GetRelationshipPlanResponse> {
    crm::v1::GetRelationshipPlanResponse reply;
    ASSIGN_OR_RETURN(*reply.mutable_plan(), LoadPlan(request->plan_id()));
    RETURN_IF_ERROR(
        directory_.CheckCallerMayRead(runtime::PrincipalOf(*context), reply.plan().customer_id()));
    return reply;
  };
  return runtime::Answer(get(), response);
}

grpc::Status EngagementService::ListRelationshipPlans(
    grpc::ServerContext* context, const crm::v1::ListRelationshipPlansRequest* request,
    crm::v1::ListRelationshipPlansResponse* response) {
  auto list = [&]() -> absl::StatusOr<crm::v1::ListRelationshipPlansResponse> {
    RETURN_IF_ERROR(runtime::CheckId("customer_id", request->customer_id()));
    ASSIGN_OR_RETURN(size_t page_size, runtime::PageSizeOf(request->page()));
    std::string prefix = JoinKey({request->customer_id()});
    RETURN_IF_ERROR(
        directory_.CheckCallerMayRead(runtime::PrincipalOf(*context), request->customer_id()));
    if (!request->person_id().empty()) {
      RETURN_IF_ERROR(runtime::CheckId("person_id", request->person_id()));
      prefix = JoinKey({request->customer_id(), request->person_id()});
    }
    crm::v1::ListRelationshipPlansResponse reply;
    ASSIGN_OR_RETURN(
        std::string next,
        runtime::ReadRowPage(
            store_, kPlansByCustomer, prefix, request->page().page_token(), page_size,
            [&](std::string_view, std::string_view value) -> absl::StatusOr<RowVerdict> {
              ASSIGN_OR_RETURN(*reply.add_plans(),
                               runtime::ParseRow<crm::v1::RelationshipPlan>(value));
              return RowVerdict::kKeep;
            }));
    reply.mutable_page()->set_next_page_token(next);
    return reply;
  };
  return runtime::Answer(list(), response);
}

grpc::Status EngagementService::ListOverdueActions(
    grpc::ServerContext* context, const crm::v1::ListOverdueActionsRequest* request,
    crm::v1::ListOverdueActionsResponse* response) {
  auto list = [&]() -> absl::StatusOr<crm::v1::ListOverdueActionsResponse> {
    ASSIGN_OR_RETURN(size_t page_size, runtime::PageSizeOf(request->page()));
    const absl::CivilDay today = Today();
    const security::Principal caller = runtime::PrincipalOf(*context);
    crm::v1::ListOverdueActionsResponse reply;
    // Open actions are keyed by due day, oldest first: the first not yet due ends the list.
    ASSIGN_OR_RETURN(
        std::string next,
        runtime::ReadRowPage(
            store_, kOpenActions, "", request->page().page_token(), page_size,
            [&](std::string_view, std::string_view value) -> absl::StatusOr<RowVerdict> {
              ASSIGN_OR_RETURN(crm::v1::OverdueAction action,
                               runtime::ParseRow<crm::v1::OverdueAction>(value));
              const int days = DaysOverdue(action.action(), today);
              if (days <= 0) return RowVerdict::kStop;
              if (!request->owner_id().empty() &&
                  action.action().owner_id() != request->owner_id()) {
                return RowVerdict::kSkip;
              }
              // A caller limited to some regions sees its customers' actions only.
              if (!directory_.CheckCallerMayRead(caller, action.customer_id()).ok()) {
                return RowVerdict::kSkip;
              }
              action.set_days_overdue(days);
              *reply.add_actions() = std::move(action);
              return RowVerdict::kKeep;
            }));
    reply.mutable_page()->set_next_page_token(next);
    return reply;
  };
  return runtime::Answer(list(), response);
}

grpc::Status EngagementService::ListAssessments(grpc::ServerContext* context,
                                                const crm::v1::ListAssessmentsRequest* request,
                                                crm::v1::ListAssessmentsResponse* response) {
  auto list = [&]() -> absl::StatusOr<crm::v1::ListAssessmentsResponse> {
    RETURN_IF_ERROR(runtime::CheckId("customer_id", request->customer_id()));
    RETURN_IF_ERROR(runtime::CheckId("person_id", request->person_id()));
    ASSIGN_OR_RETURN(size_t page_size, runtime::PageSizeOf(request->page()));
    RETURN_IF_ERROR(
        directory_.CheckCallerMayRead(runtime::PrincipalOf(*context), request->customer_id()));
    crm::v1::ListAssessmentsResponse reply;
    ASSIGN_OR_RETURN(
        std::string next,
        runtime::ReadRowPage(
            store_, kAssessments, JoinKey({request->customer_id(), request->person_id()}),
            request->page().page_token(), page_size,
            [&](std::string_view, std::string_view value) -> absl::StatusOr<RowVerdict> {
              ASSIGN_OR_RETURN(*reply.add_assessments(),
                               runtime::ParseRow<crm::v1::RelationshipAssessment>(value));
              return RowVerdict::kKeep;
            }));
    reply.mutable_page()->set_next_page_token(next);
    return reply;
  };
  return runtime::Answer(list(), response);
}

}  // namespace crm::engagement
