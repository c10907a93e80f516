// Reading a fuzzer's bytes as a sequence of choices and protobuf messages, for the fuzz
// targets of this directory.
//
//   FuzzInput input(data, size);
//   switch (input.Choice(4)) { case 0: Validate(input.Message<crm::v1::Survey>()); ... }
#pragma once

#include <fuzzer/FuzzedDataProvider.h>

#include <string>

namespace crm::fuzz {

class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size) : provider_(data, size) {}

  bool empty() { return provider_.remaining_bytes() == 0; }
  // A number from 0 to count - 1.
  int Choice(int count) { return provider_.ConsumeIntegralInRange<int>(0, count - 1); }
  std::string Text(size_t max_length = 64) {
    return provider_.ConsumeRandomLengthString(max_length);
  }
  double Number() { return provider_.ConsumeFloatingPoint<double>(); }
  // A message parsed from the next bytes; whatever of it parses (wire format is lenient
  // enough that most byte strings give a message with some fields set).
  template <class Message>
  Message Next() {
    Message message;
    const std::string bytes = provider_.ConsumeRandomLengthString(4096);
    message.ParseFromString(bytes);
    return message;
  }

 private:
  FuzzedDataProvider provider_;
};

}  // namespace crm::fuzz
