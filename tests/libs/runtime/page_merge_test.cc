// Pages of several partitions merged into one page under one resume key.
#include "crm/runtime/page_merge.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace crm::runtime {
namespace {

using ::testing::ElementsAre;
using Page = PartitionPage<std::string>;

// A page whose items are their own keys.
Page PageOf(std::vector<std::string> keys, std::optional<std::string> resume_after) {
  Page page{.resume_after = std::move(resume_after)};
  for (std::string& key : keys) page.items.emplace_back(key, key);
  return page;
}

TEST(MergePagesTest, TakesItemsInKeyOrderAndResumesAfterTheLastTaken) {
  MergedPage<std::string> page =
      MergePages<std::string>({PageOf({"a", "d", "g"}, "g"), PageOf({"b", "e"}, std::nullopt),
                               PageOf({"c", "f", "h"}, "h")},
                              4);
  EXPECT_THAT(page.items, ElementsAre("a", "b", "c", "d"));
  EXPECT_EQ(page.resume_after, "d");
}

TEST(MergePagesTest, NeverPassesAPartitionThatStoppedShort) {
  // The second partition scanned its most rows up to "c" and found nothing to keep: rows
  // after "c" there are unseen, so "d" and "e" wait for the next page.
  MergedPage<std::string> page =
      MergePages<std::string>({PageOf({"a", "d", "e"}, "e"), PageOf({}, "c")}, 3);
  EXPECT_THAT(page.items, ElementsAre("a"));
  EXPECT_EQ(page.resume_after, "c");
}

TEST(MergePagesTest, EndsWhenNoPartitionHasMore) {
  MergedPage<std::string> page =
      MergePages<std::string>({PageOf({"a", "c"}, std::nullopt), PageOf({"b"}, std::nullopt)}, 3);
  EXPECT_THAT(page.items, ElementsAre("a", "b", "c"));
  EXPECT_EQ(page.resume_after, std::nullopt);
}

TEST(MergePagesTest, AFullPageWhenSomePartitionHasMoreResumesAfterItsLastItem) {
  MergedPage<std::string> page =
      MergePages<std::string>({PageOf({"a", "b"}, "b"), PageOf({"c"}, std::nullopt)}, 2);
  EXPECT_THAT(page.items, ElementsAre("a", "b"));
  EXPECT_EQ(page.resume_after, "b");
}

TEST(MergePagesTest, WalksEveryItemOnceAcrossPages) {
  // Three partitions of ten keys each, read two at a time with each partition resuming
  // after the merged key, as the tasks do: every key comes once, in order.
  std::vector<std::vector<std::string>> partitions(3);
  for (int i = 0; i < 30; ++i)
    partitions[i % 3].push_back(std::string(1, static_cast<char>('A' + i)));
  std::optional<std::string> after;
  std::vector<std::string> seen;
  for (int round = 0; round < 40; ++round) {
    std::vector<Page> pages;
    for (const auto& keys : partitions) {
      std::vector<std::string> page;
      for (const std::string& key : keys) {
        if ((!after.has_value() || key > *after) && page.size() < 2) page.push_back(key);
      }
      const bool more = !page.empty() && page.back() != keys.back();
      pages.push_back(PageOf(page, more ? std::optional<std::string>(page.back()) : std::nullopt));
    }
    MergedPage<std::string> merged = MergePages(std::move(pages), 4);
    seen.insert(seen.end(), merged.items.begin(), merged.items.end());
    after = merged.resume_after;
    if (!after.has_value()) break;
  }
  std::vector<std::string> every;
  for (int i = 0; i < 30; ++i) every.push_back(std::string(1, static_cast<char>('A' + i)));
  EXPECT_EQ(seen, every);
}

}  // namespace
}  // namespace crm::runtime
