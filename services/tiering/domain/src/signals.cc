#include "crm/tiering/signals.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "crm/calendar/calendar.h"
#include "crm/nps/nps.h"
#include "crm/v1/engagement.pb.h"
#include "crm/v1/registry.pb.h"
#include "crm/v1/satisfaction.pb.h"
#include "google/protobuf/util/time_util.h"

namespace crm::tiering {
namespace {

using google::protobuf::util::TimeUtil;

template <class Event>
absl::Status Parse(std::string_view bytes, Event& event) {
  if (!event.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InvalidArgumentError(
        absl::StrCat("a ", Event::descriptor()->full_name(), " does not parse"));
  }
  return absl::OkStatus();
}

void AddOnce(google::protobuf::RepeatedPtrField<std::string>& ids, const std::string& id) {
  if (std::find(ids.begin(), ids.end(), id) == ids.end()) *ids.Add() = id;
}

void Remove(google::protobuf::RepeatedPtrField<std::string>& ids, const std::string& id) {
  auto it = std::find(ids.begin(), ids.end(), id);
  if (it != ids.end()) ids.erase(it);
}

// The month (UTC) a response was given in: its responded_at, or, for a response without
// one, when its event was recorded.
absl::CivilMonth MonthGiven(const crm::v1::SurveyResponse& response,
                            const crm::v1::EventMetadata& metadata) {
  const google::protobuf::Timestamp& at =
      response.has_responded_at() ? response.responded_at() : metadata.occurred_at();
  return absl::ToCivilMonth(absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(at)),
                            absl::UTCTimeZone());
}

absl::CivilMonth MonthOf(const internal::MonthlyResponses& counts) {
  return absl::CivilMonth(counts.year(), counts.month());
}

// The counts of `month`, added in their place (oldest first) when there are none yet.
internal::MonthlyResponses& CountsOf(absl::CivilMonth month, internal::CustomerSignals& signals) {
  auto& months = *signals.mutable_responses_by_month();
  auto at = std::find_if(months.begin(), months.end(),
                         [&](const internal::MonthlyResponses& m) { return MonthOf(m) >= month; });
  if (at != months.end() && MonthOf(*at) == month) return *at;
  const int index = static_cast<int>(at - months.begin());
  internal::MonthlyResponses& added = *months.Add();
  added.set_year(static_cast<int32_t>(month.year()));
  added.set_month(month.month());
  // Move it from the end to its place.
  for (int i = months.size() - 1; i > index; --i) months.SwapElements(i, i - 1);
  return months[index];
}

template <class Counts>
void AddTo(crm::v1::NpsCategory category, int by, Counts& counts) {
  switch (category) {
    case crm::v1::NPS_CATEGORY_PROMOTER:
      counts.set_promoters(counts.promoters() + by);
      break;
    case crm::v1::NPS_CATEGORY_PASSIVE:
      counts.set_passives(counts.passives() + by);
      break;
    default:
      counts.set_detractors(counts.detractors() + by);
      break;
  }
}

// Counts `response` once more (`by` 1) or less (-1), in every month's totals and in its
// month's.
void Count(const crm::v1::SurveyResponse& response, const crm::v1::EventMetadata& metadata, int by,
           internal::CustomerSignals& signals) {
  if (!response.has_score()) return;
  const crm::v1::NpsCategory category = nps::CategoryOf(response.score());
  AddTo(category, by, signals);
  AddTo(category, by, CountsOf(MonthGiven(response, metadata), signals));
}

absl::Status ApplyRegistry(std::string_view type, std::string_view bytes,
                           const crm::v1::EventMetadata& metadata,
                           internal::CustomerSignals& signals) {
  if (type != crm::v1::CustomerRegistered::descriptor()->full_name()) return absl::OkStatus();
  crm::v1::CustomerRegistered registered;
  if (absl::Status parsed = Parse(bytes, registered); !parsed.ok()) return parsed;
  if (!signals.has_customer_since()) *signals.mutable_customer_since() = metadata.occurred_at();
  return absl::OkStatus();
}

absl::Status ApplyEngagement(std::string_view type, std::string_view bytes,
                             internal::CustomerSignals& signals) {
  crm::v1::Touchpoint touchpoint;
  if (type == crm::v1::TouchpointLogged::descriptor()->full_name()) {
    crm::v1::TouchpointLogged logged;
    if (absl::Status parsed = Parse(bytes, logged); !parsed.ok()) return parsed;
    touchpoint = logged.touchpoint();
  } else if (type == crm::v1::TouchpointCorrected::descriptor()->full_name()) {
    crm::v1::TouchpointCorrected corrected;
    if (absl::Status parsed = Parse(bytes, corrected); !parsed.ok()) return parsed;
    touchpoint = corrected.touchpoint();
  } else {
    return absl::OkStatus();
  }
  for (const std::string& person : touchpoint.person_ids()) {
    AddOnce(*signals.mutable_persons_met(), person);
  }
  if (!signals.has_last_touchpoint_date() ||
      DayOfDate(touchpoint.date()) > DayOfDate(signals.last_touchpoint_date())) {
    *signals.mutable_last_touchpoint_date() = touchpoint.date();
  }
  return absl::OkStatus();
}

absl::Status ApplySatisfaction(std::string_view type, std::string_view bytes,
                               const crm::v1::EventMetadata& metadata,
                               internal::CustomerSignals& signals) {
  if (type == crm::v1::SurveyResponseRecorded::descriptor()->full_name()) {
    crm::v1::SurveyResponseRecorded recorded;
    if (absl::Status parsed = Parse(bytes, recorded); !parsed.ok()) return parsed;
    Count(recorded.response(), metadata, +1, signals);
    if (recorded.has_replaced()) Count(recorded.replaced(), metadata, -1, signals);
  } else if (type == crm::v1::IssueRaised::descriptor()->full_name()) {
    crm::v1::IssueRaised raised;
    if (absl::Status parsed = Parse(bytes, raised); !parsed.ok()) return parsed;
    AddOnce(*signals.mutable_open_issue_ids(), raised.issue().issue_id());
  } else if (type == crm::v1::IssueReopened::descriptor()->full_name()) {
    crm::v1::IssueReopened reopened;
    if (absl::Status parsed = Parse(bytes, reopened); !parsed.ok()) return parsed;
    AddOnce(*signals.mutable_open_issue_ids(), reopened.issue_id());
  } else if (type == crm::v1::ChurnReasonRecorded::descriptor()->full_name()) {
    crm::v1::ChurnReasonRecorded recorded;
    if (absl::Status parsed = Parse(bytes, recorded); !parsed.ok()) return parsed;
    signals.set_churn_reasons(signals.churn_reasons() + 1);
  } else if (type == crm::v1::IssueClosed::descriptor()->full_name()) {
    crm::v1::IssueClosed closed;
    if (absl::Status parsed = Parse(bytes, closed); !parsed.ok()) return parsed;
    Remove(*signals.mutable_open_issue_ids(), closed.issue_id());
  }
  return absl::OkStatus();
}

crm::v1::FactorInput Derived(const char* factor_id, double value, crm::v1::InputSource source) {
  crm::v1::FactorInput input;
  input.set_factor_id(factor_id);
  input.set_value(value);
  input.set_source(source);
  return input;
}

}  // namespace

