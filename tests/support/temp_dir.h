// A directory that exists for the life of the object, for test databases.
#pragma once

#include <filesystem>
#include <string>

namespace crm::testing {

class TempDir {
 public:
  TempDir();
  // In `parent` instead of the system's temporary directory.
  explicit TempDir(const std::string& parent);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // A path inside the directory (not created).
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace crm::testing
