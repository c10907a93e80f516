// One page of a list asked of every partition, merged from the partitions' pages
// (docs/ARCHITECTURE.md, "Partition tasks inside an instance"). Every partition answered
// the same request, resuming after the same row key; each page is in row-key order and
// says where that partition would resume. Nothing of a partition past its resume key was
// seen, so the merged page holds items only up to the smallest resume key, at most
// `page_size` of them, and resumes after its last item, or after that smallest key when
// the page is not full.
//
//   std::vector<PartitionPage<CustomerListItem>> pages = ...;  // one per partition
//   MergedPage<CustomerListItem> page = MergePages(std::move(pages), 50);
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace crm::runtime {

template <class Item>
struct PartitionPage {
  // The page's items with their row keys, in key order.
  std::vector<std::pair<std::string, Item>> items;
  // The key this partition resumes after; nullopt when it has no more rows.
  std::optional<std::string> resume_after;
};

template <class Item>
struct MergedPage {
  std::vector<Item> items;
  // The key every partition resumes after for the next page; nullopt on the last page.
  std::optional<std::string> resume_after;
};

template <class Item>
MergedPage<Item> MergePages(std::vector<PartitionPage<Item>> pages, size_t page_size) {
  // The smallest key some partition stopped at: beyond it, rows may be unseen.
  std::optional<std::string> bound;
  for (const PartitionPage<Item>& page : pages) {
    if (page.resume_after.has_value() && (!bound.has_value() || *page.resume_after < *bound)) {
      bound = page.resume_after;
    }
  }
  std::vector<std::pair<std::string, Item>> all;
  for (PartitionPage<Item>& page : pages) {
    for (auto& item : page.items) {
      if (!bound.has_value() || item.first <= *bound) all.push_back(std::move(item));
    }
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  MergedPage<Item> merged;
  if (page_size == 0) return merged;  // callers size pages from 1 (PageSizeOf)
  if (all.size() > page_size) {
    // Full, with more seen than fits: resume after the last item taken.
    all.resize(page_size);
    merged.resume_after = all.back().first;
  } else if (all.size() == page_size && !all.empty() && bound.has_value()) {
    merged.resume_after = all.back().first;
  } else {
    merged.resume_after = bound;
  }
  for (auto& [key, item] : all) merged.items.push_back(std::move(item));
  return merged;
}

}  // namespace crm::runtime
