// crm-satisfaction: surveys and responses, NPS roll-ups, voice-of-customer issues with
// response-time commitments per tier, and churn reasons. Settings: see --help (and
// docs/ARCHITECTURE.md); --registry_addr names the registry it asks about customers its projection
// has not learnt yet.
#include "crm/customers/customer_service_main.h"
#include "satisfaction_replayer.h"
#include "satisfaction_service.h"

int main(int argc, char** argv) {
  return crm::customers::RunCustomerService(
      "satisfaction", argc, argv,
      {.make =
           [](crm::eventstore::EventStore& store,
              const crm::customers::CustomerDirectory& directory, std::string topic) {
             return std::make_unique<crm::satisfaction::SatisfactionService>(
                 store, directory,
                 crm::satisfaction::SatisfactionServiceOptions{.topic = std::move(topic)});
           },
       .state = crm::customers::StateTopicOf<crm::satisfaction::SatisfactionService>(
           "crm.v1.CustomerSatisfaction"),
       .replayer =
           [](crm::eventstore::EventStore& store) {
             return std::make_unique<crm::satisfaction::SatisfactionReplayer>(store);
           }});
}
