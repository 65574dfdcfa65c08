// SoakApp: one simulated app of the soak, driven by Act() from one of a few
// driver threads. Its focus requests are FocusCalls (callback-API
// RequestFocus streams, so 200 apps need no thread each); it acts on its
// newest request that still stands, and each Act() does one random thing:
//
//   nothing stands -> request: a new client id (or always the same one, with
//                     `fresh_client_ids` false), a random zone, usage and
//                     gain (media sometimes DELAY_OK, some duck-event
//                     listeners)
//   a request      -> keep it, abandon it (AbandonFocus), request the same
//                     again in its zone, or disconnect (cancel the stream:
//                     the daemon abandons)
//
// A request stands until the daemon's final word (FAILED, LOSS, replaced,
// abandoned) or the app's cancel. Requesting again replaces the old stream
// only when the new request is granted or delayed; when it FAILED the old
// one goes on (audio_focus.proto), so the app keeps every call until gRPC is
// done with it and frees it in a later Act(); Shutdown() cancels everything
// and waits.
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
  void Cancel() {
    cancelled_.store(true, std::memory_order_release);
    context_.TryCancel();
  }
  bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }
  // The result has arrived.
  bool answered() const { return answered_.load(std::memory_order_acquire); }
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
  std::atomic<bool> answered_{false};
  std::atomic<bool> cancelled_{false};
  std::atomic<bool> standing_{false};
  std::atomic<bool> done_{false};
};

class SoakApp {
 public:
  // `index` names the app (package com.soak.app<index>); requests go to
  // zones 0..zones-1 through `channel`.
  SoakApp(int index, int zones, bool fresh_client_ids, std::shared_ptr<grpc::Channel> channel,
          SoakCounters* counters);
  ~SoakApp();  // Shutdown()

  SoakApp(const SoakApp&) = delete;
  SoakApp& operator=(const SoakApp&) = delete;

  // One random action (see the file comment).
  void Act(absl::BitGen& random);
  // Calls that no longer stand (cancelled, or ended by the daemon's final
  // word) but that gRPC has not finished yet: a few in flight, more when
  // the daemon does not end streams it is done with.
  int LingeringCalls() const;
  // Cancels every call and waits up to `timeout` for gRPC to finish them;
  // false when some did not.
  bool Shutdown(absl::Duration timeout = absl::Seconds(10));

 private:
  void Request(absl::BitGen& random);
  void Abandon(const FocusCall& call);
  // Starts a call for `request`.
  void Open(v1::FocusRequest request);
  // The newest call whose request still stands; null when none does.
  FocusCall* Standing() const;
  // Frees the calls gRPC is done with.
  void Reap();

  const int index_;
  const int zones_;
  const bool fresh_client_ids_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::AudioFocus::Stub> stub_;
  SoakCounters* const counters_;
  int64_t generation_ = 0;  // a new client id per fresh request
  // Every call gRPC is not done with, oldest first.
  std::vector<std::unique_ptr<FocusCall>> calls_;
  // AbandonFocus calls in flight; Shutdown waits for them.
  std::shared_ptr<std::atomic<int>> abandons_in_flight_;
};

}  // namespace caraudio::testing

#endif  // CARAUDIO_TESTS_SOAK_SOAK_APP_H_
