// The router's table of routes held to a service's descriptor, and the routing key read
// from a request's bytes.
#include "crm/runtime/routes.h"

#include "crm/v1/registry.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace crm::runtime {
namespace {

using ::testing::HasSubstr;

const google::protobuf::ServiceDescriptor& Registry() {
  return *crm::v1::GetCustomerRequest::descriptor()->file()->FindServiceByName("RegistryService");
}

MethodRoutes EveryRegistryMethodAcrossPartitions() {
  MethodRoutes routes;
  for (int i = 0; i < Registry().method_count(); ++i) {
    routes.emplace(Registry().method(i)->name(), Route::AcrossPartitions());
  }
  return routes;
}

TEST(CheckRoutesTest, AcceptsATableThatRoutesEveryMethod) {
  MethodRoutes routes = EveryRegistryMethodAcrossPartitions();
  routes["GetCustomer"] = Route::ByKey("customer_id");
  routes["RegisterCustomer"] = Route::ByKey("request_id");
  EXPECT_TRUE(CheckRoutes(Registry(), routes).ok()) << CheckRoutes(Registry(), routes);
}

TEST(CheckRoutesTest, NamesAMethodWithoutARoute) {
  MethodRoutes routes = EveryRegistryMethodAcrossPartitions();
  routes.erase("GetHistory");
  const absl::Status status = CheckRoutes(Registry(), routes);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("GetHistory has no route"));
}

TEST(CheckRoutesTest, NamesARouteOfNoMethodAndAKeyThatIsNoStringField) {
  MethodRoutes routes = EveryRegistryMethodAcrossPartitions();
  routes["GetCustomers"] = Route::AcrossPartitions();
  routes["GetCustomer"] = Route::ByKey("parts");             // a repeated enum
  routes["RegisterCustomer"] = Route::ByKey("customer_id");  // not in the request
  const absl::Status status = CheckRoutes(Registry(), routes);
  EXPECT_THAT(status.message(), HasSubstr("GetCustomers is routed but is no method of"));
  EXPECT_THAT(status.message(),
              HasSubstr("GetCustomer is routed by 'parts', which is no string field"));
  EXPECT_THAT(status.message(), HasSubstr("RegisterCustomer is routed by 'customer_id'"));
}

TEST(ReadStringFieldTest, ReadsTheKeyWithoutParsingTheRest) {
  crm::v1::UpdateSectionRequest request;
  request.set_request_id("req-1");
  request.set_customer_id("cus_42");
  request.mutable_update()->set_notes(std::string(1000, 'n'));
  const std::string bytes = request.SerializeAsString();
  EXPECT_EQ(ReadStringField(bytes, 2).value_or("?"), "cus_42");
  EXPECT_EQ(ReadStringField(bytes, 1).value_or("?"), "req-1");
  // A field the request does not set reads as empty, as protobuf reads it.
  EXPECT_EQ(ReadStringField(crm::v1::GetCustomerRequest().SerializeAsString(), 1).value_or("?"),
            "");
}

TEST(ReadStringFieldTest, KeepsTheLastOccurrenceAsParsingDoes) {
  crm::v1::GetCustomerRequest first;
  first.set_customer_id("cus_1");
  crm::v1::GetCustomerRequest second;
  second.set_customer_id("cus_2");
  const std::string bytes = first.SerializeAsString() + second.SerializeAsString();
  crm::v1::GetCustomerRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  EXPECT_EQ(ReadStringField(bytes, 1).value_or("?"), parsed.customer_id());
}

TEST(ReadStringFieldTest, RefusesBytesThatAreNoMessageOrAFieldThatIsNoString) {
  EXPECT_EQ(ReadStringField("\x0a\x05"
                            "ab",
                            1)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);  // a string cut short
  EXPECT_EQ(ReadStringField("\xff\xff\xff\xff\xff\xff", 1).status().code(),
            absl::StatusCode::kInvalidArgument);  // no tag at all
  // Field 1 as a varint: tag (1 << 3 | 0), value 1.
  const absl::StatusOr<std::string> not_string = ReadStringField("\x08\x01", 1);
  EXPECT_EQ(not_string.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(not_string.status().message(), HasSubstr("not a string"));
}

}  // namespace
}  // namespace crm::runtime
