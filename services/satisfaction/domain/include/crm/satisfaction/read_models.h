// The satisfaction service's read-model tables, counter rows and streams, and the rows and
// counters a command's events write to them: what the command path writes and a rebuild
// computes again from the events (projection.h). Keys join their parts with crm::JoinKey,
// so a prefix of parts is a key prefix; months are "2026-11" and sort in time order.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "crm/base/row_changes.h"
#include "crm/satisfaction/internal/state.pb.h"
#include "crm/satisfaction/nps.h"
#include "crm/v1/satisfaction.pb.h"

namespace crm::satisfaction {

// survey → Survey without its customer list: what lists and the response path read, so
// that a response to a survey of 10,000 customers does not parse all of them.
inline constexpr std::string_view kSurveys = "surveys";
// survey, customer → "": the customers a survey asked.
inline constexpr std::string_view kSurveyCustomers = "survey_customers";
// survey, person → StoredResponse: one response per person and survey.
inline constexpr std::string_view kResponses = "responses";
// issue → Issue (stored facts only).
inline constexpr std::string_view kIssues = "issues";
// customer, issue → Issue.
inline constexpr std::string_view kCustomerIssues = "customer_issues";
// waiting since (big-endian nanoseconds), issue → Issue: issues waiting for acknowledgement.
inline constexpr std::string_view kWaitingIssues = "waiting_issues";
// customer, recorded time (newest first), reason → ChurnReason.
inline constexpr std::string_view kChurnReasons = "churn_reasons";

// Counter rows (crm/eventstore/counters.h):
// scope kind, scope value, month → {promoters, passives, detractors}.
inline constexpr std::string_view kNpsCounts = "nps_counts";
// tier, month → IssueTimeCounter values.
inline constexpr std::string_view kIssueTimes = "issue_times";
enum IssueTimeCounter {
  kAcknowledged,
  kSecondsToAcknowledge,
  kAcknowledgedWithinCommitment,
  kClosed,
  kSecondsToClose,
  kIssueTimeCounters
};
// month, category → {reasons}.
inline constexpr std::string_view kChurnCounts = "churn_counts";

// Every table and counter table the service's own events give (not the projections of
// other services' topics): what a recompute of the read models empties and makes anew.
inline constexpr std::array<std::string_view, 10> kReadModelTables = {
    kSurveys,       kSurveyCustomers, kResponses, kIssues,     kCustomerIssues,
    kWaitingIssues, kChurnReasons,    kNpsCounts, kIssueTimes, kChurnCounts};

// The key prefix of one NPS scope: kind ("customer", "region", "industry", "tier", "all")
// and value.
std::string NpsScopeKey(std::string_view kind, std::string_view value);
std::string NpsCountKey(std::string_view scope_key, absl::CivilMonth month);
// The additions that count `response` (with `sign` -1: take it out) in every scope it
// belongs to, in the month it was given; none for a response without a score.
std::vector<CounterChange> NpsCounterChanges(const internal::StoredResponse& response, int sign);

std::string IssueTimesKey(crm::v1::Tier tier, absl::CivilMonth month);
std::string ChurnCountKey(absl::CivilMonth month, crm::v1::ChurnCategory category);

// The survey as kSurveys holds it.
crm::v1::Survey SurveyHeader(crm::v1::Survey survey);
std::string ResponseKey(std::string_view survey_id, std::string_view person_id);
std::string CustomerIssueKey(const crm::v1::Issue& issue);
std::string WaitingIssueKey(const crm::v1::Issue& issue);
std::string ChurnReasonKey(const crm::v1::ChurnReason& reason);
// Every row of the issue as it is now: written under each table, and under
// kWaitingIssues only while it waits for acknowledgement. `before` (the issue before the
// step, or null) has its waiting row removed when the step moves it.
std::vector<RowChange> IssueRows(const crm::v1::Issue& issue, const crm::v1::Issue* before);

// The rows and counters of a command's events.
struct Projection {
  std::vector<RowChange> rows;
  std::vector<CounterChange> counters;
};

// A survey's rows: its header, and with `asked` the customers it asks (when created).
std::vector<RowChange> SurveyRows(const crm::v1::Survey& survey, bool asked);

// A response as kResponses keeps it, with the scope its NPS counts under.
internal::StoredResponse StoredResponseOf(const crm::v1::SurveyResponse& response,
                                          const crm::v1::ResponseScope& scope);
crm::v1::ResponseScope ScopeOf(const internal::StoredResponse& stored);

// A recorded response's row, counted in its scopes, and the response it replaces (if any)
// taken out of its own.
Projection ResponseChanges(const crm::v1::SurveyResponseRecorded& recorded);

// A churn reason's row, counted in the month it was recorded.
Projection ChurnReasonChanges(const crm::v1::ChurnReason& reason);

// Streams: one per survey, one per customer, one for settings.
std::string SurveyStream(std::string_view survey_id);
std::string CustomerStream(std::string_view customer_id);
inline constexpr std::string_view kSettingsStream = "settings";

}  // namespace crm::satisfaction
