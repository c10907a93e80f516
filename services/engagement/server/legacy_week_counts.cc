#include "legacy_week_counts.h"

#include <string>

#include "crm/base/status_macros.h"
#include "crm/engagement/internal/state.pb.h"
#include "crm/engagement/read_models.h"

namespace crm::engagement {
namespace {

constexpr size_t kRowsPerBatch = 1000;

}  // namespace

absl::Status MoveLegacyWeekCounts(eventstore::EventStore& store) {
  while (true) {
    eventstore::ConsumedBatch batch;
    absl::Status parsed = absl::OkStatus();
    RETURN_IF_ERROR(
        store
            .VisitRows(kLegacyEmployeeWeeks, "", "",
                       [&](std::string_view key, std::string_view value) {
                         internal::EmployeeWeekCount count;
                         if (!count.ParseFromArray(value.data(), value.size())) {
                           parsed =
                               absl::DataLossError("a legacy employee week row does not parse");
                           return false;
                         }
                         batch.counters.push_back({std::string(kEmployeeWeekTouchpoints),
                                                   std::string(key),
                                                   {count.touchpoints()}});
                         batch.rows.push_back({std::string(kEmployeeWeekRoles), std::string(key),
                                               count.employee_role()});
                         batch.rows.push_back(
                             {std::string(kLegacyEmployeeWeeks), std::string(key), std::nullopt});
                         return batch.counters.size() < kRowsPerBatch;
                       })
            .status());
    RETURN_IF_ERROR(parsed);
    if (batch.counters.empty()) return absl::OkStatus();
    RETURN_IF_ERROR(store.CommitConsumed(batch));
  }
}

}  // namespace crm::engagement
