#include "zones/text_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace caraudio {
namespace {

// strerror_r comes in a GNU (char*) and an XSI (int) flavour.
[[maybe_unused]] const char* StrerrorResult(const char* result, const char* /*buffer*/) {
  return result;
}
[[maybe_unused]] const char* StrerrorResult(int result, const char* buffer) {
  return result == 0 ? buffer : "unknown error";
}

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

}  // namespace

absl::Status FileError(const std::string& path, absl::string_view action, absl::string_view what,
                       int error) {
  char buffer[256] = {};
  std::string message =
      absl::StrCat(path, ": cannot ", action, " ", what, ": ",
                   StrerrorResult(strerror_r(error, buffer, sizeof(buffer)), buffer));
  switch (error) {
    case ENOENT:
    case ENOTDIR:
      return absl::NotFoundError(message);
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(message);
    case EISDIR:
      return absl::InvalidArgumentError(message);
    default:
      return absl::UnavailableError(message);
  }
}

absl::StatusOr<std::string> ReadTextFile(const std::string& path, absl::string_view what) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (file == nullptr) return FileError(path, "open", what, errno);
  std::string text;
  char buffer[8192];
  size_t read = 0;
  while ((read = std::fread(buffer, 1, sizeof(buffer), file.get())) > 0) text.append(buffer, read);
  if (std::ferror(file.get())) return FileError(path, "read", what, errno);
  return text;
}

}  // namespace caraudio
