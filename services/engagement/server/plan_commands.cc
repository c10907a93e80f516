// Relationship plans (each on its own stream) and assessments (on the customer's stream,
// whose state keeps each person's latest).
#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"
#include "crm/calendar/calendar.h"
#include "crm/engagement/assessments.h"
#include "crm/engagement/plans.h"
#include "crm/engagement/read_models.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/replies.h"
#include "crm/runtime/request_checks.h"
#include "crm/runtime/row_writes.h"
#include "crm/runtime/stored_messages.h"
#include "engagement_service.h"
#include "google/protobuf/util/time_util.h"

namespace crm::engagement {

using google::protobuf::util::TimeUtil;

grpc::Status EngagementService::CreateRelationshipPlan(
    grpc::ServerContext* context, const crm::v1::CreateRelationshipPlanRequest* request,
    crm::v1::CreateRelationshipPlanResponse* response) {
  auto create = [&]() -> absl::StatusOr<std::string> {
    RETURN_IF_ERROR(runtime::CheckId("customer_id", request->customer_id()));
    RETURN_IF_ERROR(runtime::CheckId("person_id", request->person_id()));
    RETURN_IF_ERROR(ValidateNewPlan(*request));
    RETURN_IF_ERROR(directory_
                        .Find(runtime::PrincipalOf(*context), request->customer_id(),
                              {{request->person_id(), "person_id"}})
                        .status());
    crm::v1::RelationshipPlan plan;
    plan.set_plan_id(runtime::NewId("plan"));
    plan.set_customer_id(request->customer_id());
    plan.set_person_id(request->person_id());
    plan.set_current_stance(request->current_stance());
    plan.set_target_stance(request->target_stance());
    plan.set_current_level(request->current_level());
    plan.set_target_level(request->target_level());
    plan.set_owner_id(request->owner_id());
    for (const crm::v1::PlanAction& action : request->actions()) {
      *plan.add_actions() = NewAction(action, runtime::NewId("act"));
    }
    plan.set_version(1);
    *plan.mutable_created_at() =
        TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(options_.clock->Now()));

    const Command command{.method = "CreateRelationshipPlan",
                          .request_id = request->request_id(),
                          .stream = PlanStream(plan.plan_id()),
                          .customer_id = plan.customer_id(),
                          .must = runtime::StreamMust::kBeNew,  // a new id that collided
                          .subject = {"plan_id", plan.plan_id(), "plan"}};
    return Run(*context, command, [&](const eventstore::StreamHead&) -> absl::StatusOr<Decision> {
      crm::v1::RelationshipPlanCreated created;
      *created.mutable_plan() = plan;
      crm::v1::CreateRelationshipPlanResponse reply;
      *reply.mutable_plan() = plan;
      std::vector<RowChange> rows = {PlanRow(plan)};
      for (const crm::v1::PlanAction& action : plan.actions()) {
        rows.push_back(OpenActionRow(plan, action));
      }
      return Decision{.events = {eventstore::NewEvent::From(created)},
                      .state = plan.SerializeAsString(),
                      .rows = runtime::RowWritesOf(std::move(rows)),
                      .response = reply.SerializeAsString()};
    });
  };
  return runtime::Reply(create(), response);
}

absl::StatusOr<std::string> EngagementService::ChangePlan(const grpc::ServerContext& context,
                                                          const PlanCommand& command,
                                                          ChangeOfPlan change) {
  const Command run{.method = command.method,
                    .request_id = command.request_id,
                    .stream = PlanStream(command.plan_id),
                    .expected_version = command.expected_version,
                    .must = runtime::StreamMust::kExist,
                    .subject = {"plan_id", command.plan_id, "plan"}};
  return Run(context, run, [&](const eventstore::StreamHead& head) -> absl::StatusOr<Decision> {
    ASSIGN_OR_RETURN(crm::v1::RelationshipPlan plan,
                     runtime::ParseState<crm::v1::RelationshipPlan>(head, run.stream));
    ASSIGN_OR_RETURN(PlanChange changed, change(plan));
    plan.set_version(head.version + 1);
    for (const crm::v1::PlanAction& action : plan.actions()) {
      if (action.action_id() == changed.action_id) changed.action = action;
    }
    // The reply is the plan after the change: AddPlanActionResponse and
    // CompletePlanActionResponse are both just `RelationshipPlan plan = 1`, so one encoding
    // serves both.
    crm::v1::AddPlanActionResponse reply;
    *reply.mutable_plan() = plan;
    return Decision{
        .events = {std::move(changed.event)},
        .state = plan.SerializeAsString(),
        .rows = runtime::RowWritesOf({PlanRow(plan), OpenActionRow(plan, changed.action)}),
        .response = reply.SerializeAsString(),
        .customer_id = plan.customer_id()};
  });
}

