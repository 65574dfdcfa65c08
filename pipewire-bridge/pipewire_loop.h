// PipeWireLoop: one libpipewire thread loop with its own context and, when
// connected, one core connection. Every PipeWire object of the bridge, of the
// HAL's sound sources and of the test tools lives on such a loop.
//
// Threading contract (PipeWire's own): every pw_* call from a thread other
// than the loop's must hold the loop lock (Lock below); callbacks already run
// on the loop thread with the lock held and must never block. Lock is
// re-entrant in the sense that it is a no-op on the loop thread, so helpers
// can be called from either side.
//
// Connect() may fail (no daemon) and may later drop (daemon restart): the
// owner is told through `on_disconnect` (on the loop thread) and decides when
// to Connect() again. Sync() is the classic core round trip.

#ifndef CARAUDIO_PIPEWIRE_BRIDGE_PIPEWIRE_LOOP_H_
#define CARAUDIO_PIPEWIRE_BRIDGE_PIPEWIRE_LOOP_H_

#include <pipewire/pipewire.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace caraudio {

// PipeWire properties as a plain map, turned into pw_properties on use.
using PipeWireProperties = std::map<std::string, std::string>;

// Owns a pw_properties built from `properties` (the caller passes ownership
// on to the PipeWire call that takes it, or frees it).
pw_properties* MakePipeWireProperties(const PipeWireProperties& properties);

class PipeWireLoop {
 public:
  // Starts the loop thread (named `name`) and creates its context. Does not
  // connect.
  static absl::StatusOr<std::unique_ptr<PipeWireLoop>> Create(const std::string& name);

  // Disconnects, stops the thread and frees the context. Objects created on
  // the loop must be destroyed before.
  ~PipeWireLoop();
  PipeWireLoop(const PipeWireLoop&) = delete;
  PipeWireLoop& operator=(const PipeWireLoop&) = delete;

  // Holds the loop lock for its scope unless already on the loop thread.
  class Lock {
   public:
    explicit Lock(PipeWireLoop& loop);
    ~Lock();
    Lock(const Lock&) = delete;
    Lock& operator=(const Lock&) = delete;

   private:
    PipeWireLoop& loop_;
    bool locked_;
  };

  // Connects to the daemon of $PIPEWIRE_RUNTIME_DIR / $XDG_RUNTIME_DIR (or
  // `remote_name` when not empty). `on_disconnect` runs on the loop thread
  // when the connection is lost afterwards. Call with the lock held or from
  // any thread (it locks). Fails when already connected or no daemon answers.
  absl::Status Connect(std::function<void()> on_disconnect, const std::string& remote_name = "");
  // Drops the connection (and so every proxy on it). No-op when not connected.
  void Disconnect();
  bool connected() const { return core_ != nullptr; }

  // Round trip to the daemon: every earlier request has been processed and
  // its events delivered when this returns OK. Not on the loop thread.
  absl::Status Sync(absl::Duration timeout);

  // Runs `work` with the loop lock held (inline on the loop thread).
  void Run(const std::function<void()>& work);

  bool InLoopThread() const;

  pw_thread_loop* thread_loop() const { return thread_loop_; }
  pw_loop* loop() const;
  pw_context* context() const { return context_; }
  // Null while disconnected. Use under the lock.
  pw_core* core() const { return core_; }

 private:
  PipeWireLoop() = default;
  static void OnCoreDone(void* data, uint32_t id, int seq);
  static void OnCoreError(void* data, uint32_t id, int seq, int res, const char* message);
  static void OnDisconnectEvent(void* data, uint64_t count);

  pw_thread_loop* thread_loop_ = nullptr;
  pw_context* context_ = nullptr;
  pw_core* core_ = nullptr;
  spa_hook core_listener_{};
  spa_source* disconnect_event_ = nullptr;
  std::function<void()> on_disconnect_;
  int last_done_seq_ = -1;
};

}  // namespace caraudio

#endif  // CARAUDIO_PIPEWIRE_BRIDGE_PIPEWIRE_LOOP_H_
