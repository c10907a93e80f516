#include "tiering_replayer.h"

#include <map>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "crm/base/status_macros.h"
#include "crm/runtime/recorded_events.h"
#include "crm/runtime/row_writes.h"
#include "crm/runtime/stored_messages.h"
#include "crm/tiering/inputs.h"
#include "crm/tiering/internal/state.pb.h"
#include "crm/tiering/read_models.h"
#include "crm/tiering/run_results.h"
#include "crm/tiering/scoring_model.h"
#include "crm/tiering/tier_policies.h"

namespace crm::tiering {
namespace {

using eventstore::StoredEvent;
using runtime::IsEvent;
using runtime::ParseEvent;
using runtime::RecordedEvents;
using runtime::ReplayedCommand;

absl::Status Unexpected(const StoredEvent& event) {
  return runtime::UnexpectedEvent(event, "tiering");
}

// The models stream: published models, and the current one.
absl::StatusOr<runtime::Replayed> ReplayModels(const eventstore::StreamHead& head,
                                               std::span<const RecordedEvents> commands) {
  ASSIGN_OR_RETURN(internal::TieringSettings settings,
                   runtime::ParseState<internal::TieringSettings>(head, kModelsStream));
  runtime::Replayed replayed;
  for (const RecordedEvents& events : commands) {
    ReplayedCommand& outcome = replayed.commands.emplace_back();
    std::optional<crm::v1::ScoringModel> published;
    crm::v1::SetCurrentModelResponse set_reply;
    for (const StoredEvent& event : events) {
      if (IsEvent<crm::v1::ScoringModelPublished>(event)) {
        ASSIGN_OR_RETURN(crm::v1::ScoringModelPublished recorded,
                         ParseEvent<crm::v1::ScoringModelPublished>(event));
        runtime::AddRowWrites({ModelRow(recorded.model())}, outcome.rows);
        published = std::move(*recorded.mutable_model());
      } else if (IsEvent<crm::v1::CurrentModelChanged>(event)) {
        ASSIGN_OR_RETURN(crm::v1::CurrentModelChanged changed,
                         ParseEvent<crm::v1::CurrentModelChanged>(event));
        EvolveSettings(changed, settings);
        set_reply.set_current_version(changed.version());
        set_reply.set_previous_version(changed.previous_version());
      } else {
        return Unexpected(event);
      }
    }
    // PublishModel records the model, and its making current when asked; SetCurrentModel
    // records the change alone.
    if (published.has_value()) {
      crm::v1::PublishModelResponse reply;
      *reply.mutable_model() = *std::move(published);
      reply.set_current_version(CurrentVersionOf(settings));
      outcome.reply = reply.SerializeAsString();
    } else {
      outcome.reply = set_reply.SerializeAsString();
    }
  }
  replayed.state = settings.SerializeAsString();
  return replayed;
}

// The policies stream: each published version is in force from then on.
absl::StatusOr<runtime::Replayed> ReplayPolicies(std::span<const RecordedEvents> commands) {
  internal::TierPolicyState state;
  runtime::Replayed replayed;
  for (const RecordedEvents& events : commands) {
    ReplayedCommand& outcome = replayed.commands.emplace_back();
    for (const StoredEvent& event : events) {
      if (!IsEvent<crm::v1::TierPoliciesPublished>(event)) return Unexpected(event);
      ASSIGN_OR_RETURN(crm::v1::TierPoliciesPublished published,
                       ParseEvent<crm::v1::TierPoliciesPublished>(event));
      runtime::AddRowWrites({TierPoliciesRow(published.policies())}, outcome.rows);
      EvolvePolicies(published, state);
      crm::v1::PublishTierPoliciesResponse reply;
      *reply.mutable_policies() = published.policies();
      outcome.reply = reply.SerializeAsString();
    }
  }
  // Each command replaces the state whole: the last one's is the stream's.
  if (!commands.empty()) replayed.state = state.SerializeAsString();
  return replayed;
}

// A run's stream: its results in parts, its tier changes (rows of other services' and
// consumers' concern only), and its completion. A run's events carry no request id, so
// each is a command of its own.
absl::StatusOr<runtime::Replayed> ReplayRun(std::span<const RecordedEvents> commands) {
  runtime::Replayed replayed;
  for (const RecordedEvents& events : commands) {
    ReplayedCommand& outcome = replayed.commands.emplace_back();
    for (const StoredEvent& event : events) {
      if (IsEvent<crm::v1::EvaluationResultsRecorded>(event)) {
        ASSIGN_OR_RETURN(crm::v1::EvaluationResultsRecorded part,
                         ParseEvent<crm::v1::EvaluationResultsRecorded>(event));
        runtime::AddRowWrites(ResultRows(part), outcome.rows);
        runtime::AddRowWrites(AbnormalChurnRows(part), outcome.rows);
      } else if (IsEvent<crm::v1::EvaluationRunCompleted>(event)) {
        ASSIGN_OR_RETURN(crm::v1::EvaluationRunCompleted completed,
                         ParseEvent<crm::v1::EvaluationRunCompleted>(event));
        runtime::AddRowWrites({RunRow(completed.run())}, outcome.rows);
        internal::RunState state;
        *state.mutable_run() = std::move(*completed.mutable_run());
        state.set_completed(true);
        replayed.state = state.SerializeAsString();
      } else if (!IsEvent<crm::v1::CustomerTierChanged>(event)) {
        return Unexpected(event);
      }
    }
  }
  return replayed;
}

// A customer's stream: its inputs per fiscal year. It keeps no state; recorded inputs
// change the row as this run left it, else as the store holds it.
class CustomerReplay {
 public:
  explicit CustomerReplay(const eventstore::EventStore& store) : store_(store) {}

