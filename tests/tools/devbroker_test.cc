// crm-devbroker as users meet it: a fixed bootstrap port, topics created at start, and
// kcat (an ordinary Kafka client) listing, producing and consuming through it.
#include <sys/wait.h>

#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
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
  // A port unlikely to be taken: derived from the process id.
  const int port = 20000 + getpid() % 20000;
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

TEST(DevBroker, RefusesBadArgumentsWithExitCodeTwo) {
  auto broker = crm::testing::Subprocess::Start({CRM_DEVBROKER_PATH, "--port=seventy"});
  ASSERT_TRUE(broker.ok());
  const int status = (*broker)->Wait();
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
}

}  // namespace
