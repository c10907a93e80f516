// The registry's commands over a real gRPC channel against a real RocksDB: what each
// records, each error code, and retries.
#include "crm/base/ids.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "registry_harness.h"
#include "registry_routes.h"
#include "support/dev_broker.h"
#include "support/wait.h"

namespace crm::registry::testing {
namespace {

using ::testing::HasSubstr;

class RegistryCommandsTest : public ::testing::Test {
 protected:
  std::string Register(const crm::v1::CustomerSummary& summary) {
    crm::v1::RegisterCustomerRequest request;
    request.set_request_id(NewUuid());
    *request.mutable_summary() = summary;
    auto [status, reply] = registry_.Call(&Stub::RegisterCustomer, request);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return reply.customer_id();
  }

  crm::v1::CustomerArchive Get(const std::string& customer_id) {
    crm::v1::GetCustomerRequest request;
    request.set_customer_id(customer_id);
    auto [status, reply] = registry_.Call(&Stub::GetCustomer, request);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return reply.customer();
  }

  std::pair<grpc::Status, crm::v1::AddKeyPersonResponse> AddPerson(
      const std::string& customer_id, const std::string& name, const std::string& reports_to = "") {
    crm::v1::AddKeyPersonRequest request;
    request.set_request_id(NewUuid());
    request.set_customer_id(customer_id);
    request.mutable_person()->set_name(name);
    request.mutable_person()->set_title("CTO");
    request.mutable_person()->set_influence(4);
    request.mutable_person()->set_reports_to(reports_to);
    return registry_.Call(&Stub::AddKeyPerson, request);
  }

  crm::v1::UpdateKeyPersonRequest UpdateOf(const std::string& customer_id,
                                           const crm::v1::KeyPerson& person) {
    crm::v1::UpdateKeyPersonRequest request;
    request.set_request_id(NewUuid());
    request.set_customer_id(customer_id);
    *request.mutable_person() = person;
    return request;
  }

