// The read-model changes a consumer's handler makes for a batch of messages. Reads see the
// batch's own earlier writes, so a handler that updates one row for several events of a
// batch (a count, a summary) builds on its own changes. Nothing is written until the
// consumer commits the batch, with the offsets, in one write.
//
//   absl::Status Apply(const ConsumedEvent& event, ProjectionBatch& batch) {
//     ASSIGN_OR_RETURN(auto row, batch.Get("customers", event.metadata.customer_id()));
//     batch.Put("customers", event.metadata.customer_id(), Updated(row, event));
//     return absl::OkStatus();
//   }
//
// Not thread-safe: used by the consumer thread only.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "crm/eventstore/event_store.h"

namespace crm::kafka {

class ProjectionBatch {
 public:
  explicit ProjectionBatch(const eventstore::EventStore& store) : store_(store) {}

  // The row as this batch leaves it: its own write if it made one, else the stored row.
  absl::StatusOr<std::optional<std::string>> Get(const std::string& table,
                                                 const std::string& key) const;
  void Put(const std::string& table, const std::string& key, std::string value);
  void Delete(const std::string& table, const std::string& key);

  // Marks the start of one event's changes, and undoes them (when the handler rejects the
  // event after writing part of its changes).
  void BeginEvent() { undo_.clear(); }
  void RollbackEvent();

  bool empty() const { return writes_.empty(); }
  // The batch's writes, one per row, and clears them.
  std::vector<eventstore::RowWrite> TakeWrites();

 private:
  const eventstore::EventStore& store_;
  using RowId = std::pair<std::string, std::string>;
  void Remember(const RowId& row);

  std::map<RowId, std::optional<std::string>> writes_;
  // For each row the current event changed: its pending write before that (nullopt: none).
  std::vector<std::pair<RowId, std::optional<std::optional<std::string>>>> undo_;
};

}  // namespace crm::kafka
