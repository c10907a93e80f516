// Erasing a restricted profile: afterwards no API, event on Kafka or file in the data
// directory yields it. The plaintext never reaches disk or the broker; the key that opens
// the ciphertext is searched for in every file of the data directory, byte by byte, and
// found before the erasure (so the search works) but not after.
#include "crm/base/ids.h"
#include "crm/crypto/sealed_box.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "registry_harness.h"
#include "support/file_scan.h"
#include "topic_reader.h"

namespace crm::registry::testing {
namespace {

constexpr char kHobby[] = "zq-falconry-on-tuesdays-91";
constexpr char kAddress[] = "17 Quiet Lane, Zqville";

// How many 32-byte windows of the files under `dir` open `sealed` as a key.
int KeysInFiles(const std::string& dir, const crypto::Sealed& sealed, const std::string& context) {
  int found = 0;
  for (const auto& [path, bytes] : crm::testing::ReadAllFiles(dir)) {
    for (size_t i = 0; i + crypto::kKeyBytes <= bytes.size(); ++i) {
      // Preallocated, zeroed file space is no key; skipping it keeps the search fast.
      if (bytes.compare(i, 8, std::string(8, '\0')) == 0) continue;
      if (crypto::Open(sealed, std::string_view(bytes).substr(i, crypto::kKeyBytes), context)
              .ok()) {
        ++found;
      }
    }
  }
  return found;
}

bool AnyRecordHolds(const std::vector<kafka::testing::Record>& records, const std::string& text) {
  for (const auto& record : records) {
    if (record.value.find(text) != std::string::npos) return true;
  }
  return false;
}

class RegistryErasureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    crm::v1::RegisterCustomerRequest register_request;
    register_request.set_request_id(NewUuid());
    *register_request.mutable_summary() = Summary("Erasure AG");
    customer_id_ = registry_.Call(&Stub::RegisterCustomer, register_request).second.customer_id();
    crm::v1::AddKeyPersonRequest add;
    add.set_request_id(NewUuid());
    add.set_customer_id(customer_id_);
    add.mutable_person()->set_name("Gus");
    add.mutable_person()->set_influence(2);
    person_id_ = registry_.Call(&Stub::AddKeyPerson, add).second.person_id();
    ASSERT_FALSE(person_id_.empty());

    crm::v1::RecordPersonalProfileRequest record;
    record.set_request_id(NewUuid());
    record.set_customer_id(customer_id_);
    record.set_person_id(person_id_);
    record.mutable_profile()->add_hobbies(kHobby);
    record.mutable_profile()->set_home_address(kAddress);
    ASSERT_TRUE(registry_.Call(&Stub::RecordPersonalProfile, record).first.ok());

    auto records = kafka::testing::ReadTopic(registry_.brokers(), registry_.topic(), 3);
    ASSERT_EQ(records.size(), 3u);
    crm::v1::PersonalProfileRecorded recorded;
    ASSERT_TRUE(recorded.ParseFromString(records[2].value));
    ASSERT_EQ(recorded.metadata().event_type(), "crm.v1.PersonalProfileRecorded");
    sealed_ = {recorded.ciphertext(), recorded.nonce()};
    context_ = customer_id_ + "/" + person_id_;

    // Encrypted before it is stored or published, and the key is where the search looks.
    EXPECT_FALSE(AnyRecordHolds(records, kHobby));
    EXPECT_THAT(crm::testing::FilesContaining(registry_.data_dir(), kHobby), ::testing::IsEmpty());
    EXPECT_THAT(crm::testing::FilesContaining(registry_.data_dir(), kAddress),
                ::testing::IsEmpty());
    ASSERT_GT(KeysInFiles(registry_.data_dir(), sealed_, context_), 0);
  }

  void ExpectErasedEverywhere(size_t events_on_topic) {
    crm::v1::GetPersonalProfileRequest get;
    get.set_customer_id(customer_id_);
    get.set_person_id(person_id_);
    EXPECT_EQ(registry_.Call(&Stub::GetPersonalProfile, get, "executive").first.error_code(),
              grpc::StatusCode::NOT_FOUND);

    crm::v1::GetHistoryRequest history;
    history.set_customer_id(customer_id_);
    const crm::v1::GetHistoryResponse past = registry_.Call(&Stub::GetHistory, history).second;
    for (const auto& entry : past.entries()) {
      crm::v1::PersonalProfileRecorded recorded;
      if (entry.event().UnpackTo(&recorded)) {
        EXPECT_TRUE(recorded.ciphertext().empty());
      }
    }

    auto records =
        kafka::testing::ReadTopic(registry_.brokers(), registry_.topic(), events_on_topic);
    ASSERT_EQ(records.size(), events_on_topic);
    EXPECT_FALSE(AnyRecordHolds(records, kHobby));
    EXPECT_FALSE(AnyRecordHolds(records, kAddress));
    for (const auto& record : records) {
      crm::v1::PersonalProfileRecorded recorded;
      if (record.headers.at("ce_type") != "crm.v1.PersonalProfileRecorded") continue;
      ASSERT_TRUE(recorded.ParseFromString(record.value));
      EXPECT_EQ(
          KeysInFiles(registry_.data_dir(), {recorded.ciphertext(), recorded.nonce()}, context_),
          0);
    }
    EXPECT_THAT(crm::testing::FilesContaining(registry_.data_dir(), kHobby), ::testing::IsEmpty());
    EXPECT_EQ(KeysInFiles(registry_.data_dir(), sealed_, context_), 0);
  }

  RegistryHarness registry_;
  std::string customer_id_;
  std::string person_id_;
  crypto::Sealed sealed_;
  std::string context_;
};

TEST_F(RegistryErasureTest, ErasingDestroysTheKeySoNoCopyAnywhereOpens) {
  crm::v1::ErasePersonalProfileRequest erase;
  erase.set_request_id(NewUuid());
  erase.set_customer_id(customer_id_);
  erase.set_person_id(person_id_);
  erase.set_reason("the person asked to be forgotten");
  ASSERT_TRUE(registry_.Call(&Stub::ErasePersonalProfile, erase).first.ok());

  ExpectErasedEverywhere(4);
  auto records = kafka::testing::ReadTopic(registry_.brokers(), registry_.topic(), 4);
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[3].headers.at("ce_type"), "crm.v1.PersonalProfileErased");

  registry_.Restart();
  ExpectErasedEverywhere(4);
}

TEST_F(RegistryErasureTest, RemovingTheKeyPersonErasesTheirProfileFirst) {
  crm::v1::RemoveKeyPersonRequest remove;
  remove.set_request_id(NewUuid());
  remove.set_customer_id(customer_id_);
  remove.set_person_id(person_id_);
  remove.set_reason("left the company");
  ASSERT_TRUE(registry_.Call(&Stub::RemoveKeyPerson, remove).first.ok());

  ExpectErasedEverywhere(5);
  auto records = kafka::testing::ReadTopic(registry_.brokers(), registry_.topic(), 5);
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[3].headers.at("ce_type"), "crm.v1.PersonalProfileErased");
  EXPECT_EQ(records[4].headers.at("ce_type"), "crm.v1.KeyPersonRemoved");
}

}  // namespace
}  // namespace crm::registry::testing
