// The registry's queries: archives, lists, upcoming key dates, org chart, decision chain
// and history.
#include <set>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "crm/base/status_macros.h"
#include "crm/registry/access_rules.h"
#include "crm/registry/history.h"
#include "crm/registry/org_views.h"
#include "crm/registry/read_models.h"
#include "crm/runtime/caller.h"
#include "crm/runtime/row_pages.h"
#include "handler_support.h"
#include "registry_service.h"

namespace crm::registry {
namespace {

void KeepParts(const google::protobuf::RepeatedField<int>& parts,
               crm::v1::CustomerArchive& archive) {
  if (parts.empty()) return;
  std::set<int> wanted(parts.begin(), parts.end());
  auto keep = [&](crm::v1::ArchivePart part) { return wanted.contains(part); };
  if (!keep(crm::v1::ARCHIVE_PART_ENVIRONMENT)) archive.clear_environment();
  if (!keep(crm::v1::ARCHIVE_PART_STRATEGY)) archive.clear_strategy();
  if (!keep(crm::v1::ARCHIVE_PART_FINANCES)) archive.clear_finances();
  if (!keep(crm::v1::ARCHIVE_PART_ORGANISATION)) archive.clear_organisation();
  if (!keep(crm::v1::ARCHIVE_PART_SWOT)) archive.clear_swot();
  if (!keep(crm::v1::ARCHIVE_PART_SUPPLIER_VIEW)) archive.clear_supplier_view();
  if (!keep(crm::v1::ARCHIVE_PART_NOTES)) archive.clear_notes();
  if (!keep(crm::v1::ARCHIVE_PART_KEY_PERSONS)) archive.clear_key_persons();
  if (!keep(crm::v1::ARCHIVE_PART_KEY_DATES)) archive.clear_key_dates();
}

}  // namespace

grpc::Status RegistryService::GetCustomer(grpc::ServerContext* context,
                                          const crm::v1::GetCustomerRequest* request,
                                          crm::v1::GetCustomerResponse* response) {
  for (int part : request->parts()) {
    if (part == crm::v1::ARCHIVE_PART_UNSPECIFIED || !crm::v1::ArchivePart_IsValid(part)) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          absl::StrCat("parts holds an unknown part ", part));
    }
  }
  absl::StatusOr<crm::v1::CustomerArchive> archive =
      LoadArchiveFor(*context, request->customer_id());
  if (!archive.ok()) return runtime::ToGrpcStatus(archive.status());
  KeepParts(request->parts(), *archive);
  for (std::string& hidden :
       RedactFinances(runtime::CallerOf(*context).role(), *archive->mutable_finances())) {
    response->add_redacted_fields(std::move(hidden));
  }
  *response->mutable_customer() = *std::move(archive);
  return grpc::Status::OK;
}

absl::StatusOr<std::optional<std::string>> RegistryService::PublishedState(
    std::string_view customer_id) const {
  ASSIGN_OR_RETURN(crm::v1::CustomerArchive archive, LoadArchive(customer_id));
  return archive.SerializeAsString();
}

