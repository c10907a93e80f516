// Tiering's events replayed by a rebuild from its topic (crm/runtime/rebuild.h), with the
// domain functions its commands use: the models stream gives the published models' rows
// and the current model, the policies stream the published policies and the version in
// force, a customer's stream its inputs per fiscal year, and a run's stream its results'
// rows (from the parts it recorded them in), its abnormal churn and, at its completion,
// the run. Each command's reply is made from its events as the command path made it; a
// run keeps none (its run id, not a request id, makes it idempotent).
//
//   TieringReplayer replayer(process.store());
//   process.SetReplayer(&replayer);
#pragma once

#include "crm/eventstore/event_store.h"
#include "crm/runtime/rebuild.h"
#include "crm/tiering/read_models.h"

namespace crm::tiering {

class TieringReplayer final : public runtime::EventReplayer {
 public:
  // `store` is the one being rebuilt: recorded inputs change the inputs row as the
  // rebuild has restored it so far.
  explicit TieringReplayer(const eventstore::EventStore& store) : store_(store) {}

  absl::StatusOr<runtime::Replayed> Replay(
      const eventstore::StreamHead& head,
      std::span<const runtime::RecordedEvents> commands) override;

  std::vector<std::string_view> Tables() const override {
    return {kReadModelTables.begin(), kReadModelTables.end()};
  }

 private:
  const eventstore::EventStore& store_;
};

}  // namespace crm::tiering
