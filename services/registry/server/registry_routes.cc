#include "registry_routes.h"

namespace crm::registry {

const runtime::MethodRoutes& RegistryRoutes() {
  using runtime::Route;
  static const auto* const routes = new runtime::MethodRoutes{
      {"RegisterCustomer", Route::ByKey("request_id")},
      {"GetCustomer", Route::ByKey("customer_id")},
      {"ListCustomers", Route::AcrossPartitions()},
      {"UpdateSummary", Route::ByKey("customer_id")},
      {"UpdateSection", Route::ByKey("customer_id")},
      {"ChangeLifecycle", Route::ByKey("customer_id")},
      {"AddKeyPerson", Route::ByKey("customer_id")},
      {"UpdateKeyPerson", Route::ByKey("customer_id")},
      {"AddCareerEntry", Route::ByKey("customer_id")},
      {"RemoveKeyPerson", Route::ByKey("customer_id")},
      {"RecordPersonalProfile", Route::ByKey("customer_id")},
      {"GetPersonalProfile", Route::ByKey("customer_id")},
      {"ErasePersonalProfile", Route::ByKey("customer_id")},
      {"AddKeyDate", Route::ByKey("customer_id")},
      {"RemoveKeyDate", Route::ByKey("customer_id")},
      {"ListUpcomingKeyDates", Route::AcrossPartitions()},
      {"GetOrgChart", Route::ByKey("customer_id")},
      {"GetDecisionChain", Route::ByKey("customer_id")},
      {"GetHistory", Route::ByKey("customer_id")},
  };
  return *routes;
}

}  // namespace crm::registry
