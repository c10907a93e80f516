// The ports of a service process, over real processes: it reports in its listening file
// the ports it bound (port 0 given), a second process on a taken metrics address stops
// with a message naming the setting, and a restart binds its metrics port although a
// client connection in TIME_WAIT holds that port number.
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "crm/runtime/listening_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "support/dev_broker.h"
#include "support/reserved_port.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace crm::runtime {
namespace {

using crm::testing::Subprocess;
using ::testing::HasSubstr;

using Environment = std::vector<std::pair<std::string, std::string>>;

Environment EchoEnvironment(const std::string& data_dir, const std::string& metrics_listen) {
  return {{"CRM_AUTH", "off"},
          {"CRM_LISTEN", "127.0.0.1:0"},
          {"CRM_METRICS_LISTEN", metrics_listen},
          {"CRM_DATA_DIR", data_dir},
          {"CRM_KAFKA_BROKERS", crm::testing::DevBroker::Shared()->bootstrap()},
          {"CRM_TOPIC_PREFIX", crm::testing::UniqueTopic("listeners") + "."}};
}

// The echo service with its stderr on the same pipe as its stdout, to read what it says.
std::unique_ptr<Subprocess> StartEcho(const Environment& environment) {
  auto child =
      Subprocess::Start({"/bin/sh", "-c", "exec \"$0\" 2>&1", CRM_ECHO_SERVICE_PATH}, environment);
  EXPECT_TRUE(child.ok()) << child.status();
  return child.ok() ? *std::move(child) : nullptr;
}

// The lines the process prints until one starts with one of `prefixes` (or it goes quiet
// for 30 s). The echo service's own lines ("listening …", "start failed: …") start lines;
// its log lines are JSON objects.
std::string ReadUntil(Subprocess& child, const std::vector<std::string>& prefixes) {
  std::string seen;
  while (std::optional<std::string> line = child.ReadLine(absl::Seconds(30))) {
    seen += *line + "\n";
    for (const std::string& prefix : prefixes) {
      if (line->rfind(prefix, 0) == 0) return seen;
    }
  }
  return seen;
}

int PortOf(const std::string& address) {
  int port = 0;
  EXPECT_TRUE(absl::SimpleAtoi(address.substr(address.rfind(':') + 1), &port)) << address;
  return port;
}

bool ServesMetrics(int port) {
  httplib::Client http("127.0.0.1", port);
  auto response = http.Get("/metrics");
  return response && response->status == 200 &&
         response->body.find("crm_build_info") != std::string::npos;
}

sockaddr_in Loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  return address;
}

