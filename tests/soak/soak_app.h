// SoakApp: one simulated app of the soak, driven by Act() from one of a few
// driver threads. It has at most one focus request of its own at a time,
// carried by a FocusCall (a callback-API RequestFocus stream, so 200 apps
// need no thread each), and each Act() does one random thing:
//
//   no request    -> request: a new client id, a random zone, usage and gain
//                    (media sometimes DELAY_OK, some duck-event listeners)
//   a request     -> keep it, abandon it (AbandonFocus), request the same
//                    again in its zone (the daemon replaces the old stream),
//                    or disconnect (cancel the stream: the daemon abandons)
//
// A request that ended (FAILED, LOSS, replaced, abandoned) counts as none.
// Cancelled and replaced calls are kept until gRPC is done with them, then
// freed by the next Act(); Shutdown() cancels everything and waits.
//
// Act() and Shutdown() must not run concurrently for one app (one driver
// thread per app); everything else is thread-safe.

#ifndef CARAUDIO_TESTS_SOAK_SOAK_APP_H_
#define CARAUDIO_TESTS_SOAK_SOAK_APP_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/time/time.h"
#include "caraudio/v1/audio_focus.grpc.pb.h"
#include "tests/soak/soak_counters.h"

namespace caraudio::testing {

// One RequestFocus stream, read through the callback API.
class FocusCall : public grpc::ClientReadReactor<v1::FocusEvent> {
 public:
  FocusCall(v1::AudioFocus::Stub* stub, v1::FocusRequest request, SoakCounters* counters);

  // Starts the call; events are counted as they arrive.
  void Start();
  // Ends the call from this side (the daemon abandons the request).
  void Cancel() { context_.TryCancel(); }
  // The request still stands: answered GRANTED or DELAYED and not ended by
  // the daemon (no LOSS, replaced, abandoned).
  bool standing() const { return standing_.load(std::memory_order_acquire); }
  // gRPC is done with this object (OnDone ran): it may be destroyed.
  bool done() const { return done_.load(std::memory_order_acquire); }
  const v1::FocusRequest& request() const { return request_; }

  void OnReadDone(bool ok) override;
  void OnDone(const grpc::Status& status) override;

 private:
  void Count(const v1::FocusEvent& event);

  v1::AudioFocus::Stub* const stub_;
  const v1::FocusRequest request_;
  SoakCounters* const counters_;
  grpc::ClientContext context_;
  v1::FocusEvent event_;
  absl::Time started_;
  bool answered_ = false;  // gRPC serialises a reactor's reactions
  std::atomic<bool> standing_{false};
  std::atomic<bool> done_{false};
};

class SoakApp {
 public:
  // `index` names the app (package com.soak.app<index>); requests go to
  // zones 0..zones-1 through `channel`.
  SoakApp(int index, int zones, std::shared_ptr<grpc::Channel> channel, SoakCounters* counters);
  ~SoakApp();  // Shutdown()

  SoakApp(const SoakApp&) = delete;
  SoakApp& operator=(const SoakApp&) = delete;

  // One random action (see the file comment).
  void Act(absl::BitGen& random);
  // Cancels every call and waits up to `timeout` for gRPC to finish them;
  // false when some did not.
  bool Shutdown(absl::Duration timeout = absl::Seconds(10));

 private:
  void Request(absl::BitGen& random);
  void RequestAgain();
  void Abandon();
  void Disconnect();
  // Starts a call for `request`; the current one, if any, is retired.
  void Open(v1::FocusRequest request);
  // Frees retired calls gRPC is done with.
  void Reap();

  const int index_;
  const int zones_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::AudioFocus::Stub> stub_;
  SoakCounters* const counters_;
  int64_t generation_ = 0;  // a new client id per fresh request
  std::unique_ptr<FocusCall> current_;
  std::vector<std::unique_ptr<FocusCall>> retired_;
  // AbandonFocus calls in flight; Shutdown waits for them.
  std::shared_ptr<std::atomic<int>> abandons_in_flight_;
};

}  // namespace caraudio::testing

#endif  // CARAUDIO_TESTS_SOAK_SOAK_APP_H_
