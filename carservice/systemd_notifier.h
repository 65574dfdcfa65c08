// SystemdNotifier: audiocontrold's side of the sd_notify protocol for a
// Type=notify unit: READY=1, STATUS=..., WATCHDOG=1, RELOADING=1 and
// STOPPING=1.
//
// Active when $NOTIFY_SOCKET is set (systemd sets it; so can a test): a
// socket path, or "@name" in the abstract namespace. Every call then sends
// one datagram there, otherwise calls do nothing. The watchdog interval is
// $WATCHDOG_USEC when the watchdog is meant for this process ($WATCHDOG_PID
// unset or ours), as sd_watchdog_enabled(3) decides. Both are read once, at
// construction.
//
// The protocol is spoken directly, as sd_notify(3) documents it for exactly
// this purpose, rather than through libsystemd, which pulls gcrypt,
// gpg-error, lz4, zstd, lzma and libcap in with it for two functions. (A
// process that hosts the PipeWire bridge maps them anyway: PipeWire's
// protocol-native and client-node modules link libsystemd. A car-service-
// only process, --role=carservice, now does not.) Thread-safe (each call
// uses a socket of its own).

#ifndef CARAUDIO_CARSERVICE_SYSTEMD_NOTIFIER_H_
#define CARAUDIO_CARSERVICE_SYSTEMD_NOTIFIER_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"

namespace caraudio {

class SystemdNotifier {
 public:
  SystemdNotifier();

  // True when $NOTIFY_SOCKET is set.
  bool active() const { return active_; }
  // The service manager's watchdog timeout; nullopt when none applies to us.
  // The watchdog must be fed at least every half of it.
  std::optional<absl::Duration> watchdog_timeout() const { return watchdog_timeout_; }

  // READY=1 with a STATUS= line.
  void Ready(std::string_view status) const;
  void Status(std::string_view status) const;
  void Watchdog() const;
  // RELOADING=1 with the CLOCK_MONOTONIC time (systemd >= 253 wants it).
  void Reloading(std::string_view status) const;
  void Stopping(std::string_view status) const;

 private:
  void Send(const std::string& state) const;

  std::string socket_path_;  // $NOTIFY_SOCKET; "" = inactive
  bool active_ = false;
  std::optional<absl::Duration> watchdog_timeout_;
};

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_SYSTEMD_NOTIFIER_H_
