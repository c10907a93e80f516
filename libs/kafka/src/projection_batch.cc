#include "crm/kafka/projection_batch.h"

namespace crm::kafka {

absl::StatusOr<std::optional<std::string>> ProjectionBatch::Get(const std::string& table,
                                                                const std::string& key) const {
  if (auto it = writes_.find({table, key}); it != writes_.end()) return it->second;
  return store_.GetRow(table, key);
}

void ProjectionBatch::Remember(const RowId& row) {
  for (const auto& [changed, before] : undo_) {
    if (changed == row) return;  // the first value before this event is what counts
  }
  auto it = writes_.find(row);
  if (it == writes_.end()) {
    undo_.emplace_back(row, std::nullopt);
  } else {
    undo_.emplace_back(row, it->second);
  }
}

void ProjectionBatch::Put(const std::string& table, const std::string& key, std::string value) {
  RowId row{table, key};
  Remember(row);
  writes_[row] = std::move(value);
}

void ProjectionBatch::Delete(const std::string& table, const std::string& key) {
  RowId row{table, key};
  Remember(row);
  writes_[row] = std::nullopt;
}

void ProjectionBatch::RollbackEvent() {
  for (auto& [row, before] : undo_) {
    if (before.has_value()) {
      writes_[row] = std::move(*before);
    } else {
      writes_.erase(row);
    }
  }
  undo_.clear();
}

std::vector<eventstore::RowWrite> ProjectionBatch::TakeWrites() {
  std::vector<eventstore::RowWrite> rows;
  rows.reserve(writes_.size());
  for (auto& [where, value] : writes_) {
    rows.push_back({.table = where.first, .key = where.second, .value = std::move(value)});
  }
  writes_.clear();
  undo_.clear();
  return rows;
}

}  // namespace crm::kafka