  absl::StatusOr<ReplayedCommand> Command(const RecordedEvents& events) {
    ReplayedCommand outcome;
    for (const StoredEvent& event : events) {
      if (!IsEvent<crm::v1::CustomerInputsRecorded>(event)) return Unexpected(event);
      ASSIGN_OR_RETURN(crm::v1::CustomerInputsRecorded recorded,
                       ParseEvent<crm::v1::CustomerInputsRecorded>(event));
      ASSIGN_OR_RETURN(crm::v1::CustomerInputs * inputs,
                       InputsOf(recorded.customer_id(), recorded.fiscal_year()));
      EvolveInputs(recorded, *inputs);
      runtime::AddRowWrites({InputsRow(*inputs)}, outcome.rows);
      crm::v1::RecordInputsResponse reply;
      *reply.mutable_inputs() = *inputs;
      outcome.reply = reply.SerializeAsString();
    }
    return outcome;
  }

 private:
  absl::StatusOr<crm::v1::CustomerInputs*> InputsOf(const std::string& customer_id,
                                                    int fiscal_year) {
    const std::string key = InputsKey(fiscal_year, customer_id);
    auto found = inputs_.find(key);
    if (found != inputs_.end()) return &found->second;
    crm::v1::CustomerInputs inputs;
    ASSIGN_OR_RETURN(std::optional<std::string> row, store_.GetRow(kInputs, key));
    if (row.has_value()) {
      ASSIGN_OR_RETURN(inputs, runtime::ParseRow<crm::v1::CustomerInputs>(*row));
    } else {
      inputs.set_customer_id(customer_id);
      inputs.set_fiscal_year(fiscal_year);
    }
    return &(inputs_[key] = std::move(inputs));
  }

  const eventstore::EventStore& store_;
  std::map<std::string, crm::v1::CustomerInputs> inputs_;
};

}  // namespace

absl::StatusOr<runtime::Replayed> TieringReplayer::Replay(
    const eventstore::StreamHead& head, std::span<const RecordedEvents> commands) {
  const std::string& stream = commands.front().front().metadata.stream_id();
  if (stream == kModelsStream) return ReplayModels(head, commands);
  if (stream == kPoliciesStream) return ReplayPolicies(commands);
  if (absl::StartsWith(stream, RunStream(""))) return ReplayRun(commands);
  CustomerReplay customer(store_);
  return runtime::ReplayEachCommand(
      commands, [&](const RecordedEvents& events) { return customer.Command(events); });
}

}  // namespace crm::tiering
