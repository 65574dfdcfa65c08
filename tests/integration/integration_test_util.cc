#include "tests/integration/integration_test_util.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <chrono>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/log.h"

namespace caraudio::testing {

DaemonOptions TestDaemonOptions(const std::string& name) {
  DaemonOptions options;
  options.name = name;
  options.die_with_parent = true;  // integration_test_main.cc runs the wrapper
  options.on_stopped = [name](const ExitStatus& status) {
    EXPECT_TRUE(status.Success()) << name
                                  << " did not exit cleanly on SIGTERM: " << status.ToString();
  };
  options.print_log_if = [] { return ::testing::Test::HasFailure(); };
  return options;
}

absl::StatusOr<std::unique_ptr<DaemonProcess>> StartTestDaemon(DaemonOptions options) {
  return DaemonProcess::Start(std::move(options));
}

absl::StatusOr<std::string> LogOfDaemonRefusingToStart(DaemonOptions options) {
  const std::string name = options.name;
  absl::StatusOr<std::unique_ptr<DaemonProcess>> daemon = DaemonProcess::Spawn(std::move(options));
  if (!daemon.ok()) return daemon.status();
  absl::StatusOr<ExitStatus> exit = (*daemon)->process().Wait(absl::Seconds(5));
  if (!exit.ok()) return exit.status();
  if (!exit->exited || exit->code != 2) {
    return absl::FailedPreconditionError(absl::StrCat(name, ": ", exit->ToString(),
                                                      ", not exit code 2\n",
                                                      (*daemon)->FormatLog()));
  }
  return (*daemon)->ReadLog();
}

std::unique_ptr<grpc::ClientContext> UnaryContext() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  return context;
}

Client::Client(std::shared_ptr<grpc::Channel> channel)
    : channel_(std::move(channel)),
      focus_(v1::AudioFocus::NewStub(channel_)),
      admin_(v1::CarAudioAdmin::NewStub(channel_)),
      control_(v1::AudioControl::NewStub(channel_)),
      hal_focus_(v1::HalFocus::NewStub(channel_)) {}

std::unique_ptr<FocusStream> Client::RequestFocus(const v1::FocusRequest& request) {
  v1::AudioFocus::Stub* stub = focus_.get();
  return std::make_unique<FocusStream>([stub, request](grpc::ClientContext* context) {
    return stub->RequestFocus(context, request);
  });
}

std::unique_ptr<HoldStream> Client::HoldFocus(v1::AudioUsage usage, int32_t zone_id,
                                              v1::FocusGain gain, const std::string& source_name) {
  v1::HoldFocusRequest request;
  request.set_usage(usage);
  request.set_zone_id(zone_id);
  request.set_gain(gain);
  request.set_source_name(source_name);
  v1::HalFocus::Stub* stub = hal_focus_.get();
  return std::make_unique<HoldStream>(
      [stub, request](grpc::ClientContext* context) { return stub->HoldFocus(context, request); });
}

std::unique_ptr<EventStream> Client::WatchEvents(bool include_state) {
  v1::WatchEventsRequest request;
  request.set_include_state(include_state);
  v1::CarAudioAdmin::Stub* stub = admin_.get();
  return std::make_unique<EventStream>([stub, request](grpc::ClientContext* context) {
    return stub->WatchEvents(context, request);
  });
}

absl::StatusOr<v1::CarAudioState> Client::GetState() {
  v1::CarAudioState state;
  grpc::Status status = admin_->GetState(UnaryContext().get(), v1::GetStateRequest(), &state);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        "GetState: " + status.error_message());
  }
  return state;
}

absl::StatusOr<v1::HalState> Client::GetHalState() {
  v1::HalState state;
  grpc::Status status =
      control_->GetHalState(UnaryContext().get(), v1::GetHalStateRequest(), &state);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        "GetHalState: " + status.error_message());
  }
  return state;
}

