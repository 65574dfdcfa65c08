#include "pipewire-bridge/pipewire_loop.h"

#include <cerrno>
#include <cstring>

#include <spa/utils/result.h>
#include <utility>

#include "absl/strings/str_cat.h"

namespace caraudio {

pw_properties* MakePipeWireProperties(const PipeWireProperties& properties) {
  pw_properties* result = pw_properties_new(nullptr, nullptr);
  for (const auto& [key, value] : properties) pw_properties_set(result, key.c_str(), value.c_str());
  return result;
}

absl::StatusOr<std::unique_ptr<PipeWireLoop>> PipeWireLoop::Create(const std::string& name) {
  pw_init(nullptr, nullptr);
  std::unique_ptr<PipeWireLoop> loop(new PipeWireLoop());
  loop->thread_loop_ = pw_thread_loop_new(name.c_str(), nullptr);
  if (loop->thread_loop_ == nullptr) {
    return absl::InternalError(absl::StrCat("pw_thread_loop_new: ", std::strerror(errno)));
  }
  // No D-Bus support plugin: nothing here talks D-Bus, and it maps libdbus
  // into every process with a loop (about 0.17 MiB resident in an idle
  // audiocontrold).
  loop->context_ = pw_context_new(pw_thread_loop_get_loop(loop->thread_loop_),
                                  MakePipeWireProperties({{"support.dbus", "false"}}), 0);
  if (loop->context_ == nullptr) {
    return absl::InternalError(absl::StrCat("pw_context_new: ", std::strerror(errno)));
  }
  if (int res = pw_thread_loop_start(loop->thread_loop_); res < 0) {
    return absl::InternalError(absl::StrCat("pw_thread_loop_start: ", spa_strerror(res)));
  }
  return loop;
}

PipeWireLoop::~PipeWireLoop() {
  if (thread_loop_ == nullptr) return;
  {
    Lock lock(*this);
    if (core_ != nullptr) {
      spa_hook_remove(&core_listener_);
      pw_core_disconnect(core_);
      core_ = nullptr;
    }
    if (disconnect_event_ != nullptr) pw_loop_destroy_source(loop(), disconnect_event_);
  }
  pw_thread_loop_stop(thread_loop_);
  if (context_ != nullptr) pw_context_destroy(context_);
  pw_thread_loop_destroy(thread_loop_);
}

PipeWireLoop::Lock::Lock(PipeWireLoop& loop)
    : loop_(loop), locked_(!pw_thread_loop_in_thread(loop.thread_loop_)) {
  if (locked_) pw_thread_loop_lock(loop_.thread_loop_);
}

PipeWireLoop::Lock::~Lock() {
  if (locked_) pw_thread_loop_unlock(loop_.thread_loop_);
}

pw_loop* PipeWireLoop::loop() const { return pw_thread_loop_get_loop(thread_loop_); }

bool PipeWireLoop::InLoopThread() const { return pw_thread_loop_in_thread(thread_loop_); }

absl::Status PipeWireLoop::Connect(std::function<void()> on_disconnect,
                                   const std::string& remote_name) {
  Lock lock(*this);
  if (core_ != nullptr) return absl::FailedPreconditionError("already connected to PipeWire");
  if (disconnect_event_ == nullptr) {
    disconnect_event_ = pw_loop_add_event(loop(), &PipeWireLoop::OnDisconnectEvent, this);
  }
  pw_properties* properties = nullptr;
  if (!remote_name.empty()) {
    properties = pw_properties_new(PW_KEY_REMOTE_NAME, remote_name.c_str(), nullptr);
  }
  core_ = pw_context_connect(context_, properties, 0);
  if (core_ == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("cannot connect to PipeWire: ", std::strerror(errno)));
  }
  on_disconnect_ = std::move(on_disconnect);
  // Sync sequence numbers restart with every connection; a value left from
  // an earlier one would make the next Sync() return before its round trip.
  last_done_seq_ = -1;
  static const pw_core_events kCoreEvents = [] {
    pw_core_events events{};
    events.version = PW_VERSION_CORE_EVENTS;
    events.done = &PipeWireLoop::OnCoreDone;
    events.error = &PipeWireLoop::OnCoreError;
    return events;
  }();
  spa_zero(core_listener_);
  pw_core_add_listener(core_, &core_listener_, &kCoreEvents, this);
  return absl::OkStatus();
}

void PipeWireLoop::Disconnect() {
  Lock lock(*this);
  if (core_ == nullptr) return;
  spa_hook_remove(&core_listener_);
  pw_core_disconnect(core_);
  core_ = nullptr;
  on_disconnect_ = nullptr;
}

absl::Status PipeWireLoop::Sync(absl::Duration timeout) {
  if (InLoopThread()) return absl::FailedPreconditionError("Sync() on the PipeWire loop thread");
  Lock lock(*this);
  if (core_ == nullptr) return absl::UnavailableError("not connected to PipeWire");
  const int seq = pw_core_sync(core_, PW_ID_CORE, 0);
  timespec deadline{};
  pw_thread_loop_get_time(thread_loop_, &deadline, absl::ToInt64Nanoseconds(timeout));
  while (core_ != nullptr && last_done_seq_ < seq) {
    if (pw_thread_loop_timed_wait_full(thread_loop_, &deadline) == -ETIMEDOUT) {
      return absl::DeadlineExceededError("PipeWire round trip timed out");
    }
  }
  if (core_ == nullptr) return absl::UnavailableError("PipeWire connection lost");
  return absl::OkStatus();
}

void PipeWireLoop::Run(const std::function<void()>& work) {
  // Holding the lock is what PipeWire asks of other threads; running the work
  // under it is equivalent to running it on the loop thread.
  Lock lock(*this);
  work();
}

void PipeWireLoop::OnCoreDone(void* data, uint32_t id, int seq) {
  auto* self = static_cast<PipeWireLoop*>(data);
  if (id != PW_ID_CORE) return;
  self->last_done_seq_ = seq;
  pw_thread_loop_signal(self->thread_loop_, false);
}

void PipeWireLoop::OnCoreError(void* data, uint32_t id, int /*seq*/, int res,
                               const char* message) {
  auto* self = static_cast<PipeWireLoop*>(data);
  if (id != PW_ID_CORE || res != -EPIPE) {
    pw_log_warn("caraudio: PipeWire error on object %u: %s (%s)", id, message, spa_strerror(res));
    return;
  }
  // Tearing the core down inside its own event is unsafe; do it on the next
  // loop iteration.
  pw_loop_signal_event(self->loop(), self->disconnect_event_);
}

void PipeWireLoop::OnDisconnectEvent(void* data, uint64_t /*count*/) {
  auto* self = static_cast<PipeWireLoop*>(data);
  if (self->core_ == nullptr) return;
  // The owner destroys its proxies, filters and streams first: disconnecting
  // the core frees everything still attached to it.
  std::function<void()> on_disconnect = std::move(self->on_disconnect_);
  self->on_disconnect_ = nullptr;
  if (on_disconnect) on_disconnect();
  if (self->core_ != nullptr) {
    spa_hook_remove(&self->core_listener_);
    pw_core_disconnect(self->core_);
    self->core_ = nullptr;
  }
  pw_thread_loop_signal(self->thread_loop_, false);
}

}  // namespace caraudio
