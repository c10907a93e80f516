#include "crm/eventstore/event_codec.h"

#include <cstdint>

#include "google/protobuf/io/coded_stream.h"

namespace crm::eventstore {
namespace {

// Tag of field 1 with wire type LEN: (1 << 3) | 2.
constexpr uint8_t kMetadataTag = 0x0a;

// The offset and length of the metadata field's value when the bytes start with it.
bool LocateMetadata(std::string_view bytes, size_t& start, size_t& length) {
  if (bytes.empty() || static_cast<uint8_t>(bytes[0]) != kMetadataTag) return false;
  google::protobuf::io::CodedInputStream input(reinterpret_cast<const uint8_t*>(bytes.data()),
                                               static_cast<int>(bytes.size()));
  input.Skip(1);
  uint32_t value_length = 0;
  if (!input.ReadVarint32(&value_length)) return false;
  start = static_cast<size_t>(input.CurrentPosition());
  length = value_length;
  return start + length <= bytes.size();
}

}  // namespace

std::string ComposeEvent(const crm::v1::EventMetadata& metadata, std::string_view payload) {
  const size_t metadata_size = metadata.ByteSizeLong();
  std::string out;
  out.resize(
      1 +
      google::protobuf::io::CodedOutputStream::VarintSize32(static_cast<uint32_t>(metadata_size)) +
      metadata_size);
  auto* cursor = reinterpret_cast<uint8_t*>(out.data());
  *cursor++ = kMetadataTag;
  cursor = google::protobuf::io::CodedOutputStream::WriteVarint32ToArray(
      static_cast<uint32_t>(metadata_size), cursor);
  metadata.SerializeWithCachedSizesToArray(cursor);
  out.append(payload);
  return out;
}

bool ParseEventMetadata(std::string_view bytes, crm::v1::EventMetadata& metadata) {
  // Fast path: the store writes the metadata first.
  if (!bytes.empty() && static_cast<uint8_t>(bytes[0]) == kMetadataTag) {
    size_t start = 0;
    size_t length = 0;
    return LocateMetadata(bytes, start, length) &&
           metadata.ParseFromArray(bytes.data() + start, static_cast<int>(length));
  }
  // Any other producer: field 1 may stand anywhere.
  crm::v1::EventEnvelope envelope;
  if (!envelope.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) ||
      !envelope.has_metadata()) {
    return false;
  }
  metadata = std::move(*envelope.mutable_metadata());
  return true;
}

std::string_view EventPayload(std::string_view bytes) {
  size_t start = 0;
  size_t length = 0;
  if (!LocateMetadata(bytes, start, length)) return {};
  return bytes.substr(start + length);
}

}  // namespace crm::eventstore
