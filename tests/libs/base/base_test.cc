#include <set>

#include "crm/base/clock.h"
#include "crm/base/ids.h"
#include "crm/base/key_encoding.h"
#include "gtest/gtest.h"

namespace crm {
namespace {

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
