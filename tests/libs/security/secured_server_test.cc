// A real gRPC server behind the security of crm/security/transport.h: TLS, mutual TLS and
// the bearer-token gate, against clients that do and do not belong.
#include <fstream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "crm/runtime/caller.h"
#include "crm/security/transport.h"
#include "crm/v1/registry.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "support/test_pki.h"
#include "support/test_tokens.h"

namespace crm::security {
namespace {

using ::testing::HasSubstr;

// Answers GetCustomer with the caller it was given (as the customer id and name); every
// other method is the generated UNIMPLEMENTED.
class WhoAmI final : public crm::v1::RegistryService::Service {
 public:
  grpc::Status GetCustomer(grpc::ServerContext* context, const crm::v1::GetCustomerRequest*,
                           crm::v1::GetCustomerResponse* response) override {
    const Principal caller = runtime::PrincipalOf(*context);
    response->mutable_customer()->set_customer_id(caller.subject);
    response->mutable_customer()->mutable_summary()->set_legal_name(
        absl::StrCat(RoleName(caller.role), "@", caller.regions.empty() ? "" : caller.regions[0]));
    return grpc::Status::OK;
  }
};

class SecuredServer : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_ = new crm::testing::TestPki();
    ASSERT_TRUE(pki_->Create().ok());
  }
  static void TearDownTestSuite() { delete pki_; }

