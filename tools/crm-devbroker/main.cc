// crm-devbroker: librdkafka's mock Kafka cluster as a process, for local runs and tests.
// A real Kafka-protocol endpoint on 127.0.0.1 (kcat and any client can use it) that keeps
// messages in memory only; each partition keeps about its newest 5 MiB.
//
//   crm-devbroker [--port=9092] [--brokers=1] [--partitions=4] [--topic=NAME[:PARTITIONS]]...
//
// Prints the bootstrap address as its first line of stdout, then runs until SIGTERM or
// SIGINT. SIGUSR1 takes every broker down (connections closed and refused, data kept);
// SIGUSR2 brings them back: the tests' and the launcher's way to simulate an outage.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "librdkafka/rdkafka.h"
#include "librdkafka/rdkafka_mock.h"
#include "tcp_forwarder.h"

namespace {

struct Settings {
  int port = 0;
  int brokers = 1;
  int partitions = 4;
  std::vector<std::pair<std::string, int>> topics;
};

[[noreturn]] void Usage(const std::string& problem) {
  std::fprintf(stderr,
               "crm-devbroker: %s\n"
               "usage: crm-devbroker [--port=N] [--brokers=N] [--partitions=N] "
               "[--topic=NAME[:PARTITIONS]]...\n"
               "  --port        bootstrap port on 127.0.0.1 (0 = any free port; default 0)\n"
               "  --brokers     brokers in the mock cluster (default 1)\n"
               "  --partitions  partitions of the topics named without a count (default 4)\n"
               "  --topic       topic to create at start (repeatable)\n",
               problem.c_str());
  std::exit(2);
}

int ParseInt(const std::string& flag, std::string_view value, int min, int max) {
  int parsed = 0;
  if (!absl::SimpleAtoi(absl::string_view(value.data(), value.size()), &parsed) || parsed < min ||
      parsed > max) {
    Usage(flag + " must be a whole number from " + std::to_string(min) + " to " +
          std::to_string(max));
  }
  return parsed;
}

Settings Parse(int argc, char** argv) {
  Settings settings;
  std::vector<std::string> topic_specs;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    if (name == "--port") {
      settings.port = ParseInt(name, value, 0, 65535);
    } else if (name == "--brokers") {
      settings.brokers = ParseInt(name, value, 1, 9);
    } else if (name == "--partitions") {
      settings.partitions = ParseInt(name, value, 1, 256);
    } else if (name == "--topic" && !value.empty()) {
      topic_specs.push_back(value);
    } else if (name == "--help" || name == "-h") {
      Usage("help");
    } else {
      Usage("unknown or malformed argument " + arg);
    }
  }
  for (const std::string& spec : topic_specs) {
    std::vector<std::string> parts = absl::StrSplit(spec, ':');
    if (parts.size() > 2 || parts[0].empty()) Usage("malformed --topic " + spec);
    settings.topics.emplace_back(
        parts[0], parts.size() == 2 ? ParseInt("--topic", parts[1], 1, 256) : settings.partitions);
  }
  return settings;
}

}  // namespace

int main(int argc, char** argv) {
  const Settings settings = Parse(argc, argv);

  // Block the signals we handle before any thread starts, so that every thread inherits
  // the mask and sigwait() below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGTERM, SIGINT, SIGUSR1, SIGUSR2}) sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "3", error, sizeof(error));
  rd_kafka_t* handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
  if (handle == nullptr) {
    std::fprintf(stderr, "crm-devbroker: %s\n", error);
    return 1;
  }
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(handle, settings.brokers);
  if (cluster == nullptr) {
    std::fprintf(stderr, "crm-devbroker: cannot create the mock cluster\n");
    return 1;
  }
  for (const auto& [topic, partitions] : settings.topics) {
    rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(cluster, topic.c_str(), partitions,
                                                         std::min(settings.brokers, 3));
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      std::fprintf(stderr, "crm-devbroker: cannot create topic %s: %s\n", topic.c_str(),
                   rd_kafka_err2str(err));
      return 1;
    }
  }

  // The mock's first listener is "127.0.0.1:PORT[,...]".
  const std::string mock_bootstraps = rd_kafka_mock_cluster_bootstraps(cluster);
  std::string bootstrap = mock_bootstraps;
  std::unique_ptr<crm::devbroker::TcpForwarder> forwarder;
  if (settings.port != 0) {
    const std::string first = mock_bootstraps.substr(0, mock_bootstraps.find(','));
    const int mock_port = std::atoi(first.substr(first.rfind(':') + 1).c_str());
    auto started = crm::devbroker::TcpForwarder::Start(static_cast<uint16_t>(settings.port),
                                                       static_cast<uint16_t>(mock_port));
    if (!started.ok()) {
      std::fprintf(stderr, "crm-devbroker: %s\n", std::string(started.status().message()).c_str());
      return 1;
    }
    forwarder = *std::move(started);
    bootstrap = "127.0.0.1:" + std::to_string(forwarder->port());
  }
  std::printf("%s\n", bootstrap.c_str());
  std::fflush(stdout);
  std::fprintf(stderr,
               "{\"level\":\"info\",\"logger\":\"devbroker\",\"msg\":\"mock Kafka cluster "
               "ready\",\"bootstrap\":\"%s\",\"brokers\":%d}\n",
               bootstrap.c_str(), settings.brokers);

  while (true) {
    int received = 0;
    if (sigwait(&signals, &received) != 0) continue;
    if (received == SIGUSR1 || received == SIGUSR2) {
      const bool up = received == SIGUSR2;
      for (int32_t id = 1; id <= settings.brokers; ++id) {
        if (up) {
          rd_kafka_mock_broker_set_up(cluster, id);
        } else {
          rd_kafka_mock_broker_set_down(cluster, id);
        }
      }
      std::fprintf(stderr, "{\"level\":\"info\",\"logger\":\"devbroker\",\"msg\":\"brokers %s\"}\n",
                   up ? "up" : "down");
      continue;
    }
    break;  // SIGTERM or SIGINT
  }
  if (forwarder) forwarder->Stop();
  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(handle);
  return 0;
}
