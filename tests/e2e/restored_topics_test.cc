// A restarted local system stays whole. A demo organisation is loaded; then the services
// and their broker are stopped and started again, the broker empty as crm-devbroker always
// starts. Each service finds its events topic short of what it published, puts its log
// back into its outbox and publishes it again: afterwards the report, what a fresh
// consumer reads from every events topic (the events' ids, in order per key) and the
// customers on every state topic are what they were before. A second round kills the registry
// while it republishes and starts it again.
#include <signal.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "crm/kafka/cloud_events.h"
#include "crmctl_runs.h"
#include "gtest/gtest.h"
#include "support/reserved_port.h"
#include "support/subprocess.h"
#include "support/wait.h"
#include "system.h"
#include "topic_reader.h"

namespace crm::e2e {
namespace {

// A broker of the test's own on a fixed address, so that it can be stopped and started
// again (empty) under the same bootstrap address.
class OwnBroker {
 public:
  OwnBroker() { Start(); }
  const std::string& bootstrap() const { return bootstrap_; }
  void Start() {
    auto process = crm::testing::Subprocess::Start(
        {CRM_DEVBROKER_PATH, absl::StrCat("--port=", port_.number()), "--partitions=4"});
    ASSERT_TRUE(process.ok()) << process.status();
    process_ = *std::move(process);
    bootstrap_ = process_->ReadLine(absl::Seconds(30)).value_or("");
    ASSERT_EQ(bootstrap_, absl::StrCat("127.0.0.1:", port_.number()));
  }
  void Stop() {
    process_->Signal(SIGTERM);
    process_->Wait();
  }

