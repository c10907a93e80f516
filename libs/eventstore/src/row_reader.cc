#include "crm/eventstore/row_reader.h"

#include "rocks_status.h"
#include "row_reader_impl.h"

namespace crm::eventstore {

RowReader::Impl::Impl(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* rows,
                      std::string_view table_prefix, std::string scan_prefix,
                      std::string upper_bound)
    : table_prefix_size_(table_prefix.size()),
      scan_prefix_(std::move(scan_prefix)),
      upper_bound_(std::move(upper_bound)),
      upper_slice_(upper_bound_) {
  rocksdb::ReadOptions read;
  if (!upper_bound_.empty()) read.iterate_upper_bound = &upper_slice_;
  // A pass over a whole table reads each block once, in order: read ahead, and leave the
  // block cache to the point reads that use it.
  read.readahead_size = 2u << 20;
  read.fill_cache = false;
  it_.reset(db.NewIterator(read, rows));
  it_->Seek(scan_prefix_);
}

RowReader::RowReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RowReader::RowReader(RowReader&&) noexcept = default;
RowReader& RowReader::operator=(RowReader&&) noexcept = default;
RowReader::~RowReader() = default;

bool RowReader::Valid() const { return impl_->it_->Valid(); }
void RowReader::Next() { impl_->it_->Next(); }

std::string_view RowReader::key() const {
  return impl_->it_->key().ToStringView().substr(impl_->table_prefix_size_);
}

std::string_view RowReader::value() const { return impl_->it_->value().ToStringView(); }

absl::Status RowReader::status() const {
  return internal::FromRocks(impl_->it_->status(), "reading read-model rows");
}

}  // namespace crm::eventstore
