#include "crm/registry/history.h"

#include "absl/strings/str_cat.h"
#include "crm/registry/access_rules.h"
#include "overloaded.h"

namespace crm::registry {
namespace {

template <class Event>
bool TryParse(std::string_view type, std::string_view bytes, CustomerEvent& out, bool& matched) {
  if (matched || type != Event::descriptor()->full_name()) return false;
  matched = true;
  Event event;
  if (!event.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return false;
  out = std::move(event);
  return true;
}

template <class... Events>
absl::StatusOr<CustomerEvent> ParseAny(std::string_view type, std::string_view bytes,
                                       std::variant<Events...>*) {
  CustomerEvent out;
  bool matched = false;
  const bool parsed = (TryParse<Events>(type, bytes, out, matched) || ...);
  if (!matched) {
    return absl::InternalError(absl::StrCat("unknown customer event type ", std::string(type)));
  }
  if (!parsed) return absl::InternalError(absl::StrCat("corrupt ", std::string(type), " event"));
  return out;
}

std::string StatusName(crm::v1::LifecycleStatus status) {
  std::string name = crm::v1::LifecycleStatus_Name(status);
  constexpr std::string_view kPrefix = "LIFECYCLE_STATUS_";
  return name.starts_with(kPrefix) ? name.substr(kPrefix.size()) : name;
}

std::string SectionName(const crm::v1::ArchiveSectionUpdated& update) {
  using Section = crm::v1::ArchiveSectionUpdated;
  switch (update.section_case()) {
    case Section::kEnvironment:
      return "environment and competition";
    case Section::kStrategy:
      return "strategy and pain points";
    case Section::kFinance:
      return absl::StrCat("finance of fiscal year ", update.finance().fiscal_year());
    case Section::kOrganisation:
      return "organisation and procurement";
    case Section::kSwot:
      return "SWOT";
    case Section::kSupplierView:
      return "supplier view";
    case Section::kNotes:
      return "notes";
    case Section::SECTION_NOT_SET:
      break;
  }
  return "an unknown section";
}

}  // namespace

absl::StatusOr<CustomerEvent> ParseCustomerEvent(std::string_view type, std::string_view bytes) {
  return ParseAny(type, bytes, static_cast<CustomerEvent*>(nullptr));
}

std::string DescribeChange(const CustomerEvent& event) {
  return std::visit(
      internal::Overloaded{
          [](const crm::v1::CustomerRegistered& e) {
            return absl::StrCat("registered \"", e.summary().legal_name(), "\" in region ",
                                e.summary().region(), " as ", StatusName(e.status()));
          },
          [](const crm::v1::CustomerSummaryUpdated&) { return std::string("summary updated"); },
          [](const crm::v1::ArchiveSectionUpdated& e) {
            return absl::StrCat(SectionName(e), " updated");
          },
          [](const crm::v1::LifecycleChanged& e) {
            return absl::StrCat("lifecycle ", StatusName(e.from()), " → ", StatusName(e.to()));
          },
          [](const crm::v1::KeyPersonAdded& e) {
            return absl::StrCat("key person ", e.person().person_id(), " (", e.person().name(),
                                ") added");
          },
          [](const crm::v1::KeyPersonUpdated& e) {
            return absl::StrCat("key person ", e.person().person_id(), " (", e.person().name(),
                                ") updated");
          },
          [](const crm::v1::KeyPositionChanged& e) {
            return absl::StrCat("key person ", e.person_id(), " moved from \"", e.previous_title(),
                                "\", ", e.previous_department(), " to \"", e.title(), "\", ",
                                e.department());
          },
          [](const crm::v1::KeyPersonRemoved& e) {
            return absl::StrCat("key person ", e.person_id(), " removed");
          },
          [](const crm::v1::PersonalProfileRecorded& e) {
            return absl::StrCat("personal profile of ", e.person_id(), " recorded");
          },
          [](const crm::v1::PersonalProfileErased& e) {
            return absl::StrCat("personal profile of ", e.person_id(), " erased");
          },
          [](const crm::v1::KeyDateAdded& e) {
            return absl::StrCat("key date ", e.date().date_id(), " (", e.date().title(), ") added");
          },
          [](const crm::v1::KeyDateRemoved& e) {
            return absl::StrCat("key date ", e.date_id(), " removed");
          },
      },
      event);
}

std::string ReasonOf(const CustomerEvent& event) {
  return std::visit(
      [](const auto& e) -> std::string {
        if constexpr (requires { e.reason(); }) {
          return e.reason();
        } else {
          return std::string();
        }
      },
      event);
}

CustomerEvent RedactForHistory(CustomerEvent event, crm::v1::Role role) {
  if (auto* recorded = std::get_if<crm::v1::PersonalProfileRecorded>(&event)) {
    recorded->clear_ciphertext();
    recorded->clear_nonce();
  }
  if (auto* updated = std::get_if<crm::v1::ArchiveSectionUpdated>(&event);
      updated != nullptr && updated->has_finance()) {
    RedactFinanceYear(role, *updated->mutable_finance());
  }
  return event;
}

}  // namespace crm::registry
