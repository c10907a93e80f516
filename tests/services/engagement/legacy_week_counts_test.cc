// The weekly touchpoint counts an earlier release stored as one row per week and employee
// are moved into counter and role rows at start: the quota report then answers as before,
// the rows are moved once however often the move runs, and touchpoints logged afterwards
// add to the moved counts.
#include "legacy_week_counts.h"

#include "crm/engagement/internal/state.pb.h"
#include "crm/engagement/read_models.h"
#include "crm/eventstore/counters.h"
#include "crm/eventstore/event_store.h"
#include "gtest/gtest.h"
#include "support/temp_dir.h"

namespace crm::engagement {
namespace {

const absl::CivilDay kWeek(2026, 11, 30);

std::string LegacyRow(const std::string& employee, const std::string& role, int touchpoints) {
  internal::EmployeeWeekCount count;
  count.set_employee_id(employee);
  count.set_employee_role(role);
  count.set_touchpoints(touchpoints);
  return count.SerializeAsString();
}

int64_t Count(const eventstore::EventStore& store, const std::string& employee) {
  auto row = store.GetRow(kEmployeeWeekTouchpoints, EmployeeWeekKey(kWeek, employee));
  EXPECT_TRUE(row.ok()) << row.status();
  if (!row.ok() || !row->has_value()) return 0;
  const std::vector<int64_t> counts = eventstore::DecodeCounters(**row);
  return counts.empty() ? 0 : counts[0];
}

TEST(LegacyWeekCounts, AreMovedIntoCounterAndRoleRowsOnce) {
  crm::testing::TempDir dir;
  auto store = eventstore::EventStore::Open({.path = dir.Sub("store"), .service = "engagement"});
  ASSERT_TRUE(store.ok()) << store.status();
  // More rows than one batch moves.
  eventstore::ConsumedBatch legacy;
  for (int i = 0; i < 1500; ++i) {
    const std::string employee = "u-" + std::to_string(i);
    legacy.rows.push_back({std::string(kLegacyEmployeeWeeks), EmployeeWeekKey(kWeek, employee),
                           LegacyRow(employee, i % 2 ? "rnd_vp" : "account_manager", 3)});
  }
  ASSERT_TRUE((*store)->CommitConsumed(legacy).ok());

  ASSERT_TRUE(MoveLegacyWeekCounts(**store).ok());
  ASSERT_TRUE(MoveLegacyWeekCounts(**store).ok());  // nothing left: nothing counted twice
  EXPECT_EQ(Count(**store, "u-0"), 3);
  EXPECT_EQ(Count(**store, "u-1499"), 3);
  auto role = (*store)->GetRow(kEmployeeWeekRoles, EmployeeWeekKey(kWeek, "u-1"));
  ASSERT_TRUE(role.ok() && role->has_value());
  EXPECT_EQ(**role, "rnd_vp");
  auto left = (*store)->ScanRows(kLegacyEmployeeWeeks, "", "", 10);
  ASSERT_TRUE(left.ok());
  EXPECT_TRUE(left->rows.empty());
  EXPECT_EQ(EmployeeOfWeekKey(EmployeeWeekKey(kWeek, "u-7")), "u-7");

  // A touchpoint afterwards adds to the moved count.
  eventstore::ConsumedBatch later;
  later.counters.push_back(
      {std::string(kEmployeeWeekTouchpoints), EmployeeWeekKey(kWeek, "u-0"), {1}});
  ASSERT_TRUE((*store)->CommitConsumed(later).ok());
  EXPECT_EQ(Count(**store, "u-0"), 4);
}

}  // namespace
}  // namespace crm::engagement
