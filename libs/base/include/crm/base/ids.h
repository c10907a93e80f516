// Random identifiers for events, requests and entities.
//
//   std::string event_id = crm::NewUuid();  // "3f2b8c1e-…", RFC 9562 version 4
#pragma once

#include <string>

namespace crm {

// A random (version 4) UUID in its canonical 36-character lower-case form. Thread-safe.
std::string NewUuid();

}  // namespace crm
