// Child process of the consumer crash test: consumes a topic into a store in small
// batches with the counting projection and prints "applied <count row>" whenever the
// stored count changes, until it is killed.
// Usage: kafka_consumer_crash_child <brokers> <topic> <db path>
#include <cstdio>
#include <string>

#include "absl/time/clock.h"
#include "crm/kafka/event_consumer.h"
#include "event_fixtures.h"

int main(int argc, char** argv) {
  if (argc != 4) return 2;
  auto store = crm::eventstore::EventStore::Open({.path = argv[3]});
  if (!store.ok()) return 1;
  crm::kafka::EventConsumer consumer(**store,
                                     {.brokers = argv[1],
                                      .group_id = "crash-group",
                                      .topics = {argv[2]},
                                      .max_batch = 5,
                                      .overrides = {{"fetch.wait.max.ms", "10"},
                                                    {"session.timeout.ms", "3000"},
                                                    {"heartbeat.interval.ms", "500"}}},
                                     crm::kafka::testing::CountingProjection);
  if (!consumer.Start().ok()) return 1;
  std::string last;
  while (true) {
    auto row = (*store)->GetRow("notes", "cus_crash");
    const std::string now = row.ok() && row->has_value() ? **row : "0";
    if (now != last) {
      std::printf("applied %s duplicates %llu\n", now.c_str(),
                  static_cast<unsigned long long>(consumer.SkippedDuplicates()));
      std::fflush(stdout);
      last = now;
    }
    absl::SleepFor(absl::Milliseconds(2));
  }
}
