// crm-tiering: the scoring models, customers' inputs per fiscal year and their
// evaluation. Settings: see --help (and docs/ARCHITECTURE.md); --registry_addr names the registry
// it asks about customers its projection has not learnt yet.
#include "crm/customers/customer_service_main.h"
#include "signals_projection.h"
#include "tiering_replayer.h"
#include "tiering_service.h"

int main(int argc, char** argv) {
  return crm::customers::RunCustomerService(
      "tiering", argc, argv,
      {.make =
           [](crm::eventstore::EventStore& store,
              const crm::customers::CustomerDirectory& directory, std::string topic) {
             return std::make_unique<crm::tiering::TieringService>(
                 store, directory, crm::tiering::TieringServiceOptions{.topic = std::move(topic)});
           },
       .more = crm::tiering::SignalsConsumer,
       .state = crm::customers::StateTopicOf<crm::tiering::TieringService>("crm.v1.CustomerTier"),
       .replayer =
           [](crm::eventstore::EventStore& store) {
             return std::make_unique<crm::tiering::TieringReplayer>(store);
           }});
}