absl::Status ApplySignalEvent(SignalSource source, std::string_view event_type,
                              std::string_view bytes, const crm::v1::EventMetadata& metadata,
                              internal::CustomerSignals& signals) {
  switch (source) {
    case SignalSource::kRegistry:
      return ApplyRegistry(event_type, bytes, metadata, signals);
    case SignalSource::kEngagement:
      return ApplyEngagement(event_type, bytes, signals);
    case SignalSource::kSatisfaction:
      return ApplySatisfaction(event_type, bytes, metadata, signals);
  }
  return absl::OkStatus();
}

nps::NpsCounts CustomerNpsCounts(const internal::CustomerSignals& signals, absl::Time now) {
  const nps::NpsCounts every_month = {signals.promoters(), signals.passives(),
                                      signals.detractors()};
  const absl::CivilMonth current = absl::ToCivilMonth(now, absl::UTCTimeZone());
  const absl::CivilMonth first = nps::FirstMonthOfCustomerNps(current);
  nps::NpsCounts in_months;
  nps::NpsCounts in_period;
  for (const internal::MonthlyResponses& month : signals.responses_by_month()) {
    const nps::NpsCounts counts = {month.promoters(), month.passives(), month.detractors()};
    in_months += counts;
    if (MonthOf(month) >= first && MonthOf(month) <= current) in_period += counts;
  }
  // A row kept before the months were (its earlier responses in no month) counts every
  // response, until the projections are rebuilt: its months alone would drop responses
  // of the period, or take out replaced ones they never counted.
  if (!(in_months == every_month)) return every_month;
  return in_period;
}

std::vector<crm::v1::FactorInput> DerivedInputs(const internal::CustomerSignals& signals,
                                                const crm::internal::KnownCustomer& customer,
                                                absl::Time now) {
  std::vector<crm::v1::FactorInput> inputs;
  if (signals.has_customer_since()) {
    const absl::Time since =
        absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(signals.customer_since()));
    const double years = std::max(0.0, absl::ToDoubleHours(now - since) / (24 * 365.25));
    inputs.push_back(Derived("relationship_length", years, crm::v1::INPUT_SOURCE_REGISTRY));
  }
  int decision_makers = 0;
  int met = 0;
  for (const crm::internal::KnownPerson& person : customer.persons()) {
    if (person.role() != crm::v1::DECISION_ROLE_DECISION_MAKER) continue;
    ++decision_makers;
    met += std::find(signals.persons_met().begin(), signals.persons_met().end(),
                     person.person_id()) != signals.persons_met().end();
  }
  if (decision_makers > 0) {
    inputs.push_back(Derived("relationship_depth", 100.0 * met / decision_makers,
                             crm::v1::INPUT_SOURCE_ENGAGEMENT));
  }
  if (const std::optional<double> loyalty = nps::NpsOf(CustomerNpsCounts(signals, now))) {
    inputs.push_back(Derived("loyalty", *loyalty, crm::v1::INPUT_SOURCE_SATISFACTION));
  }
  return inputs;
}

}  // namespace crm::tiering
