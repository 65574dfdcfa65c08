#include "tools/timeline/replace_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "zones/text_file.h"

namespace caraudio::timeline {
namespace {

// Owns a new temporary file next to `path`: closes it, and removes it unless
// it was committed. Created with mode 0666 so that the umask applies as to
// any new file (mkstemp would make it 0600).
class TempFile {
 public:
  explicit TempFile(const std::string& path) {
    for (int attempt = 0; attempt < 100; ++attempt) {
      path_ = absl::StrCat(path, ".tmp.", ::getpid(), ".", attempt);
      fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (fd_ >= 0 || errno != EEXIST) return;
    }
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (fd_ < 0) return;
    ::close(fd_);
    if (!committed_) ::unlink(path_.c_str());
  }

  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  void Commit() { committed_ = true; }

 private:
  std::string path_;
  int fd_ = -1;
  bool committed_ = false;
};

}  // namespace

absl::Status ReplaceFile(const std::string& path, absl::string_view bytes,
                         absl::string_view what) {
  auto error = [&](int number) { return FileError(path, "write", what, number); };
  if (path.empty()) return absl::InvalidArgumentError("cannot write a file without a name");
  if (path.back() == '/') return error(EISDIR);
  TempFile temp(path);
  if (temp.fd() < 0) return error(errno);
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(temp.fd(), bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return error(errno);
    written += static_cast<size_t>(n);
  }
  if (::fsync(temp.fd()) != 0) return error(errno);
  if (std::rename(temp.path().c_str(), path.c_str()) != 0) return error(errno);
  temp.Commit();
  return absl::OkStatus();
}

}  // namespace caraudio::timeline
