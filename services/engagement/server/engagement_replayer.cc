#include "engagement_replayer.h"

#include <map>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"
#include "crm/engagement/assessments.h"
#include "crm/engagement/internal/state.pb.h"
#include "crm/engagement/plans.h"
#include "crm/engagement/read_models.h"
#include "crm/engagement/settings_rules.h"
#include "crm/engagement/touchpoint_events.h"
#include "crm/runtime/recorded_events.h"
#include "crm/runtime/row_writes.h"
#include "crm/runtime/stored_messages.h"
#include "touchpoint_facts.h"

namespace crm::engagement {
namespace {

using eventstore::StoredEvent;
using runtime::IsEvent;
using runtime::ParseEvent;
using runtime::RecordedEvents;
using runtime::ReplayedCommand;

absl::Status Unexpected(const StoredEvent& event) {
  return runtime::UnexpectedEvent(event, "engagement");
}

// A plan's stream: created, then actions added and completed.
absl::StatusOr<runtime::Replayed> ReplayPlan(const eventstore::StreamHead& head,
                                             std::span<const RecordedEvents> commands) {
  crm::v1::RelationshipPlan plan;
  if (head.version > 0 && !plan.ParseFromString(head.state)) {
    return absl::DataLossError("a rebuilt plan does not parse");
  }
  runtime::Replayed replayed;
  for (const RecordedEvents& events : commands) {
    ReplayedCommand& outcome = replayed.commands.emplace_back();
    for (const StoredEvent& event : events) {
      if (IsEvent<crm::v1::RelationshipPlanCreated>(event)) {
        ASSIGN_OR_RETURN(auto created, ParseEvent<crm::v1::RelationshipPlanCreated>(event));
        plan = created.plan();
        std::vector<RowChange> rows = {PlanRow(plan)};
        for (const crm::v1::PlanAction& action : plan.actions()) {
          rows.push_back(OpenActionRow(plan, action));
        }
        runtime::AddRowWrites(std::move(rows), outcome.rows);
        crm::v1::CreateRelationshipPlanResponse reply;
        *reply.mutable_plan() = plan;
        outcome.reply = reply.SerializeAsString();
        continue;
      }
      std::string action_id;
      if (IsEvent<crm::v1::PlanActionAdded>(event)) {
        ASSIGN_OR_RETURN(auto added, ParseEvent<crm::v1::PlanActionAdded>(event));
        *plan.add_actions() = added.action();
        action_id = added.action().action_id();
      } else if (IsEvent<crm::v1::PlanActionCompleted>(event)) {
        ASSIGN_OR_RETURN(auto completed, ParseEvent<crm::v1::PlanActionCompleted>(event));
        RETURN_IF_ERROR(CompleteAction(completed.action_id(), completed.completed_on(),
                                       completed.note(), plan));
        action_id = completed.action_id();
      } else {
        return Unexpected(event);
      }
      plan.set_version(event.metadata.stream_version());
      for (const crm::v1::PlanAction& action : plan.actions()) {
        if (action.action_id() == action_id) {
          runtime::AddRowWrites({PlanRow(plan), OpenActionRow(plan, action)}, outcome.rows);
        }
      }
      // AddPlanActionResponse and CompletePlanActionResponse share one encoding.
      crm::v1::AddPlanActionResponse reply;
      *reply.mutable_plan() = plan;
      outcome.reply = reply.SerializeAsString();
    }
  }
  replayed.state = plan.SerializeAsString();
  return replayed;
}

// The settings stream: cadence rules and quotas.
absl::StatusOr<runtime::Replayed> ReplaySettings(const eventstore::StreamHead& head,
                                                 std::span<const RecordedEvents> commands) {
  ASSIGN_OR_RETURN(internal::EngagementSettings settings,
                   runtime::ParseState<internal::EngagementSettings>(head, kSettingsStream));
  runtime::Replayed replayed;
  for (const RecordedEvents& events : commands) {
    ReplayedCommand& outcome = replayed.commands.emplace_back();
    for (const StoredEvent& event : events) {
      if (IsEvent<crm::v1::CadenceRuleChanged>(event)) {
        ASSIGN_OR_RETURN(auto changed, ParseEvent<crm::v1::CadenceRuleChanged>(event));
        SetCadenceRule(changed.rule(), settings);
        crm::v1::SetCadenceRuleResponse reply;
        *reply.mutable_rule() = changed.rule();
        outcome.reply = reply.SerializeAsString();
      } else if (IsEvent<crm::v1::TouchpointQuotaSet>(event)) {
        ASSIGN_OR_RETURN(auto set, ParseEvent<crm::v1::TouchpointQuotaSet>(event));
        SetQuota(set.quota(), settings);
        crm::v1::SetTouchpointQuotaResponse reply;
        *reply.mutable_quota() = set.quota();
        outcome.reply = reply.SerializeAsString();
      } else {
        return Unexpected(event);
      }
    }
  }
  replayed.state = settings.SerializeAsString();
  return replayed;
}

// A customer's stream: touchpoints and assessments.
class CustomerReplay {
 public:
  CustomerReplay(const eventstore::EventStore& store, CustomerEngagement state)
      : store_(store), state_(std::move(state)) {}

