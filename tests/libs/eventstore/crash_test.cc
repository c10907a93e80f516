// Kills a process that appends with the WAL synced at random moments, many times, and
// checks after each kill that every acknowledged append is there, the global log has no
// gap and no append is half-written.
#include <signal.h>

#include <map>
#include <optional>
#include <random>
#include <sstream>

#include "crm/eventstore/event_codec.h"
#include "crm/eventstore/event_store.h"
#include "gtest/gtest.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace crm::eventstore {
namespace {

struct Ack {
  std::string stream;
  uint64_t version = 0;
  uint64_t position = 0;
};

void VerifyStore(const std::string& path, const std::vector<Ack>& acks) {
  auto opened = EventStore::Open({.path = path});
  ASSERT_TRUE(opened.ok()) << opened.status();
  EventStore& store = **opened;

  // Every acknowledged append is present at the position it was acknowledged with.
  for (const Ack& ack : acks) {
    auto events = store.ReadStream(ack.stream, ack.version, 1);
    ASSERT_TRUE(events.ok()) << events.status();
    ASSERT_EQ(events->size(), 1u) << "lost: " << ack.stream << " v" << ack.version;
    EXPECT_EQ((*events)[0].metadata.global_position(), ack.position);
  }

  // The global log runs from 1 without a gap, and every stream holds whole appends.
  uint64_t expected = 1;
  std::map<std::string, uint64_t> events_per_stream;
  ASSERT_TRUE(store
                  .ScanLog(1,
                           [&](uint64_t position, std::string_view bytes) {
                             EXPECT_EQ(position, expected) << "gap in the global log";
                             crm::v1::EventMetadata metadata;
                             EXPECT_TRUE(ParseEventMetadata(bytes, metadata));
                             EXPECT_EQ(metadata.global_position(), position);
                             ++events_per_stream[metadata.stream_id()];
                             ++expected;
                             return true;
                           })
                  .ok());
  EXPECT_EQ(expected - 1, store.LastPosition());
  for (const auto& [stream, count] : events_per_stream) {
    EXPECT_EQ(count % 3, 0u) << "half-written append in " << stream;
    auto head = store.LoadHead(stream);
    ASSERT_TRUE(head.ok());
    EXPECT_EQ(head->version, count) << "head of " << stream << " disagrees with its events";
  }
}

std::optional<Ack> ParseAck(const std::string& line) {
  std::istringstream in(line);
  std::string word;
  Ack ack;
  if (!(in >> word >> ack.stream >> ack.version >> ack.position) || word != "ack") {
    return std::nullopt;
  }
  return ack;
}

TEST(EventStoreCrash, AcknowledgedAppendsSurviveSigkill) {
  crm::testing::TempDir dir;
  const std::string path = dir.Sub("db");
  std::mt19937 random(std::random_device{}());
  std::vector<Ack> acks;
  constexpr int kRuns = 12;
  for (int run = 0; run < kRuns; ++run) {
    auto child = crm::testing::Subprocess::Start({CRM_CRASH_CHILD_PATH, path, "4"});
    ASSERT_TRUE(child.ok()) << child.status();
    // Let it acknowledge a random number of appends, so that the kill lands at a random
    // moment of its work, then kill it without warning.
    const int acks_before_kill = std::uniform_int_distribution<int>(1, 400)(random);
    int seen = 0;
    while (seen < acks_before_kill) {
      std::optional<std::string> line = (*child)->ReadLine(absl::Seconds(30));
      ASSERT_TRUE(line.has_value()) << "the child stopped acknowledging in run " << run;
      std::optional<Ack> ack = ParseAck(*line);
      ASSERT_TRUE(ack.has_value()) << *line;
      acks.push_back(*ack);
      ++seen;
    }
    (*child)->Signal(SIGKILL);
    (*child)->Wait();
    // Lines written before the kill are acknowledgements too.
    while (std::optional<std::string> line = (*child)->ReadLine(absl::Seconds(5))) {
      if (std::optional<Ack> ack = ParseAck(*line)) acks.push_back(*ack);
    }
    VerifyStore(path, acks);
    if (::testing::Test::HasFatalFailure() || ::testing::Test::HasNonfatalFailure()) return;
  }
  EXPECT_GT(acks.size(), static_cast<size_t>(kRuns));
}

}  // namespace
}  // namespace crm::eventstore
