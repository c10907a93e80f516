// The four services as processes with authentication on, as a deployment runs them: mutual
// TLS with certificates made by openssl for the test, RS256 bearer tokens, the services
// calling the registry with a service token. Checks that every process enforces the one
// permission table for every role and method, that the actor of an event is the token's
// subject whatever the headers claim, region scoping and redaction across services, the
// transport's refusals and the message size limit.
#include <fstream>
#include <future>

#include "absl/strings/match.h"
#include "crm/base/ids.h"
#include "crm/security/permissions.h"
#include "crm/security/principal.h"
#include "crm/security/transport.h"
#include "gmock/gmock.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "support/temp_dir.h"
#include "support/test_pki.h"
#include "support/test_tokens.h"
#include "system.h"
#include "topic_reader.h"

namespace crm::e2e {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int kMaxMessageBytes = 64 * 1024;

std::string ReadWhole(const std::string& path) {
  absl::StatusOr<std::string> content = security::ReadSecretFile(path);
  EXPECT_TRUE(content.ok()) << content.status();
  return content.value_or("");
}

class SecuredSystem : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_ = new crm::testing::TestPki();
    ASSERT_TRUE(pki_->Create().ok());
    files_ = new crm::testing::TempDir();
    signing_key_ = new std::string(ReadWhole(pki_->jwt_private_key()));
    const std::string service_token_file = files_->Sub("service.jwt");
    {
      std::ofstream out(service_token_file);
      out << Token("crm-services", "service");
    }
    const crm::testing::ServiceUnderTest::Environment secured = {
        {"CRM_AUTH", "jwt"},
        {"CRM_TLS_CERT_FILE", pki_->server_cert()},
        {"CRM_TLS_KEY_FILE", pki_->server_key()},
        {"CRM_TLS_CLIENT_CA_FILE", pki_->ca()},
        {"CRM_TLS_CA_FILE", pki_->ca()},
        {"CRM_JWT_ALGORITHM", "RS256"},
        {"CRM_JWT_KEY_FILE", pki_->jwt_public_key()},
        {"CRM_JWT_ISSUER", crm::testing::kTestIssuer},
        {"CRM_SERVICE_TOKEN_FILE", service_token_file},
        {"CRM_MAX_MESSAGE_BYTES", std::to_string(kMaxMessageBytes)}};
    system_ =
        new System(secured, [] { return Credentials(pki_->client_cert(), pki_->client_key()); });
    ASSERT_TRUE(system_->Serving());
  }

  static void TearDownTestSuite() {
    delete system_;
    delete signing_key_;
    delete files_;
    delete pki_;
  }

  // TLS towards the services' CA, showing the given client certificate (none if empty).
  static std::shared_ptr<grpc::ChannelCredentials> Credentials(const std::string& cert,
                                                               const std::string& key) {
    auto credentials = security::ChannelCredentialsFor(
        {.ca_file = pki_->ca(), .cert_file = cert, .key_file = key});
    EXPECT_TRUE(credentials.ok()) << credentials.status();
    return credentials.value_or(grpc::InsecureChannelCredentials());
  }

  static std::string Token(const std::string& subject, const std::string& role,
                           std::vector<std::string> regions = {"*"},
                           absl::Time expires = absl::Now() + absl::Hours(1)) {
    return crm::testing::MintToken(
        {.subject = subject, .role = role, .regions = std::move(regions), .expires = expires},
        crm::testing::TokenKey::Rs256(*signing_key_));
  }

  // One call with `token` as its bearer token (none when empty) and any extra headers.
  template <class Stub, class Request, class Response>
  static std::pair<grpc::Status, Response> CallWith(
      Stub& stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
      const Request& request, const std::string& token,
      const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    for (const auto& [name, value] : headers) context.AddMetadata(name, value);
    Response response;
    grpc::Status status = (stub.*method)(&context, request, &response);
    return {status, response};
  }

  // Registers a customer in `region` owned by u-owner; returns its id.
  static std::string Register(const std::string& name, const std::string& region) {
    crm::v1::RegisterCustomerRequest request;
    request.set_request_id(NewUuid());
    request.mutable_summary()->set_legal_name(name);
    request.mutable_summary()->set_region(region);
    request.mutable_summary()->set_owner_id("u-owner");
    auto [status, reply] = CallWith(*system_->registry, &RegistryStub::RegisterCustomer, request,
                                    Token("u-owner", "account_manager"));
    EXPECT_TRUE(status.ok()) << status.error_message();
    return reply.customer_id();
  }

  static crm::testing::TestPki* pki_;
  static crm::testing::TempDir* files_;
  static std::string* signing_key_;
  static System* system_;
};