// Leaves a client connection in TIME_WAIT whose local port is `port`: the client binds
// it (with SO_REUSEADDR, as gRPC's clients do), connects and closes first.
void LeaveClientInTimeWait(int port) {
  const int server = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in any = Loopback(0);
  ASSERT_EQ(bind(server, reinterpret_cast<sockaddr*>(&any), sizeof(any)), 0);
  ASSERT_EQ(listen(server, 1), 0);
  socklen_t length = sizeof(any);
  getsockname(server, reinterpret_cast<sockaddr*>(&any), &length);

  const int client = socket(AF_INET, SOCK_STREAM, 0);
  const int yes = 1;
  setsockopt(client, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  sockaddr_in local = Loopback(port);
  ASSERT_EQ(bind(client, reinterpret_cast<sockaddr*>(&local), sizeof(local)), 0) << errno;
  ASSERT_EQ(connect(client, reinterpret_cast<sockaddr*>(&any), sizeof(any)), 0) << errno;
  const int accepted = accept(server, nullptr, nullptr);
  ASSERT_GE(accepted, 0);
  close(client);  // the active close: the client's side waits in TIME_WAIT
  char byte;
  ASSERT_EQ(read(accepted, &byte, 1), 0);  // the server saw the close
  close(accepted);
  close(server);

  // The port is held: a bind without SO_REUSEADDR is refused.
  const int probe = socket(AF_INET, SOCK_STREAM, 0);
  EXPECT_NE(bind(probe, reinterpret_cast<sockaddr*>(&local), sizeof(local)), 0)
      << "no TIME_WAIT connection holds port " << port;
  close(probe);
}

TEST(Listeners, AProcessOnPortZeroReportsItsPortsInItsListeningFileUntilItStops) {
  crm::testing::TempDir dir;
  const std::string data_dir = dir.Sub("echo");
  auto echo = StartEcho(EchoEnvironment(data_dir, "127.0.0.1:0"));
  ASSERT_NE(echo, nullptr);
  const std::string said = ReadUntil(*echo, {"listening "});
  ASSERT_THAT(said, HasSubstr("listening ")) << said;

  // Written once every port is bound, so it is there by the time the process says so.
  auto listening = ReadListeningFile(ListeningFilePath(data_dir));
  ASSERT_TRUE(listening.ok()) << listening.status();
  EXPECT_EQ(listening->pid, echo->pid());
  const int grpc_port = PortOf(listening->grpc), metrics_port = PortOf(listening->metrics);
  EXPECT_THAT(said, HasSubstr(absl::StrCat("listening ", grpc_port, " ", metrics_port)));
  EXPECT_EQ(listening->health, "");
  EXPECT_TRUE(ServesMetrics(metrics_port));

  echo->Signal(SIGTERM);
  EXPECT_EQ(echo->Wait(), 0);
  EXPECT_FALSE(std::filesystem::exists(ListeningFilePath(data_dir)))
      << "a stopped process must not name ports it no longer holds";
}

TEST(Listeners, ASecondProcessOnATakenMetricsAddressStopsNamingTheSetting) {
  crm::testing::TempDir dir;
  auto first = StartEcho(EchoEnvironment(dir.Sub("first"), "127.0.0.1:0"));
  ASSERT_NE(first, nullptr);
  ASSERT_THAT(ReadUntil(*first, {"listening "}), HasSubstr("listening "));
  auto listening = ReadListeningFile(ListeningFilePath(dir.Sub("first")));
  ASSERT_TRUE(listening.ok()) << listening.status();

  auto second = StartEcho(EchoEnvironment(dir.Sub("second"), listening->metrics));
  ASSERT_NE(second, nullptr);
  const std::string said = ReadUntil(*second, {"start failed", "listening "});
  if (said.find("start failed") == std::string::npos) {
    ADD_FAILURE() << "the second process started on a taken metrics address:\n" << said;
    second->Signal(SIGKILL);
  }
  const int status = second->Wait();
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_NE(WEXITSTATUS(status), 0);
  EXPECT_THAT(said, HasSubstr("--metrics_listen (CRM_METRICS_LISTEN)"));
  EXPECT_THAT(said, HasSubstr(listening->metrics));
  // The first process still serves its scrapes alone.
  EXPECT_TRUE(ServesMetrics(PortOf(listening->metrics)));
}

TEST(Listeners, ARestartBindsItsMetricsPortWhileAClientConnectionInTimeWaitHoldsIt) {
  crm::testing::TempDir dir;
  const std::string data_dir = dir.Sub("echo");
  // Reserved, so that nothing else takes the port while the service is down.
  crm::testing::ReservedPort metrics;
  const std::string metrics_listen = absl::StrCat("127.0.0.1:", metrics.number());
  auto echo = StartEcho(EchoEnvironment(data_dir, metrics_listen));
  ASSERT_NE(echo, nullptr);
  ASSERT_THAT(ReadUntil(*echo, {"listening "}), HasSubstr("listening "));
  ASSERT_TRUE(ServesMetrics(metrics.number()));
  echo->Signal(SIGTERM);
  ASSERT_EQ(echo->Wait(), 0);

  LeaveClientInTimeWait(metrics.number());
  auto restarted = StartEcho(EchoEnvironment(data_dir, metrics_listen));
  ASSERT_NE(restarted, nullptr);
  const std::string said = ReadUntil(*restarted, {"listening "});
  ASSERT_THAT(said, HasSubstr("listening ")) << said;
  EXPECT_TRUE(ServesMetrics(metrics.number()));
}

}  // namespace
}  // namespace crm::runtime
