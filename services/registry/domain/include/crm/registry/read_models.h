// The registry's read models as pure functions: which index and list rows a change to a
// customer's archive writes, and how a key date's stored row becomes an upcoming date.
// The service writes these rows in the same atomic batch as the events.
//
//   for (const RowChange& row : ReadModelChanges(before, after)) batch.push_back(row);
//   std::string prefix = CustomerListPrefix(request.region(), request.name_prefix());
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/civil_time.h"
#include "crm/base/row_changes.h"
#include "crm/registry/customer.h"
#include "crm/v1/registry.pb.h"

namespace crm::registry {

// Tables of read-model rows.
// Region + normalised legal name → customer id: duplicate detection.
inline constexpr std::string_view kNameIndexTable = "customer_names";
// External id → customer id: duplicate detection.
inline constexpr std::string_view kExternalIdIndexTable = "customer_external_ids";
// Region + normalised legal name + customer id → CustomerListItem: ListCustomers.
inline constexpr std::string_view kCustomerListTable = "customer_list";
// Month + day + customer id + date id → UpcomingKeyDate (customer_id and date set):
// ListUpcomingKeyDates.
inline constexpr std::string_view kKeyDateTable = "key_dates_by_day";

// Sealed restricted profiles: customer id + person id → PersonalProfileRecorded (the
// ciphertext and nonce, and the time in its metadata).
inline constexpr std::string_view kProfileTable = "personal_profiles";

// Every table and counter table the service's own events give (not the projections of
// other services' topics): what a recompute of the read models empties and makes anew.
inline constexpr std::array<std::string_view, 5> kReadModelTables = {
    kNameIndexTable, kExternalIdIndexTable, kCustomerListTable, kKeyDateTable, kProfileTable};

std::string NameIndexKey(std::string_view region, std::string_view legal_name);
std::string ExternalIdIndexKey(std::string_view external_id);

// The rows to write when a customer's archive goes from `before` to `after` (`before`
// empty for a new customer): the index and list rows that change, and the key dates added
// or removed.
std::vector<RowChange> ReadModelChanges(const crm::v1::CustomerArchive& before,
                                        const crm::v1::CustomerArchive& after);

// The profile row an event writes, recorded at `occurred_at`: the sealed profile of a
// PersonalProfileRecorded (its metadata holding the time alone), a deletion for a
// PersonalProfileErased; nullopt for every other event.
std::optional<RowChange> ProfileRowChange(const CustomerEvent& event,
                                          const google::protobuf::Timestamp& occurred_at);

// Every row one command writes, in the order the store writes them: the read models of
// the archive going from `before` to `after` (ReadModelChanges), then the profile rows of
// its `events`, recorded at `occurred_at`. The command path and a rebuild both write these.
std::vector<RowChange> CommandRowChanges(const crm::v1::CustomerArchive& before,
                                         const crm::v1::CustomerArchive& after,
                                         const CustomerEvents& events,
                                         const google::protobuf::Timestamp& occurred_at);

crm::v1::CustomerListItem ListItemOf(const crm::v1::CustomerArchive& archive);

// The key of a customer's list row, from its list item: region, normalised legal name and
// customer id, so that lists run by region and name in every partition alike.
std::string ListKeyOf(const crm::v1::CustomerListItem& item);

// Key prefix of list rows for a region (empty: every region) and a name prefix (compared
// with the normalised legal name; only used with a region).
std::string CustomerListPrefix(std::string_view region, std::string_view name_prefix);

// The filters of a ListCustomers request, prepared once for the rows of a scan.
class CustomerListFilter {
 public:
  explicit CustomerListFilter(const crm::v1::ListCustomersRequest& request);
  // Whether `item` passes every filter set in the request.
  bool Matches(const crm::v1::CustomerListItem& item) const;

 private:
  const crm::v1::ListCustomersRequest& request_;
  std::string normalized_name_prefix_;
};

// Key prefixes of the key-date rows that fall on `day`: its month and day, and also
// 29 February on the 28th of a year without one (a yearly date then falls on the 28th).
std::vector<std::string> KeyDatePrefixesFor(absl::CivilDay day);

// The stored row `stored` as an occurrence on `day`, `days_until` from today; nullopt when
// it is a one-off date of another year.
std::optional<crm::v1::UpcomingKeyDate> OccurrenceOn(const crm::v1::UpcomingKeyDate& stored,
                                                     absl::CivilDay day, int days_until);

}  // namespace crm::registry
