// Helpers for the integration tests: a client with every caraudio.v1 stub,
// request builders, and assertions that wait for stream messages with a
// deadline (never a sleep) and print what actually arrived.

#ifndef CARAUDIO_TESTS_INTEGRATION_INTEGRATION_TEST_UTIL_H_
#define CARAUDIO_TESTS_INTEGRATION_INTEGRATION_TEST_UTIL_H_

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caraudio/v1/admin.grpc.pb.h"
#include "caraudio/v1/audio_control.grpc.pb.h"
#include "caraudio/v1/audio_focus.grpc.pb.h"
#include "caraudio/v1/hal_focus.grpc.pb.h"
#include "tests/integration/daemon_process.h"
#include "tests/testing/stream_reader.h"

namespace caraudio::testing {

using FocusStream = StreamReader<v1::FocusEvent>;
using EventStream = StreamReader<v1::Event>;
using HoldStream = StreamReader<v1::HalFocusStatus>;

// How long a test waits for a message that must come.
inline constexpr absl::Duration kEventTimeout = absl::Seconds(3);
// How long a test listens to check that a message does NOT come. Only used
// for negative checks, never to order steps.
inline constexpr absl::Duration kQuietPeriod = absl::Milliseconds(150);

// DaemonOptions whose log is printed when the current test has failed.
DaemonOptions TestDaemonOptions(const std::string& name = "audiocontrold");

// Starts a daemon; the status carries its log on failure.
absl::StatusOr<std::unique_ptr<DaemonProcess>> StartTestDaemon(DaemonOptions options);

// Spawns a daemon that must refuse to start and returns its log. An error
// (carrying the exit and the log) when it could not be spawned, or did not
// exit with code 2 (bad arguments or config) within 5 s.
absl::StatusOr<std::string> LogOfDaemonRefusingToStart(DaemonOptions options);

// One channel to one daemon and a stub for every service.
class Client {
 public:
  explicit Client(std::shared_ptr<grpc::Channel> channel);
  explicit Client(const DaemonProcess& daemon) : Client(daemon.NewChannel()) {}

  std::unique_ptr<FocusStream> RequestFocus(const v1::FocusRequest& request);
  std::unique_ptr<HoldStream> HoldFocus(v1::AudioUsage usage, int32_t zone_id, v1::FocusGain gain,
                                        const std::string& source_name);
  // Opens WatchEvents; the first message (`subscribed`) is left in the stream.
  std::unique_ptr<EventStream> WatchEvents(bool include_state);

  absl::StatusOr<v1::CarAudioState> GetState();
  // AudioControl.GetHalState (a daemon with the HAL role).
  absl::StatusOr<v1::HalState> GetHalState();
  // Polls GetState until `done` holds and returns that state;
  // DEADLINE_EXCEEDED (with the last state read) when it does not in time.
  absl::StatusOr<v1::CarAudioState> AwaitState(
      const std::function<bool(const v1::CarAudioState&)>& done,
      absl::Duration timeout = kEventTimeout);
  grpc::Status AbandonFocus(const std::string& client_id, std::optional<int32_t> zone_id,
                            v1::AbandonFocusResponse* response = nullptr);

  v1::AudioFocus::Stub& focus() { return *focus_; }
  v1::CarAudioAdmin::Stub& admin() { return *admin_; }
  v1::AudioControl::Stub& control() { return *control_; }
  v1::HalFocus::Stub& hal_focus() { return *hal_focus_; }

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::AudioFocus::Stub> focus_;
  std::unique_ptr<v1::CarAudioAdmin::Stub> admin_;
  std::unique_ptr<v1::AudioControl::Stub> control_;
  std::unique_ptr<v1::HalFocus::Stub> hal_focus_;
};

// A fixture with one daemon (car service + HAL in one process, memory audio)
// started for each test, and a client for it. `Base` is ::testing::Test or a
// ::testing::TestWithParam. Fixtures that need more call DaemonFixture's
// SetUp() first and return on a fatal failure.
template <typename Base = ::testing::Test>
class DaemonFixture : public Base {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<DaemonProcess>> daemon = StartTestDaemon(TestDaemonOptions());
    ASSERT_TRUE(daemon.ok()) << daemon.status();
    daemon_ = std::move(*daemon);
    client_ = std::make_unique<Client>(*daemon_);
  }

