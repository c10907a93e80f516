// crmctl against a running registry: JSON in; readable, text or JSON out; its exit codes,
// and the request id it adds.
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "registry_harness.h"
#include "support/subprocess.h"

namespace crm::registry::testing {
namespace {

struct Output {
  int exit_code = -1;
  std::string stdout_text;
};

Output Crmctl(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {CRMCTL_PATH};
  argv.insert(argv.end(), args.begin(), args.end());
  auto child = crm::testing::Subprocess::Start(argv, {{"CRM_PRINCIPAL", "u-cli"}});
  EXPECT_TRUE(child.ok()) << child.status();
  Output output;
  if (!child.ok()) return output;
  while (auto line = (*child)->ReadLine(absl::Seconds(30))) output.stdout_text += *line + "\n";
  const int status = (*child)->Wait();
  output.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return output;
}

TEST(Crmctl, CallsAnyRegistryMethodWithJsonAndPrintsTheAnswer) {
  RegistryHarness registry;
  Output registered =
      Crmctl({"--addr=" + registry.address(), "--json", "registry", "RegisterCustomer",
              R"({"summary": {"legal_name": "Cli GmbH", "region": "emea"}})"});
  ASSERT_EQ(registered.exit_code, 0) << registered.stdout_text;
  crm::v1::RegisterCustomerResponse reply;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(registered.stdout_text, &reply).ok())
      << registered.stdout_text;

  crm::v1::GetCustomerRequest get;
  get.set_customer_id(reply.customer_id());
  auto [status, customer] = registry.Call(&Stub::GetCustomer, get);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(customer.customer().summary().legal_name(), "Cli GmbH");

  crm::v1::GetHistoryRequest history;
  history.set_customer_id(reply.customer_id());
  const crm::v1::GetHistoryResponse past = registry.Call(&Stub::GetHistory, history).second;
  ASSERT_EQ(past.entries_size(), 1);
  EXPECT_EQ(past.entries(0).actor().principal(), "u-cli");
  EXPECT_NE(past.entries(0).request_id(), "RegisterCustomer:") << "crmctl made a request id";

  Output text = Crmctl({"--addr=" + registry.address(), "--text", "registry", "GetCustomer",
                        R"({"customer_id": ")" + reply.customer_id() + R"("})"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_THAT(text.stdout_text, ::testing::HasSubstr("legal_name: \"Cli GmbH\""));

  // Exit codes a script can tell apart: the call's gRPC status, 64 usage, 65 bad JSON.
  EXPECT_EQ(Crmctl({"--addr=" + registry.address(), "registry", "GetCustomer",
                    R"({"customer_id": "cus_nobody"})"})
                .exit_code,
            5);  // NOT_FOUND
  EXPECT_EQ(Crmctl({"--addr=" + registry.address(), "registry", "RegisterCustomer",
                    R"({"summary": {"region": "emea"}})"})
                .exit_code,
            3);  // INVALID_ARGUMENT
  EXPECT_EQ(Crmctl({"--addr=" + registry.address(), "registry", "NoSuchMethod"}).exit_code, 64);
  EXPECT_EQ(Crmctl({"--addr=" + registry.address(), "--bogus", "registry"}).exit_code, 64);
  EXPECT_EQ(
      Crmctl({"--addr=" + registry.address(), "registry", "GetCustomer", "{not json"}).exit_code,
      65);
}

TEST(Crmctl, PrintsValuesByPathAndListsAsTables) {
  RegistryHarness registry;
  for (const char* name : {"Tabula AG", "Mensa SpA"}) {
    ASSERT_EQ(
        Crmctl({"--addr=" + registry.address(), "registry", "RegisterCustomer",
                absl::StrCat(R"({"summary": {"legal_name": ")", name, R"(", "region": "emea"}})")})
            .exit_code,
        0);
  }
  Output listed = Crmctl(
      {"--addr=" + registry.address(), "registry", "ListCustomers", R"({"region": "emea"})"});
  ASSERT_EQ(listed.exit_code, 0);
  // A title with the count, a header of the columns set in some row, a row per customer
  // with enum values without their type's prefix.
  EXPECT_THAT(listed.stdout_text, ::testing::HasSubstr("customers (2)\n"));
  EXPECT_THAT(listed.stdout_text, ::testing::ContainsRegex("CUSTOMER_ID +LEGAL_NAME"));
  EXPECT_THAT(listed.stdout_text, ::testing::ContainsRegex("Mensa SpA +emea"));
  EXPECT_THAT(listed.stdout_text, ::testing::HasSubstr("PROSPECT"));
  EXPECT_THAT(listed.stdout_text, ::testing::Not(::testing::HasSubstr("LIFECYCLE_STATUS_")));

  const std::string id = listed.stdout_text.substr(listed.stdout_text.find("cus_"), 40);
  Output got = Crmctl({"--addr=" + registry.address(), "registry", "GetCustomer",
                       absl::StrCat(R"({"customer_id": ")", id.substr(0, id.find(' ')), R"("})")});
  ASSERT_EQ(got.exit_code, 0) << got.stdout_text;
  EXPECT_THAT(got.stdout_text, ::testing::ContainsRegex("customer.summary.legal_name +"));
}

}  // namespace
}  // namespace crm::registry::testing
