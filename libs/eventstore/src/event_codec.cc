#include "crm/eventstore/event_codec.h"

#include <cstdint>

#include "google/protobuf/io/coded_stream.h"

namespace crm::eventstore {
namespace {

// Tag of field 1 with wire type LEN: (1 << 3) | 2.
constexpr uint8_t kMetadataTag = 0x0a;

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
    google::protobuf::io::CodedInputStream input(reinterpret_cast<const uint8_t*>(bytes.data()),
                                                 static_cast<int>(bytes.size()));
    input.Skip(1);
    uint32_t length = 0;
    if (input.ReadVarint32(&length) && length <= bytes.size()) {
      const size_t start = static_cast<size_t>(input.CurrentPosition());
      if (start + length <= bytes.size()) {
        return metadata.ParseFromArray(bytes.data() + start, static_cast<int>(length));
      }
    }
    return false;
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

}  // namespace crm::eventstore
