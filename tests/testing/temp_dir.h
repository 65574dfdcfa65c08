// TempDir: a fresh mkdtemp directory for a test, removed with everything in
// it on destruction. Paths stay short (/tmp/<prefix>.XXXXXX): unix socket
// paths are limited to 107 bytes. Not thread-safe: one owner.

#ifndef CARAUDIO_TESTS_TESTING_TEMP_DIR_H_
#define CARAUDIO_TESTS_TESTING_TEMP_DIR_H_

#include <string>
#include <utility>

#include "absl/status/statusor.h"

namespace caraudio::testing {

class TempDir {
 public:
  // `prefix` names the directory: /tmp/<prefix>.XXXXXX.
  static absl::StatusOr<TempDir> Create(const std::string& prefix);

  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  const std::string& path() const { return path_; }
  // path() + "/" + name.
  std::string File(const std::string& name) const;
  // Writes `text` to File(name) (replacing it) and returns that path. A
  // failed write leaves the file missing or short, which the test then sees.
  std::string Write(const std::string& name, const std::string& text) const;

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace caraudio::testing

#endif  // CARAUDIO_TESTS_TESTING_TEMP_DIR_H_
