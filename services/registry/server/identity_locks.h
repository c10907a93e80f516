// Locks that serialise commands claiming the same customer identity (a normalised legal
// name in a region, or an external id), which live on different streams: the check that
// a name is free and the write that takes it must not interleave with another's.
//
//   IdentityLocks::Guard guard(locks, {NameIndexKey(region, name), ExternalIdIndexKey(id)});
//
// A fixed set of stripes, so memory does not grow with customers; unrelated names that
// share a stripe merely wait for each other. Thread-safe.
#pragma once

#include <array>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace crm::registry {

class IdentityLocks {
 public:
  class Guard {
   public:
    // Locks the stripes of `identities` in stripe order.
    Guard(IdentityLocks& locks, const std::vector<std::string>& identities) : locks_(locks) {
      for (const std::string& identity : identities) {
        stripes_.insert(std::hash<std::string>()(identity) % kStripes);
      }
      for (size_t stripe : stripes_) locks_.mutexes_[stripe].Lock();
    }
    ~Guard() {
      for (auto it = stripes_.rbegin(); it != stripes_.rend(); ++it) {
        locks_.mutexes_[*it].Unlock();
      }
    }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

   private:
    IdentityLocks& locks_;
    std::set<size_t> stripes_;
  };

 private:
  static constexpr size_t kStripes = 256;
  std::array<absl::Mutex, kStripes> mutexes_;
};

}  // namespace crm::registry