absl::StatusOr<v1::CarAudioState> Client::AwaitState(
    const std::function<bool(const v1::CarAudioState&)>& done, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  for (;;) {
    absl::StatusOr<v1::CarAudioState> state = GetState();
    if (!state.ok()) return state.status();
    if (done(*state)) return state;
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError(absl::StrCat("state condition not met within ",
                                                      absl::FormatDuration(timeout),
                                                      "; last state: ", state->ShortDebugString()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling interval
  }
}

grpc::Status Client::AbandonFocus(const std::string& client_id, std::optional<int32_t> zone_id,
                                  v1::AbandonFocusResponse* response) {
  v1::AbandonFocusRequest request;
  request.set_client_id(client_id);
  if (zone_id) request.set_zone_id(*zone_id);
  v1::AbandonFocusResponse ignored;
  return focus_->AbandonFocus(UnaryContext().get(), request, response ? response : &ignored);
}

v1::FocusRequest MakeRequest(const std::string& client_id, v1::AudioUsage usage, v1::FocusGain gain,
                             std::optional<int32_t> zone_id) {
  v1::FocusRequest request;
  request.set_client_id(client_id);
  request.set_package_name("com.example." + client_id);
  request.set_uid(10000);
  request.set_usage(usage);
  request.set_gain(gain);
  if (zone_id) request.set_zone_id(*zone_id);
  return request;
}

namespace {

::testing::AssertionResult NextEvent(FocusStream& stream, v1::FocusEvent* event) {
  std::optional<v1::FocusEvent> next = stream.Next(kEventTimeout);
  if (next) {
    *event = std::move(*next);
    return ::testing::AssertionSuccess();
  }
  if (std::optional<grpc::Status> status = stream.WaitForEnd(absl::ZeroDuration())) {
    return ::testing::AssertionFailure() << "the stream ended (" << status->error_code() << " "
                                         << status->error_message() << ") without the event";
  }
  return ::testing::AssertionFailure() << "no event within " << kEventTimeout;
}

}  // namespace

::testing::AssertionResult NextIsResult(FocusStream& stream, v1::RequestResult expected,
                                        int32_t zone_id, v1::FocusEvent* out) {
  v1::FocusEvent event;
  if (::testing::AssertionResult got = NextEvent(stream, &event); !got) {
    return got << " (expected result " << v1::RequestResult_Name(expected) << ")";
  }
  if (out != nullptr) *out = event;
  if (!event.has_result() || event.result().result() != expected ||
      event.result().zone_id() != zone_id) {
    return ::testing::AssertionFailure()
           << "expected result " << v1::RequestResult_Name(expected) << " in zone " << zone_id
           << ", got: " << event.ShortDebugString();
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult NextIsChange(FocusStream& stream, v1::FocusChange expected,
                                        int32_t zone_id) {
  v1::FocusEvent event;
  if (::testing::AssertionResult got = NextEvent(stream, &event); !got) {
    return got << " (expected focus_change " << v1::FocusChange_Name(expected) << ")";
  }
  if (!event.has_focus_change() || event.focus_change().change() != expected ||
      event.focus_change().zone_id() != zone_id) {
    return ::testing::AssertionFailure()
           << "expected focus_change " << v1::FocusChange_Name(expected) << " in zone " << zone_id
           << ", got: " << event.ShortDebugString();
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult NextIsAbandoned(FocusStream& stream) {
  v1::FocusEvent event;
  if (::testing::AssertionResult got = NextEvent(stream, &event); !got) {
    return got << " (expected abandoned)";
  }
  if (!event.has_abandoned()) {
    return ::testing::AssertionFailure() << "expected abandoned, got: " << event.ShortDebugString();
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult NextIsReplaced(FocusStream& stream) {
  v1::FocusEvent event;
  if (::testing::AssertionResult got = NextEvent(stream, &event); !got) {
    return got << " (expected replaced)";
  }
  if (!event.has_replaced()) {
    return ::testing::AssertionFailure() << "expected replaced, got: " << event.ShortDebugString();
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult NoEventWithin(FocusStream& stream, absl::Duration quiet) {
  if (std::optional<v1::FocusEvent> event = stream.Next(quiet)) {
    return ::testing::AssertionFailure() << "unexpected event: " << event->ShortDebugString();
  }
  if (std::optional<grpc::Status> status = stream.WaitForEnd(absl::ZeroDuration())) {
    return ::testing::AssertionFailure()
           << "the stream ended unexpectedly (" << status->error_code() << " "
           << status->error_message() << ")";
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult AwaitHalStatus(HoldStream& stream, v1::FocusChange expected,
                                          absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  std::string seen;
  for (;;) {
    std::optional<v1::HalFocusStatus> status = stream.Next(deadline - absl::Now());
    if (!status) {
      std::optional<grpc::Status> end = stream.WaitForEnd(absl::ZeroDuration());
      return ::testing::AssertionFailure()
             << "no HoldFocus status " << v1::FocusChange_Name(expected) << " within " << timeout
             << "; seen: [" << seen << "]"
             << (end ? absl::StrCat("; the stream ended with ", end->error_code(), " ",
                                    end->error_message())
                     : std::string());
    }
    absl::StrAppend(&seen, seen.empty() ? "" : ", ", v1::FocusChange_Name(status->focus_change()));
    if (status->focus_change() == expected) return ::testing::AssertionSuccess() << seen;
    if (status->focus_change() != v1::FOCUS_CHANGE_NONE) {
      return ::testing::AssertionFailure()
             << "expected HoldFocus status " << v1::FocusChange_Name(expected) << "; seen: ["
             << seen << "]";
    }
  }
}

int CountLogText(const DaemonProcess& daemon, const std::string& text) {
  // Messages as written, before logfmt quoting; a message counts when it
  // starts with `text`, so "duck zone 0" does not count "unduck zone 0".
  int count = 0;
  for (const std::string& message : LogMessages(daemon.ReadLog())) {
    if (message.starts_with(text)) ++count;
  }
  return count;
}

::testing::AssertionResult AwaitLogText(const DaemonProcess& daemon, const std::string& text,
                                        int count, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (CountLogText(daemon, text) < count) {
    if (absl::Now() >= deadline) {
      return ::testing::AssertionFailure()
             << daemon.name() << " did not log \"" << text << "\" " << count << " time(s) within "
             << timeout << " (" << CountLogText(daemon, text) << " so far)\n"
             << daemon.FormatLog();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult AwaitEvent(EventStream& stream,
                                      const std::function<bool(const v1::Event&)>& match,
                                      const std::string& what, std::vector<v1::Event>* seen,
                                      absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  for (;;) {
    std::optional<v1::Event> event = stream.Next(deadline - absl::Now());
    if (!event) {
      ::testing::AssertionResult failure = ::testing::AssertionFailure();
      failure << "no event " << what << " within " << timeout << "; events seen:";
      for (const v1::Event& e : *seen) failure << "\n  " << e.ShortDebugString();
      return failure;
    }
    seen->push_back(*event);
    if (match(*event)) return ::testing::AssertionSuccess();
  }
}

const v1::ZoneState& ZoneOf(const v1::CarAudioState& state, int32_t zone_id) {
  for (const v1::ZoneState& zone : state.zones()) {
    if (zone.zone_id() == zone_id) return zone;
  }
  static const v1::ZoneState* const kMissing = new v1::ZoneState();
  ADD_FAILURE() << "zone " << zone_id << " missing from state " << state.ShortDebugString();
  return *kMissing;
}

std::vector<std::string> HolderIds(const v1::CarAudioState& state, int32_t zone_id) {
  std::vector<std::string> ids;
  for (const v1::FocusEntryState& entry : ZoneOf(state, zone_id).holders()) {
    ids.push_back(entry.request().client_id());
  }
  return ids;
}

std::vector<std::string> LoserIds(const v1::CarAudioState& state, int32_t zone_id) {
  std::vector<std::string> ids;
  for (const v1::FocusEntryState& entry : ZoneOf(state, zone_id).losers()) {
    ids.push_back(entry.request().client_id());
  }
  return ids;
}

std::vector<std::string> DuckedAddresses(const v1::CarAudioState& state, int32_t zone_id) {
  const auto& ducked = ZoneOf(state, zone_id).ducked_device_addresses();
  return std::vector<std::string>(ducked.begin(), ducked.end());
}

size_t HalRequestCount(const v1::CarAudioState& state) {
  size_t count = 0;
  for (const v1::ZoneState& zone : state.zones()) count += zone.hal_requests_size();
  return count;
}

std::vector<std::string> LogMessages(const std::string& log) {
  std::vector<std::string> messages;
  for (absl::string_view line : absl::StrSplit(log, '\n', absl::SkipEmpty())) {
    absl::StatusOr<std::map<std::string, std::string>> record =
        ParseLogRecord(std::string_view(line.data(), line.size()));
    if (!record.ok()) continue;
    if (auto message = record->find("msg"); message != record->end()) {
      messages.push_back(message->second);
    }
  }
  return messages;
}

}  // namespace caraudio::testing
