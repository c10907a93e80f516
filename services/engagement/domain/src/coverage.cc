#include "crm/engagement/coverage.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "crm/calendar/calendar.h"

namespace crm::engagement {

crm::v1::GetCoverageResponse BuildCoverage(const crm::internal::KnownCustomer& customer,
                                           const internal::CustomerEngagement& state,
                                           absl::CivilDay today, int window_days) {
  // Latest day per (person, layer), and which persons were ever met; views into the state.
  absl::flat_hash_map<std::pair<std::string_view, int>, const crm::v1::CalendarDate*> last_met;
  absl::flat_hash_set<std::string_view> ever_met;
  for (const internal::LastContact& contact : state.last_contacts()) {
    last_met[{contact.person_id(), contact.layer()}] = &contact.date();
    ever_met.insert(contact.person_id());
  }
  std::vector<const crm::internal::KnownPerson*> persons;
  for (const crm::internal::KnownPerson& person : customer.persons()) persons.push_back(&person);
  std::stable_sort(persons.begin(), persons.end(),
                   [](const auto* a, const auto* b) { return a->influence() > b->influence(); });

  const absl::CivilDay window_start = today - (window_days - 1);
  crm::v1::GetCoverageResponse coverage;
  coverage.set_window_days(window_days);
  for (crm::v1::RelationshipLayer layer :
       {crm::v1::RELATIONSHIP_LAYER_GENERAL, crm::v1::RELATIONSHIP_LAYER_KEY_PERSON,
        crm::v1::RELATIONSHIP_LAYER_ORGANISATIONAL}) {
    crm::v1::LayerCoverage& covered = *coverage.add_layers();
    covered.set_layer(layer);
    for (const crm::internal::KnownPerson* person : persons) {
      crm::v1::MemberContact& member = *covered.add_members();
      member.set_person_id(person->person_id());
      member.set_name(person->name());
      member.set_role(person->role());
      member.set_stance(person->stance());
      member.set_influence(person->influence());
      auto met = last_met.find(
          std::make_pair(std::string_view(person->person_id()), static_cast<int>(layer)));
      if (met == last_met.end()) continue;
      const absl::CivilDay day = DayOfDate(*met->second);
      // A later day than today can only come from a clock set back; it counts as met.
      if (day < window_start) continue;
      *member.mutable_last_met() = *met->second;
      covered.set_members_met(covered.members_met() + 1);
    }
  }
  for (const crm::internal::KnownPerson* person : persons) {
    if (person->role() == crm::v1::DECISION_ROLE_DECISION_MAKER) {
      coverage.set_decision_makers(coverage.decision_makers() + 1);
      if (person->stance() == crm::v1::STANCE_SUPPORTER) {
        coverage.set_supporting_decision_makers(coverage.supporting_decision_makers() + 1);
      }
    }
    if (!ever_met.contains(person->person_id())) {
      coverage.add_never_met_person_ids(person->person_id());
    }
  }
  if (coverage.decision_makers() > 0) {
    coverage.set_supporter_share(static_cast<double>(coverage.supporting_decision_makers()) /
                                 coverage.decision_makers());
  }
  return coverage;
}

}  // namespace crm::engagement