grpc::Status RegistryService::ListCustomers(grpc::ServerContext* context,
                                            const crm::v1::ListCustomersRequest* request,
                                            crm::v1::ListCustomersResponse* response) {
  auto list = [&]() -> absl::StatusOr<crm::v1::ListCustomersResponse> {
    ASSIGN_OR_RETURN(size_t page_size, PageSizeOf(request->page()));
    if (request->status() != 0 && !crm::v1::LifecycleStatus_IsValid(request->status())) {
      return absl::InvalidArgumentError("status is not a lifecycle status");
    }
    // A caller limited to some regions lists those only; asking for another is refused.
    const security::Principal caller = runtime::PrincipalOf(*context);
    if (!request->region().empty()) {
      RETURN_IF_ERROR(runtime::RequireRegion(*context, request->region()));
    }
    const std::string prefix = CustomerListPrefix(request->region(), request->name_prefix());
    const CustomerListFilter filter(*request);
    crm::v1::ListCustomersResponse reply;
    ASSIGN_OR_RETURN(
        std::string token,
        runtime::ReadRowPage(
            store_, kCustomerListTable, prefix, request->page().page_token(), page_size,
            [&](std::string_view, std::string_view value) -> absl::StatusOr<runtime::RowVerdict> {
              // Parsed in its place in the reply, and taken out again when filtered out.
              crm::v1::CustomerListItem& item = *reply.add_customers();
              if (!item.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
                return absl::InternalError("a list row is corrupt");
              }
              if (!filter.Matches(item) || !caller.MayActIn(item.region())) {
                reply.mutable_customers()->RemoveLast();
                return runtime::RowVerdict::kSkip;
              }
              return runtime::RowVerdict::kKeep;
            }));
    reply.mutable_page()->set_next_page_token(token);
    return reply;
  };
  return Answer(list(), response);
}

grpc::Status RegistryService::ListUpcomingKeyDates(
    grpc::ServerContext* context, const crm::v1::ListUpcomingKeyDatesRequest* request,
    crm::v1::ListUpcomingKeyDatesResponse* response) {
  const security::Principal caller = runtime::PrincipalOf(*context);
  auto list = [&]() -> absl::StatusOr<crm::v1::ListUpcomingKeyDatesResponse> {
    ASSIGN_OR_RETURN(size_t page_size, PageSizeOf(request->page()));
    if (request->within_days() < 0 || request->within_days() > 366) {
      return absl::InvalidArgumentError("within_days must be from 0 (the default, 30) to 366");
    }
    const int within_days = request->within_days() == 0 ? 30 : request->within_days();
    // The token says where the previous page stopped: "<day offset>:<prefix index>:<rows
    // token>", so that pages walk the days in order.
    int offset = 0;
    size_t prefix_index = 0;
    std::string rows_token;
    if (!request->page().page_token().empty()) {
      std::string decoded;
      if (!absl::WebSafeBase64Unescape(request->page().page_token(), &decoded))
        return BadPageToken();
      std::vector<std::string> parts = absl::StrSplit(decoded, absl::MaxSplits(':', 2));
      if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &offset) ||
          !absl::SimpleAtoi(parts[1], &prefix_index) || offset < 0 || offset >= within_days) {
        return BadPageToken();
      }
      rows_token = parts[2];
    }
    const absl::CivilDay today = absl::ToCivilDay(options_.clock->Now(), absl::UTCTimeZone());
    crm::v1::ListUpcomingKeyDatesResponse reply;
    for (; offset < within_days; ++offset, prefix_index = 0, rows_token.clear()) {
      const absl::CivilDay day = today + offset;
      const std::vector<std::string> prefixes = KeyDatePrefixesFor(day);
      if (prefix_index >= prefixes.size()) return BadPageToken();
      for (; prefix_index < prefixes.size(); ++prefix_index, rows_token.clear()) {
        do {
          const size_t missing = page_size - reply.dates_size();
          ASSIGN_OR_RETURN(
              eventstore::RowPage rows,
              store_.ScanRows(kKeyDateTable, prefixes[prefix_index], rows_token, missing));
          for (const auto& [key, value] : rows.rows) {
            crm::v1::UpcomingKeyDate stored;
            if (!stored.ParseFromString(value)) return absl::InternalError("a date row is corrupt");
            if (!caller.MayActIn(stored.region())) continue;
            if (auto occurrence = OccurrenceOn(stored, day, offset)) {
              *reply.add_dates() = *std::move(occurrence);
            }
          }
          rows_token = rows.next_page_token;
          if (static_cast<size_t>(reply.dates_size()) == page_size) {
            // Resume after this read: in the same prefix when it has more rows, else at
            // the next prefix or day.
            std::string next;
            if (!rows_token.empty()) {
              next = absl::StrCat(offset, ":", prefix_index, ":", rows_token);
            } else if (prefix_index + 1 < prefixes.size()) {
              next = absl::StrCat(offset, ":", prefix_index + 1, ":");
            } else if (offset + 1 < within_days) {
              next = absl::StrCat(offset + 1, ":0:");
            }
            if (!next.empty()) {
              reply.mutable_page()->set_next_page_token(absl::WebSafeBase64Escape(next));
            }
            return reply;
          }
        } while (!rows_token.empty());
      }
    }
    return reply;
  };
  return Answer(list(), response);
}

