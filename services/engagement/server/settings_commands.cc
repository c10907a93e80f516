// Cadence rules and touchpoint quotas: admin-only changes to the one settings stream.
#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"
#include "crm/customers/tier_policies_in_force.h"
#include "crm/engagement/read_models.h"
#include "crm/engagement/settings_rules.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/replies.h"
#include "crm/runtime/stored_messages.h"
#include "engagement_service.h"

namespace crm::engagement {

using runtime::RequireAdmin;

absl::StatusOr<std::string> EngagementService::ChangeSettings(const grpc::ServerContext& context,
                                                              std::string_view method,
                                                              std::string_view request_id,
                                                              ChangeOfSettings change) {
  const Command command{
      .method = method, .request_id = request_id, .stream = std::string(kSettingsStream)};
  return Run(context, command, [&](const eventstore::StreamHead& head) -> absl::StatusOr<Decision> {
    ASSIGN_OR_RETURN(EngagementSettings settings,
                     runtime::ParseState<EngagementSettings>(head, command.stream));
    Decision decision;
    eventstore::NewEvent event = change(settings, decision.response);
    decision.events.push_back(std::move(event));
    decision.state = settings.SerializeAsString();
    return decision;
  });
}

grpc::Status EngagementService::SetCadenceRule(grpc::ServerContext* context,
                                               const crm::v1::SetCadenceRuleRequest* request,
                                               crm::v1::SetCadenceRuleResponse* response) {
  auto set = [&]() -> absl::StatusOr<std::string> {
    RETURN_IF_ERROR(RequireAdmin(*context, "changing a cadence rule"));
    RETURN_IF_ERROR(ValidateCadenceRule(request->rule()));
    RETURN_IF_ERROR(customers::RequireNoTierPolicies(store_, "cadence rules"));
    return ChangeSettings(*context, "SetCadenceRule", request->request_id(),
                          [&](EngagementSettings& settings, std::string& reply) {
                            crm::v1::CadenceRuleChanged changed;
                            *changed.mutable_previous() =
                                CadenceRuleOf(settings, request->rule().tier());
                            *changed.mutable_rule() = request->rule();
                            engagement::SetCadenceRule(request->rule(), settings);
                            crm::v1::SetCadenceRuleResponse answer;
                            *answer.mutable_rule() = request->rule();
                            reply = answer.SerializeAsString();
                            return eventstore::NewEvent::From(changed);
                          });
  };
  return runtime::Reply(set(), response);
}

grpc::Status EngagementService::SetTouchpointQuota(
    grpc::ServerContext* context, const crm::v1::SetTouchpointQuotaRequest* request,
    crm::v1::SetTouchpointQuotaResponse* response) {
  auto set = [&]() -> absl::StatusOr<std::string> {
    RETURN_IF_ERROR(RequireAdmin(*context, "setting a touchpoint quota"));
    RETURN_IF_ERROR(ValidateQuota(request->quota()));
    return ChangeSettings(*context, "SetTouchpointQuota", request->request_id(),
                          [&](EngagementSettings& settings, std::string& reply) {
                            crm::v1::TouchpointQuotaSet set_event;
                            *set_event.mutable_quota() = request->quota();
                            set_event.set_previous_weekly_touchpoints(
                                QuotaOf(settings, request->quota().employee_role()));
                            SetQuota(request->quota(), settings);
                            crm::v1::SetTouchpointQuotaResponse answer;
                            *answer.mutable_quota() = request->quota();
                            reply = answer.SerializeAsString();
                            return eventstore::NewEvent::From(set_event);
                          });
  };
  return runtime::Reply(set(), response);
}

}  // namespace crm::engagement
