// Test harness for the HAL's gRPC services: a real grpc::Server serving an
// AudioControlHal on a unix socket in a fresh temp directory (accepted like
// audiocontrold does, so the test process is identified by its uid and holds
// the HAL permission as the daemon's own user), real stubs, and
// a stream reader that waits with deadlines instead of sleeping.
//
//   HalHarness hal;                       // zones 0, 1, 2
//   auto listener = hal.RegisterFocusListener();
//   auto chime = hal.HoldFocus(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT);
//   std::optional<v1::FocusListenerCall> call = listener->Next();
//
// Unary oneway calls return before their work ran; hal().snapshot() runs on
// the HAL's executor after everything posted before it, so a snapshot taken
// after an OK call sees its effect.

#ifndef CARAUDIO_TESTS_HAL_HAL_TEST_HARNESS_H_
#define CARAUDIO_TESTS_HAL_HAL_TEST_HARNESS_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caraudio/v1/audio_control.grpc.pb.h"
#include "caraudio/v1/hal_focus.grpc.pb.h"
#include "carservice/access_policy.h"
#include "carservice/caller_access.h"
#include "carservice/daemon_listeners.h"
#include "carservice/peer_credentials.h"
#include "hal/audio_backend.h"
#include "hal/audio_control_hal.h"
#include "tests/testing/stream_reader.h"
#include "tests/testing/temp_dir.h"
#include "zones/car_audio_config.h"

namespace caraudio::testing {

// How long a test waits for something that should happen.
inline constexpr absl::Duration kEventTimeout = absl::Seconds(5);
// How long a test watches for something that should not happen.
inline constexpr absl::Duration kQuietPeriod = absl::Milliseconds(200);

using ListenerStream = StreamReader<v1::FocusListenerCall>;
using HoldStream = StreamReader<v1::HalFocusStatus>;
using GainCallbackStream = StreamReader<v1::GainCallbackEvent>;
using LevelStream = StreamReader<v1::StreamLevelsReport>;

// An InMemoryAudioBackend that also counts the calls it gets, to check that
// the HAL calls it only for actual changes.
class CountingAudioBackend : public InMemoryAudioBackend {
 public:
  void SetDucked(int32_t zone_id, const std::string& address, bool ducked) override {
    ++duck_calls;
    InMemoryAudioBackend::SetDucked(zone_id, address, ducked);
  }
  void SetMuted(int32_t zone_id, const std::string& address, bool muted) override {
    ++mute_calls;
    InMemoryAudioBackend::SetMuted(zone_id, address, muted);
  }

  std::atomic<int> duck_calls{0};
  std::atomic<int> mute_calls{0};
};

// A server with an AudioControlHal and stubs connected to it.
class HalHarness {
 public:
  // Zones 0, 1 and 2; device addresses are not checked.
  HalHarness();
  // The config's zones and devices.
  explicit HalHarness(const CarAudioConfig& config);
  ~HalHarness();

  AudioControlHal& hal() { return *hal_; }
  CountingAudioBackend& backend() { return backend_; }
  v1::AudioControl::Stub& audio_control() { return *audio_control_; }
  v1::HalFocus::Stub& hal_focus() { return *hal_focus_; }

  // Opens streams.
  std::unique_ptr<ListenerStream> RegisterFocusListener(const std::string& name = "carservice");
  std::unique_ptr<HoldStream> HoldFocus(int32_t usage, int32_t zone_id, int32_t gain,
                                        const std::string& source_name = "chime");
  std::unique_ptr<GainCallbackStream> RegisterGainCallback(const std::string& name = "carservice");
  std::unique_ptr<LevelStream> WatchStreamLevels(int32_t interval_ms);
  // HoldFocus, then waits for the first status (returned in *first_status if
  // wanted), so the HAL has taken the hold before the test goes on. Streams
  // opened without waiting reach the HAL in any order.
  std::unique_ptr<HoldStream> HoldFocusAndWait(int32_t usage, int32_t zone_id, int32_t gain,
                                               const std::string& source_name = "chime",
                                               v1::HalFocusStatus* first_status = nullptr);

