// A customer's touchpoint events without any I/O: the latest contacts each event leaves in
// the engagement state, worked out by hand, and the rows and week counts each writes.
#include "crm/engagement/touchpoint_events.h"

#include "crm/calendar/calendar.h"
#include "crm/engagement/read_models.h"
#include "gtest/gtest.h"

namespace crm::engagement {
namespace {

constexpr auto kKeyPerson = crm::v1::RELATIONSHIP_LAYER_KEY_PERSON;

crm::v1::Touchpoint Met(const std::string& id, int day, std::vector<std::string> persons) {
  crm::v1::Touchpoint touchpoint;
  touchpoint.set_touchpoint_id(id);
  touchpoint.set_customer_id("cus_1");
  touchpoint.set_layer(kKeyPerson);
  *touchpoint.mutable_date() = CalendarDateOf(absl::CivilDay(2026, 12, day));
  for (std::string& person : persons) touchpoint.add_person_ids(std::move(person));
  crm::v1::EmployeePresence& alice = *touchpoint.add_employees();
  alice.set_employee_id("u-alice");
  alice.set_role("account_manager");
  return touchpoint;
}

std::string LatestOf(const CustomerEngagement& state, const std::string& person) {
  const std::optional<LastContact> contact = LastContactOf(
      state, {person, person.empty() ? crm::v1::RELATIONSHIP_LAYER_UNSPECIFIED : kKeyPerson});
  return contact.has_value() ? contact->touchpoint_id() : "none";
}

crm::v1::TouchpointLogged Logged(const crm::v1::Touchpoint& touchpoint) {
  crm::v1::TouchpointLogged logged;
  *logged.mutable_touchpoint() = touchpoint;
  return logged;
}

TEST(TouchpointEvents, ACorrectionPutsBackTheContactsItHeldAsFoundAnew) {
  // tp1 on the 1st with the CEO, tp2 on the 8th with the CEO and the CTO.
  CustomerEngagement state;
  Evolve(Logged(Met("tp1", 1, {"ceo"})), state);
  const crm::v1::Touchpoint tp2 = Met("tp2", 8, {"ceo", "cto"});
  Evolve(Logged(tp2), state);
  EXPECT_EQ(LatestOf(state, "ceo"), "tp2");
  EXPECT_EQ(LatestOf(state, ""), "tp2");

  // tp2 moved to the 3rd without the CEO: the command found tp1 for the CEO and the
  // customer, nothing else for the CTO; tp2 then counts again where it still is latest.
  const crm::v1::Touchpoint moved = Met("tp2", 3, {"cto"});
  std::vector<crm::v1::LatestContact> restored;
  LastContact tp1;
  tp1.set_touchpoint_id("tp1");
  *tp1.mutable_date() = CalendarDateOf(absl::CivilDay(2026, 12, 1));
  restored.push_back(LatestContactOf({"", crm::v1::RELATIONSHIP_LAYER_UNSPECIFIED}, tp1));
  restored.push_back(LatestContactOf({"ceo", kKeyPerson}, tp1));
  restored.push_back(LatestContactOf({"cto", kKeyPerson}, std::nullopt));
  const crm::v1::TouchpointCorrected corrected =
      DecideCorrection(tp2, moved, "wrong day", restored).value();
  EXPECT_EQ(corrected.previous().date().day(), 8);
  Evolve(corrected, state);
  EXPECT_EQ(LatestOf(state, "ceo"), "tp1");
  EXPECT_EQ(LatestOf(state, "cto"), "tp2");
  EXPECT_EQ(LatestOf(state, ""), "tp2");  // the 3rd is after the 1st

  // Cancelled: the CTO has no contact left, the customer's latest is tp1 again.
  const crm::v1::TouchpointCancelled cancelled =
      DecideCancellation(moved, "logged twice",
                         {LatestContactOf({"", crm::v1::RELATIONSHIP_LAYER_UNSPECIFIED}, tp1),
                          LatestContactOf({"cto", kKeyPerson}, std::nullopt)})
          .value();
  Evolve(cancelled, state);
  EXPECT_EQ(LatestOf(state, "cto"), "none");
  EXPECT_EQ(LatestOf(state, ""), "tp1");
  EXPECT_EQ(LatestOf(state, "ceo"), "tp1");
}

TEST(TouchpointEvents, AMoveToAnotherWeekTakesTheCountOutOfOneAndIntoTheOther) {
  const crm::v1::Touchpoint before = Met("tp2", 8, {"ceo"});  // week of Monday the 7th
  const crm::v1::Touchpoint after = Met("tp2", 3, {"ceo"});   // week of Monday Nov 30
  const TouchpointProjection changes =
      TouchpointChanges(DecideCorrection(before, after, "", /*restored=*/{}).value());
  ASSERT_EQ(changes.counters.size(), 2u);
  EXPECT_EQ(changes.counters[0].key, EmployeeWeekKey(absl::CivilDay(2026, 12, 7), "u-alice"));
  EXPECT_EQ(changes.counters[0].deltas, std::vector<int64_t>{-1});
  EXPECT_EQ(changes.counters[1].key, EmployeeWeekKey(absl::CivilDay(2026, 11, 30), "u-alice"));
  EXPECT_EQ(changes.counters[1].deltas, std::vector<int64_t>{1});
  // The touchpoint's row, its old day and contact rows deleted, its new ones put, its role.
  ASSERT_EQ(changes.rows.size(), 1u + 3 + 3 + 1);
  EXPECT_EQ(changes.rows[0].table, kTouchpoints);
  EXPECT_FALSE(changes.rows[1].value.has_value());
  EXPECT_EQ(changes.rows[1].key, TouchpointByDayKey(before));
  EXPECT_TRUE(changes.rows[4].value.has_value());
  EXPECT_EQ(changes.rows[4].key, TouchpointByDayKey(after));
  EXPECT_EQ(changes.rows[7].table, kEmployeeWeekRoles);
  EXPECT_EQ(changes.rows[7].value, "account_manager");

  // A cancellation takes its count out and keeps the touchpoint, marked cancelled.
  const TouchpointProjection cancelled =
      TouchpointChanges(DecideCancellation(after, "logged twice", {}).value());
  ASSERT_EQ(cancelled.counters.size(), 1u);
  EXPECT_EQ(cancelled.counters[0].deltas, std::vector<int64_t>{-1});
  crm::v1::Touchpoint kept;
  ASSERT_TRUE(kept.ParseFromString(*cancelled.rows.back().value));
  EXPECT_TRUE(kept.cancelled());
  EXPECT_EQ(kept.cancel_reason(), "logged twice");
}

TEST(TouchpointEvents, ACancelledTouchpointIsNeitherCorrectedNorCancelledAgain) {
  crm::v1::Touchpoint cancelled = Met("tp2", 8, {"ceo"});
  cancelled.set_cancelled(true);
  auto corrected = DecideCorrection(cancelled, Met("tp2", 3, {"ceo"}), "wrong day", {});
  EXPECT_EQ(corrected.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(corrected.status().message(), "touchpoint_id tp2 is cancelled and cannot be corrected");
  auto again = DecideCancellation(cancelled, "logged twice", {});
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(again.status().message(), "touchpoint_id tp2 is already cancelled");
}

}  // namespace
}  // namespace crm::engagement