  std::unique_ptr<DaemonProcess> daemon_;
  std::unique_ptr<Client> client_;
};

// A ClientContext for unary calls with a 5 s deadline.
std::unique_ptr<grpc::ClientContext> UnaryContext();

// An app request; zone_id nullopt leaves the zone to the uid map.
v1::FocusRequest MakeRequest(const std::string& client_id, v1::AudioUsage usage, v1::FocusGain gain,
                             std::optional<int32_t> zone_id = 0);

// --- Stream assertions (each waits up to kEventTimeout) --------------------

// The next event is `result` == expected in `zone_id`; the event is stored
// in `out` if given.
::testing::AssertionResult NextIsResult(FocusStream& stream, v1::RequestResult expected,
                                        int32_t zone_id, v1::FocusEvent* out = nullptr);
// The next event is a focus_change == expected in `zone_id`.
::testing::AssertionResult NextIsChange(FocusStream& stream, v1::FocusChange expected,
                                        int32_t zone_id);
// The next event is `abandoned`.
::testing::AssertionResult NextIsAbandoned(FocusStream& stream);
// The next event is `replaced`.
::testing::AssertionResult NextIsReplaced(FocusStream& stream);
// Nothing arrives within kQuietPeriod.
::testing::AssertionResult NoEventWithin(FocusStream& stream, absl::Duration quiet = kQuietPeriod);
// The stream ends with `code` and no further message.
template <typename Message>
::testing::AssertionResult EndsWith(StreamReader<Message>& stream, grpc::StatusCode code);

// Reads HoldFocus statuses until one equals `expected` (skipping the initial
// FOCUS_CHANGE_NONE only); fails on any other status.
::testing::AssertionResult AwaitHalStatus(HoldStream& stream, v1::FocusChange expected,
                                          absl::Duration timeout = kEventTimeout);

// Waits until the daemon's log has `count` (or more) messages starting with
// `text`, e.g. a split HAL's `duck zone 0 "bus0_media_out"`; fails with the log.
::testing::AssertionResult AwaitLogText(const DaemonProcess& daemon, const std::string& text,
                                        int count = 1, absl::Duration timeout = kEventTimeout);
// How many of the daemon's log messages so far start with `text`.
int CountLogText(const DaemonProcess& daemon, const std::string& text);

// Reads events until `match` holds; the events read are appended to `seen`.
::testing::AssertionResult AwaitEvent(EventStream& stream,
                                      const std::function<bool(const v1::Event&)>& match,
                                      const std::string& what, std::vector<v1::Event>* seen,
                                      absl::Duration timeout = kEventTimeout);

// --- State queries ----------------------------------------------------------

const v1::ZoneState& ZoneOf(const v1::CarAudioState& state, int32_t zone_id);
std::vector<std::string> HolderIds(const v1::CarAudioState& state, int32_t zone_id);
std::vector<std::string> LoserIds(const v1::CarAudioState& state, int32_t zone_id);
std::vector<std::string> DuckedAddresses(const v1::CarAudioState& state, int32_t zone_id);
size_t HalRequestCount(const v1::CarAudioState& state);

// --- The daemon's log --------------------------------------------------------

// The `msg` of every structured record in a daemon log (common/log.h), in
// order; lines that are not records are skipped.
std::vector<std::string> LogMessages(const std::string& log);

// --- Templates ---------------------------------------------------------------

template <typename Message>
::testing::AssertionResult EndsWith(StreamReader<Message>& stream, grpc::StatusCode code) {
  if (std::optional<Message> extra = stream.Next(kEventTimeout)) {
    return ::testing::AssertionFailure() << "expected the stream to end with code " << code
                                         << ", got another message: " << extra->ShortDebugString();
  }
  std::optional<grpc::Status> status = stream.WaitForEnd(kEventTimeout);
  if (!status) return ::testing::AssertionFailure() << "the stream is still open";
  if (status->error_code() != code) {
    return ::testing::AssertionFailure() << "the stream ended with " << status->error_code() << " ("
                                         << status->error_message() << "), expected " << code;
  }
  return ::testing::AssertionSuccess() << "ended with " << code << ": " << status->error_message();
}

}  // namespace caraudio::testing

#endif  // CARAUDIO_TESTS_INTEGRATION_INTEGRATION_TEST_UTIL_H_
