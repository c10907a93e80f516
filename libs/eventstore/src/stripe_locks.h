// A fixed set of mutexes that keys hash onto, so that commands on one stream (or with one
// request id) are serialised without a lock object per stream.
#pragma once

#include <array>
#include <functional>
#include <mutex>
#include <string_view>

namespace crm::eventstore::internal {

class StripeLocks {
 public:
  static constexpr size_t kStripes = 1024;

  // Holds the stripes of up to two keys, taken in index order so that two guards never
  // deadlock; an empty key takes no stripe.
  class Guard {
   public:
    Guard(StripeLocks& locks, std::string_view a, std::string_view b) {
      size_t first = a.empty() ? kNone : Index(a);
      size_t second = b.empty() ? kNone : Index(b);
      if (first > second) std::swap(first, second);
      if (first == second) second = kNone;
      if (first != kNone) first_ = std::unique_lock(locks.mutexes_[first]);
      if (second != kNone) second_ = std::unique_lock(locks.mutexes_[second]);
    }

   private:
    static constexpr size_t kNone = kStripes;
    std::unique_lock<std::mutex> first_;
    std::unique_lock<std::mutex> second_;
  };

 private:
  static size_t Index(std::string_view key) {
    return std::hash<std::string_view>{}(key) % kStripes;
  }

  std::array<std::mutex, kStripes> mutexes_;
};

}  // namespace crm::eventstore::internal