  void Serve(bool mutual) {
    ServerSecurity security{.cert_file = pki_->server_cert(), .key_file = pki_->server_key()};
    if (mutual) security.client_ca_file = pki_->ca();
    security.verifier = *TokenVerifier::Create({.algorithm = TokenAlgorithm::kHs256,
                                                .key = crm::testing::kTestSecret,
                                                .issuer = crm::testing::kTestIssuer,
                                                .audience = crm::testing::kTestAudience});
    auto credentials = ServerCredentialsFor(security);
    ASSERT_TRUE(credentials.ok()) << credentials.status();
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", *credentials, &port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  // GetCustomer over a channel with `security`.
  grpc::Status Call(const ClientSecurity& security, crm::v1::GetCustomerResponse* response) {
    auto credentials = ChannelCredentialsFor(security);
    EXPECT_TRUE(credentials.ok()) << credentials.status();
    auto stub = crm::v1::RegistryService::NewStub(
        grpc::CreateChannel(absl::StrCat("localhost:", port_), *credentials));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    // Ignored: with authentication on, only the token says who calls.
    context.AddMetadata(runtime::kRoleHeader, "admin");
    return stub->GetCustomer(&context, crm::v1::GetCustomerRequest(), response);
  }
  grpc::Status Call(const ClientSecurity& security) {
    crm::v1::GetCustomerResponse ignored;
    return Call(security, &ignored);
  }
  ClientSecurity WithToken(const crm::testing::TokenClaims& claims) const {
    return {.ca_file = pki_->ca(),
            .token = crm::testing::MintToken(
                claims, crm::testing::TokenKey::Hs256(crm::testing::kTestSecret))};
  }

  static crm::testing::TestPki* pki_;
  WhoAmI service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};
crm::testing::TestPki* SecuredServer::pki_ = nullptr;

const crm::testing::TokenClaims kAmy = {
    .subject = "u-amy", .role = "assistant", .regions = {"emea"}};

TEST_F(SecuredServer, TheHandlerSeesThePrincipalOfTheTokenNotTheHeaders) {
  Serve(false);
  crm::v1::GetCustomerResponse response;
  const grpc::Status status = Call(WithToken(kAmy), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.customer().customer_id(), "u-amy");
  EXPECT_EQ(response.customer().summary().legal_name(), "assistant@emea");
}

TEST_F(SecuredServer, CallersSharingAConnectionEachSeeTheirOwnPrincipal) {
  // gRPC keeps one AuthContext per connection: nothing of one call's token may stay on it
  // for the next call.
  Serve(false);
  auto stub = crm::v1::RegistryService::NewStub(grpc::CreateChannel(
      absl::StrCat("localhost:", port_), *ChannelCredentialsFor({.ca_file = pki_->ca()})));
  const crm::testing::TokenClaims everywhere = {
      .subject = "u-eve", .role = "executive", .regions = {"*"}};
  for (const crm::testing::TokenClaims& claims : {everywhere, kAmy, everywhere, kAmy}) {
    grpc::ClientContext context;
    context.AddMetadata(
        "authorization",
        "Bearer " + crm::testing::MintToken(
                        claims, crm::testing::TokenKey::Hs256(crm::testing::kTestSecret)));
    crm::v1::GetCustomerResponse response;
    ASSERT_TRUE(stub->GetCustomer(&context, crm::v1::GetCustomerRequest(), &response).ok());
    EXPECT_EQ(response.customer().customer_id(), claims.subject);
    EXPECT_EQ(response.customer().summary().legal_name(),
              absl::StrCat(claims.role, "@", claims.regions[0]));
  }
}

TEST_F(SecuredServer, MissingExpiredOrWrongTokensAreUnauthenticated) {
  Serve(false);
  EXPECT_EQ(Call({.ca_file = pki_->ca()}).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  crm::testing::TokenClaims expired = kAmy;
  expired.expires = absl::Now() - absl::Hours(1);
  const grpc::Status late = Call(WithToken(expired));
  EXPECT_EQ(late.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(late.error_message(), HasSubstr("expired"));
  crm::testing::TokenClaims elsewhere = kAmy;
  elsewhere.audience = "billing";
  EXPECT_EQ(Call(WithToken(elsewhere)).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Call({.ca_file = pki_->ca(), .token = "x.y.z"}).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(SecuredServer, ARoleOutsideThePermissionTableIsDeniedBeforeTheHandler) {
  Serve(false);
  auto credentials = ChannelCredentialsFor(WithToken(kAmy));
  ASSERT_TRUE(credentials.ok());
  auto stub = crm::v1::RegistryService::NewStub(
      grpc::CreateChannel(absl::StrCat("localhost:", port_), *credentials));
  grpc::ClientContext context;
  crm::v1::GetHistoryResponse response;
  const grpc::Status status = stub->GetHistory(&context, crm::v1::GetHistoryRequest(), &response);
  // The handler would answer UNIMPLEMENTED: the gate answered first.
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("assistant"));
}

TEST_F(SecuredServer, HealthChecksNeedNoToken) {
  Serve(false);
  auto credentials = ChannelCredentialsFor({.ca_file = pki_->ca()});
  ASSERT_TRUE(credentials.ok());
  auto health = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(absl::StrCat("localhost:", port_), *credentials));
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status status =
      health->Check(&context, grpc::health::v1::HealthCheckRequest(), &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(SecuredServer, PlaintextAndWronglySignedServersAreRefused) {
  Serve(false);
  auto stub = crm::v1::RegistryService::NewStub(
      grpc::CreateChannel(absl::StrCat("localhost:", port_), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  crm::v1::GetCustomerResponse response;
  EXPECT_EQ(stub->GetCustomer(&context, crm::v1::GetCustomerRequest(), &response).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  // A client that trusts another CA does not accept the server.
  ClientSecurity distrustful = WithToken(kAmy);
  distrustful.ca_file = pki_->rogue_ca();
  EXPECT_EQ(Call(distrustful).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(SecuredServer, MutualTlsRefusesClientsWithoutACertificateOfOurCa) {
  Serve(true);
  EXPECT_EQ(Call(WithToken(kAmy)).error_code(), grpc::StatusCode::UNAVAILABLE);
  ClientSecurity rogue = WithToken(kAmy);
  rogue.cert_file = pki_->rogue_cert();
  rogue.key_file = pki_->rogue_key();
  EXPECT_EQ(Call(rogue).error_code(), grpc::StatusCode::UNAVAILABLE);
  ClientSecurity member = WithToken(kAmy);
  member.cert_file = pki_->client_cert();
  member.key_file = pki_->client_key();
  const grpc::Status status = Call(member);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST(Transport, TokensAndTokenChecksNeverGoOverPlaintext) {
  EXPECT_EQ(ChannelCredentialsFor({.token = "t"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  ServerSecurity plaintext;
  plaintext.verifier = *TokenVerifier::Create({.algorithm = TokenAlgorithm::kHs256,
                                               .key = crm::testing::kTestSecret,
                                               .issuer = "i",
                                               .audience = "a"});
  EXPECT_EQ(ServerCredentialsFor(plaintext).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(ReadSecretFile("/nonexistent/key.pem").status().message()),
              HasSubstr("/nonexistent/key.pem"));
}

}  // namespace
}  // namespace crm::security
