#include "crm/registry/read_models.h"

#include <map>

#include "absl/strings/str_format.h"
#include "crm/base/key_encoding.h"
#include "crm/registry/archive_rules.h"

namespace crm::registry {
namespace {

// The list row's key, given the archive's normalised legal name (ListKeyOf for an item).
std::string ListKey(const crm::v1::CustomerArchive& archive, std::string_view normalized_name) {
  return JoinKey({archive.summary().region(), normalized_name, archive.customer_id()});
}

std::string DayPart(int month, int day) { return absl::StrFormat("%02d%02d", month, day); }

std::string KeyDateKey(std::string_view customer_id, const crm::v1::KeyDate& date) {
  return JoinKey({DayPart(date.month(), date.day()), customer_id, date.date_id()});
}

// Puts `after_key` (when set) and deletes `before_key` when it differs.
void MoveIndexRow(std::string_view table, const std::string& before_key,
                  const std::string& after_key, const std::string& value,
                  std::vector<RowChange>& rows) {
  if (before_key == after_key) return;
  if (!before_key.empty()) rows.push_back({table, before_key, std::nullopt});
  if (!after_key.empty()) rows.push_back({table, after_key, value});
}

}  // namespace

std::string NameIndexKey(std::string_view region, std::string_view legal_name) {
  return JoinKey({region, NormalizeLegalName(legal_name)});
}

std::string ExternalIdIndexKey(std::string_view external_id) { return JoinKey({external_id}); }

std::vector<RowChange> ReadModelChanges(const crm::v1::CustomerArchive& before,
                                        const crm::v1::CustomerArchive& after) {
  std::vector<RowChange> rows;
  const bool existed = !before.customer_id().empty();
  const std::string& id = after.customer_id();
  // Each name normalised once (most changes keep the name).
  const std::string normalized_after = NormalizeLegalName(after.summary().legal_name());
  const std::string normalized_before =
      !existed ? std::string()
      : before.summary().legal_name() == after.summary().legal_name()
          ? normalized_after
          : NormalizeLegalName(before.summary().legal_name());

  MoveIndexRow(kNameIndexTable,
               existed ? JoinKey({before.summary().region(), normalized_before}) : std::string(),
               JoinKey({after.summary().region(), normalized_after}), id, rows);
  auto external_key = [](const crm::v1::CustomerArchive& archive) {
    const std::string& external_id = archive.summary().external_id();
    return external_id.empty() ? std::string() : ExternalIdIndexKey(external_id);
  };
  MoveIndexRow(kExternalIdIndexTable, existed ? external_key(before) : std::string(),
               external_key(after), id, rows);

  // The list row carries the version, so it is rewritten on every change.
  const std::string list_key = ListKey(after, normalized_after);
  if (existed) {
    std::string before_key = ListKey(before, normalized_before);
    if (before_key != list_key)
      rows.push_back({kCustomerListTable, std::move(before_key), std::nullopt});
  }
  rows.push_back({kCustomerListTable, list_key, ListItemOf(after).SerializeAsString()});

  std::map<std::string, const crm::v1::KeyDate*> dates_before;
  for (const auto& date : before.key_dates()) dates_before[KeyDateKey(id, date)] = &date;
  for (const auto& date : after.key_dates()) {
    const std::string key = KeyDateKey(id, date);
    if (dates_before.erase(key) == 0) {
      crm::v1::UpcomingKeyDate row;
      row.set_customer_id(id);
      row.set_region(after.summary().region());
      *row.mutable_date() = date;
      rows.push_back({kKeyDateTable, key, row.SerializeAsString()});
    }
  }
  for (const auto& [key, date] : dates_before) rows.push_back({kKeyDateTable, key, std::nullopt});
  return rows;
}

std::optional<RowChange> ProfileRowChange(const CustomerEvent& event,
                                          const google::protobuf::Timestamp& occurred_at) {
  if (const auto* recorded = std::get_if<crm::v1::PersonalProfileRecorded>(&event)) {
    crm::v1::PersonalProfileRecorded row = *recorded;
    // The row keeps the time alone of the event's metadata, however much the event carries.
    row.clear_metadata();
    *row.mutable_metadata()->mutable_occurred_at() = occurred_at;
    return RowChange{kProfileTable, JoinKey({recorded->customer_id(), recorded->person_id()}),
                     row.SerializeAsString()};
  }
  if (const auto* erased = std::get_if<crm::v1::PersonalProfileErased>(&event)) {
    return RowChange{kProfileTable, JoinKey({erased->customer_id(), erased->person_id()}),
                     std::nullopt};
  }
  return std::nullopt;
}

std::vector<RowChange> CommandRowChanges(const crm::v1::CustomerArchive& before,
                                         const crm::v1::CustomerArchive& after,
                                         const CustomerEvents& events,
                                         const google::protobuf::Timestamp& occurred_at) {
  std::vector<RowChange> rows = ReadModelChanges(before, after);
  for (const CustomerEvent& event : events) {
    if (std::optional<RowChange> row = ProfileRowChange(event, occurred_at)) {
      rows.push_back(*std::move(row));
    }
  }
  return rows;
}

crm::v1::CustomerListItem ListItemOf(const crm::v1::CustomerArchive& archive) {
  const auto& summary = archive.summary();
  crm::v1::CustomerListItem item;
  item.set_customer_id(archive.customer_id());
  item.set_legal_name(summary.legal_name());
  item.set_short_name(summary.short_name());
  item.set_region(summary.region());
  item.set_country_code(summary.country_code());
  item.set_industry(summary.industry());
  item.set_segment(summary.segment());
  item.set_owner_id(summary.owner_id());
  item.set_status(archive.status());
  item.set_version(archive.version());
  *item.mutable_updated_at() = archive.updated_at();
  return item;
}

std::string ListKeyOf(const crm::v1::CustomerListItem& item) {
  return JoinKey({item.region(), NormalizeLegalName(item.legal_name()), item.customer_id()});
}

std::string CustomerListPrefix(std::string_view region, std::string_view name_prefix) {
  if (region.empty()) return std::string();
  std::string prefix = JoinKey({region});
  // The normalised prefix without a trailing separator, so that "acme" finds "acme corp".
  prefix += NormalizeLegalName(name_prefix);
  return prefix;
}

CustomerListFilter::CustomerListFilter(const crm::v1::ListCustomersRequest& request)
    : request_(request), normalized_name_prefix_(NormalizeLegalName(request.name_prefix())) {}

bool CustomerListFilter::Matches(const crm::v1::CustomerListItem& item) const {
  if (!request_.region().empty() && item.region() != request_.region()) return false;
  if (!request_.industry().empty() && item.industry() != request_.industry()) return false;
  if (request_.status() != crm::v1::LIFECYCLE_STATUS_UNSPECIFIED &&
      item.status() != request_.status()) {
    return false;
  }
  if (!request_.owner_id().empty() && item.owner_id() != request_.owner_id()) return false;
  // With a region the name prefix is part of the scanned key prefix already.
  if (!normalized_name_prefix_.empty() && request_.region().empty() &&
      !NormalizeLegalName(item.legal_name()).starts_with(normalized_name_prefix_)) {
    return false;
  }
  return true;
}

std::vector<std::string> KeyDatePrefixesFor(absl::CivilDay day) {
  std::vector<std::string> prefixes = {JoinKey({DayPart(day.month(), day.day())})};
  const bool leap = absl::CivilDay(day.year(), 2, 29).month() == 2;
  if (!leap && day.month() == 2 && day.day() == 28) prefixes.push_back(JoinKey({DayPart(2, 29)}));
  return prefixes;
}

std::optional<crm::v1::UpcomingKeyDate> OccurrenceOn(const crm::v1::UpcomingKeyDate& stored,
                                                     absl::CivilDay day, int days_until) {
  if (stored.date().year() != 0 && stored.date().year() != day.year()) return std::nullopt;
  crm::v1::UpcomingKeyDate occurrence = stored;
  occurrence.set_year(static_cast<int32_t>(day.year()));
  occurrence.set_month(day.month());
  occurrence.set_day(day.day());
  occurrence.set_days_until(days_until);
  occurrence.set_reminder_due(days_until <= stored.date().remind_days_before());
  return occurrence;
}

}  // namespace crm::registry
