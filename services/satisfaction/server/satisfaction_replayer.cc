#include "satisfaction_replayer.h"

#include <map>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"
#include "crm/runtime/recorded_events.h"
#include "crm/runtime/row_writes.h"
#include "crm/runtime/stored_messages.h"
#include "crm/satisfaction/internal/state.pb.h"
#include "crm/satisfaction/issue_steps.h"
#include "crm/satisfaction/issues.h"
#include "crm/satisfaction/read_models.h"
#include "crm/satisfaction/surveys.h"
#include "google/protobuf/util/time_util.h"

namespace crm::satisfaction {
namespace {

using eventstore::StoredEvent;
using runtime::RecordedEvents;
using runtime::ReplayedCommand;

absl::Time OccurredAt(const StoredEvent& event) {
  return absl::FromUnixNanos(
      google::protobuf::util::TimeUtil::TimestampToNanoseconds(event.metadata.occurred_at()));
}

using runtime::IsEvent;
using runtime::ParseEvent;

absl::Status Unexpected(const StoredEvent& event) {
  return runtime::UnexpectedEvent(event, "satisfaction");
}

// The step event a stored event is, if it is one.
absl::StatusOr<std::optional<IssueStepEvent>> StepOf(const StoredEvent& event) {
  if (IsEvent<crm::v1::IssueAcknowledged>(event))
    return ParseEvent<crm::v1::IssueAcknowledged>(event);
  if (IsEvent<crm::v1::IssueResolved>(event)) return ParseEvent<crm::v1::IssueResolved>(event);
  if (IsEvent<crm::v1::IssueClosed>(event)) return ParseEvent<crm::v1::IssueClosed>(event);
  if (IsEvent<crm::v1::IssueReopened>(event)) return ParseEvent<crm::v1::IssueReopened>(event);
  return std::nullopt;
}

void Add(Projection changes, ReplayedCommand& outcome) {
  runtime::AddRowWrites(std::move(changes.rows), outcome.rows);
  runtime::AddCounterAdds(std::move(changes.counters), outcome.counters);
}

// A survey's stream: created, then closed.
absl::StatusOr<runtime::Replayed> ReplaySurvey(const eventstore::StreamHead& head,
                                               std::span<const RecordedEvents> commands) {
  crm::v1::Survey survey;
  if (head.version > 0 && !survey.ParseFromString(head.state)) {
    return absl::DataLossError("a rebuilt survey does not parse");
  }
  runtime::Replayed replayed;
  for (const RecordedEvents& events : commands) {
    ReplayedCommand& outcome = replayed.commands.emplace_back();
    for (const StoredEvent& event : events) {
      if (IsEvent<crm::v1::SurveyCreated>(event)) {
        ASSIGN_OR_RETURN(crm::v1::SurveyCreated created, ParseEvent<crm::v1::SurveyCreated>(event));
        survey = created.survey();
        runtime::AddRowWrites(SurveyRows(survey, /*asked=*/true), outcome.rows);
        crm::v1::CreateSurveyResponse reply;
        *reply.mutable_survey() = survey;
        outcome.reply = reply.SerializeAsString();
      } else if (IsEvent<crm::v1::SurveyClosed>(event)) {
        ASSIGN_OR_RETURN(crm::v1::SurveyClosed closed, ParseEvent<crm::v1::SurveyClosed>(event));
        EvolveSurvey(closed, survey);
        runtime::AddRowWrites(SurveyRows(survey, /*asked=*/false), outcome.rows);
        crm::v1::CloseSurveyResponse reply;
        *reply.mutable_survey() = survey;
        outcome.reply = reply.SerializeAsString();
      } else {
        return Unexpected(event);
      }
    }
  }
  replayed.state = survey.SerializeAsString();
  return replayed;
}

// The settings stream: the response-time commitments.
absl::StatusOr<runtime::Replayed> ReplaySettings(const eventstore::StreamHead& head,
                                                 std::span<const RecordedEvents> commands) {
  ASSIGN_OR_RETURN(internal::SatisfactionSettings settings,
                   runtime::ParseState<internal::SatisfactionSettings>(head, kSettingsStream));
  runtime::Replayed replayed;
  for (const RecordedEvents& events : commands) {
    ReplayedCommand& outcome = replayed.commands.emplace_back();
    for (const StoredEvent& event : events) {
      if (!IsEvent<crm::v1::ResponseCommitmentChanged>(event)) return Unexpected(event);
      ASSIGN_OR_RETURN(crm::v1::ResponseCommitmentChanged changed,
                       ParseEvent<crm::v1::ResponseCommitmentChanged>(event));
      SetCommitment(changed.commitment(), *settings.mutable_commitments());
      crm::v1::SetResponseCommitmentResponse reply;
      *reply.mutable_commitment() = changed.commitment();
      outcome.reply = reply.SerializeAsString();
    }
  }
  replayed.state = settings.SerializeAsString();
  return replayed;
}

// A customer's stream: responses, issues and churn reasons. It keeps no state; an issue's
// step moves the issue as its rows hold it, restored by earlier batches or by this run.
class CustomerReplay {
 public:
  explicit CustomerReplay(const eventstore::EventStore& store) : store_(store) {}

