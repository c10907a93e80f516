#include "crm/engagement/settings_rules.h"

#include <algorithm>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "crm/base/field_errors.h"
#include "crm/calendar/calendar.h"

namespace crm::engagement {
namespace {

constexpr int kMaxGapDays = 3650;
constexpr int kMaxWeeklyTouchpoints = 1000;

crm::v1::CadenceRule Rule(crm::v1::Tier tier, int contact_days, int decision_maker_days) {
  crm::v1::CadenceRule rule;
  rule.set_tier(tier);
  rule.set_contact_every_days(contact_days);
  rule.set_decision_maker_every_days(decision_maker_days);
  return rule;
}

crm::v1::CadenceRule DefaultRule(crm::v1::Tier tier) {
  switch (tier) {
    case crm::v1::TIER_S:
      return Rule(tier, 14, 30);
    case crm::v1::TIER_A:
      return Rule(tier, 30, 60);
    case crm::v1::TIER_B:
      return Rule(tier, 60, 90);
    default:
      return Rule(crm::v1::TIER_C, 90, 180);
  }
}

}  // namespace

absl::Status ValidateCadenceRule(const crm::v1::CadenceRule& rule) {
  if (rule.tier() == crm::v1::TIER_UNSPECIFIED || !crm::v1::Tier_IsValid(rule.tier())) {
    return Invalid("rule.tier", "is required: S, A, B or C");
  }
  if (rule.contact_every_days() < 1 || rule.contact_every_days() > kMaxGapDays) {
    return Invalid("rule.contact_every_days", "must be from 1 to 3650");
  }
  if (rule.decision_maker_every_days() < 1 || rule.decision_maker_every_days() > kMaxGapDays) {
    return Invalid("rule.decision_maker_every_days", "must be from 1 to 3650");
  }
  return absl::OkStatus();
}

crm::v1::CadenceRule CadenceRuleOf(const EngagementSettings& settings, crm::v1::Tier tier) {
  if (tier == crm::v1::TIER_UNSPECIFIED) tier = crm::v1::TIER_C;
  for (const crm::v1::CadenceRule& rule : settings.cadence_rules()) {
    if (rule.tier() == tier) return rule;
  }
  return DefaultRule(tier);
}

void SetCadenceRule(const crm::v1::CadenceRule& rule, EngagementSettings& settings) {
  for (crm::v1::CadenceRule& held : *settings.mutable_cadence_rules()) {
    if (held.tier() == rule.tier()) {
      held = rule;
      return;
    }
  }
  *settings.add_cadence_rules() = rule;
}

absl::Status ValidateQuota(const crm::v1::TouchpointQuota& quota) {
  if (!IsIdLike(quota.employee_role())) {
    return Invalid("quota.employee_role",
                   "is required: a role word (letters, digits, '_' and '-', at most 64)");
  }
  if (quota.weekly_touchpoints() < 0 || quota.weekly_touchpoints() > kMaxWeeklyTouchpoints) {
    return Invalid("quota.weekly_touchpoints", "must be from 0 (no quota) to 1000");
  }
  return absl::OkStatus();
}

int QuotaOf(const EngagementSettings& settings, std::string_view role) {
  for (const crm::v1::TouchpointQuota& quota : settings.quotas()) {
    if (quota.employee_role() == role) return quota.weekly_touchpoints();
  }
  return 0;
}

void SetQuota(const crm::v1::TouchpointQuota& quota, EngagementSettings& settings) {
  std::map<std::string, int> quotas;
  for (const crm::v1::TouchpointQuota& held : settings.quotas()) {
    quotas[held.employee_role()] = held.weekly_touchpoints();
  }
  quotas[quota.employee_role()] = quota.weekly_touchpoints();
  settings.clear_quotas();
  for (const auto& [role, weekly] : quotas) {
    if (weekly == 0) continue;
    crm::v1::TouchpointQuota& kept = *settings.add_quotas();
    kept.set_employee_role(role);
    kept.set_weekly_touchpoints(weekly);
  }
}

std::optional<crm::v1::OverdueCustomer> OverdueOf(const crm::internal::KnownCustomer& customer,
                                                  const internal::CustomerEngagement& state,
                                                  const crm::v1::CadenceRule& rule,
                                                  absl::CivilDay today) {
  crm::v1::OverdueCustomer overdue;
  overdue.set_customer_id(customer.customer_id());
  overdue.set_name(customer.name());
  overdue.set_tier(rule.tier());
  if (state.has_last_touchpoint()) {
    *overdue.mutable_last_contact() = state.last_touchpoint().date();
    overdue.set_contact_overdue(today - DayOfDate(state.last_touchpoint().date()) >
                                rule.contact_every_days());
  } else {
    overdue.set_contact_overdue(true);
  }
  // A decision maker's last meeting at any layer.
  std::map<std::string, absl::CivilDay> last_met;
  for (const internal::LastContact& contact : state.last_contacts()) {
    const absl::CivilDay day = DayOfDate(contact.date());
    auto [it, inserted] = last_met.emplace(contact.person_id(), day);
    if (!inserted && day > it->second) it->second = day;
  }
  for (const crm::internal::KnownPerson& person : customer.persons()) {
    if (person.role() != crm::v1::DECISION_ROLE_DECISION_MAKER) continue;
    auto met = last_met.find(person.person_id());
    if (met != last_met.end() && today - met->second <= rule.decision_maker_every_days()) {
      continue;
    }
    crm::v1::OverduePerson& late = *overdue.add_decision_makers();
    late.set_person_id(person.person_id());
    late.set_name(person.name());
    if (met != last_met.end()) *late.mutable_last_met() = CalendarDateOf(met->second);
  }
  if (!overdue.contact_overdue() && overdue.decision_makers().empty()) return std::nullopt;
  return overdue;
}

}  // namespace crm::engagement
