#include "crm/registry/customer.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "crm/base/field_errors.h"
#include "crm/base/status_macros.h"
#include "crm/registry/archive_rules.h"
#include "crm/registry/org_chart.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "overloaded.h"
#include "section_rules.h"

namespace crm::registry {
namespace {

using google::protobuf::util::MessageDifferencer;

absl::Status RequireCustomer(const crm::v1::CustomerArchive& archive) {
  if (archive.customer_id().empty()) return absl::NotFoundError("customer_id names no customer");
  return absl::OkStatus();
}

const crm::v1::KeyPerson* FindPerson(const crm::v1::CustomerArchive& archive, std::string_view id) {
  for (const auto& person : archive.key_persons()) {
    if (person.person_id() == id) return &person;
  }
  return nullptr;
}

// The key person named `id` in the field `field`, or NOT_FOUND naming that field.
absl::StatusOr<const crm::v1::KeyPerson*> RequirePerson(const crm::v1::CustomerArchive& archive,
                                                        std::string_view field,
                                                        std::string_view id) {
  const crm::v1::KeyPerson* person = FindPerson(archive, id);
  if (person == nullptr) {
    return absl::NotFoundError(absl::StrCat(std::string(field), " ", std::string(id),
                                            " is no key person of this customer"));
  }
  return person;
}

absl::Status ValidateReason(std::string_view reason) {
  if (Utf8Length(reason) > 1000) {
    return Invalid("reason", "is longer than 1000 characters");
  }
  return absl::OkStatus();
}

void SetHasProfile(crm::v1::CustomerArchive& archive, std::string_view person_id, bool has) {
  for (auto& person : *archive.mutable_key_persons()) {
    if (person.person_id() == person_id) person.set_has_personal_profile(has);
  }
}

constexpr int kMaxKeyPersons = 1000;
constexpr int kMaxKeyDates = 1000;

}  // namespace

absl::StatusOr<CustomerEvents> DecideRegister(std::string_view customer_id,
                                              const crm::v1::CustomerSummary& summary,
                                              crm::v1::LifecycleStatus status) {
  if (customer_id.empty()) return Invalid("customer_id", "is required");
  RETURN_IF_ERROR(ValidateSummary(summary));
  if (status == crm::v1::LIFECYCLE_STATUS_UNSPECIFIED) status = crm::v1::LIFECYCLE_STATUS_PROSPECT;
  if (status != crm::v1::LIFECYCLE_STATUS_PROSPECT && status != crm::v1::LIFECYCLE_STATUS_ACTIVE) {
    return Invalid("status", "of a new customer must be PROSPECT or ACTIVE");
  }
  crm::v1::CustomerRegistered event;
  event.set_customer_id(std::string(customer_id));
  *event.mutable_summary() = summary;
  event.set_status(status);
  return CustomerEvents{event};
}

absl::StatusOr<CustomerEvents> DecideUpdateSummary(const crm::v1::CustomerArchive& archive,
                                                   const crm::v1::CustomerSummary& summary,
                                                   std::string_view reason) {
  RETURN_IF_ERROR(RequireCustomer(archive));
  RETURN_IF_ERROR(ValidateSummary(summary));
  RETURN_IF_ERROR(ValidateReason(reason));
  if (summary.region() != archive.summary().region()) {
    return absl::FailedPreconditionError(absl::StrCat("summary.region cannot change (",
                                                      archive.summary().region(),
                                                      "): a customer moves to "
                                                      "another region by being registered there"));
  }
  if (MessageDifferencer::Equals(summary, archive.summary())) return CustomerEvents{};
  crm::v1::CustomerSummaryUpdated event;
  event.set_customer_id(archive.customer_id());
  *event.mutable_summary() = summary;
  event.set_reason(std::string(reason));
  return CustomerEvents{event};
}

absl::StatusOr<CustomerEvents> DecideUpdateSection(const crm::v1::CustomerArchive& archive,
                                                   const crm::v1::ArchiveSectionUpdated& update) {
  RETURN_IF_ERROR(RequireCustomer(archive));
  RETURN_IF_ERROR(internal::ValidateSection(update));
  RETURN_IF_ERROR(ValidateReason(update.reason()));
  crm::v1::ArchiveSectionUpdated event = update;
  event.clear_metadata();
  event.set_customer_id(archive.customer_id());
  return CustomerEvents{event};
}

absl::StatusOr<CustomerEvents> DecideChangeLifecycle(const crm::v1::CustomerArchive& archive,
                                                     crm::v1::LifecycleStatus to,
                                                     std::string_view reason) {
  RETURN_IF_ERROR(RequireCustomer(archive));
  RETURN_IF_ERROR(ValidateReason(reason));
  RETURN_IF_ERROR(CheckLifecycleTransition(archive.status(), to, reason));
  crm::v1::LifecycleChanged event;
  event.set_customer_id(archive.customer_id());
  event.set_from(archive.status());
  event.set_to(to);
  event.set_reason(std::string(reason));
  return CustomerEvents{event};
}

absl::StatusOr<CustomerEvents> DecideAddKeyPerson(const crm::v1::CustomerArchive& archive,
                                                  const crm::v1::KeyPerson& person) {
  RETURN_IF_ERROR(RequireCustomer(archive));
  if (person.person_id().empty()) return Invalid("person.person_id", "is required");
  RETURN_IF_ERROR(ValidateKeyPerson(person));
  if (FindPerson(archive, person.person_id()) != nullptr) {
    return absl::AlreadyExistsError(
        absl::StrCat("person.person_id ", person.person_id(), " already exists"));
  }
  if (archive.key_persons_size() >= kMaxKeyPersons) {
    return absl::FailedPreconditionError(
        absl::StrCat("a customer has at most ", kMaxKeyPersons, " key persons"));
  }
  RETURN_IF_ERROR(CheckReportsTo(archive.key_persons(), person.person_id(), person.reports_to()));
  crm::v1::KeyPersonAdded event;
  event.set_customer_id(archive.customer_id());
  *event.mutable_person() = person;
  event.mutable_person()->set_has_personal_profile(false);
  return CustomerEvents{event};
}

absl::StatusOr<CustomerEvents> DecideUpdateKeyPerson(const crm::v1::CustomerArchive& archive,
                                                     const crm::v1::KeyPerson& person,
                                                     std::string_view reason) {
  RETURN_IF_ERROR(RequireCustomer(archive));
  RETURN_IF_ERROR(ValidateKeyPerson(person));
  RETURN_IF_ERROR(ValidateReason(reason));
  ASSIGN_OR_RETURN(const crm::v1::KeyPerson* current,
                   RequirePerson(archive, "person.person_id", person.person_id()));
  RETURN_IF_ERROR(CheckReportsTo(archive.key_persons(), person.person_id(), person.reports_to()));
  crm::v1::KeyPerson after = person;
  after.set_has_personal_profile(current->has_personal_profile());
  if (MessageDifferencer::Equals(after, *current)) return CustomerEvents{};
  CustomerEvents events;
  crm::v1::KeyPersonUpdated updated;
  updated.set_customer_id(archive.customer_id());
  *updated.mutable_person() = std::move(after);
  updated.set_reason(std::string(reason));
  events.push_back(updated);
  if (person.title() != current->title() || person.department() != current->department()) {
    crm::v1::KeyPositionChanged moved;
    moved.set_customer_id(archive.customer_id());
    moved.set_person_id(person.person_id());
    moved.set_previous_title(current->title());
    moved.set_title(person.title());
    moved.set_previous_department(current->department());
    moved.set_department(person.department());
    events.push_back(moved);
  }
  return events;
}

absl::StatusOr<CustomerEvents> DecideRemoveKeyPerson(const crm::v1::CustomerArchive& archive,
                                                     std::string_view person_id,
                                                     std::string_view reason) {
  RETURN_IF_ERROR(RequireCustomer(archive));
  RETURN_IF_ERROR(ValidateReason(reason));
  ASSIGN_OR_RETURN(const crm::v1::KeyPerson* person,
                   RequirePerson(archive, "person_id", person_id));
  for (const auto& other : archive.key_persons()) {
    if (other.reports_to() == person_id) {
      return absl::FailedPreconditionError(absl::StrCat("person_id ", std::string(person_id),
                                                        " cannot be removed: ", other.person_id(),
                                                        " reports to them; change that first"));
    }
  }
  CustomerEvents events;
  if (person->has_personal_profile()) {
    crm::v1::PersonalProfileErased erased;
    erased.set_customer_id(archive.customer_id());
    erased.set_person_id(std::string(person_id));
    erased.set_reason("key person removed");
    events.push_back(erased);
  }
  crm::v1::KeyPersonRemoved event;
  event.set_customer_id(archive.customer_id());
  event.set_person_id(std::string(person_id));
  event.set_reason(std::string(reason));
  events.push_back(event);
  return events;
}

absl::StatusOr<CustomerEvents> DecideAddCareerEntry(const crm::v1::CustomerArchive& archive,
                                                    std::string_view person_id,
                                                    const crm::v1::CareerEntry& entry) {
  RETURN_IF_ERROR(RequireCustomer(archive));
  ASSIGN_OR_RETURN(const crm::v1::KeyPerson* current,
                   RequirePerson(archive, "person_id", person_id));
  crm::v1::KeyPerson person = *current;
  *person.add_career() = entry;
  // ValidateKeyPerson names the entry as person.career[i]; the caller sent it as "entry".
  absl::Status valid = ValidateKeyPerson(person);
  if (!valid.ok()) {
    const std::string prefix = absl::StrCat("person.career[", person.career_size() - 1, "]");
    std::string message(valid.message());
    if (message.starts_with(prefix)) message = "entry" + message.substr(prefix.size());
    return absl::Status(valid.code(), message);
  }
  return DecideUpdateKeyPerson(archive, person, "career entry added");
}

absl::Status ValidatePersonalProfile(const crm::v1::PersonalProfile& profile) {
  return internal::ValidateProfile(profile);
}

absl::StatusOr<CustomerEvents> DecideRecordPersonalProfile(const crm::v1::CustomerArchive& archive,
                                                           std::string_view person_id,
                                                           ProfileSealer seal) {
  RETURN_IF_ERROR(RequireCustomer(archive));
  RETURN_IF_ERROR(RequirePerson(archive, "person_id", person_id).status());
  ASSIGN_OR_RETURN(SealedProfile sealed, seal());
  crm::v1::PersonalProfileRecorded event;
  event.set_customer_id(archive.customer_id());
  event.set_person_id(std::string(person_id));
  event.set_ciphertext(std::move(sealed.ciphertext));
  event.set_nonce(std::move(sealed.nonce));
  return CustomerEvents{event};
}

absl::StatusOr<CustomerEvents> DecideErasePersonalProfile(const crm::v1::CustomerArchive& archive,
                                                          std::string_view person_id,
                                                          std::string_view reason) {
  RETURN_IF_ERROR(RequireCustomer(archive));
  RETURN_IF_ERROR(ValidateReason(reason));
  ASSIGN_OR_RETURN(const crm::v1::KeyPerson* person,
                   RequirePerson(archive, "person_id", person_id));
  if (!person->has_personal_profile()) {
    return absl::NotFoundError(
        absl::StrCat("person_id ", std::string(person_id), " has no personal profile on record"));
  }
  crm::v1::PersonalProfileErased event;
  event.set_customer_id(archive.customer_id());
  event.set_person_id(std::string(person_id));
  event.set_reason(std::string(reason));
  return CustomerEvents{event};
}

absl::StatusOr<CustomerEvents> DecideAddKeyDate(const crm::v1::CustomerArchive& archive,
                                                const crm::v1::KeyDate& date) {
  RETURN_IF_ERROR(RequireCustomer(archive));
  if (date.date_id().empty()) return Invalid("date.date_id", "is required");
  RETURN_IF_ERROR(internal::ValidateKeyDate(date));
  if (!date.person_id().empty()) {
    RETURN_IF_ERROR(RequirePerson(archive, "date.person_id", date.person_id()).status());
  }
  for (const auto& existing : archive.key_dates()) {
    if (existing.date_id() == date.date_id()) {
      return absl::AlreadyExistsError(
          absl::StrCat("date.date_id ", date.date_id(), " already exists"));
    }
  }
  if (archive.key_dates_size() >= kMaxKeyDates) {
    return absl::FailedPreconditionError(
        absl::StrCat("a customer has at most ", kMaxKeyDates, " key dates"));
  }
  crm::v1::KeyDateAdded event;
  event.set_customer_id(archive.customer_id());
  *event.mutable_date() = date;
  return CustomerEvents{event};
}

absl::StatusOr<CustomerEvents> DecideRemoveKeyDate(const crm::v1::CustomerArchive& archive,
                                                   std::string_view date_id) {
  RETURN_IF_ERROR(RequireCustomer(archive));
  for (const auto& existing : archive.key_dates()) {
    if (existing.date_id() == date_id) {
      crm::v1::KeyDateRemoved event;
      event.set_customer_id(archive.customer_id());
      event.set_date_id(std::string(date_id));
      return CustomerEvents{event};
    }
  }
  return absl::NotFoundError(
      absl::StrCat("date_id ", std::string(date_id), " is no key date of this customer"));
}

void Apply(const CustomerEvent& event, absl::Time at, crm::v1::CustomerArchive& archive) {
  using google::protobuf::util::TimeUtil;
  const auto stamp = TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(at));
  std::visit(
      internal::Overloaded{
          [&](const crm::v1::CustomerRegistered& e) {
            archive.set_customer_id(e.customer_id());
            *archive.mutable_summary() = e.summary();
            archive.set_status(e.status());
            *archive.mutable_registered_at() = stamp;
          },
          [&](const crm::v1::CustomerSummaryUpdated& e) {
            *archive.mutable_summary() = e.summary();
          },
          [&](const crm::v1::ArchiveSectionUpdated& e) {
            using Section = crm::v1::ArchiveSectionUpdated;
            switch (e.section_case()) {
              case Section::kEnvironment:
                *archive.mutable_environment() = e.environment();
                break;
              case Section::kStrategy:
                *archive.mutable_strategy() = e.strategy();
                break;
              case Section::kFinance: {
                // One entry per fiscal year, kept in year order.
                auto* finances = archive.mutable_finances();
                auto it = std::find_if(finances->begin(), finances->end(), [&](const auto& f) {
                  return f.fiscal_year() >= e.finance().fiscal_year();
                });
                if (it != finances->end() && it->fiscal_year() == e.finance().fiscal_year()) {
                  *it = e.finance();
                } else {
                  const int index = static_cast<int>(it - finances->begin());
                  *finances->Add() = e.finance();
                  for (int i = finances->size() - 1; i > index; --i)
                    finances->SwapElements(i, i - 1);
                }
                break;
              }
              case Section::kOrganisation:
                *archive.mutable_organisation() = e.organisation();
                break;
              case Section::kSwot:
                *archive.mutable_swot() = e.swot();
                break;
              case Section::kSupplierView:
                *archive.mutable_supplier_view() = e.supplier_view();
                break;
              case Section::kNotes:
                archive.set_notes(e.notes());
                break;
              case Section::SECTION_NOT_SET:
                break;
            }
          },
          [&](const crm::v1::LifecycleChanged& e) { archive.set_status(e.to()); },
          [&](const crm::v1::KeyPersonAdded& e) { *archive.add_key_persons() = e.person(); },
          [&](const crm::v1::KeyPersonUpdated& e) {
            for (auto& person : *archive.mutable_key_persons()) {
              if (person.person_id() == e.person().person_id()) person = e.person();
            }
          },
          [&](const crm::v1::KeyPositionChanged&) {
            // The position is part of the KeyPersonUpdated recorded with it.
          },
          [&](const crm::v1::KeyPersonRemoved& e) {
            auto* persons = archive.mutable_key_persons();
            persons->erase(
                std::remove_if(persons->begin(), persons->end(),
                               [&](const auto& p) { return p.person_id() == e.person_id(); }),
                persons->end());
            auto* dates = archive.mutable_key_dates();
            dates->erase(
                std::remove_if(dates->begin(), dates->end(),
                               [&](const auto& d) { return d.person_id() == e.person_id(); }),
                dates->end());
          },
          [&](const crm::v1::PersonalProfileRecorded& e) {
            SetHasProfile(archive, e.person_id(), true);
          },
          [&](const crm::v1::PersonalProfileErased& e) {
            SetHasProfile(archive, e.person_id(), false);
          },
          [&](const crm::v1::KeyDateAdded& e) { *archive.add_key_dates() = e.date(); },
          [&](const crm::v1::KeyDateRemoved& e) {
            auto* dates = archive.mutable_key_dates();
            dates->erase(std::remove_if(dates->begin(), dates->end(),
                                        [&](const auto& d) { return d.date_id() == e.date_id(); }),
                         dates->end());
          },
      },
      event);
  *archive.mutable_updated_at() = stamp;
}

void Evolve(const crm::v1::EventMetadata& metadata, const CustomerEvent& event,
            crm::v1::CustomerArchive& archive) {
  Apply(event,
        absl::FromUnixNanos(
            google::protobuf::util::TimeUtil::TimestampToNanoseconds(metadata.occurred_at())),
        archive);
  archive.set_version(metadata.stream_version());
}

const google::protobuf::Message& AsMessage(const CustomerEvent& event) {
  return std::visit([](const auto& e) -> const google::protobuf::Message& { return e; }, event);
}

}  // namespace crm::registry
