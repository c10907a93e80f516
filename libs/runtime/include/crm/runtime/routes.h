// Where the router sends each method's calls when an instance's customers are spread over
// partitions (docs/ARCHITECTURE.md, "Partition tasks inside an instance"). Each service
// declares a route for every method of its gRPC service; CheckRoutes holds the table to
// the service's descriptor, so that a method added later cannot go unrouted.
//
//   const MethodRoutes kRegistryRoutes = {
//       {"RegisterCustomer", Route::ByKey("request_id")},
//       {"GetCustomer", Route::ByKey("customer_id")},
//       {"ListCustomers", Route::AcrossPartitions()},
//   };
//   RETURN_IF_ERROR(CheckRoutes(*RegistryService::descriptor(), kRegistryRoutes));
//   ASSIGN_OR_RETURN(std::string key, ReadStringField(request_bytes, field_number));
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"

namespace crm::runtime {

struct Route {
  enum class Kind {
    // To the partition of a key in the request: a customer id, or for a command that
    // creates a customer (or another entity whose id is drawn in its customer's
    // partition) the request id or that entity's id.
    kByKey,
    // To every partition, the pages merged by the service's merger.
    kAcrossPartitions,
    // To the partition of the service's settings stream.
    kSettings,
  };

  static Route ByKey(std::string field) { return {Kind::kByKey, std::move(field)}; }
  static Route AcrossPartitions() { return {Kind::kAcrossPartitions, ""}; }
  static Route Settings() { return {Kind::kSettings, ""}; }

  Kind kind = Kind::kByKey;
  // kByKey: the name of the request's top-level string field that holds the key.
  std::string key_field;
};

// By method name (the last part of "/crm.v1.RegistryService/GetCustomer").
using MethodRoutes = std::map<std::string, Route, std::less<>>;

// OK when `routes` names every method of `service` and no other, and every key field is a
// top-level string field of its method's request; otherwise FAILED_PRECONDITION listing
// each fault.
absl::Status CheckRoutes(const google::protobuf::ServiceDescriptor& service,
                         const MethodRoutes& routes);

// The value of the string field numbered `field_number` in the serialized message `bytes`
// (the last occurrence, as parsing keeps it), or "" when absent, read without parsing the
// rest of the message. INVALID_ARGUMENT when `bytes` are not a well-formed message or the
// field comes with another wire type (stricter than parsing, which would keep it as an
// unknown field and read the key as empty).
absl::StatusOr<std::string> ReadStringField(std::string_view bytes, int field_number);

}  // namespace crm::runtime