crm::testing::TestPki* SecuredSystem::pki_ = nullptr;
crm::testing::TempDir* SecuredSystem::files_ = nullptr;
std::string* SecuredSystem::signing_key_ = nullptr;
System* SecuredSystem::system_ = nullptr;

// The process serving a method path ("/crm.v1.TieringService/RunEvaluation").
size_t ProcessOf(const std::string& method) {
  for (size_t i = 0; i < System::kServices.size(); ++i) {
    std::string service = System::kServices[i];
    service[0] = static_cast<char>(std::toupper(service[0]));
    if (absl::StartsWith(method, absl::StrCat("/crm.v1.", service, "Service/"))) return i;
  }
  return System::kServices.size();
}

TEST_F(SecuredSystem, EveryProcessEnforcesThePermissionTableForEveryRoleAndMethod) {
  // Each method is called with an empty request: an allowed role gets past the table to the
  // handler (which refuses the empty request in its own way, writing nothing), a refused
  // one gets PERMISSION_DENIED before it. Every role meets both in every service.
  const std::vector<std::string> roles = {"assistant", "account_manager", "executive", "admin",
                                          "service"};
  std::map<std::pair<std::string, size_t>, std::pair<int, int>> allowed_and_refused;
  for (const security::Permission& permission : security::PermissionTable()) {
    const size_t process = ProcessOf(permission.method);
    if (process == System::kServices.size()) continue;  // reflection
    grpc::GenericStub stub(
        system_->process(process).Channel(Credentials(pki_->client_cert(), pki_->client_key())));
    for (const std::string& role : roles) {
      grpc::ClientContext context;
      context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
      context.AddMetadata("authorization", "Bearer " + Token("u-" + role, role));
      grpc::Slice no_fields(std::string{});  // an empty message, every field at its default
      grpc::ByteBuffer request(&no_fields, 1);
      grpc::ByteBuffer response;
      std::promise<grpc::Status> done;
      stub.UnaryCall(&context, permission.method, grpc::StubOptions(), &request, &response,
                     [&](grpc::Status status) { done.set_value(std::move(status)); });
      const grpc::Status status = done.get_future().get();
      const bool allowed = security::IsAllowed(permission.method, security::RoleFromName(role));
      if (allowed) {
        EXPECT_NE(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
            << permission.method << " as " << role << ": " << status.error_message();
        EXPECT_NE(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << permission.method;
      } else {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
            << permission.method << " as " << role;
      }
      auto& counts = allowed_and_refused[{role, process}];
      (allowed ? counts.first : counts.second) += 1;
    }
  }
  // People of every role have work in every service, and each service refuses someone;
  // the service role only reads the registry's customers.
  for (const auto& [role_and_process, counts] : allowed_and_refused) {
    const auto& [role, process] = role_and_process;
    if (role == "service" && process != 0) continue;
    EXPECT_GT(counts.first, 0) << role << " may call nothing of " << System::kServices[process];
  }
  for (size_t process = 0; process < System::kServices.size(); ++process) {
    EXPECT_GT((allowed_and_refused[{"assistant", process}].second), 0)
        << "assistants are refused nothing of " << System::kServices[process];
    EXPECT_GT((allowed_and_refused[{"service", process}].second), 0)
        << "the service role is refused nothing of " << System::kServices[process];
  }
}

TEST_F(SecuredSystem, EachRoleDoesItsWorkInEveryServiceAndIsRefusedTheRest) {
  // Real requests this time: what a role may do succeeds end to end, what it may not is
  // refused, in each service. Roles that the table refuses nothing of a service (an
  // account manager in the registry, say) have only the first.
  const std::string customer = Register("Role Work Telecom", "emea");
  const auto as = [](const std::string& role) { return Token("u-" + role, role); };
  const auto expect_ok = [](const grpc::Status& status, const std::string& what) {
    EXPECT_TRUE(status.ok()) << what << ": " << status.error_message();
  };
  const auto expect_refused = [](const grpc::Status& status, const std::string& what) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << what;
  };

  // Registry.
  crm::v1::AddKeyDateRequest key_date;
  key_date.set_request_id(NewUuid());
  key_date.set_customer_id(customer);
  key_date.mutable_date()->set_title("budget planning starts");
  key_date.mutable_date()->set_kind("budget");
  key_date.mutable_date()->set_month(3);
  key_date.mutable_date()->set_day(1);
  expect_ok(
      CallWith(*system_->registry, &RegistryStub::AddKeyDate, key_date, as("assistant")).first,
      "assistant AddKeyDate");
  crm::v1::RegisterCustomerRequest registration;
  registration.set_request_id(NewUuid());
  registration.mutable_summary()->set_legal_name("Role Work Loaded AG");
  registration.mutable_summary()->set_region("emea");
  expect_refused(
      CallWith(*system_->registry, &RegistryStub::RegisterCustomer, registration, as("assistant"))
          .first,
      "assistant RegisterCustomer");
  expect_ok(CallWith(*system_->registry, &RegistryStub::RegisterCustomer, registration, as("admin"))
                .first,
            "admin RegisterCustomer");
  crm::v1::AddKeyPersonRequest person;
  person.set_request_id(NewUuid());
  person.set_customer_id(customer);
  person.mutable_person()->set_name("Dana Decider");
  person.mutable_person()->set_title("CTO");
  person.mutable_person()->set_influence(4);
  auto [added, added_reply] =
      CallWith(*system_->registry, &RegistryStub::AddKeyPerson, person, as("account_manager"));
  expect_ok(added, "account_manager AddKeyPerson");
  crm::v1::GetHistoryRequest history;
  history.set_customer_id(customer);
  expect_ok(CallWith(*system_->registry, &RegistryStub::GetHistory, history, as("executive")).first,
            "executive GetHistory");
  crm::v1::GetPersonalProfileRequest profile;
  profile.set_customer_id(customer);
  profile.set_person_id(added_reply.person_id());
  expect_refused(
      CallWith(*system_->registry, &RegistryStub::GetPersonalProfile, profile, as("admin")).first,
      "admin GetPersonalProfile");
  expect_ok(CallWith(*system_->registry, &RegistryStub::ListCustomers,
                     crm::v1::ListCustomersRequest(), as("service"))
                .first,
            "service ListCustomers");
  key_date.set_request_id(NewUuid());
  expect_refused(
      CallWith(*system_->registry, &RegistryStub::AddKeyDate, key_date, as("service")).first,
      "service AddKeyDate");

  // Engagement.
  crm::v1::LogTouchpointRequest touchpoint;
  touchpoint.set_request_id(NewUuid());
  touchpoint.set_customer_id(customer);
  touchpoint.mutable_facts()->set_type(crm::v1::TOUCHPOINT_TYPE_MEETING);
  touchpoint.mutable_facts()->set_layer(crm::v1::RELATIONSHIP_LAYER_GENERAL);
  *touchpoint.mutable_facts()->mutable_date() = DaysAgo(1);
  touchpoint.mutable_facts()->add_employees()->set_employee_id("u-assistant");
  touchpoint.mutable_facts()->mutable_employees(0)->set_role("account_manager");
  expect_ok(
      CallWith(*system_->engagement, &EngagementStub::LogTouchpoint, touchpoint, as("assistant"))
          .first,
      "assistant LogTouchpoint");
  crm::v1::CreateRelationshipPlanRequest plan;
  plan.set_request_id(NewUuid());
  plan.set_customer_id(customer);
  expect_refused(
      CallWith(*system_->engagement, &EngagementStub::CreateRelationshipPlan, plan, as("assistant"))
          .first,
      "assistant CreateRelationshipPlan");
  crm::v1::GetCoverageRequest coverage;
  coverage.set_customer_id(customer);
  coverage.set_window_days(30);
  expect_ok(
      CallWith(*system_->engagement, &EngagementStub::GetCoverage, coverage, as("account_manager"))
          .first,
      "account_manager GetCoverage");
  crm::v1::SetTouchpointQuotaRequest quota;
  quota.set_request_id(NewUuid());
  quota.mutable_quota()->set_employee_role("rnd_vp");
  quota.mutable_quota()->set_weekly_touchpoints(2);
  for (const std::string role : {"account_manager", "executive"}) {
    expect_refused(
        CallWith(*system_->engagement, &EngagementStub::SetTouchpointQuota, quota, as(role)).first,
        role + " SetTouchpointQuota");
  }
  crm::v1::ListTouchpointsRequest touchpoints;
  touchpoints.set_customer_id(customer);
  auto [listed, listed_reply] = CallWith(*system_->engagement, &EngagementStub::ListTouchpoints,
                                         touchpoints, as("executive"));
  expect_ok(listed, "executive ListTouchpoints");
  EXPECT_EQ(listed_reply.touchpoints_size(), 1);
  expect_ok(
      CallWith(*system_->engagement, &EngagementStub::SetTouchpointQuota, quota, as("admin")).first,
      "admin SetTouchpointQuota");
  touchpoint.set_request_id(NewUuid());
  expect_refused(
      CallWith(*system_->engagement, &EngagementStub::LogTouchpoint, touchpoint, as("service"))
          .first,
      "service LogTouchpoint");

  // Satisfaction.
  crm::v1::RaiseIssueRequest issue;
  issue.set_request_id(NewUuid());
  issue.set_customer_id(customer);
  issue.set_category(crm::v1::ISSUE_CATEGORY_DELIVERY);
  issue.set_severity(crm::v1::ISSUE_SEVERITY_LOW);
  issue.set_text("the second shipment came late");
  auto [raised, raised_reply] =
      CallWith(*system_->satisfaction, &SatisfactionStub::RaiseIssue, issue, as("assistant"));
  expect_ok(raised, "assistant RaiseIssue");
  crm::v1::AcknowledgeIssueRequest acknowledge;
  acknowledge.set_request_id(NewUuid());
  acknowledge.set_issue_id(raised_reply.issue().issue_id());
  expect_refused(CallWith(*system_->satisfaction, &SatisfactionStub::AcknowledgeIssue, acknowledge,
                          as("assistant"))
                     .first,
                 "assistant AcknowledgeIssue");
  expect_ok(CallWith(*system_->satisfaction, &SatisfactionStub::AcknowledgeIssue, acknowledge,
                     as("account_manager"))
                .first,
            "account_manager AcknowledgeIssue");
  crm::v1::SetResponseCommitmentRequest commitment;
  commitment.set_request_id(NewUuid());
  commitment.mutable_commitment()->set_tier(crm::v1::TIER_C);
  commitment.mutable_commitment()->set_acknowledge_within_hours(48);
  for (const std::string role : {"account_manager", "executive"}) {
    expect_refused(CallWith(*system_->satisfaction, &SatisfactionStub::SetResponseCommitment,
                            commitment, as(role))
                       .first,
                   role + " SetResponseCommitment");
  }
  expect_ok(CallWith(*system_->satisfaction, &SatisfactionStub::GetChurnReport,
                     crm::v1::GetChurnReportRequest(), as("executive"))
                .first,
            "executive GetChurnReport");
  expect_ok(CallWith(*system_->satisfaction, &SatisfactionStub::GetResponseCommitments,
                     crm::v1::GetResponseCommitmentsRequest(), as("admin"))
                .first,
            "admin GetResponseCommitments");
  issue.set_request_id(NewUuid());
  expect_refused(
      CallWith(*system_->satisfaction, &SatisfactionStub::RaiseIssue, issue, as("service")).first,
      "service RaiseIssue");

  // Tiering.
  for (const std::string role : {"assistant", "account_manager", "executive", "admin"}) {
    expect_ok(CallWith(*system_->tiering, &TieringStub::ListModels, crm::v1::ListModelsRequest(),
                       as(role))
                  .first,
              role + " ListModels");
  }
  crm::v1::RecordInputsRequest inputs;
  inputs.set_request_id(NewUuid());
  inputs.set_customer_id(customer);
  inputs.set_fiscal_year(2026);
  expect_refused(
      CallWith(*system_->tiering, &TieringStub::RecordInputs, inputs, as("assistant")).first,
      "assistant RecordInputs");
  crm::v1::RunEvaluationRequest run;
  run.set_request_id(NewUuid());
  run.set_run_id("role-check");
  run.set_fiscal_year(2026);
  for (const std::string role : {"account_manager", "executive"}) {
    expect_refused(CallWith(*system_->tiering, &TieringStub::RunEvaluation, run, as(role)).first,
                   role + " RunEvaluation");
  }
  expect_refused(CallWith(*system_->tiering, &TieringStub::ListModels, crm::v1::ListModelsRequest(),
                          as("service"))
                     .first,
                 "service ListModels");
}

TEST_F(SecuredSystem, TheActorOfAnEventIsTheTokensSubjectWhateverTheHeadersSay) {
  crm::v1::RegisterCustomerRequest request;
  request.set_request_id(NewUuid());
  request.mutable_summary()->set_legal_name("Actor Check Telecom");
  request.mutable_summary()->set_region("emea");
  auto [status, reply] = CallWith(*system_->registry, &RegistryStub::RegisterCustomer, request,
                                  Token("u-token-amy", "account_manager"),
                                  {{"x-crm-principal", "u-spoofed"}, {"x-crm-role", "executive"}});
  ASSERT_TRUE(status.ok()) << status.error_message();

  const auto records = kafka::testing::ReadTopic(system_->brokers(), system_->topic("registry"), 1);
  bool found = false;
  for (const auto& record : records) {
    if (record.key != reply.customer_id()) continue;
    crm::v1::CustomerRegistered registered;
    ASSERT_TRUE(registered.ParseFromString(record.value));
    EXPECT_EQ(registered.metadata().actor().principal(), "u-token-amy");
    EXPECT_EQ(registered.metadata().actor().role(), crm::v1::ROLE_ACCOUNT_MANAGER);
    found = true;
  }
  EXPECT_TRUE(found);
}

TEST_F(SecuredSystem, RegionsAndRedactionHoldAcrossServices) {
  const std::string apac = Register("Region Check Apac Ltd", "apac");
  const std::string emea_only = Token("u-emea", "account_manager", {"emea"});
  const std::string everywhere = Token("u-exec", "executive");

  crm::v1::GetCustomerRequest get;
  get.set_customer_id(apac);
  EXPECT_EQ(
      CallWith(*system_->registry, &RegistryStub::GetCustomer, get, emea_only).first.error_code(),
      grpc::StatusCode::PERMISSION_DENIED);

  // The other services learn the customer's region from the registry, which they call
  // with their own service token over mutual TLS.
  crm::v1::GetCoverageRequest coverage;
  coverage.set_customer_id(apac);
  EXPECT_EQ(CallWith(*system_->engagement, &EngagementStub::GetCoverage, coverage, emea_only)
                .first.error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  auto [coverage_status, unused] =
      CallWith(*system_->engagement, &EngagementStub::GetCoverage, coverage, everywhere);
  EXPECT_TRUE(coverage_status.ok()) << coverage_status.error_message();
  crm::v1::ListChurnReasonsRequest churn;
  churn.set_customer_id(apac);
  EXPECT_EQ(CallWith(*system_->satisfaction, &SatisfactionStub::ListChurnReasons, churn, emea_only)
                .first.error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(
      CallWith(*system_->satisfaction, &SatisfactionStub::ListChurnReasons, churn, everywhere)
          .first.ok());
  crm::v1::ListTierHistoryRequest history;
  history.set_customer_id(apac);
  EXPECT_EQ(CallWith(*system_->tiering, &TieringStub::ListTierHistory, history, emea_only)
                .first.error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // Finance figures by role.
  crm::v1::UpdateSectionRequest finance;
  finance.set_request_id(NewUuid());
  finance.set_customer_id(apac);
  crm::v1::FinanceYear& year = *finance.mutable_update()->mutable_finance();
  year.set_fiscal_year(2026);
  year.mutable_revenue()->set_currency_code("USD");
  year.mutable_revenue()->set_minor_units(500'000);
  year.mutable_profit()->set_currency_code("USD");
  year.mutable_profit()->set_minor_units(40'000);
  year.mutable_net_profit()->set_currency_code("USD");
  year.mutable_net_profit()->set_minor_units(9'000);
  ASSERT_TRUE(
      CallWith(*system_->registry, &RegistryStub::UpdateSection, finance, everywhere).first.ok());
  auto [seen, as_assistant] = CallWith(*system_->registry, &RegistryStub::GetCustomer, get,
                                       Token("u-assistant", "assistant", {"apac"}));
  ASSERT_TRUE(seen.ok()) << seen.error_message();
  EXPECT_EQ(as_assistant.customer().finances(0).revenue().minor_units(), 500'000);
  EXPECT_FALSE(as_assistant.customer().finances(0).has_profit());
  EXPECT_THAT(as_assistant.redacted_fields(),
              ElementsAre("finances.profit", "finances.net_profit", "finances.service_cost"));
  auto [unused2, as_executive] =
      CallWith(*system_->registry, &RegistryStub::GetCustomer, get, everywhere);
  EXPECT_EQ(as_executive.customer().finances(0).net_profit().minor_units(), 9'000);
}

TEST_F(SecuredSystem, BadTokensAreUnauthenticated) {
  crm::v1::ListCustomersRequest list;
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"no token", ""},
      {"expired", Token("u-late", "executive", {"*"}, absl::Now() - absl::Hours(1))},
      {"tampered", Token("u-amy", "assistant") + "x"},
      {"HS256 instead of RS256",
       crm::testing::MintToken({.subject = "u-amy", .role = "admin"},
                               crm::testing::TokenKey::Hs256(crm::testing::kTestSecret))},
      {"wrong issuer",
       crm::testing::MintToken({.subject = "u-amy", .role = "admin", .issuer = "https://evil"},
                               crm::testing::TokenKey::Rs256(*signing_key_))},
      {"wrong audience",
       crm::testing::MintToken({.subject = "u-amy", .role = "admin", .audience = "billing"},
                               crm::testing::TokenKey::Rs256(*signing_key_))}};
  for (const auto& [what, token] : bad) {
    auto [status, reply] = CallWith(*system_->registry, &RegistryStub::ListCustomers, list, token);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << what;
    EXPECT_EQ(reply.customers_size(), 0) << what;
  }
}

TEST_F(SecuredSystem, PlaintextAndClientsWithoutOurCertificateAreRefused) {
  crm::v1::ListCustomersRequest list;
  const std::string token = Token("u-exec", "executive");
  for (const auto& [what, credentials] :
       std::vector<std::pair<std::string, std::shared_ptr<grpc::ChannelCredentials>>>{
           {"plaintext", grpc::InsecureChannelCredentials()},
           {"no client certificate", Credentials("", "")},
           {"a certificate of another CA", Credentials(pki_->rogue_cert(), pki_->rogue_key())}}) {
    auto stub = crm::v1::RegistryService::NewStub(system_->process(0).Channel(credentials));
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    crm::v1::ListCustomersResponse reply;
    EXPECT_EQ(stub->ListCustomers(&context, list, &reply).error_code(),
              grpc::StatusCode::UNAVAILABLE)
        << what;
  }
}

TEST_F(SecuredSystem, AMessageAboveTheConfiguredLimitIsRefused) {
  crm::v1::UpdateSectionRequest notes;
  notes.set_request_id(NewUuid());
  notes.set_customer_id(Register("Message Size Check GmbH", "emea"));
  notes.mutable_update()->set_notes(std::string(kMaxMessageBytes + 1, 'n'));
  auto [status, unused] = CallWith(*system_->registry, &RegistryStub::UpdateSection, notes,
                                   Token("u-owner", "account_manager"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

}  // namespace
}  // namespace crm::e2e
