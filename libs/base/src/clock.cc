#include "crm/base/clock.h"

namespace crm {

const SystemClock& SystemClock::Instance() {
  static const SystemClock clock;
  return clock;
}

}  // namespace crm