  RegistryHarness registry_;
};

TEST(RegistryRoutesTest, RoutesEveryMethodOfTheService) {
  const absl::Status routed = runtime::CheckRoutes(
      *crm::v1::GetCustomerRequest::descriptor()->file()->FindServiceByName("RegistryService"),
      RegistryRoutes());
  EXPECT_TRUE(routed.ok()) << routed;
}

TEST_F(RegistryCommandsTest, WithAckKafkaAWriteIsAcknowledgedOnceKafkaHasItsEvents) {
  registry_.AcknowledgeByKafka(absl::Seconds(5));
  Register(Summary("Before The Outage AG"));
  EXPECT_GE(registry_.store().PublishedThrough(), registry_.store().LastPosition())
      << "acknowledged only once published";

  crm::testing::DevBroker::Shared()->Down();
  crm::v1::RegisterCustomerRequest request;
  request.set_request_id(NewUuid());
  *request.mutable_summary() = Summary("During The Outage AG");
  auto [waiting, unused] = registry_.Call(&Stub::RegisterCustomer, request);
  EXPECT_EQ(waiting.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(waiting.error_message(), HasSubstr("retry with the same request_id"));
  EXPECT_LT(registry_.store().PublishedThrough(), registry_.store().LastPosition())
      << "recorded, not published";
  crm::testing::DevBroker::Shared()->Up();

  // Retried with its request id once Kafka is back: acknowledged, the customer registered
  // once.
  crm::v1::RegisterCustomerResponse registered;
  EXPECT_TRUE(crm::testing::WaitFor(
      [&] {
        auto [status, reply] = registry_.Call(&Stub::RegisterCustomer, request);
        registered = reply;
        return status.ok();
      },
      absl::Seconds(60)));
  EXPECT_THAT(registered.customer_id(), ::testing::StartsWith("cus_"));
  crm::v1::ListCustomersRequest list;
  auto [listed, customers] = registry_.Call(&Stub::ListCustomers, list);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(customers.customers_size(), 2) << "the retry registered nothing more";
}

TEST_F(RegistryCommandsTest, RegistersACustomerAsAProspect) {
  const std::string id = Register(Summary("Acme Telecom GmbH"));
  EXPECT_THAT(id, ::testing::StartsWith("cus_"));
  crm::v1::CustomerArchive archive = Get(id);
  EXPECT_EQ(archive.summary().legal_name(), "Acme Telecom GmbH");
  EXPECT_EQ(archive.status(), crm::v1::LIFECYCLE_STATUS_PROSPECT);
  EXPECT_EQ(archive.version(), 1u);
  EXPECT_TRUE(archive.has_registered_at());
}

TEST_F(RegistryCommandsTest, RefusesADuplicateNameInTheRegionOrADuplicateExternalId) {
  crm::v1::CustomerSummary first = Summary("Acme Telecom GmbH");
  first.set_external_id("erp-1");
  const std::string id = Register(first);

  crm::v1::RegisterCustomerRequest request;
  request.set_request_id(NewUuid());
  *request.mutable_summary() = Summary("ACME  telecom, GmbH.");
  auto [same_name, unused1] = registry_.Call(&Stub::RegisterCustomer, request);
  EXPECT_EQ(same_name.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(same_name.error_message(), HasSubstr("summary.legal_name"));
  EXPECT_THAT(same_name.error_message(), HasSubstr(id));

  request.set_request_id(NewUuid());
  *request.mutable_summary() = Summary("Acme Telecom GmbH", "apac");
  request.mutable_summary()->set_external_id("erp-1");
  auto [same_external_id, unused2] = registry_.Call(&Stub::RegisterCustomer, request);
  EXPECT_EQ(same_external_id.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(same_external_id.error_message(), HasSubstr("summary.external_id"));

  request.set_request_id(NewUuid());
  request.mutable_summary()->clear_external_id();
  EXPECT_TRUE(registry_.Call(&Stub::RegisterCustomer, request).first.ok())
      << "the same name in another region is another customer";
}

TEST_F(RegistryCommandsTest, ARenameFreesTheOldNameAndClaimsTheNew) {
  const std::string id = Register(Summary("Old Name AG"));
  Register(Summary("Taken Name AG"));
  crm::v1::UpdateSummaryRequest update;
  update.set_request_id(NewUuid());
  update.set_customer_id(id);
  *update.mutable_summary() = Summary("Taken Name AG");
  EXPECT_EQ(registry_.Call(&Stub::UpdateSummary, update).first.error_code(),
            grpc::StatusCode::ALREADY_EXISTS);

  update.set_request_id(NewUuid());
  *update.mutable_summary() = Summary("New Name AG");
  update.set_reason("renamed after the merger");
  auto [renamed, reply] = registry_.Call(&Stub::UpdateSummary, update);
  ASSERT_TRUE(renamed.ok()) << renamed.error_message();
  EXPECT_EQ(reply.version(), 2u);
  Register(Summary("Old Name AG"));  // free again

  update.set_request_id(NewUuid());
  update.mutable_summary()->set_region("apac");
  EXPECT_EQ(registry_.Call(&Stub::UpdateSummary, update).first.error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(RegistryCommandsTest, ARetryWithTheSameRequestIdReturnsTheFirstAnswerAndRecordsNothing) {
  crm::v1::RegisterCustomerRequest request;
  request.set_request_id("retry-1");
  *request.mutable_summary() = Summary("Retry GmbH");
  auto [first, first_reply] = registry_.Call(&Stub::RegisterCustomer, request);
  auto [second, second_reply] = registry_.Call(&Stub::RegisterCustomer, request);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first_reply.customer_id(), second_reply.customer_id());

  crm::v1::ChangeLifecycleRequest activate;
  activate.set_request_id("retry-2");
  activate.set_customer_id(first_reply.customer_id());
  activate.set_status(crm::v1::LIFECYCLE_STATUS_ACTIVE);
  EXPECT_EQ(registry_.Call(&Stub::ChangeLifecycle, activate).second.version(), 2u);
  EXPECT_EQ(registry_.Call(&Stub::ChangeLifecycle, activate).second.version(), 2u)
      << "a second PROSPECT → ACTIVE would have been refused; the retry is answered as before";
  EXPECT_EQ(Get(first_reply.customer_id()).version(), 2u);
}

TEST_F(RegistryCommandsTest, NamesTheFieldOfBadInput) {
  crm::v1::RegisterCustomerRequest request;
  *request.mutable_summary() = Summary("No Request Id AG");
  auto [no_request_id, unused1] = registry_.Call(&Stub::RegisterCustomer, request);
  EXPECT_EQ(no_request_id.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(no_request_id.error_message(), HasSubstr("request_id"));

  request.set_request_id(NewUuid());
  request.mutable_summary()->clear_region();
  auto [no_region, unused2] = registry_.Call(&Stub::RegisterCustomer, request);
  EXPECT_EQ(no_region.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(no_region.error_message(), HasSubstr("summary.region"));

  crm::v1::GetCustomerRequest get;
  get.set_customer_id("cus_/../x");
  auto [bad_id, unused3] = registry_.Call(&Stub::GetCustomer, get);
  EXPECT_EQ(bad_id.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad_id.error_message(), HasSubstr("customer_id"));
}

TEST_F(RegistryCommandsTest, AStringThatIsNotUtf8IsAnInvalidArgumentNamingTheField) {
  crm::v1::RegisterCustomerRequest request;
  request.set_request_id(NewUuid());
  // The client serialises it (protobuf only logs there); the server's parsing refuses it.
  *request.mutable_summary() = Summary("Caf\xc3 M\xfcller GmbH");
  auto [registered, unused1] = registry_.Call(&Stub::RegisterCustomer, request);
  EXPECT_EQ(registered.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(registered.error_message(), "summary.legal_name must be valid UTF-8");

  const std::string id = Register(Summary("Valid Name AG"));
  auto [added, unused2] = AddPerson(id, "J\xe9r\xf4me");
  EXPECT_EQ(added.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(added.error_message(), "person.name must be valid UTF-8");

  // Nothing of either was recorded.
  crm::v1::ListCustomersRequest list;
  list.set_region("emea");
  auto [listed, customers] = registry_.Call(&Stub::ListCustomers, list);
  ASSERT_TRUE(listed.ok()) << listed.error_message();
  ASSERT_EQ(customers.customers_size(), 1);
  EXPECT_EQ(customers.customers(0).legal_name(), "Valid Name AG");
  EXPECT_EQ(Get(id).key_persons_size(), 0);
}

TEST_F(RegistryCommandsTest, UnknownCustomerIsNotFoundAndAStaleVersionIsAborted) {
  crm::v1::ChangeLifecycleRequest request;
  request.set_request_id(NewUuid());
  request.set_customer_id("cus_unknown");
  request.set_status(crm::v1::LIFECYCLE_STATUS_ACTIVE);
  EXPECT_EQ(registry_.Call(&Stub::ChangeLifecycle, request).first.error_code(),
            grpc::StatusCode::NOT_FOUND);
  // A customer that does not exist is not found, whatever version the caller expects.
  request.set_expected_version(3);
  auto [unknown, no_reply] = registry_.Call(&Stub::ChangeLifecycle, request);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(unknown.error_message(), "customer_id cus_unknown names no customer");

  request.set_customer_id(Register(Summary("Versioned AG")));
  request.set_expected_version(7);
  auto [stale, unused] = registry_.Call(&Stub::ChangeLifecycle, request);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_THAT(stale.error_message(), HasSubstr("expected_version"));
  request.set_expected_version(1);
  EXPECT_TRUE(registry_.Call(&Stub::ChangeLifecycle, request).first.ok());
}

TEST_F(RegistryCommandsTest, UpdatesEachSectionOnItsOwn) {
  const std::string id = Register(Summary("Sections AG"));
  crm::v1::UpdateSectionRequest request;
  request.set_customer_id(id);
  auto update = [&](auto fill) {
    request.set_request_id(NewUuid());
    request.clear_update();
    fill(*request.mutable_update());
    auto [status, reply] = registry_.Call(&Stub::UpdateSection, request);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return reply.version();
  };
  update([](auto& u) {
    auto* competitor = u.mutable_environment()->add_competitors();
    competitor->set_name("Rival Inc");
    competitor->set_share_basis_points(4000);
  });
  update([](auto& u) { u.mutable_strategy()->set_ceo_focus("5G rollout"); });
  update([](auto& u) {
    u.mutable_finance()->set_fiscal_year(2025);
    u.mutable_finance()->mutable_revenue()->set_currency_code("EUR");
    u.mutable_finance()->mutable_revenue()->set_minor_units(100000);
  });
  update([](auto& u) { u.mutable_organisation()->set_procurement_pattern("committee"); });
  update([](auto& u) { u.mutable_swot()->add_strengths("brand"); });
  update([](auto& u) { u.mutable_supplier_view()->set_our_wallet_share_basis_points(2500); });
  EXPECT_EQ(update([](auto& u) { u.set_notes("met at the summit"); }), 8u);

  crm::v1::CustomerArchive archive = Get(id);
  EXPECT_EQ(archive.environment().competitors(0).name(), "Rival Inc");
  EXPECT_EQ(archive.strategy().ceo_focus(), "5G rollout");
  EXPECT_EQ(archive.finances(0).fiscal_year(), 2025);
  EXPECT_EQ(archive.organisation().procurement_pattern(), "committee");
  EXPECT_EQ(archive.swot().strengths(0), "brand");
  EXPECT_EQ(archive.supplier_view().our_wallet_share_basis_points(), 2500);
  EXPECT_EQ(archive.notes(), "met at the summit");

  crm::v1::GetCustomerRequest only_notes;
  only_notes.set_customer_id(id);
  only_notes.add_parts(crm::v1::ARCHIVE_PART_NOTES);
  crm::v1::CustomerArchive partial =
      registry_.Call(&Stub::GetCustomer, only_notes).second.customer();
  EXPECT_EQ(partial.notes(), "met at the summit");
  EXPECT_FALSE(partial.has_strategy());
  EXPECT_EQ(partial.summary().legal_name(), "Sections AG");

  request.set_request_id(NewUuid());
  request.mutable_update()->mutable_environment()->add_competitors()->set_share_basis_points(20000);
  auto [too_much, unused] = registry_.Call(&Stub::UpdateSection, request);
  EXPECT_EQ(too_much.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(too_much.error_message(), HasSubstr("environment.competitors"));
}

TEST_F(RegistryCommandsTest, FollowsTheLifecycle) {
  const std::string id = Register(Summary("Lifecycle AG"));
  crm::v1::ChangeLifecycleRequest request;
  request.set_customer_id(id);
  auto change = [&](crm::v1::LifecycleStatus to, const std::string& reason = "") {
    request.set_request_id(NewUuid());
    request.set_status(to);
    request.set_reason(reason);
    return registry_.Call(&Stub::ChangeLifecycle, request).first;
  };
  EXPECT_EQ(change(crm::v1::LIFECYCLE_STATUS_DORMANT).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(change(crm::v1::LIFECYCLE_STATUS_ACTIVE).ok());
  EXPECT_TRUE(change(crm::v1::LIFECYCLE_STATUS_DORMANT).ok());
  grpc::Status no_reason = change(crm::v1::LIFECYCLE_STATUS_CHURNED);
  EXPECT_EQ(no_reason.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(no_reason.error_message(), HasSubstr("reason"));
  EXPECT_TRUE(change(crm::v1::LIFECYCLE_STATUS_CHURNED, "moved to a rival").ok());
  EXPECT_TRUE(change(crm::v1::LIFECYCLE_STATUS_ACTIVE).ok()) << "won back";
  EXPECT_EQ(Get(id).status(), crm::v1::LIFECYCLE_STATUS_ACTIVE);
}

TEST_F(RegistryCommandsTest, KeepsKeyPersonsAndTheirReportingLines) {
  const std::string id = Register(Summary("People AG"));
  auto [ceo_status, ceo] = AddPerson(id, "Ada CEO");
  ASSERT_TRUE(ceo_status.ok()) << ceo_status.error_message();
  auto [cto_status, cto] = AddPerson(id, "Bob CTO", ceo.person_id());
  ASSERT_TRUE(cto_status.ok());

  auto [unknown_boss, unused1] = AddPerson(id, "Eve", "kp_nobody");
  EXPECT_EQ(unknown_boss.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(unknown_boss.error_message(), HasSubstr("reports_to"));

  crm::v1::KeyPerson ceo_person = Get(id).key_persons(0);
  ceo_person.set_reports_to(cto.person_id());
  EXPECT_EQ(registry_.Call(&Stub::UpdateKeyPerson, UpdateOf(id, ceo_person)).first.error_code(),
            grpc::StatusCode::FAILED_PRECONDITION)
      << "a cycle";

  crm::v1::KeyPerson bad = ceo_person;
  bad.clear_reports_to();
  bad.set_influence(9);
  auto [bad_influence, unused2] = registry_.Call(&Stub::UpdateKeyPerson, UpdateOf(id, bad));
  EXPECT_EQ(bad_influence.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad_influence.error_message(), HasSubstr("person.influence"));

  crm::v1::RemoveKeyPersonRequest remove;
  remove.set_request_id(NewUuid());
  remove.set_customer_id(id);
  remove.set_person_id(ceo.person_id());
  EXPECT_EQ(registry_.Call(&Stub::RemoveKeyPerson, remove).first.error_code(),
            grpc::StatusCode::FAILED_PRECONDITION)
      << "someone reports to the CEO";
  remove.set_person_id(cto.person_id());
  EXPECT_TRUE(registry_.Call(&Stub::RemoveKeyPerson, remove).first.ok());
  EXPECT_EQ(Get(id).key_persons_size(), 1);
}

TEST_F(RegistryCommandsTest, ATitleChangeIsAKeyPositionChangeAndCareerIsKept) {
  const std::string id = Register(Summary("Moves AG"));
  auto [added, person] = AddPerson(id, "Carol");
  ASSERT_TRUE(added.ok());
  crm::v1::KeyPerson carol = Get(id).key_persons(0);
  carol.set_title("CEO");
  crm::v1::UpdateKeyPersonRequest update = UpdateOf(id, carol);
  update.set_reason("promoted");
  auto [updated, reply] = registry_.Call(&Stub::UpdateKeyPerson, update);
  ASSERT_TRUE(updated.ok()) << updated.error_message();
  EXPECT_EQ(reply.version(), 4u) << "registered, added, updated, position changed";

  crm::v1::AddCareerEntryRequest career;
  career.set_request_id(NewUuid());
  career.set_customer_id(id);
  career.set_person_id(person.person_id());
  career.mutable_entry()->set_organisation("Previous Corp");
  career.mutable_entry()->set_title("VP");
  ASSERT_TRUE(registry_.Call(&Stub::AddCareerEntry, career).first.ok());
  EXPECT_EQ(Get(id).key_persons(0).career(0).organisation(), "Previous Corp");
  EXPECT_EQ(Get(id).key_persons(0).title(), "CEO");

  crm::v1::GetHistoryRequest history;
  history.set_customer_id(id);
  auto entries = registry_.Call(&Stub::GetHistory, history).second.entries();
  ASSERT_EQ(entries.size(), 5);
  EXPECT_EQ(entries[2].event_type(), "crm.v1.KeyPersonUpdated");
  EXPECT_EQ(entries[2].reason(), "promoted");
  EXPECT_EQ(entries[3].event_type(), "crm.v1.KeyPositionChanged");
  EXPECT_THAT(entries[3].change(), HasSubstr("\"CEO\""));
}

TEST_F(RegistryCommandsTest, ARestrictedProfileIsReadOnlyByThoseAllowedAndUntilErased) {
  const std::string id = Register(Summary("Private AG"));
  auto [added, person] = AddPerson(id, "Dana");
  ASSERT_TRUE(added.ok());
  crm::v1::RecordPersonalProfileRequest record;
  record.set_request_id(NewUuid());
  record.set_customer_id(id);
  record.set_person_id(person.person_id());
  record.mutable_profile()->set_birth_year(1970);
  record.mutable_profile()->add_hobbies("sailing");
  ASSERT_TRUE(registry_.Call(&Stub::RecordPersonalProfile, record).first.ok());
  EXPECT_TRUE(Get(id).key_persons(0).has_personal_profile());
  EXPECT_EQ(Get(id).key_persons(0).DebugString().find("sailing"), std::string::npos);

  crm::v1::GetPersonalProfileRequest get;
  get.set_customer_id(id);
  get.set_person_id(person.person_id());
  auto [read, profile] = registry_.Call(&Stub::GetPersonalProfile, get, "account_manager");
  ASSERT_TRUE(read.ok()) << read.error_message();
  EXPECT_EQ(profile.profile().hobbies(0), "sailing");
  EXPECT_EQ(profile.profile().birth_year(), 1970);
  EXPECT_EQ(registry_.Call(&Stub::GetPersonalProfile, get, "assistant").first.error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  record.set_request_id(NewUuid());
  record.mutable_profile()->set_birth_year(1800);
  auto [bad_year, unused] = registry_.Call(&Stub::RecordPersonalProfile, record);
  EXPECT_EQ(bad_year.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad_year.error_message(), HasSubstr("profile.birth_year"));

  crm::v1::ErasePersonalProfileRequest erase;
  erase.set_request_id(NewUuid());
  erase.set_customer_id(id);
  erase.set_person_id(person.person_id());
  erase.set_reason("the person asked");
  ASSERT_TRUE(registry_.Call(&Stub::ErasePersonalProfile, erase).first.ok());
  EXPECT_EQ(registry_.Call(&Stub::GetPersonalProfile, get).first.error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_FALSE(Get(id).key_persons(0).has_personal_profile());
  erase.set_request_id(NewUuid());
  EXPECT_EQ(registry_.Call(&Stub::ErasePersonalProfile, erase).first.error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(RegistryCommandsTest, AcknowledgedWritesSurviveARestart) {
  const std::string id = Register(Summary("Durable AG"));
  auto [added, person] = AddPerson(id, "Eric");
  crm::v1::RecordPersonalProfileRequest record;
  record.set_request_id(NewUuid());
  record.set_customer_id(id);
  record.set_person_id(person.person_id());
  record.mutable_profile()->set_education("MSc");
  ASSERT_TRUE(registry_.Call(&Stub::RecordPersonalProfile, record).first.ok());

  registry_.Restart();
  EXPECT_EQ(Get(id).version(), 3u);
  crm::v1::GetPersonalProfileRequest get;
  get.set_customer_id(id);
  get.set_person_id(person.person_id());
  EXPECT_EQ(registry_.Call(&Stub::GetPersonalProfile, get).second.profile().education(), "MSc");
  EXPECT_EQ(registry_.Call(&Stub::RecordPersonalProfile, record).first.ok(), true)
      << "a retry after the restart is still answered from the first request";
  EXPECT_EQ(Get(id).version(), 3u);
}

}  // namespace
}  // namespace crm::registry::testing