grpc::Status EngagementService::AddPlanAction(grpc::ServerContext* context,
                                              const crm::v1::AddPlanActionRequest* request,
                                              crm::v1::AddPlanActionResponse* response) {
  auto add = [&]() -> absl::StatusOr<std::string> {
    RETURN_IF_ERROR(runtime::CheckId("plan_id", request->plan_id()));
    RETURN_IF_ERROR(ValidateAction(request->action(), "action"));
    const crm::v1::PlanAction action = NewAction(request->action(), runtime::NewId("act"));
    const PlanCommand command{.method = "AddPlanAction",
                              .request_id = request->request_id(),
                              .plan_id = request->plan_id(),
                              .expected_version = request->expected_version()};
    return ChangePlan(*context, command,
                      [&](crm::v1::RelationshipPlan& plan) -> absl::StatusOr<PlanChange> {
                        *plan.add_actions() = action;
                        crm::v1::PlanActionAdded added;
                        added.set_customer_id(plan.customer_id());
                        added.set_plan_id(plan.plan_id());
                        *added.mutable_action() = action;
                        return PlanChange{.event = eventstore::NewEvent::From(added),
                                          .action_id = action.action_id()};
                      });
  };
  return runtime::Reply(add(), response);
}

grpc::Status EngagementService::CompletePlanAction(
    grpc::ServerContext* context, const crm::v1::CompletePlanActionRequest* request,
    crm::v1::CompletePlanActionResponse* response) {
  auto complete = [&]() -> absl::StatusOr<std::string> {
    RETURN_IF_ERROR(runtime::CheckId("plan_id", request->plan_id()));
    RETURN_IF_ERROR(runtime::CheckId("action_id", request->action_id()));
    crm::v1::CalendarDate completed_on = CalendarDateOf(Today());
    if (request->has_completed_on()) {
      ASSIGN_OR_RETURN(absl::CivilDay day, DayOf(request->completed_on(), "completed_on"));
      if (day > Today()) return absl::InvalidArgumentError("completed_on is in the future");
      completed_on = request->completed_on();
    }
    const PlanCommand command{.method = "CompletePlanAction",
                              .request_id = request->request_id(),
                              .plan_id = request->plan_id(),
                              .expected_version = request->expected_version()};
    return ChangePlan(
        *context, command, [&](crm::v1::RelationshipPlan& plan) -> absl::StatusOr<PlanChange> {
          RETURN_IF_ERROR(
              CompleteAction(request->action_id(), completed_on, request->note(), plan));
          crm::v1::PlanActionCompleted completed;
          completed.set_customer_id(plan.customer_id());
          completed.set_plan_id(plan.plan_id());
          completed.set_action_id(request->action_id());
          *completed.mutable_completed_on() = completed_on;
          completed.set_note(request->note());
          return PlanChange{.event = eventstore::NewEvent::From(completed),
                            .action_id = request->action_id()};
        });
  };
  return runtime::Reply(complete(), response);
}

grpc::Status EngagementService::RecordAssessment(grpc::ServerContext* context,
                                                 const crm::v1::RecordAssessmentRequest* request,
                                                 crm::v1::RecordAssessmentResponse* response) {
  auto record = [&]() -> absl::StatusOr<std::string> {
    crm::v1::RelationshipAssessment assessment = request->assessment();
    RETURN_IF_ERROR(runtime::CheckId("assessment.customer_id", assessment.customer_id()));
    RETURN_IF_ERROR(runtime::CheckId("assessment.person_id", assessment.person_id()));
    RETURN_IF_ERROR(ValidateAssessment(assessment, Today()));
    RETURN_IF_ERROR(directory_
                        .Find(runtime::PrincipalOf(*context), assessment.customer_id(),
                              {{assessment.person_id(), "assessment.person_id"}})
                        .status());
    const absl::Time now = options_.clock->Now();
    assessment.set_assessment_id(runtime::NewId("asm"));
    assessment.set_level(LevelOf(assessment));
    *assessment.mutable_assessed_by() = runtime::CallerOf(*context);
    *assessment.mutable_recorded_at() = TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(now));

    const Command command{.method = "RecordAssessment",
                          .request_id = request->request_id(),
                          .stream = CustomerStream(assessment.customer_id()),
                          .customer_id = assessment.customer_id()};
    return Run(*context, command,
               [&](const eventstore::StreamHead& head) -> absl::StatusOr<Decision> {
                 ASSIGN_OR_RETURN(CustomerEngagement state,
                                  runtime::ParseState<CustomerEngagement>(head, command.stream));
                 state.set_customer_id(assessment.customer_id());
                 NoteAssessment(assessment, state);
                 crm::v1::RelationshipAssessed assessed;
                 *assessed.mutable_assessment() = assessment;
                 crm::v1::RecordAssessmentResponse reply;
                 *reply.mutable_assessment() = assessment;
                 return Decision{.events = {eventstore::NewEvent::From(assessed)},
                                 .state = state.SerializeAsString(),
                                 .rows = runtime::RowWritesOf({AssessmentRow(assessment)}),
                                 .response = reply.SerializeAsString()};
               });
  };
  return runtime::Reply(record(), response);
}

}  // namespace crm::engagement
