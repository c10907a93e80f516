// The RocksDB merge operator behind counter rows (crm/eventstore/counters.h): a merge
// operand is a row of additions, and merging adds them element-wise. Addition is
// associative, so RocksDB may combine operands in any grouping, in memtables and in
// compactions alike.
#pragma once

#include <memory>

#include "rocksdb/merge_operator.h"

namespace crm::eventstore::internal {

// The operator of the rows column family. Its name is recorded in the database's OPTIONS
// file, so it must never change.
std::shared_ptr<rocksdb::MergeOperator> CounterMergeOperator();

}  // namespace crm::eventstore::internal
