// The registry's pure read side: read-model rows of a change, key-date occurrences, the
// org chart, history lines, the profile decisions, the profile rows events write and the
// replies commands give.
#include "crm/base/key_encoding.h"
#include "crm/registry/command_replies.h"
#include "crm/registry/customer.h"
#include "crm/registry/history.h"
#include "crm/registry/org_views.h"
#include "crm/registry/read_models.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace crm::registry {
namespace {

crm::v1::CustomerArchive Archive(const std::string& name) {
  crm::v1::CustomerArchive archive;
  archive.set_customer_id("cus_1");
  archive.mutable_summary()->set_legal_name(name);
  archive.mutable_summary()->set_region("emea");
  archive.set_status(crm::v1::LIFECYCLE_STATUS_PROSPECT);
  return archive;
}

crm::v1::KeyPerson* AddPerson(crm::v1::CustomerArchive& archive, const std::string& id,
                              const std::string& reports_to, int influence) {
  crm::v1::KeyPerson* person = archive.add_key_persons();
  person->set_person_id(id);
  person->set_name(id);
  person->set_reports_to(reports_to);
  person->set_influence(influence);
  return person;
}

TEST(ReadModelChanges, ARenameMovesTheNameIndexAndTheListRow) {
  const crm::v1::CustomerArchive before = Archive("Old Name AG");
  crm::v1::CustomerArchive after = Archive("New Name AG");
  after.mutable_summary()->set_external_id("erp-9");
  int deleted = 0, put = 0;
  bool external_put = false;
  for (const RowChange& row : ReadModelChanges(before, after)) {
    (row.value.has_value() ? put : deleted)++;
    if (row.table == kNameIndexTable && !row.value) {
      EXPECT_EQ(row.key, NameIndexKey("emea", "old name ag"));
    }
    if (row.table == kExternalIdIndexTable) external_put = row.value == "cus_1";
  }
  EXPECT_EQ(deleted, 2) << "old name index, old list row";
  EXPECT_EQ(put, 3) << "new name index, external id, new list row";
  EXPECT_TRUE(external_put);
}

TEST(ReadModelChanges, AddsAndRemovesKeyDateRows) {
  crm::v1::CustomerArchive before = Archive("Dates AG");
  crm::v1::KeyDate* kept = before.add_key_dates();
  kept->set_date_id("kd_1");
  kept->set_month(3);
  kept->set_day(1);
  crm::v1::CustomerArchive after = before;
  after.mutable_key_dates(0)->set_date_id("kd_2");
  std::vector<std::pair<std::string, bool>> date_rows;
  for (const RowChange& row : ReadModelChanges(before, after)) {
    if (row.table == kKeyDateTable) date_rows.emplace_back(row.key, row.value.has_value());
  }
  ASSERT_EQ(date_rows.size(), 2u);
  EXPECT_TRUE(date_rows[0].second);
  EXPECT_THAT(date_rows[0].first, ::testing::HasSubstr("kd_2"));
  EXPECT_FALSE(date_rows[1].second);
  EXPECT_THAT(date_rows[1].first, ::testing::HasSubstr("kd_1"));
}

TEST(KeyDates, TheTwentyNinthOfFebruaryFallsOnTheTwentyEighthInOtherYears) {
  EXPECT_EQ(KeyDatePrefixesFor(absl::CivilDay(2027, 2, 28)).size(), 2u);
  EXPECT_EQ(KeyDatePrefixesFor(absl::CivilDay(2028, 2, 28)).size(), 1u);
  EXPECT_EQ(KeyDatePrefixesFor(absl::CivilDay(2028, 2, 29)).size(), 1u);
}

TEST(KeyDates, AOneOffDateOccursOnlyInItsYearAndItsReminderComesDueInTime) {
  crm::v1::UpcomingKeyDate stored;
  stored.mutable_date()->set_year(2027);
  stored.mutable_date()->set_remind_days_before(3);
  EXPECT_FALSE(OccurrenceOn(stored, absl::CivilDay(2026, 5, 1), 10).has_value());
  auto occurrence = OccurrenceOn(stored, absl::CivilDay(2027, 5, 1), 3);
  ASSERT_TRUE(occurrence.has_value());
  EXPECT_TRUE(occurrence->reminder_due());
  EXPECT_EQ(occurrence->year(), 2027);
  EXPECT_FALSE(OccurrenceOn(stored, absl::CivilDay(2027, 5, 1), 4)->reminder_due());
}

TEST(OrgChart, PeopleWhoseManagerIsGoneBecomeRoots) {
  crm::v1::CustomerArchive archive = Archive("Chart AG");
  AddPerson(archive, "kp_a", "", 3);
  AddPerson(archive, "kp_b", "kp_gone", 5);
  AddPerson(archive, "kp_c", "kp_a", 1);
  const crm::v1::GetOrgChartResponse chart = BuildOrgChart(archive);
  ASSERT_EQ(chart.roots_size(), 2);
  EXPECT_EQ(chart.roots(0).person().person_id(), "kp_b") << "higher influence first";
  EXPECT_EQ(chart.roots(1).reports(0).person().person_id(), "kp_c");
}

TEST(PersonalProfile, RemovingAPersonWithAProfileErasesItFirst) {
  crm::v1::CustomerArchive archive = Archive("Profile AG");
  AddPerson(archive, "kp_a", "", 3)->set_has_personal_profile(true);
  auto events = DecideRemoveKeyPerson(archive, "kp_a", "left");
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_TRUE(std::holds_alternative<crm::v1::PersonalProfileErased>((*events)[0]));
  EXPECT_TRUE(std::holds_alternative<crm::v1::KeyPersonRemoved>((*events)[1]));
}

TEST(PersonalProfile, AnUpdateKeepsTheProfileFlagAndErasingNothingIsNotFound) {
  crm::v1::CustomerArchive archive = Archive("Profile AG");
  AddPerson(archive, "kp_a", "", 3)->set_has_personal_profile(true);
  crm::v1::KeyPerson update = archive.key_persons(0);
  update.set_has_personal_profile(false);
  update.set_title("CFO");
  auto events = DecideUpdateKeyPerson(archive, update, "");
  ASSERT_TRUE(events.ok()) << events.status();
  Apply((*events)[0], absl::UnixEpoch(), archive);
  EXPECT_TRUE(archive.key_persons(0).has_personal_profile()) << "the client cannot clear it";

  archive.mutable_key_persons(0)->set_has_personal_profile(false);
  EXPECT_EQ(DecideErasePersonalProfile(archive, "kp_a", "").status().code(),
            absl::StatusCode::kNotFound);
  bool sealed = false;
  auto seal = [&]() -> absl::StatusOr<SealedProfile> {
    sealed = true;
    return SealedProfile{"c", "n"};
  };
  EXPECT_EQ(DecideRecordPersonalProfile(archive, "kp_x", seal).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_FALSE(sealed) << "no key is made for an unknown person";
  crm::v1::PersonalProfile profile;
  profile.add_hobbies(std::string(300, 'h'));
  EXPECT_THAT(std::string(ValidatePersonalProfile(profile).message()),
              ::testing::HasSubstr("profile.hobbies[0]"));
}

TEST(History, DescribesEachChangeWithItsReasonAndHidesCiphertext) {
  crm::v1::LifecycleChanged changed;
  changed.set_from(crm::v1::LIFECYCLE_STATUS_ACTIVE);
  changed.set_to(crm::v1::LIFECYCLE_STATUS_CHURNED);
  changed.set_reason("price");
  EXPECT_EQ(DescribeChange(changed), "lifecycle ACTIVE → CHURNED");
  EXPECT_EQ(ReasonOf(changed), "price");
  EXPECT_EQ(ReasonOf(crm::v1::KeyDateRemoved()), "");

  crm::v1::PersonalProfileRecorded recorded;
  recorded.set_ciphertext("secret bytes");
  auto parsed = ParseCustomerEvent("crm.v1.PersonalProfileRecorded", recorded.SerializeAsString());
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(
      std::get<crm::v1::PersonalProfileRecorded>(RedactForHistory(*parsed, crm::v1::ROLE_EXECUTIVE))
          .ciphertext()
          .empty());
  EXPECT_EQ(ParseCustomerEvent("crm.v1.Unknown", "").status().code(), absl::StatusCode::kInternal);
}

TEST(ProfileRowChange, KeepsTheSealedProfileWithItsTimeAndDeletesItOnErasure) {
  crm::v1::PersonalProfileRecorded recorded;
  recorded.set_customer_id("cus_1");
  recorded.set_person_id("kp_2");
  recorded.set_ciphertext("sealed");
  recorded.set_nonce("nonce");
  recorded.mutable_metadata()->set_event_id("evt_recorded");  // as parsed from the log
  google::protobuf::Timestamp at;
  at.set_seconds(1'790'000'000);
  std::optional<RowChange> row = ProfileRowChange(recorded, at);
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->table, kProfileTable);
  EXPECT_EQ(row->key, JoinKey({"cus_1", "kp_2"}));
  crm::v1::PersonalProfileRecorded stored;
  ASSERT_TRUE(stored.ParseFromString(row->value.value()));
  EXPECT_EQ(stored.ciphertext(), "sealed");
  EXPECT_EQ(stored.metadata().occurred_at().seconds(), 1'790'000'000);
  EXPECT_TRUE(stored.metadata().event_id().empty()) << "the row keeps the time alone";

  crm::v1::PersonalProfileErased erased;
  erased.set_customer_id("cus_1");
  erased.set_person_id("kp_2");
  row = ProfileRowChange(erased, at);
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->key, JoinKey({"cus_1", "kp_2"}));
  EXPECT_FALSE(row->value.has_value());

  EXPECT_FALSE(ProfileRowChange(crm::v1::KeyDateRemoved(), at).has_value());
}

TEST(CommandReply, NamesWhatTheCommandAddedAndTheVersion) {
  crm::v1::CustomerArchive after = Archive("Acme");
  after.set_version(7);

  crm::v1::RegisterCustomerResponse registered;
  ASSERT_TRUE(registered.ParseFromString(CommandReply("RegisterCustomer", {}, after)));
  EXPECT_EQ(registered.customer_id(), "cus_1");
  EXPECT_EQ(registered.version(), 7u);

  crm::v1::KeyPersonAdded person_added;
  person_added.mutable_person()->set_person_id("kp_9");
  crm::v1::AddKeyPersonResponse person;
  ASSERT_TRUE(person.ParseFromString(CommandReply("AddKeyPerson", {person_added}, after)));
  EXPECT_EQ(person.person_id(), "kp_9");
  EXPECT_EQ(person.version(), 7u);

  crm::v1::KeyDateAdded date_added;
  date_added.mutable_date()->set_date_id("kd_4");
  crm::v1::AddKeyDateResponse date;
  ASSERT_TRUE(date.ParseFromString(CommandReply("AddKeyDate", {date_added}, after)));
  EXPECT_EQ(date.date_id(), "kd_4");

  // A command that changed nothing answers with the version as it stands.
  crm::v1::ChangeLifecycleResponse unchanged;
  ASSERT_TRUE(unchanged.ParseFromString(CommandReply("ChangeLifecycle", {}, after)));
  EXPECT_EQ(unchanged.version(), 7u);
}

TEST(CommandReply, TheMethodIsTheStoredRequestIdsFirstPart) {
  EXPECT_EQ(MethodOfRequest("AddKeyDate:3f2a"), "AddKeyDate");
  EXPECT_EQ(MethodOfRequest("AddKeyDate:with:colons"), "AddKeyDate");
  EXPECT_EQ(MethodOfRequest("no-method"), "");
}

}  // namespace
}  // namespace crm::registry
