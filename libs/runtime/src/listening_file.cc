#include "crm/runtime/listening_file.h"

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace crm::runtime {

std::string ListeningFilePath(const std::string& data_dir) { return data_dir + "/listening"; }

std::string BoundAddress(const std::string& listen, int port) {
  const size_t colon = listen.rfind(':');
  return absl::StrCat(colon == std::string::npos ? listen : listen.substr(0, colon), ":", port);
}

absl::Status WriteListeningFile(const std::string& path, const ListeningAddresses& addresses) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << "pid=" << addresses.pid << "\ngrpc=" << addresses.grpc
        << "\nmetrics=" << addresses.metrics << "\nhealth=" << addresses.health << "\n";
    out.close();
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", temporary));
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return absl::InternalError(
        absl::StrCat("cannot rename ", temporary, " to ", path, ": errno ", errno));
  }
  return absl::OkStatus();
}

absl::StatusOr<ListeningAddresses> ReadListeningFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("no file ", path));
  std::stringstream text;
  text << in.rdbuf();
  ListeningAddresses addresses;
  bool has_pid = false, has_grpc = false;
  for (absl::string_view line : absl::StrSplit(text.str(), '\n', absl::SkipEmpty())) {
    const std::pair<absl::string_view, absl::string_view> field =
        absl::StrSplit(line, absl::MaxSplits('=', 1));
    if (field.first == "pid") {
      has_pid = absl::SimpleAtoi(field.second, &addresses.pid) && addresses.pid > 0;
    } else if (field.first == "grpc") {
      addresses.grpc = std::string(field.second);
      has_grpc = !addresses.grpc.empty();
    } else if (field.first == "metrics") {
      addresses.metrics = std::string(field.second);
    } else if (field.first == "health") {
      addresses.health = std::string(field.second);
    }
  }
  if (!has_pid || !has_grpc) {
    return absl::InvalidArgumentError(absl::StrCat(path, " names no pid or no gRPC address"));
  }
  return addresses;
}

}  // namespace crm::runtime
