#include "support/file_scan.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace crm::testing {

std::vector<std::pair<std::string, std::string>> ReadAllFiles(const std::string& dir) {
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream contents;
    contents << in.rdbuf();
    files.emplace_back(entry.path().string(), contents.str());
  }
  return files;
}

std::vector<std::string> FilesContaining(const std::string& dir, std::string_view needle) {
  std::vector<std::string> found;
  for (const auto& [path, contents] : ReadAllFiles(dir)) {
    if (contents.find(needle) != std::string::npos) found.push_back(path);
  }
  return found;
}

}  // namespace crm::testing
