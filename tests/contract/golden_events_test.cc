// An old event is never unreadable: every event type of the contract has a golden file,
// a serialized sample committed once under contract/golden/ and never rewritten, and
// every golden file still decodes with today's code to the values it was written with.
//
// A new event type needs its golden file: run this test with CRM_WRITE_GOLDEN=1 once,
// which writes the missing files only, and commit them.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "sample_event.h"

namespace crm::contract {
namespace {

namespace fs = std::filesystem;
using google::protobuf::Message;

fs::path GoldenFile(const google::protobuf::Descriptor& event) {
  return fs::path(CRM_GOLDEN_DIR) / (event.full_name() + ".binpb");
}

std::unique_ptr<Message> NewMessage(const google::protobuf::Descriptor& type) {
  return std::unique_ptr<Message>(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(&type)->New());
}

std::string Sample(const google::protobuf::Descriptor& event) {
  std::unique_ptr<Message> sample = NewMessage(event);
  FillSample(*sample);
  return sample->SerializeAsString();
}

TEST(GoldenEvents, EveryEventTypeHasAGoldenFile) {
  const bool write_missing = std::getenv("CRM_WRITE_GOLDEN") != nullptr;
  const auto events = ContractEventTypes();
  EXPECT_GE(events.size(), 30u);
  for (const auto* event : events) {
    const fs::path file = GoldenFile(*event);
    if (fs::exists(file)) continue;
    if (write_missing) {
      std::ofstream(file, std::ios::binary) << Sample(*event);
      continue;
    }
    ADD_FAILURE() << event->full_name() << " has no golden file " << file
                  << "; run this test with CRM_WRITE_GOLDEN=1 and commit what it writes";
  }
}

TEST(GoldenEvents, EveryGoldenFileDecodesToWhatItWasWrittenWith) {
  int files = 0;
  for (const auto& entry : fs::directory_iterator(CRM_GOLDEN_DIR)) {
    if (entry.path().extension() != ".binpb") continue;
    ++files;
    const std::string type_name = entry.path().stem().string();
    SCOPED_TRACE(type_name);
    const auto* type =
        google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(type_name);
    // An event type is never removed: old events of it stay on the topics.
    ASSERT_NE(type, nullptr) << type_name << " is no longer in the contract";
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    std::unique_ptr<Message> golden = NewMessage(*type);
    ASSERT_TRUE(golden->ParseFromString(bytes.str()));
    // A field deleted since is fine if its number is reserved (never reused).
    EXPECT_TRUE(UnreservedUnknownFields(*golden).empty())
        << "fields neither declared nor reserved: "
        << ::testing::PrintToString(UnreservedUnknownFields(*golden));
    golden->DiscardUnknownFields();

    // Each field it sets reads as the value it was written with: a field's number, type
    // or encoding never changes under old data.
    std::unique_ptr<Message> expected = NewMessage(*type);
    FillSample(*expected);
    KeepOnlyWhatIsSetIn(*golden, *expected);
    std::string difference;
    google::protobuf::util::MessageDifferencer differencer;
    differencer.ReportDifferencesToString(&difference);
    EXPECT_TRUE(differencer.Compare(*expected, *golden)) << difference;
  }
  EXPECT_EQ(files, static_cast<int>(ContractEventTypes().size()));
}

}  // namespace
}  // namespace crm::contract
