// Engagement's events replayed by a rebuild from its topic (crm/runtime/rebuild.h), with
// the domain functions its commands use: a customer's stream folds into its engagement
// state with its touchpoints' and assessments' rows and its employees' week counts, a
// plan's stream into the plan with its rows, the settings stream into the cadence rules
// and quotas. Each command's reply is made from its events as the command path made it.
//
//   EngagementReplayer replayer(process.store());
//   process.SetReplayer(&replayer);
#pragma once

#include "crm/engagement/read_models.h"
#include "crm/eventstore/event_store.h"
#include "crm/runtime/rebuild.h"

namespace crm::engagement {

class EngagementReplayer final : public runtime::EventReplayer {
 public:
  // `store` is the one being rebuilt: a correction or cancellation recorded by an earlier
  // release, whose event lacks the touchpoint before and the contacts found anew, reads
  // them from the rows restored so far.
  explicit EngagementReplayer(const eventstore::EventStore& store) : store_(store) {}

  absl::StatusOr<runtime::Replayed> Replay(
      const eventstore::StreamHead& head,
      std::span<const runtime::RecordedEvents> commands) override;

  std::vector<std::string_view> Tables() const override {
    return {kReadModelTables.begin(), kReadModelTables.end()};
  }

 private:
  const eventstore::EventStore& store_;
};

}  // namespace crm::engagement
