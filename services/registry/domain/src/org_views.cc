#include "crm/registry/org_views.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace crm::registry {
namespace {

bool ComesFirst(const crm::v1::KeyPerson* a, const crm::v1::KeyPerson* b) {
  if (a->influence() != b->influence()) return a->influence() > b->influence();
  if (a->name() != b->name()) return a->name() < b->name();
  return a->person_id() < b->person_id();
}

using Reports = std::map<std::string, std::vector<const crm::v1::KeyPerson*>>;

void AddNode(const crm::v1::KeyPerson& person, const Reports& reports,
             std::set<std::string>& placed, crm::v1::OrgChartNode& node) {
  placed.insert(person.person_id());
  *node.mutable_person() = person;
  node.mutable_person()->clear_career();
  auto it = reports.find(person.person_id());
  if (it == reports.end()) return;
  for (const crm::v1::KeyPerson* report : it->second) {
    // The domain forbids cycles; `placed` guards against one in an archive from before.
    if (!placed.contains(report->person_id())) {
      AddNode(*report, reports, placed, *node.add_reports());
    }
  }
}

}  // namespace

crm::v1::GetOrgChartResponse BuildOrgChart(const crm::v1::CustomerArchive& archive) {
  std::set<std::string> ids;
  for (const auto& person : archive.key_persons()) ids.insert(person.person_id());
  Reports reports;
  std::vector<const crm::v1::KeyPerson*> roots;
  for (const auto& person : archive.key_persons()) {
    if (person.reports_to().empty() || !ids.contains(person.reports_to())) {
      roots.push_back(&person);
    } else {
      reports[person.reports_to()].push_back(&person);
    }
  }
  for (auto& [manager, people] : reports) std::sort(people.begin(), people.end(), ComesFirst);
  std::sort(roots.begin(), roots.end(), ComesFirst);

  crm::v1::GetOrgChartResponse chart;
  std::set<std::string> placed;
  for (const crm::v1::KeyPerson* root : roots) AddNode(*root, reports, placed, *chart.add_roots());
  return chart;
}

crm::v1::GetDecisionChainResponse BuildDecisionChain(const crm::v1::CustomerArchive& archive) {
  static constexpr crm::v1::DecisionRole kOrder[] = {
      crm::v1::DECISION_ROLE_DECISION_MAKER, crm::v1::DECISION_ROLE_INFLUENCER,
      crm::v1::DECISION_ROLE_EVALUATOR,      crm::v1::DECISION_ROLE_USER,
      crm::v1::DECISION_ROLE_COACH,          crm::v1::DECISION_ROLE_UNSPECIFIED};
  crm::v1::GetDecisionChainResponse chain;
  for (crm::v1::DecisionRole role : kOrder) {
    std::vector<const crm::v1::KeyPerson*> persons;
    for (const auto& person : archive.key_persons()) {
      if (person.role() == role) persons.push_back(&person);
    }
    if (persons.empty()) continue;
    std::sort(persons.begin(), persons.end(), ComesFirst);
    crm::v1::DecisionChainRole& group = *chain.add_roles();
    group.set_role(role);
    for (const crm::v1::KeyPerson* person : persons) {
      crm::v1::KeyPerson& entry = *group.add_persons();
      entry = *person;
      entry.clear_career();
      group.set_total_influence(group.total_influence() + person->influence());
    }
  }
  for (const auto& person : archive.key_persons()) {
    switch (person.stance()) {
      case crm::v1::STANCE_SUPPORTER:
        chain.set_supporters(chain.supporters() + 1);
        break;
      case crm::v1::STANCE_NEUTRAL:
        chain.set_neutrals(chain.neutrals() + 1);
        break;
      case crm::v1::STANCE_OPPONENT:
        chain.set_opponents(chain.opponents() + 1);
        break;
      default:
        break;
    }
    if (person.role() == crm::v1::DECISION_ROLE_DECISION_MAKER) {
      chain.set_decision_makers(chain.decision_makers() + 1);
      if (person.stance() == crm::v1::STANCE_SUPPORTER) {
        chain.set_supporting_decision_makers(chain.supporting_decision_makers() + 1);
      }
    }
  }
  return chain;
}

}  // namespace crm::registry
