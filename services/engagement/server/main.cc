// crm-engagement: touchpoints, relationship plans and assessments, coverage, cadence and
// quotas. Settings: see --help (and docs/ARCHITECTURE.md); --registry_addr names the registry it
// asks about customers its projection has not learnt yet.
#include "crm/customers/customer_service_main.h"
#include "engagement_replayer.h"
#include "engagement_service.h"
#include "legacy_week_counts.h"

int main(int argc, char** argv) {
  return crm::customers::RunCustomerService(
      "engagement", argc, argv,
      {.make =
           [](crm::eventstore::EventStore& store,
              const crm::customers::CustomerDirectory& directory, std::string topic) {
             return std::make_unique<crm::engagement::EngagementService>(
                 store, directory,
                 crm::engagement::EngagementServiceOptions{.topic = std::move(topic)});
           },
       .state = crm::customers::StateTopicOf<crm::engagement::EngagementService>(
           "crm.v1.CustomerEngagementSummary"),
       .replayer =
           [](crm::eventstore::EventStore& store) {
             return std::make_unique<crm::engagement::EngagementReplayer>(store);
           },
       .upgrades = {crm::engagement::MoveLegacyWeekCounts}});
}
