// A synthetic sales organisation for `crmctl demo`: regions, account managers and their
// customers, each with an archive, a decision chain, a year of touchpoints, assessments,
// survey answers, issues and the inputs tiering scores, drawn from one seed so that the
// same seed always gives the same organisation.
//
// Every customer has a hidden value (most small, a few large) and a hidden satisfaction;
// what the services are told is drawn from those, so the evaluation finds a pyramid and
// the report shows the method's patterns: valuable customers met more often yet some of
// them neglected, NPS rising with the tier, a few valuable customers lost afterwards.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "crm/v1/engagement.pb.h"
#include "crm/v1/registry.pb.h"
#include "crm/v1/satisfaction.pb.h"

namespace crm::crmctl {

struct DemoPerson {
  std::string name;
  std::string title;
  std::string department;
  crm::v1::PersonLevel level = crm::v1::PERSON_LEVEL_UNSPECIFIED;
  crm::v1::DecisionRole role = crm::v1::DECISION_ROLE_UNSPECIFIED;
  int influence = 1;
  crm::v1::Stance stance = crm::v1::STANCE_NEUTRAL;
  int reports_to = -1;  // index of an earlier person; -1: nobody in the chain
};

struct DemoTouchpoint {
  int days_ago = 0;
  crm::v1::TouchpointType type = crm::v1::TOUCHPOINT_TYPE_MEETING;
  crm::v1::RelationshipLayer layer = crm::v1::RELATIONSHIP_LAYER_GENERAL;
  std::vector<int> persons;  // indexes into the customer's persons
};

struct DemoAssessment {
  int person = 0;
  int days_ago = 0;
  std::array<int, 6> scores{};  // the six criteria, 1..5
};

struct DemoAnswer {
  int person = 0;
  int score = 0;  // 0..10; 0..6 is a detractor, whose follow-up issue opens by itself
};

struct DemoIssue {
  int person = 0;
  crm::v1::IssueCategory category = crm::v1::ISSUE_CATEGORY_OTHER;
  crm::v1::IssueSeverity severity = crm::v1::ISSUE_SEVERITY_MEDIUM;
  std::string text;
  bool resolved = false;
};

// What happens to a customer after the first evaluation.
enum class DemoTurn {
  kNone,
  kChurns,     // lost: its lifecycle becomes churned
  kCollapses,  // its business falls away: this year's inputs drop to the bottom
};

struct DemoCustomer {
  std::string legal_name;
  std::string region;
  std::string country_code;
  std::string industry;
  std::string owner_id;
  double value = 0;         // hidden, 0..1
  double satisfaction = 0;  // hidden, 0..1
  int64_t revenue_millions = 0;
  int64_t profit_millions = 0;
  int wallet_share_percent = 0;
  int supplier_count = 1;
  std::vector<DemoPerson> persons;  // the first is the top decision maker
  std::vector<DemoTouchpoint> touchpoints;
  std::vector<DemoAssessment> assessments;
  std::vector<DemoAnswer> answers;
  std::vector<DemoIssue> issues;
  // Tiering's entered inputs of the fiscal year: factor id and value.
  std::vector<std::pair<std::string, double>> inputs;
  DemoTurn turn = DemoTurn::kNone;
  crm::v1::ChurnCategory churn_category = crm::v1::CHURN_CATEGORY_UNSPECIFIED;
  bool churn_reason_recorded = false;
};

struct DemoOrganisation {
  uint64_t seed = 0;
  int fiscal_year = 0;
  std::vector<std::string> regions;
  std::vector<std::string> account_managers;
  std::vector<DemoCustomer> customers;
};

// The organisation of `seed` with `customers` customers (at least 1), its touchpoints
// dated back from today, its inputs for `fiscal_year`.
DemoOrganisation GenerateDemoOrganisation(uint64_t seed, int customers, int fiscal_year);

}  // namespace crm::crmctl
