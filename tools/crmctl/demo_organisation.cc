#include "demo_organisation.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

#include "absl/strings/str_cat.h"

namespace crm::crmctl {
namespace {

// std::mt19937_64's sequence is fixed by the standard; the distributions of <random> are
// not, so the draws below use its raw output and stay the same on every platform.
class Draw {
 public:
  explicit Draw(uint64_t seed) : engine_(seed) {}
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  // Uniform in [0, n).
  int Below(int n) { return static_cast<int>(engine_() % static_cast<uint64_t>(n)); }
  int Between(int low, int high) { return low + Below(high - low + 1); }
  bool Chance(double p) { return Unit() < p; }
  template <class T, size_t N>
  const T& Pick(const T (&options)[N]) {
    return options[Below(static_cast<int>(N))];
  }

 private:
  std::mt19937_64 engine_;
};

struct Region {
  const char* name;
  std::vector<const char*> countries;
  std::vector<const char*> suffixes;
};

const std::vector<Region>& Regions() {
  static const auto* regions = new std::vector<Region>{
      {"emea", {"DE", "FR", "GB", "IT", "ES", "NL", "SE", "AE", "ZA"}, {"GmbH", "SA", "plc", "AG"}},
      {"apac", {"JP", "KR", "SG", "AU", "IN", "ID", "TH"}, {"Ltd", "Pte Ltd", "KK", "Pty Ltd"}},
      {"americas", {"US", "CA", "BR", "MX", "CL", "CO"}, {"Inc", "Corp", "LLC", "SA de CV"}},
      {"china", {"CN"}, {"Co Ltd", "Group Co Ltd"}},
  };
  return *regions;
}

constexpr const char* kIndustries[] = {"telecom operator", "energy utility", "banking",
                                       "automotive",       "logistics",      "public sector",
                                       "healthcare",       "retail",         "manufacturing"};
constexpr const char* kSyllables[] = {"nor", "sol", "vel", "ka", "tri", "lu", "mar", "den", "or",
                                      "qui", "sta", "ber", "ri", "zen", "co", "al",  "va",  "ten",
                                      "mi",  "ro",  "gra", "ne", "ost", "pa", "li",  "dor"};
constexpr const char* kNameCores[] = {"Telecom", "Networks", "Energy", "Power",   "Bank",
                                      "Motors",  "Freight",  "Health", "Systems", "Digital"};
constexpr const char* kGivenNames[] = {"Ada",  "Bo",    "Chen",  "Dara", "Emil", "Farah", "Goran",
                                       "Hana", "Ivo",   "Jun",   "Kai",  "Lena", "Mateo", "Nia",
                                       "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tomoko"};
constexpr const char* kFamilyNames[] = {"Almeida",  "Berg",  "Castro", "Dubois",   "Eriksen",
                                        "Fischer",  "Gupta", "Haddad", "Ito",      "Jansen",
                                        "Kowalski", "Li",    "Moreau", "Nakamura", "Okafor",
                                        "Park",     "Rossi", "Silva",  "Tanaka",   "Wang"};
constexpr const char* kTopicsOfIssues[] = {
    "Delivery slipped by three weeks", "Invoice disputed",          "Outage in the core network",
    "Support ticket unanswered",       "Price increase not agreed", "Spare parts late"};

std::string Capitalised(std::string word) {
  if (!word.empty()) word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
  return word;
}

// The decision chain: a chief executive, then heads who report to them, then their staff.
std::vector<DemoPerson> DecisionChain(Draw& draw, double value) {
  struct Seat {
    const char* title;
    const char* department;
    crm::v1::PersonLevel level;
    crm::v1::DecisionRole role;
    int reports_to;
  };
  static const Seat kSeats[] = {
      {"Chief Executive Officer", "Board", crm::v1::PERSON_LEVEL_C_LEVEL,
       crm::v1::DECISION_ROLE_DECISION_MAKER, -1},
      {"Chief Technology Officer", "Technology", crm::v1::PERSON_LEVEL_C_LEVEL,
       crm::v1::DECISION_ROLE_DECISION_MAKER, 0},
      {"Head of Procurement", "Procurement", crm::v1::PERSON_LEVEL_VP,
       crm::v1::DECISION_ROLE_EVALUATOR, 0},
      {"Director of Operations", "Operations", crm::v1::PERSON_LEVEL_DIRECTOR,
       crm::v1::DECISION_ROLE_INFLUENCER, 1},
      {"Network Planning Manager", "Technology", crm::v1::PERSON_LEVEL_MANAGER,
       crm::v1::DECISION_ROLE_USER, 1},
      {"Solution Architect", "Technology", crm::v1::PERSON_LEVEL_STAFF,
       crm::v1::DECISION_ROLE_COACH, 4},
  };
  const int count = 3 + static_cast<int>(std::lround(value * 3));  // 3..6
  std::vector<DemoPerson> persons;
  for (int i = 0; i < count; ++i) {
    const Seat& seat = kSeats[i];
    DemoPerson person;
    person.name = absl::StrCat(draw.Pick(kGivenNames), " ", draw.Pick(kFamilyNames));
    person.title = seat.title;
    person.department = seat.department;
    person.level = seat.level;
    person.role = seat.role;
    person.influence = std::clamp(5 - static_cast<int>(seat.level) / 2 + draw.Between(-1, 0), 1, 5);
    const double roll = draw.Unit();
    person.stance = roll < 0.45   ? crm::v1::STANCE_SUPPORTER
                    : roll < 0.85 ? crm::v1::STANCE_NEUTRAL
                                  : crm::v1::STANCE_OPPONENT;
    person.reports_to = seat.reports_to;
    persons.push_back(std::move(person));
  }
  return persons;
}

// A year of touchpoints: more for valuable customers; a neglected one was last met two
// months ago or more.
std::vector<DemoTouchpoint> YearOfTouchpoints(Draw& draw, double value, int persons) {
  constexpr crm::v1::TouchpointType kTypes[] = {
      crm::v1::TOUCHPOINT_TYPE_VISIT, crm::v1::TOUCHPOINT_TYPE_MEETING,
      crm::v1::TOUCHPOINT_TYPE_TECHNICAL_EXCHANGE, crm::v1::TOUCHPOINT_TYPE_EXECUTIVE_VISIT,
      crm::v1::TOUCHPOINT_TYPE_SITE_TOUR};
  const bool neglected = draw.Chance(0.2);
  const int count = 1 + static_cast<int>(value * 16 + draw.Unit() * 3);
  std::vector<DemoTouchpoint> touchpoints;
  for (int i = 0; i < count; ++i) {
    DemoTouchpoint touchpoint;
    touchpoint.days_ago = neglected ? draw.Between(60, 364) : draw.Between(0, 364);
    touchpoint.type = draw.Pick(kTypes);
    const double layer = draw.Unit();
    if (layer < 0.6) {
      touchpoint.layer = crm::v1::RELATIONSHIP_LAYER_KEY_PERSON;
      touchpoint.persons.push_back(draw.Below(persons));
    } else if (layer < 0.8) {
      touchpoint.layer = crm::v1::RELATIONSHIP_LAYER_ORGANISATIONAL;
      touchpoint.persons = {0, 1 % persons};
    } else {
      touchpoint.layer = crm::v1::RELATIONSHIP_LAYER_GENERAL;
    }
    if (touchpoint.persons.size() == 2 && touchpoint.persons[0] == touchpoint.persons[1]) {
      touchpoint.persons.pop_back();
    }
    touchpoints.push_back(std::move(touchpoint));
  }
  return touchpoints;
}

std::vector<std::pair<std::string, double>> Inputs(Draw& draw, const DemoCustomer& customer) {
  const double v = customer.value;
  const auto rating = [&](double base) {
    return static_cast<double>(
        std::clamp(static_cast<int>(1 + base * 4 + draw.Unit() * 1.5), 1, 5));
  };
  return {
      {"last_year_revenue", static_cast<double>(customer.revenue_millions)},
      {"last_year_profit", static_cast<double>(customer.profit_millions)},
      {"forecast_revenue", std::round(customer.revenue_millions * (0.8 + draw.Unit() * 0.5))},
      {"payment_record",
       static_cast<double>(draw.Chance(0.1) ? draw.Between(1, 3) : draw.Between(4, 5))},
      {"share_of_wallet", static_cast<double>(customer.wallet_share_percent)},
      {"product_importance", rating(v)},
      {"industry_influence", rating(v)},
      {"growth_prospects", rating(draw.Unit())},
      {"loss_impact", rating(v)},
      {"strategic_fit", rating((v + draw.Unit()) / 2)},
  };
}

DemoCustomer MakeCustomer(Draw& draw, const Region& region, const std::string& owner,
                          std::set<std::string>& names) {
  DemoCustomer customer;
  customer.region = region.name;
  customer.country_code = region.countries[draw.Below(static_cast<int>(region.countries.size()))];
  customer.industry = draw.Pick(kIndustries);
  customer.owner_id = owner;
  const std::string stem = absl::StrCat(Capitalised(draw.Pick(kSyllables)), draw.Pick(kSyllables),
                                        " ", draw.Pick(kNameCores));
  const std::string& suffix = region.suffixes[draw.Below(static_cast<int>(region.suffixes.size()))];
  // Legal names are unique within a region (the registry refuses a second one).
  std::string name = absl::StrCat(stem, " ", suffix);
  for (int n = 2; !names.insert(absl::StrCat(region.name, "/", name)).second; ++n) {
    name = absl::StrCat(stem, " ", n, " ", suffix);
  }
  customer.legal_name = name;
  // Most customers are small and a few large: the pyramid the method starts from.
  customer.value = std::pow(draw.Unit(), 2.5);
  customer.revenue_millions =
      1 + static_cast<int64_t>(customer.value * 400 * (0.7 + draw.Unit() * 0.6));
  customer.profit_millions = customer.revenue_millions * draw.Between(3, 22) / 100;
  customer.wallet_share_percent = draw.Between(5, 25) + static_cast<int>(customer.value * 50);
  customer.supplier_count = draw.Between(2, 5);
  customer.persons = DecisionChain(draw, customer.value);
  customer.touchpoints =
      YearOfTouchpoints(draw, customer.value, static_cast<int>(customer.persons.size()));
  // Met often, heard well: satisfaction follows attention and value, with a customer's
  // own mood.
  customer.satisfaction = std::clamp(0.25 + 0.3 * customer.value +
                                         0.02 * static_cast<double>(customer.touchpoints.size()) +
                                         (draw.Unit() - 0.5) * 0.6,
                                     0.0, 1.0);
  const int assessed = customer.value > 0.3 ? std::min<int>(2, customer.persons.size()) : 0;
  for (int p = 0; p < assessed; ++p) {
    DemoAssessment assessment{.person = p, .days_ago = draw.Between(0, 180)};
    for (int& score : assessment.scores) {
      score = std::clamp(static_cast<int>(1 + customer.satisfaction * 4 + draw.Unit() - 0.5), 1, 5);
    }
    customer.assessments.push_back(assessment);
  }
  const int answering = draw.Between(1, std::min<int>(3, customer.persons.size()));
  for (int p = 0; p < answering; ++p) {
    // 0.2 answers about 6 (a detractor), 0.5 about 8, 0.8 about 9.5 (a promoter).
    const double expected = 5 + customer.satisfaction * 5.5 + (draw.Unit() - 0.5) * 2.5;
    const int score = std::clamp(static_cast<int>(std::lround(expected)), 0, 10);
    customer.answers.push_back({.person = p, .score = score});
  }
  if (draw.Chance(0.15)) {
    constexpr crm::v1::IssueCategory kCategories[] = {
        crm::v1::ISSUE_CATEGORY_DELIVERY, crm::v1::ISSUE_CATEGORY_PRICE_AND_BILLING,
        crm::v1::ISSUE_CATEGORY_PRODUCT_QUALITY, crm::v1::ISSUE_CATEGORY_SERVICE};
    customer.issues.push_back({.person = draw.Below(static_cast<int>(customer.persons.size())),
                               .category = draw.Pick(kCategories),
                               .severity = static_cast<crm::v1::IssueSeverity>(draw.Between(1, 4)),
                               .text = draw.Pick(kTopicsOfIssues),
                               .resolved = draw.Chance(0.6)});
  }
  customer.inputs = Inputs(draw, customer);
  const double turn = draw.Unit();
  if (turn < 0.015) {
    customer.turn = DemoTurn::kChurns;
    customer.churn_reason_recorded = draw.Chance(0.6);
    constexpr crm::v1::ChurnCategory kReasons[] = {
        crm::v1::CHURN_CATEGORY_PRICE, crm::v1::CHURN_CATEGORY_COMPETITOR,
        crm::v1::CHURN_CATEGORY_SERVICE, crm::v1::CHURN_CATEGORY_RELATIONSHIP};
    customer.churn_category = draw.Pick(kReasons);
  } else if (turn < 0.035) {
    customer.turn = DemoTurn::kCollapses;
  }
  return customer;
}

}  // namespace

DemoOrganisation GenerateDemoOrganisation(uint64_t seed, int customers, int fiscal_year) {
  Draw draw(seed);
  DemoOrganisation organisation;
  organisation.seed = seed;
  organisation.fiscal_year = fiscal_year;
  for (const Region& region : Regions()) {
    organisation.regions.emplace_back(region.name);
    for (int i = 1; i <= 4; ++i) {
      organisation.account_managers.push_back(absl::StrCat("am-", region.name, "-", i));
    }
  }
  std::set<std::string> names;
  for (int i = 0; i < std::max(customers, 1); ++i) {
    const size_t r = static_cast<size_t>(draw.Below(static_cast<int>(Regions().size())));
    const std::string& owner = organisation.account_managers[r * 4 + draw.Below(4)];
    organisation.customers.push_back(MakeCustomer(draw, Regions()[r], owner, names));
  }
  return organisation;
}

}  // namespace crm::crmctl
