// Reading every file under a directory, for tests that must prove some bytes are (or are
// no longer) anywhere in a service's data directory.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crm::testing {

// (path, contents) of every regular file under `dir`, recursively.
std::vector<std::pair<std::string, std::string>> ReadAllFiles(const std::string& dir);

// Paths of the files under `dir` whose contents hold `needle`.
std::vector<std::string> FilesContaining(const std::string& dir, std::string_view needle);

}  // namespace crm::testing