grpc::Status RegistryService::GetOrgChart(grpc::ServerContext* context,
                                          const crm::v1::GetOrgChartRequest* request,
                                          crm::v1::GetOrgChartResponse* response) {
  absl::StatusOr<crm::v1::CustomerArchive> archive =
      LoadArchiveFor(*context, request->customer_id());
  if (!archive.ok()) return runtime::ToGrpcStatus(archive.status());
  *response = BuildOrgChart(*archive);
  return grpc::Status::OK;
}

grpc::Status RegistryService::GetDecisionChain(grpc::ServerContext* context,
                                               const crm::v1::GetDecisionChainRequest* request,
                                               crm::v1::GetDecisionChainResponse* response) {
  absl::StatusOr<crm::v1::CustomerArchive> archive =
      LoadArchiveFor(*context, request->customer_id());
  if (!archive.ok()) return runtime::ToGrpcStatus(archive.status());
  *response = BuildDecisionChain(*archive);
  return grpc::Status::OK;
}

grpc::Status RegistryService::GetHistory(grpc::ServerContext* context,
                                         const crm::v1::GetHistoryRequest* request,
                                         crm::v1::GetHistoryResponse* response) {
  auto history = [&]() -> absl::StatusOr<crm::v1::GetHistoryResponse> {
    ASSIGN_OR_RETURN(size_t page_size, PageSizeOf(request->page()));
    ASSIGN_OR_RETURN(crm::v1::CustomerArchive archive,
                     LoadArchiveFor(*context, request->customer_id()));
    const crm::v1::Role role = runtime::CallerOf(*context).role();
    uint64_t from_version = 1;
    if (!request->page().page_token().empty()) {
      std::string decoded;
      if (!absl::WebSafeBase64Unescape(request->page().page_token(), &decoded) ||
          !absl::SimpleAtoi(decoded, &from_version) || from_version < 1) {
        return BadPageToken();
      }
    }
    ASSIGN_OR_RETURN(std::vector<eventstore::StoredEvent> events,
                     store_.ReadStream(StreamOf(archive.customer_id()), from_version, page_size));
    crm::v1::GetHistoryResponse reply;
    for (std::string& hidden : HiddenFinanceFields(role))
      reply.add_redacted_fields(std::move(hidden));
    for (const eventstore::StoredEvent& stored : events) {
      ASSIGN_OR_RETURN(CustomerEvent event,
                       ParseCustomerEvent(stored.metadata.event_type(), stored.bytes));
      crm::v1::HistoryEntry& entry = *reply.add_entries();
      entry.set_version(stored.metadata.stream_version());
      entry.set_event_type(stored.metadata.event_type());
      *entry.mutable_occurred_at() = stored.metadata.occurred_at();
      *entry.mutable_actor() = stored.metadata.actor();
      entry.set_reason(ReasonOf(event));
      entry.set_change(DescribeChange(event));
      entry.set_request_id(stored.metadata.request_id());
      entry.mutable_event()->PackFrom(AsMessage(RedactForHistory(std::move(event), role)));
    }
    if (!events.empty() && events.back().metadata.stream_version() < archive.version()) {
      reply.mutable_page()->set_next_page_token(
          absl::WebSafeBase64Escape(absl::StrCat(events.back().metadata.stream_version() + 1)));
    }
    return reply;
  };
  return Answer(history(), response);
}

}  // namespace crm::registry
