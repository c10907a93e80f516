#include "crm/registry/org_chart.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace crm::registry {
namespace {

using ::testing::HasSubstr;
using Persons = google::protobuf::RepeatedPtrField<crm::v1::KeyPerson>;

crm::v1::KeyPerson Person(const std::string& id, const std::string& reports_to = "") {
  crm::v1::KeyPerson person;
  person.set_person_id(id);
  person.set_name("Name " + id);
  person.set_influence(3);
  person.set_reports_to(reports_to);
  return person;
}

// ceo <- cto <- architect, ceo <- cfo
Persons Chart() {
  Persons persons;
  *persons.Add() = Person("ceo");
  *persons.Add() = Person("cto", "ceo");
  *persons.Add() = Person("cfo", "ceo");
  *persons.Add() = Person("architect", "cto");
  return persons;
}

TEST(ValidateKeyPerson, NamesTheFieldOfEachProblem) {
  EXPECT_TRUE(ValidateKeyPerson(Person("a")).ok());
  struct Case {
    std::function<void(crm::v1::KeyPerson&)> spoil;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& p) { p.clear_name(); }, "person.name"},
      {[](auto& p) { p.set_name(std::string(101, 'n')); }, "person.name"},
      {[](auto& p) { p.set_influence(0); }, "person.influence"},
      {[](auto& p) { p.set_influence(6); }, "person.influence"},
      {[](auto& p) { p.set_level(static_cast<crm::v1::PersonLevel>(9)); }, "person.level"},
      {[](auto& p) { p.set_role(static_cast<crm::v1::DecisionRole>(9)); }, "person.role"},
      {[](auto& p) { p.set_stance(static_cast<crm::v1::Stance>(9)); }, "person.stance"},
      {[](auto& p) { p.set_reports_to("a"); }, "person.reports_to"},
      {[](auto& p) { p.add_career(); }, "person.career[0]"},
      {[](auto& p) {
         auto* entry = p.add_career();
         entry->set_organisation("Old Co");
         entry->set_from_year(2020);
         entry->set_to_year(2010);
       },
       "person.career[0].to_year"},
  };
  for (const Case& c : cases) {
    crm::v1::KeyPerson person = Person("a");
    c.spoil(person);
    absl::Status status = ValidateKeyPerson(person);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_THAT(std::string(status.message()), HasSubstr(c.field));
  }
}

TEST(CheckReportsTo, AcceptsAManagerOfTheSameCustomer) {
  const Persons persons = Chart();
  EXPECT_TRUE(CheckReportsTo(persons, "architect", "cfo").ok());
  EXPECT_TRUE(CheckReportsTo(persons, "new", "architect").ok());
  EXPECT_TRUE(CheckReportsTo(persons, "cto", "").ok());
}

TEST(CheckReportsTo, RefusesAnUnknownManager) {
  absl::Status status = CheckReportsTo(Chart(), "cto", "stranger");
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(status.message()), HasSubstr("person.reports_to"));
}

TEST(CheckReportsTo, RefusesCyclesOfAnyLength) {
  const Persons persons = Chart();
  // Direct: the ceo reporting to the cto, who reports to the ceo.
  EXPECT_EQ(CheckReportsTo(persons, "ceo", "cto").code(), absl::StatusCode::kFailedPrecondition);
  // Through two levels: the ceo reporting to the architect.
  EXPECT_EQ(CheckReportsTo(persons, "ceo", "architect").code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckReportsTo(persons, "cto", "cto").code(), absl::StatusCode::kInvalidArgument);
}

TEST(CheckReportsTo, StopsOnACycleAlreadyInTheData) {
  Persons persons;
  *persons.Add() = Person("a", "b");
  *persons.Add() = Person("b", "a");
  *persons.Add() = Person("c");
  // The walk from "a" loops between a and b; it must end, and "c" is not in that loop.
  EXPECT_TRUE(CheckReportsTo(persons, "c", "a").ok());
}

}  // namespace
}  // namespace crm::registry
