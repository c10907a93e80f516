// The customer aggregate, as pure functions over plain messages: each Decide* takes the
// customer's current archive and a command's input and returns the events to record (an
// empty list when the command changes nothing) or the error for the caller; Apply folds
// an event into the archive, and Evolve a recorded one (its time and version from its
// metadata). No storage, RPC or clock: the caller passes the time.
//
//   ASSIGN_OR_RETURN(CustomerEvents events, DecideChangeLifecycle(archive, to, reason));
//   for (const CustomerEvent& e : events) Apply(e, now, archive);
//
// Ids (customer, key person, key date) are chosen by the caller, so that a retried
// request can be answered with the same ids.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "crm/v1/registry.pb.h"

namespace crm::registry {

using CustomerEvent =
    std::variant<crm::v1::CustomerRegistered, crm::v1::CustomerSummaryUpdated,
                 crm::v1::ArchiveSectionUpdated, crm::v1::LifecycleChanged, crm::v1::KeyPersonAdded,
                 crm::v1::KeyPersonUpdated, crm::v1::KeyPositionChanged, crm::v1::KeyPersonRemoved,
                 crm::v1::PersonalProfileRecorded, crm::v1::PersonalProfileErased,
                 crm::v1::KeyDateAdded, crm::v1::KeyDateRemoved>;
using CustomerEvents = std::vector<CustomerEvent>;

// A new customer, as a prospect unless `status` says otherwise (ACTIVE for an existing
// customer taken over from another system). Duplicates (same normalised legal name in the
// region, same external id) are the caller's to find, with NormalizeLegalName.
absl::StatusOr<CustomerEvents> DecideRegister(std::string_view customer_id,
                                              const crm::v1::CustomerSummary& summary,
                                              crm::v1::LifecycleStatus status);

// Replaces the summary; the region never changes (FAILED_PRECONDITION).
absl::StatusOr<CustomerEvents> DecideUpdateSummary(const crm::v1::CustomerArchive& archive,
                                                   const crm::v1::CustomerSummary& summary,
                                                   std::string_view reason);

// Replaces one archive section (`update.section`), or one fiscal year of the finances.
absl::StatusOr<CustomerEvents> DecideUpdateSection(const crm::v1::CustomerArchive& archive,
                                                   const crm::v1::ArchiveSectionUpdated& update);

absl::StatusOr<CustomerEvents> DecideChangeLifecycle(const crm::v1::CustomerArchive& archive,
                                                     crm::v1::LifecycleStatus to,
                                                     std::string_view reason);

// Adds `person` (its person_id set by the caller, unused in the customer).
absl::StatusOr<CustomerEvents> DecideAddKeyPerson(const crm::v1::CustomerArchive& archive,
                                                  const crm::v1::KeyPerson& person);

// Replaces a key person; a new title or department also records KeyPositionChanged.
absl::StatusOr<CustomerEvents> DecideUpdateKeyPerson(const crm::v1::CustomerArchive& archive,
                                                     const crm::v1::KeyPerson& person,
                                                     std::string_view reason);

// Adds a position to a key person's career history (a KeyPersonUpdated).
absl::StatusOr<CustomerEvents> DecideAddCareerEntry(const crm::v1::CustomerArchive& archive,
                                                    std::string_view person_id,
                                                    const crm::v1::CareerEntry& entry);

// Removes a key person nobody reports to (FAILED_PRECONDITION otherwise); their key
// dates go with them, and their restricted profile is erased first (PersonalProfileErased
// before KeyPersonRemoved), so the caller must destroy the person's key.
absl::StatusOr<CustomerEvents> DecideRemoveKeyPerson(const crm::v1::CustomerArchive& archive,
                                                     std::string_view person_id,
                                                     std::string_view reason);

// INVALID_ARGUMENT naming the field ("profile.birth_year", …) for a profile out of bounds.
absl::Status ValidatePersonalProfile(const crm::v1::PersonalProfile& profile);

// A restricted profile as encrypted by the caller under the person's key.
struct SealedProfile {
  std::string ciphertext;
  std::string nonce;
};
using ProfileSealer = absl::FunctionRef<absl::StatusOr<SealedProfile>()>;

// Records a profile; `seal` encrypts it, and is called only once the person is known, so
// that no key is made for a person who is not there.
absl::StatusOr<CustomerEvents> DecideRecordPersonalProfile(const crm::v1::CustomerArchive& archive,
                                                           std::string_view person_id,
                                                           ProfileSealer seal);

// NOT_FOUND when the person is unknown or has no profile on record.
absl::StatusOr<CustomerEvents> DecideErasePersonalProfile(const crm::v1::CustomerArchive& archive,
                                                          std::string_view person_id,
                                                          std::string_view reason);

absl::StatusOr<CustomerEvents> DecideAddKeyDate(const crm::v1::CustomerArchive& archive,
                                                const crm::v1::KeyDate& date);
absl::StatusOr<CustomerEvents> DecideRemoveKeyDate(const crm::v1::CustomerArchive& archive,
                                                   std::string_view date_id);

// Folds `event` into `archive`; `at` is when it was recorded.
void Apply(const CustomerEvent& event, absl::Time at, crm::v1::CustomerArchive& archive);

// Folds a recorded event into `archive`, from the event alone: Apply at the event's
// `occurred_at`, and the archive's version becomes the event's stream version. Folding a
// customer's stream from an empty archive gives the archive the store holds for it,
// which is what a rebuild from the topics relies on.
void Evolve(const crm::v1::EventMetadata& metadata, const CustomerEvent& event,
            crm::v1::CustomerArchive& archive);

// The event's message, for serialising it.
const google::protobuf::Message& AsMessage(const CustomerEvent& event);

}  // namespace crm::registry
