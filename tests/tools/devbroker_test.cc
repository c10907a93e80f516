// crm-devbroker as users meet it: a fixed bootstrap port, topics created at start, and
// kcat (an ordinary Kafka client) listing, producing and consuming through it.
#include <sys/wait.h>

#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/reserved_port.h"
#include "support/subprocess.h"

namespace {

std::string RunCommand(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  std::string out;
  char buffer[4096];
  while (pipe && fgets(buffer, sizeof(buffer), pipe.get()) != nullptr) out += buffer;
  return out;
}

TEST(DevBroker, KcatListsProducesAndConsumesThroughTheFixedPort) {
  const crm::testing::ReservedPort reserved;
  const int port = reserved.number();
  auto broker = crm::testing::Subprocess::Start(
      {CRM_DEVBROKER_PATH, absl::StrCat("--port=", port), "--topic=crm.registry.events.v1:3"});
  ASSERT_TRUE(broker.ok());
  const std::string bootstrap = (*broker)->ReadLine(absl::Seconds(30)).value_or("");
  ASSERT_EQ(bootstrap, absl::StrCat("127.0.0.1:", port));

  const std::string metadata = RunCommand(absl::StrCat("kcat -L -b ", bootstrap, " 2>&1"));
  EXPECT_THAT(metadata, ::testing::HasSubstr("topic \"crm.registry.events.v1\" with 3 partitions"));

  RunCommand(absl::StrCat("printf 'hello' | kcat -P -b ", bootstrap, " -t demo -k cus_1 2>&1"));
  const std::string consumed =
      RunCommand(absl::StrCat("kcat -C -b ", bootstrap, " -t demo -e -f '%k=%s\\n' 2>/dev/null"));
  EXPECT_THAT(consumed, ::testing::HasSubstr("cus_1=hello"));
}

TEST(DevBroker, ASecondBrokerOnATakenPortStopsInsteadOfSharingIt) {
  const crm::testing::ReservedPort reserved;
  auto first = crm::testing::Subprocess::Start(
      {CRM_DEVBROKER_PATH, absl::StrCat("--port=", reserved.number())});
  ASSERT_TRUE(first.ok());
  ASSERT_EQ((*first)->ReadLine(absl::Seconds(30)).value_or(""),
            absl::StrCat("127.0.0.1:", reserved.number()));
  auto second = crm::testing::Subprocess::Start(
      {CRM_DEVBROKER_PATH, absl::StrCat("--port=", reserved.number())});
  ASSERT_TRUE(second.ok());
  const int status = (*second)->Wait();
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_EQ((*second)->ReadLine(absl::Seconds(1)), std::nullopt) << "it printed an address";
}

TEST(DevBroker, RefusesBadArgumentsWithExitCodeTwo) {
  auto broker = crm::testing::Subprocess::Start({CRM_DEVBROKER_PATH, "--port=seventy"});
  ASSERT_TRUE(broker.ok());
  const int status = (*broker)->Wait();
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
}

}  // namespace