 private:
  crm::testing::ReservedPort port_;
  std::unique_ptr<crm::testing::Subprocess> process_;
  std::string bootstrap_;
};

// Once every service's outbox is empty: all it recorded is on its topic. Returns the
// events each service recorded (its log's last position).
std::vector<size_t> Drained(System& system) {
  std::vector<size_t> logged(System::kServices.size());
  for (size_t i = 0; i < System::kServices.size(); ++i) {
    EXPECT_TRUE(crm::testing::WaitFor(
        [&] { return Metric(system.process(i), "crm_outbox_depth") == 0; }, absl::Seconds(90)))
        << System::kServices[i] << "'s outbox did not drain";
    logged[i] = static_cast<size_t>(Metric(system.process(i), "crm_event_log_position"));
  }
  return logged;
}

// Once every consumer group has taken every message of the topics it reads, the services'
// answers hold everything.
bool ConsumersCaughtUp(System& system) {
  // What each service consumes.
  const std::map<std::string, std::vector<std::string>> consumed = {
      {"engagement", {"registry", "tiering"}},
      {"satisfaction", {"registry", "tiering"}},
      {"tiering", {"registry", "engagement", "satisfaction", "tiering"}}};
  for (const auto& [consumer, services] : consumed) {
    for (const std::string& service : services) {
      if (!kafka::testing::GroupReachedEnd(system.brokers(),
                                           absl::StrCat(system.topic_prefix(), "crm-", consumer),
                                           system.topic(service))) {
        return false;
      }
    }
  }
  return true;
}

// What a fresh consumer reads from an events topic: each key's event ids in the order
// first read (a resend repeats an id, which consumers skip).
std::map<std::string, std::vector<std::string>> EventIdsByKey(const std::string& brokers,
                                                              const std::string& topic,
                                                              size_t events) {
  std::map<std::string, std::vector<std::string>> ids;
  std::set<std::string> seen;
  for (const auto& record : kafka::testing::ReadTopic(brokers, topic, events)) {
    const std::string& id = record.headers.at("ce_id");
    if (seen.insert(id).second) ids[record.key].push_back(id);
  }
  return ids;
}

size_t CountOf(const std::map<std::string, std::vector<std::string>>& ids) {
  size_t count = 0;
  for (const auto& [key, list] : ids) count += list.size();
  return count;
}

// The latest state per key on a state topic, once two reads a second apart agree.
std::map<std::string, std::string> LatestStates(const std::string& brokers,
                                                const std::string& topic) {
  std::map<std::string, std::string> latest, previous;
  crm::testing::WaitFor(
      [&] {
        previous = std::move(latest);
        latest.clear();
        for (const auto& record :
             kafka::testing::ReadTopic(brokers, topic, 1, absl::Seconds(5), absl::Seconds(1))) {
          latest[record.key] = record.value;
        }
        return !latest.empty() && latest == previous;
      },
      absl::Seconds(90));
  return latest;
}

struct Picture {
  std::string report;
  std::vector<std::map<std::string, std::vector<std::string>>> events;
  std::vector<std::map<std::string, std::string>> states;
};

// The system's picture once its outboxes are empty and its consumers have taken what the
// topics hold. On a new system, every consumer group has then committed the end of every
// topic it reads. After a restart a group commits only where it took something (a stored
// offset that is already a republished topic's end needs nothing), so there the report is
// awaited until it says what `expected` said, or 90 s have passed.
Picture PictureOf(System& system, const Picture* expected = nullptr) {
  Picture picture;
  const std::vector<size_t> logged = Drained(system);
  if (expected == nullptr) {
    EXPECT_TRUE(crm::testing::WaitFor([&] { return ConsumersCaughtUp(system); }, absl::Seconds(90)))
        << "the consumers did not take every message";
  }
  crm::testing::WaitFor(
      [&] {
        const CrmctlRun report = Crmctl(system, {"report"});
        EXPECT_EQ(report.exit_code, 0) << report.out;
        picture.report = report.out;
        return expected == nullptr || picture.report == expected->report;
      },
      absl::Seconds(90));
  for (size_t i = 0; i < System::kServices.size(); ++i) {
    const std::string service = System::kServices[i];
    picture.events.push_back(EventIdsByKey(system.brokers(), system.topic(service), logged[i]));
    EXPECT_EQ(CountOf(picture.events.back()), logged[i]) << service << "'s topic";
    picture.states.push_back(
        LatestStates(system.brokers(), kafka::StateTopic(system.topic_prefix(), service)));
  }
  return picture;
}

void ExpectSamePicture(const Picture& before, const Picture& after) {
  EXPECT_EQ(after.report, before.report);
  for (size_t i = 0; i < System::kServices.size(); ++i) {
    const std::string service = System::kServices[i];
    EXPECT_EQ(CountOf(after.events[i]), CountOf(before.events[i])) << service;
    EXPECT_TRUE(after.events[i] == before.events[i])
        << service << "'s events differ in ids or in their order per key";
    // Every customer's state is there again. The registry's state (the archive) follows
    // from its own events alone, so it is the same to the byte; the others' states join
    // other services' projections as they stand when published (engagement's holds the
    // customer's tier, which a later tier change does not publish again), so a state
    // published anew may be newer than the one it replaces.
    std::set<std::string> keys_before, keys_after;
    for (const auto& [key, value] : before.states[i]) keys_before.insert(key);
    for (const auto& [key, value] : after.states[i]) keys_after.insert(key);
    EXPECT_EQ(keys_after, keys_before) << service << "'s state topic";
    if (service == "registry") {
      EXPECT_TRUE(after.states[i] == before.states[i]) << "the registry's states differ";
    }
  }
}

// Stops every service (SIGTERM) and the broker, starts the broker again (empty) and every
// service on its store.
void RestartEverything(System& system, OwnBroker& broker) {
  for (size_t i = 0; i < System::kServices.size(); ++i) system.process(i).Terminate();
  broker.Stop();
  broker.Start();
  system.CreateTopics();
  for (size_t i = 0; i < System::kServices.size(); ++i) {
    ASSERT_TRUE(system.process(i).Start().ok());
  }
}

TEST(RestoredTopics, ARestartedSystemAndBrokerGiveWhatTheyGaveBefore) {
  OwnBroker broker;
  System system({}, grpc::InsecureChannelCredentials, broker.bootstrap());
  ASSERT_TRUE(system.Serving());
  const CrmctlRun loaded = Crmctl(system, {"demo", "--seed=9", "--customers=30", "--parallel=4"});
  ASSERT_EQ(loaded.exit_code, 0) << loaded.out;
  const Picture before = PictureOf(system);
  ASSERT_GT(CountOf(before.events[0]), 30u);

  RestartEverything(system, broker);
  ASSERT_TRUE(system.Serving(absl::Seconds(90)));
  ExpectSamePicture(before, PictureOf(system, &before));

  // Again, with the registry killed while it publishes its log again and then started
  // once more: what it had published stays, the rest follows, nothing is lost.
  RestartEverything(system, broker);
  crm::testing::WaitFor([&] { return Metric(system.process(0), "crm_outbox_depth") >= 0; });
  system.process(0).Kill();
  ASSERT_TRUE(system.process(0).Start().ok());
  ASSERT_TRUE(system.Serving(absl::Seconds(90)));
  ExpectSamePicture(before, PictureOf(system, &before));
}

}  // namespace
}  // namespace crm::e2e
