// crm-devbroker as a child process for integration tests: one per test binary, shared by
// its tests (each test uses topics of its own). Down() and Up() simulate an outage.
//
//   static DevBroker* broker = DevBroker::Shared();
//   relay_options.brokers = broker->bootstrap();
#pragma once

#include <memory>
#include <string>

#include "support/subprocess.h"

namespace crm::testing {

class DevBroker {
 public:
  // Starts the broker on first use; aborts the test binary if it cannot.
  static DevBroker* Shared();

  const std::string& bootstrap() const { return bootstrap_; }
  // Takes every broker down (connections refused, data kept) / brings them back.
  void Down();
  void Up();

 private:
  std::unique_ptr<Subprocess> process_;
  std::string bootstrap_;
};

// A topic name no other test of this run uses.
std::string UniqueTopic(const std::string& base);

}  // namespace crm::testing
