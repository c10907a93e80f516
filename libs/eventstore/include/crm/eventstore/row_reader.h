// A forward pass over a read-model table's rows in key order, without copying them: for
// reads of a whole table, such as an evaluation run joining every customer's rows, where
// ScanRows' pages would copy each key and value. Several readers side by side make a
// merge join over tables that share their keys.
//
//   ASSIGN_OR_RETURN(RowReader rows, store.ReadRows("tiers", ""));
//   for (; rows.Valid(); rows.Next()) Use(rows.key(), rows.value());
//   RETURN_IF_ERROR(rows.status());
//
// Reads the table as it stood when the reader was made. Not thread-safe; key() and
// value() are valid until the next call to Next(). Must not outlive its store.
#pragma once

#include <memory>
#include <string_view>

#include "absl/status/status.h"

namespace crm::eventstore {

class RowReader {
 public:
  class Impl;
  explicit RowReader(std::unique_ptr<Impl> impl);
  RowReader(RowReader&&) noexcept;
  RowReader& operator=(RowReader&&) noexcept;
  ~RowReader();

  // False past the last row (or after an error: see status()).
  bool Valid() const;
  void Next();
  // The row's key within its table (the prefix included), and its value.
  std::string_view key() const;
  std::string_view value() const;
  // An error met while reading; OK at the end of the rows.
  absl::Status status() const;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace crm::eventstore
