// Counters: read-model rows that hold a few int64 values and are changed by adding to them
// (AppendRequest::counters, ConsumedBatch::counters) rather than by reading and rewriting.
// RocksDB merges the additions, so concurrent commands that count into the same row (one
// month of a region's NPS, say) need no lock between them and never lose an update, and
// a running total is read with one lookup however many additions made it.
//
//   request.counters.push_back({"nps", key, {1, 0, 0}});
//   ASSIGN_OR_RETURN(std::optional<std::string> row, store.GetRow("nps", key));
//   std::vector<int64_t> counts = DecodeCounters(row.value_or(""));  // {} when never counted
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace crm::eventstore {

// The stored form: each value as eight bytes, little-endian.
std::string EncodeCounters(std::span<const int64_t> values);

// The values of a stored counter row; a missing value (a shorter row) counts as 0, and an
// empty row is no values at all.
std::vector<int64_t> DecodeCounters(std::string_view row);

// Adds `deltas` element-wise to the values stored in `row`, growing it as needed.
void AddToCounters(std::string& row, std::string_view deltas);

}  // namespace crm::eventstore