  // Unary calls, with a deadline.
  grpc::Status OnAudioFocusChange(int32_t usage, int32_t zone_id, int32_t focus_change);
  grpc::Status OnDevicesToDuckChange(const v1::OnDevicesToDuckChangeRequest& request);
  grpc::Status OnDevicesToMuteChange(const v1::OnDevicesToMuteChangeRequest& request);
  grpc::Status SetBalanceTowardRight(float value);
  grpc::Status SetFadeTowardFront(float value);
  grpc::Status ReleaseFocus(int32_t usage, int32_t zone_id, int32_t* released_holders = nullptr);
  grpc::Status SetSilencedApps(const std::vector<AppIdentity>& apps);
  // GetHalState; the status when the call failed.
  absl::StatusOr<v1::HalState> GetHalState();

  // The backend's state once the work of every call answered so far ran.
  InMemoryAudioBackend::Snapshot SettledBackend();
  // Polls snapshot() until `done` holds; false after kEventTimeout.
  bool WaitFor(const std::function<bool(const AudioControlHal::Snapshot&)>& done);
  // Holds currently open, as the HAL sees them.
  size_t HoldCount() { return hal_->snapshot().holds.size(); }

 private:
  void Start();
  std::unique_ptr<grpc::ClientContext> UnaryContext() const;

  std::optional<TempDir> temp_dir_;
  std::string socket_path_;
  CountingAudioBackend backend_;
  PeerCredentialsRegistry peers_;
  CallerAccess access_{AccessPolicy(::getuid(), {}), &peers_};
  std::unique_ptr<AudioControlHal> hal_;
  std::optional<DaemonListeners> listeners_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::AudioControl::Stub> audio_control_;
  std::unique_ptr<v1::HalFocus::Stub> hal_focus_;
};

// The embedded default car (three zones); fails the current test if it
// does not load.
CarAudioConfig DefaultCar();

// A DuckingInfo / MutingInfo entry.
v1::DuckingInfo Ducking(int32_t zone_id, std::vector<std::string> to_duck,
                        std::vector<std::string> to_unduck = {});
v1::MutingInfo Muting(int32_t zone_id, std::vector<std::string> to_mute,
                      std::vector<std::string> to_unmute = {});

// Assertions on the next message of a stream.
::testing::AssertionResult NextIsRegistered(ListenerStream& listener, uint64_t registration_id,
                                            int32_t replay_count);
::testing::AssertionResult NextIsRequest(ListenerStream& listener, int32_t usage, int32_t zone_id,
                                         int32_t gain, bool replay);
::testing::AssertionResult NextIsAbandon(ListenerStream& listener, int32_t usage, int32_t zone_id);
::testing::AssertionResult NextIsStatus(HoldStream& hold, int32_t usage, int32_t zone_id,
                                        int32_t focus_change);
// Nothing arrives within kQuietPeriod.
template <typename Message>
::testing::AssertionResult NothingWithin(StreamReader<Message>& stream,
                                         absl::Duration quiet = kQuietPeriod) {
  std::optional<Message> message = stream.Next(quiet);
  if (!message) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "unexpected message: " << message->ShortDebugString();
}
// The stream ends with `code` (and `message`, unless empty) and no further message.
template <typename Message>
::testing::AssertionResult EndsWith(StreamReader<Message>& stream, grpc::StatusCode code,
                                    const std::string& message = "") {
  std::optional<grpc::Status> status = stream.WaitForEnd();
  if (!status) return ::testing::AssertionFailure() << "stream still open";
  if (std::optional<Message> extra = stream.Next(absl::ZeroDuration())) {
    return ::testing::AssertionFailure() << "unread message " << extra->ShortDebugString();
  }
  if (status->error_code() != code || (!message.empty() && status->error_message() != message)) {
    return ::testing::AssertionFailure() << "ended with " << status->error_code() << " \""
                                         << status->error_message() << "\", expected " << code
                                         << " \"" << message << "\"";
  }
  return ::testing::AssertionSuccess();
}

}  // namespace caraudio::testing

#endif  // CARAUDIO_TESTS_HAL_HAL_TEST_HARNESS_H_