  absl::StatusOr<ReplayedCommand> Command(const RecordedEvents& events) {
    ReplayedCommand outcome;
    crm::v1::RecordResponseResponse response_reply;
    bool recorded_response = false;
    for (const StoredEvent& event : events) {
      ASSIGN_OR_RETURN(std::optional<IssueStepEvent> step, StepOf(event));
      if (step.has_value()) {
        RETURN_IF_ERROR(Step(*step, OccurredAt(event), outcome));
      } else if (IsEvent<crm::v1::SurveyResponseRecorded>(event)) {
        ASSIGN_OR_RETURN(crm::v1::SurveyResponseRecorded recorded,
                         ParseEvent<crm::v1::SurveyResponseRecorded>(event));
        Add(ResponseChanges(recorded), outcome);
        *response_reply.mutable_response() = recorded.response();
        recorded_response = true;
      } else if (IsEvent<crm::v1::IssueRaised>(event)) {
        ASSIGN_OR_RETURN(crm::v1::IssueRaised raised, ParseEvent<crm::v1::IssueRaised>(event));
        runtime::AddRowWrites(IssueRows(raised.issue(), nullptr), outcome.rows);
        issues_[raised.issue().issue_id()] = raised.issue();
        // A detractor's follow-up is named in its response's reply.
        response_reply.set_follow_up_issue_id(raised.issue().issue_id());
        crm::v1::RaiseIssueResponse reply;
        *reply.mutable_issue() = IssueAsRaised(raised, OccurredAt(event));
        outcome.reply = reply.SerializeAsString();
      } else if (IsEvent<crm::v1::ChurnReasonRecorded>(event)) {
        ASSIGN_OR_RETURN(crm::v1::ChurnReasonRecorded recorded,
                         ParseEvent<crm::v1::ChurnReasonRecorded>(event));
        Add(ChurnReasonChanges(recorded.churn_reason()), outcome);
        crm::v1::RecordChurnReasonResponse reply;
        *reply.mutable_churn_reason() = recorded.churn_reason();
        outcome.reply = reply.SerializeAsString();
      } else {
        return Unexpected(event);
      }
    }
    if (recorded_response) outcome.reply = response_reply.SerializeAsString();
    return outcome;
  }

 private:
  absl::Status Step(const IssueStepEvent& step, absl::Time at, ReplayedCommand& outcome) {
    ASSIGN_OR_RETURN(crm::v1::Issue * issue, IssueOf(IssueIdOf(step)));
    const crm::v1::Issue before = *issue;
    EvolveIssue(step, at, *issue);
    runtime::AddRowWrites(IssueRows(*issue, &before), outcome.rows);
    runtime::AddCounterAdds(IssueStepCounters(step, at), outcome.counters);
    outcome.reply = IssueAsStepped(*issue, step, at).SerializeAsString();
    return absl::OkStatus();
  }

  // The issue as this run left it, else as the store holds it.
  absl::StatusOr<crm::v1::Issue*> IssueOf(std::string_view issue_id) {
    auto found = issues_.find(std::string(issue_id));
    if (found != issues_.end()) return &found->second;
    ASSIGN_OR_RETURN(std::optional<std::string> row, store_.GetRow(kIssues, issue_id));
    if (!row.has_value()) {
      return absl::DataLossError(absl::StrCat("a step of issue ", std::string(issue_id),
                                              " comes before the issue was raised"));
    }
    ASSIGN_OR_RETURN(crm::v1::Issue issue, runtime::ParseRow<crm::v1::Issue>(*row));
    return &(issues_[std::string(issue_id)] = std::move(issue));
  }

  const eventstore::EventStore& store_;
  std::map<std::string, crm::v1::Issue> issues_;
};

}  // namespace

absl::StatusOr<runtime::Replayed> SatisfactionReplayer::Replay(
    const eventstore::StreamHead& head, std::span<const RecordedEvents> commands) {
  const std::string& stream = commands.front().front().metadata.stream_id();
  if (stream == kSettingsStream) return ReplaySettings(head, commands);
  if (absl::StartsWith(stream, SurveyStream(""))) return ReplaySurvey(head, commands);
  CustomerReplay customer(store_);
  return runtime::ReplayEachCommand(
      commands, [&](const RecordedEvents& events) { return customer.Command(events); });
}

}  // namespace crm::satisfaction
