// Locks by key for commands whose check and write span several streams, so that they must
// not interleave with another command on the same key: the registry's claim of a customer
// name.
//
//   StripedLocks::Guard guard(locks, {NameIndexKey(region, name), ExternalIdIndexKey(id)});
//
// A fixed set of stripes, so memory does not grow with keys; unrelated keys that share a
// stripe merely wait for each other. Thread-safe.
#pragma once

#include <array>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace crm {

class StripedLocks {
 public:
  class Guard {
   public:
    // Locks the stripes of `keys` in stripe order, so that guards never deadlock.
    Guard(StripedLocks& locks, const std::vector<std::string>& keys) : locks_(locks) {
      for (const std::string& key : keys) {
        stripes_.insert(std::hash<std::string>()(key) % kStripes);
      }
      for (size_t stripe : stripes_) locks_.mutexes_[stripe].Lock();
    }
    // Only the order of locking keeps guards from deadlocking; any order unlocks.
    ~Guard() {
      for (size_t stripe : stripes_) locks_.mutexes_[stripe].Unlock();
    }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

   private:
    StripedLocks& locks_;
    std::set<size_t> stripes_;
  };

 private:
  static constexpr size_t kStripes = 256;
  std::array<absl::Mutex, kStripes> mutexes_;
};

}  // namespace crm
