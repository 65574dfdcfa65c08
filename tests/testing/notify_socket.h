// NotifySocket: the service manager's end of sd_notify, for tests. A unix
// datagram socket bound at a path the test hands to the code under test as
// $NOTIFY_SOCKET; every datagram is read back with the time it arrived.
// Closed (and its path unlinked) on destruction. Not thread-safe: one
// reader.

#ifndef CARAUDIO_TESTS_TESTING_NOTIFY_SOCKET_H_
#define CARAUDIO_TESTS_TESTING_NOTIFY_SOCKET_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace caraudio::testing {

// One sd_notify datagram: "READY=1\nSTATUS=..." and when it arrived.
struct NotifyMessage {
  std::string text;
  absl::Time arrived;

  // The value of `key` (the part after "KEY=" on its line), if present.
  std::optional<std::string> Get(const std::string& key) const;
  bool Has(const std::string& assignment) const;  // e.g. "READY=1"
};

class NotifySocket {
 public:
  // Binds `path` (which must not exist; a temp dir's file).
  static absl::StatusOr<std::unique_ptr<NotifySocket>> Bind(const std::string& path);
  ~NotifySocket();
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  const std::string& path() const { return path_; }

  // The next datagram, or nullopt when none arrives within `timeout`.
  std::optional<NotifyMessage> Next(absl::Duration timeout);
  // Reads until a datagram satisfies `match` (returned) or `timeout` passes
  // (nullopt); every datagram read, the match included, is appended to
  // `seen` when given.
  std::optional<NotifyMessage> Await(const std::function<bool(const NotifyMessage&)>& match,
                                     absl::Duration timeout,
                                     std::vector<NotifyMessage>* seen = nullptr);

 private:
  NotifySocket(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}

  int fd_;
  std::string path_;
};

}  // namespace caraudio::testing

#endif  // CARAUDIO_TESTS_TESTING_NOTIFY_SOCKET_H_