  absl::StatusOr<ReplayedCommand> Command(const RecordedEvents& events) {
    ReplayedCommand outcome;
    for (const StoredEvent& event : events) {
      if (IsEvent<crm::v1::TouchpointLogged>(event)) {
        ASSIGN_OR_RETURN(auto logged, ParseEvent<crm::v1::TouchpointLogged>(event));
        Apply(logged, outcome);
        touchpoints_[logged.touchpoint().touchpoint_id()] = logged.touchpoint();
        crm::v1::LogTouchpointResponse reply;
        *reply.mutable_touchpoint() = logged.touchpoint();
        outcome.reply = reply.SerializeAsString();
      } else if (IsEvent<crm::v1::TouchpointCorrected>(event)) {
        ASSIGN_OR_RETURN(auto corrected, ParseEvent<crm::v1::TouchpointCorrected>(event));
        if (!corrected.has_previous()) {
          ASSIGN_OR_RETURN(*corrected.mutable_previous(),
                           Touchpoint(corrected.touchpoint().customer_id(),
                                      corrected.touchpoint().touchpoint_id()));
          RETURN_IF_ERROR(FindContactsAnew(corrected));
        }
        Apply(corrected, outcome);
        touchpoints_[corrected.touchpoint().touchpoint_id()] = corrected.touchpoint();
        crm::v1::CorrectTouchpointResponse reply;
        *reply.mutable_touchpoint() = corrected.touchpoint();
        outcome.reply = reply.SerializeAsString();
      } else if (IsEvent<crm::v1::TouchpointCancelled>(event)) {
        ASSIGN_OR_RETURN(auto cancelled, ParseEvent<crm::v1::TouchpointCancelled>(event));
        if (!cancelled.has_previous()) {
          ASSIGN_OR_RETURN(*cancelled.mutable_previous(),
                           Touchpoint(cancelled.customer_id(), cancelled.touchpoint_id()));
          RETURN_IF_ERROR(FindContactsAnew(cancelled));
        }
        Apply(cancelled, outcome);
        crm::v1::Touchpoint& kept = touchpoints_[cancelled.touchpoint_id()];
        kept = cancelled.previous();
        kept.set_cancelled(true);
        outcome.reply = crm::v1::CancelTouchpointResponse().SerializeAsString();
      } else if (IsEvent<crm::v1::RelationshipAssessed>(event)) {
        ASSIGN_OR_RETURN(auto assessed, ParseEvent<crm::v1::RelationshipAssessed>(event));
        state_.set_customer_id(assessed.assessment().customer_id());
        NoteAssessment(assessed.assessment(), state_);
        runtime::AddRowWrites({AssessmentRow(assessed.assessment())}, outcome.rows);
        crm::v1::RecordAssessmentResponse reply;
        *reply.mutable_assessment() = assessed.assessment();
        outcome.reply = reply.SerializeAsString();
      } else {
        return Unexpected(event);
      }
    }
    return outcome;
  }

  const CustomerEngagement& state() const { return state_; }

 private:
  template <class Event>
  void Apply(const Event& event, ReplayedCommand& outcome) {
    Evolve(event, state_);
    TouchpointProjection changes = TouchpointChanges(event);
    runtime::AddRowWrites(std::move(changes.rows), outcome.rows);
    runtime::AddCounterAdds(std::move(changes.counters), outcome.counters);
  }

  // The touchpoint as this run left it, else as the store holds it.
  absl::StatusOr<crm::v1::Touchpoint> Touchpoint(const std::string& customer_id,
                                                 const std::string& touchpoint_id) {
    auto found = touchpoints_.find(touchpoint_id);
    if (found != touchpoints_.end()) return found->second;
    ASSIGN_OR_RETURN(std::optional<std::string> row,
                     store_.GetRow(kTouchpoints, TouchpointKey(customer_id, touchpoint_id)));
    if (!row.has_value()) {
      return absl::DataLossError(
          absl::StrCat("touchpoint ", touchpoint_id, " is changed before it was logged"));
    }
    return runtime::ParseRow<crm::v1::Touchpoint>(*row);
  }

  // An event of an earlier release: the contacts found anew from the rows restored so far
  // (exact when the customer's earlier touchpoints are in earlier batches).
  template <class Event>
  absl::Status FindContactsAnew(Event& event) {
    ASSIGN_OR_RETURN(std::vector<crm::v1::LatestContact> found,
                     ContactsFoundAnew(store_, event.previous(), state_));
    for (crm::v1::LatestContact& latest : found) {
      *event.add_restored_contacts() = std::move(latest);
    }
    return absl::OkStatus();
  }

  const eventstore::EventStore& store_;
  CustomerEngagement state_;
  std::map<std::string, crm::v1::Touchpoint> touchpoints_;
};

}  // namespace

absl::StatusOr<runtime::Replayed> EngagementReplayer::Replay(
    const eventstore::StreamHead& head, std::span<const RecordedEvents> commands) {
  const std::string& stream = commands.front().front().metadata.stream_id();
  if (stream == kSettingsStream) return ReplaySettings(head, commands);
  if (absl::StartsWith(stream, PlanStream(""))) return ReplayPlan(head, commands);
  ASSIGN_OR_RETURN(CustomerEngagement state, runtime::ParseState<CustomerEngagement>(head, stream));
  CustomerReplay customer(store_, std::move(state));
  ASSIGN_OR_RETURN(runtime::Replayed replayed,
                   runtime::ReplayEachCommand(commands, [&](const RecordedEvents& events) {
                     return customer.Command(events);
                   }));
  replayed.state = customer.state().SerializeAsString();
  return replayed;
}

}  // namespace crm::engagement
