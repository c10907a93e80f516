#include "counter_merge.h"

#include <string>

#include "crm/eventstore/counters.h"

namespace crm::eventstore::internal {
namespace {

class CounterAddOperator final : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice& /*key*/, const rocksdb::Slice* existing_value,
             const rocksdb::Slice& value, std::string* new_value,
             rocksdb::Logger* /*logger*/) const override {
    if (existing_value != nullptr)
      new_value->assign(existing_value->data(), existing_value->size());
    AddToCounters(*new_value, value.ToStringView());
    return true;
  }

  const char* Name() const override { return "crm.CounterAdd"; }
};

}  // namespace

std::shared_ptr<rocksdb::MergeOperator> CounterMergeOperator() {
  return std::make_shared<CounterAddOperator>();
}

}  // namespace crm::eventstore::internal
