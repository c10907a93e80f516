#include "crm/known_customers/known_customers.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "crm/base/status_macros.h"
#include "crm/v1/tiering.pb.h"

namespace crm::customers {
namespace {

template <class Event>
absl::Status Parse(std::string_view bytes, Event& event) {
  if (!event.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InvalidArgumentError(
        absl::StrCat("event does not parse as ", Event::descriptor()->full_name()));
  }
  return absl::OkStatus();
}

KnownPerson PersonOf(const crm::v1::KeyPerson& person) {
  KnownPerson known;
  known.set_person_id(person.person_id());
  known.set_name(person.name());
  known.set_role(person.role());
  known.set_influence(person.influence());
  known.set_stance(person.stance());
  return known;
}

void Upsert(const crm::v1::KeyPerson& person, KnownCustomer& customer) {
  for (KnownPerson& known : *customer.mutable_persons()) {
    if (known.person_id() == person.person_id()) {
      known = PersonOf(person);
      return;
    }
  }
  *customer.add_persons() = PersonOf(person);
}

void Remove(std::string_view person_id, KnownCustomer& customer) {
  auto& persons = *customer.mutable_persons();
  persons.erase(std::remove_if(persons.begin(), persons.end(),
                               [&](const KnownPerson& p) { return p.person_id() == person_id; }),
                persons.end());
}

}  // namespace

absl::Status ApplyRegistryEvent(std::string_view event_type, std::string_view bytes,
                                KnownCustomer& customer) {
  if (event_type == crm::v1::CustomerRegistered::descriptor()->full_name()) {
    crm::v1::CustomerRegistered event;
    RETURN_IF_ERROR(Parse(bytes, event));
    customer.set_customer_id(event.customer_id());
    customer.set_registered(true);
    customer.set_name(event.summary().legal_name());
    customer.set_region(event.summary().region());
    customer.set_industry(event.summary().industry());
    customer.set_status(event.status());
  } else if (event_type == crm::v1::CustomerSummaryUpdated::descriptor()->full_name()) {
    crm::v1::CustomerSummaryUpdated event;
    RETURN_IF_ERROR(Parse(bytes, event));
    customer.set_name(event.summary().legal_name());
    customer.set_region(event.summary().region());
    customer.set_industry(event.summary().industry());
  } else if (event_type == crm::v1::LifecycleChanged::descriptor()->full_name()) {
    crm::v1::LifecycleChanged event;
    RETURN_IF_ERROR(Parse(bytes, event));
    customer.set_status(event.to());
  } else if (event_type == crm::v1::KeyPersonAdded::descriptor()->full_name()) {
    crm::v1::KeyPersonAdded event;
    RETURN_IF_ERROR(Parse(bytes, event));
    Upsert(event.person(), customer);
  } else if (event_type == crm::v1::KeyPersonUpdated::descriptor()->full_name()) {
    crm::v1::KeyPersonUpdated event;
    RETURN_IF_ERROR(Parse(bytes, event));
    Upsert(event.person(), customer);
  } else if (event_type == crm::v1::KeyPersonRemoved::descriptor()->full_name()) {
    crm::v1::KeyPersonRemoved event;
    RETURN_IF_ERROR(Parse(bytes, event));
    Remove(event.person_id(), customer);
  }
  return absl::OkStatus();
}

absl::Status ApplyTieringEvent(std::string_view event_type, std::string_view bytes,
                               KnownCustomer& customer) {
  if (event_type != crm::v1::CustomerTierChanged::descriptor()->full_name()) {
    return absl::OkStatus();
  }
  crm::v1::CustomerTierChanged event;
  RETURN_IF_ERROR(Parse(bytes, event));
  customer.set_customer_id(event.customer_id());
  customer.set_tier(event.tier());
  return absl::OkStatus();
}

KnownCustomer KnownCustomerOf(const crm::v1::CustomerArchive& archive, crm::v1::Tier tier) {
  KnownCustomer customer;
  customer.set_customer_id(archive.customer_id());
  customer.set_registered(true);
  customer.set_name(archive.summary().legal_name());
  customer.set_region(archive.summary().region());
  customer.set_industry(archive.summary().industry());
  customer.set_status(archive.status());
  customer.set_tier(tier);
  for (const crm::v1::KeyPerson& person : archive.key_persons()) {
    *customer.add_persons() = PersonOf(person);
  }
  return customer;
}

const KnownPerson* FindPerson(const KnownCustomer& customer, std::string_view person_id) {
  for (const KnownPerson& person : customer.persons()) {
    if (person.person_id() == person_id) return &person;
  }
  return nullptr;
}

crm::v1::Tier EffectiveTier(const KnownCustomer& customer) {
  return customer.tier() == crm::v1::TIER_UNSPECIFIED ? crm::v1::TIER_C : customer.tier();
}

}  // namespace crm::customers
