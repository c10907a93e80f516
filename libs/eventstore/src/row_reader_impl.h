// The RocksDB side of a RowReader: an iterator over the rows column family, bounded to
// the rows of one table under a prefix.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "crm/eventstore/row_reader.h"
#include "rocksdb/db.h"

namespace crm::eventstore {

class RowReader::Impl {
 public:
  // Rows from `scan_prefix` (full keys, starting with `table_prefix`) up to `upper_bound`
  // (none when empty).
  Impl(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* rows, std::string_view table_prefix,
       std::string scan_prefix, std::string upper_bound);

 private:
  friend class RowReader;
  size_t table_prefix_size_;
  std::string scan_prefix_;
  // The iterator keeps a pointer to the bound's slice: both live as long as it.
  std::string upper_bound_;
  rocksdb::Slice upper_slice_;
  std::unique_ptr<rocksdb::Iterator> it_;
};

}  // namespace crm::eventstore
