// Satisfaction's events replayed by a rebuild from its topic (crm/runtime/rebuild.h), with
// the domain functions its commands use: a survey's stream folds into the survey, the
// settings stream into the commitments, and a customer's stream gives its responses' rows
// and NPS counters, its issues' rows and issue times, and its churn reasons. Each
// command's reply is made from its events as the command path made it.
//
//   SatisfactionReplayer replayer(process.store());
//   process.SetReplayer(&replayer);
#pragma once

#include "crm/eventstore/event_store.h"
#include "crm/runtime/rebuild.h"
#include "crm/satisfaction/read_models.h"

namespace crm::satisfaction {

class SatisfactionReplayer final : public runtime::EventReplayer {
 public:
  // `store` is the one being rebuilt: an issue's step reads the issue as the rebuild has
  // restored it so far.
  explicit SatisfactionReplayer(const eventstore::EventStore& store) : store_(store) {}

  absl::StatusOr<runtime::Replayed> Replay(
      const eventstore::StreamHead& head,
      std::span<const runtime::RecordedEvents> commands) override;

  std::vector<std::string_view> Tables() const override {
    return {kReadModelTables.begin(), kReadModelTables.end()};
  }

 private:
  const eventstore::EventStore& store_;
};

}  // namespace crm::satisfaction
