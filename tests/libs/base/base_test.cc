#include <atomic>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "crm/base/clock.h"
#include "crm/base/ids.h"
#include "crm/base/key_encoding.h"
#include "crm/base/parallel_tasks.h"
#include "gtest/gtest.h"

namespace crm {
namespace {

TEST(ParallelTasks, RunsEveryTaskOnceAndReturnsTheLowestNumberedError) {
  std::vector<std::atomic<int>> runs(100);
  EXPECT_TRUE(RunInParallel(runs.size(), 3, [&](size_t i) {
                ++runs[i];
                return absl::OkStatus();
              }).ok());
  for (const std::atomic<int>& count : runs) EXPECT_EQ(count.load(), 1);

  // Tasks 1 and 3 fail: so does the call, with the error of one of them.
  const absl::Status failed = RunInParallel(4, 4, [](size_t i) {
    return i % 2 == 0 ? absl::OkStatus() : absl::InternalError(absl::StrCat("task ", i));
  });
  EXPECT_EQ(failed.code(), absl::StatusCode::kInternal);
  // On one thread, nothing after the first failure starts.
  std::atomic<int> started{0};
  EXPECT_FALSE(RunInParallel(10, 1, [&](size_t i) {
                 ++started;
                 return i == 2 ? absl::UnavailableError("stop") : absl::OkStatus();
               }).ok());
  EXPECT_EQ(started.load(), 3);
  EXPECT_TRUE(RunInParallel(0, 2, [](size_t) { return absl::InternalError("never"); }).ok());
  EXPECT_GE(WorkerThreads(), 1u);
  EXPECT_LE(WorkerThreads(), 4u);
}

TEST(KeyEncoding, BigEndianIntegersSortNumericallyAsBytes) {
  const std::vector<uint64_t> values = {0, 1, 255, 256, 65535, 1ull << 40, ~0ull};
  for (size_t i = 1; i < values.size(); ++i) {
    EXPECT_LT(EncodeUint64(values[i - 1]), EncodeUint64(values[i]));
  }
  for (uint64_t v : values) EXPECT_EQ(DecodeUint64(EncodeUint64(v)), v);
  EXPECT_FALSE(DecodeUint64("short").has_value());
}

TEST(KeyEncoding, JoinedKeysKeepPrefixesApart) {
  // "ab" + "c" must not collide with "a" + "bc", and a prefix of parts is a key prefix.
  EXPECT_NE(JoinKey({"ab", "c"}), JoinKey({"a", "bc"}));
  EXPECT_TRUE(JoinKey({"a", "b"}).starts_with(JoinKey({"a"})));
  EXPECT_FALSE(JoinKey({"ab"}).starts_with(JoinKey({"a"})));
}

TEST(KeyEncoding, PrefixSuccessorIsTheSmallestKeyAfterThePrefix) {
  EXPECT_EQ(PrefixSuccessor("abc"), "abd");
  EXPECT_EQ(PrefixSuccessor(std::string("a\xff", 2)), "b");
  EXPECT_EQ(PrefixSuccessor(std::string("\xff\xff", 2)), "");
  EXPECT_LT(std::string("abc\xff\xff"), PrefixSuccessor("abc"));
}

TEST(Ids, UuidsAreVersionFourAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewUuid();
    ASSERT_EQ(id.size(), 36u);
    for (size_t at = 0; at < id.size(); ++at) {
      if (at == 8 || at == 13 || at == 18 || at == 23) {
        EXPECT_EQ(id[at], '-') << id;
      } else {
        EXPECT_NE(std::string("0123456789abcdef").find(id[at]), std::string::npos) << id;
      }
    }
    EXPECT_EQ(id[14], '4') << id;
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
    EXPECT_TRUE(seen.insert(id).second);
  }
}

TEST(Clock, ManualClockMovesOnlyWhenTold) {
  ManualClock clock(absl::FromUnixSeconds(100));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(100));
  clock.Advance(absl::Minutes(2));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(220));
}

}  // namespace
}  // namespace crm
