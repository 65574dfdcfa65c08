#include "tools/audioctl_commands.h"

#include <grpcpp/grpcpp.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "caraudio/v1/admin.grpc.pb.h"
#include "caraudio/v1/audio_focus.grpc.pb.h"
#include "caraudio/v1/hal_focus.grpc.pb.h"
#include "carservice/single_instance_lock.h"
#include "carservice/tls_credentials.h"
#include "tools/audioctl_render.h"
#include "tools/daemon_connection.h"
#include "tools/event_replay.h"
#include "tools/timeline/timeline_image.h"
#include "tools/timeline/timeline_layout.h"
#include "tools/timeline/timeline_model.h"
#include "zones/car_audio_config_parser.h"
#include "zones/text_file.h"

namespace caraudio::audioctl {
namespace {

// ---- Output ----------------------------------------------------------------

// One line on stdout, flushed so that pipes see streams live.
void PrintLine(const std::string& line) {
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

// Text that already ends in newlines (RenderState, tables, help).
void PrintText(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

int Fail(int exit_code, const std::string& message) {
  std::fprintf(stderr, "audioctl: %s\n", message.c_str());
  return exit_code;
}

// "audioctl: INVALID_ARGUMENT: <message>". `rpc` ("HalFocus.HoldFocus")
// stands in for an empty message, e.g. UNIMPLEMENTED from a daemon that does
// not host that service.
int RpcFailure(const grpc::Status& status, absl::string_view rpc) {
  const std::string code =
      absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code()));
  if (!status.error_message().empty()) {
    return Fail(kExitRpcError, absl::StrCat(code, ": ", status.error_message()));
  }
  if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED) {
    return Fail(
        kExitRpcError,
        absl::StrCat(code, ": ", rpc, " is not served by this daemon (see audiocontrold --role)"));
  }
  return Fail(kExitRpcError, absl::StrCat(code, ": ", rpc, " failed"));
}

std::string DefaultClientName() { return absl::StrCat("audioctl-", ::getpid()); }

// ---- Signals -----------------------------------------------------------------

// How a streaming command waits for Ctrl-C, its --seconds, or its reader
// thread. Blocks SIGINT, SIGTERM and SIGUSR1 in the constructing thread for
// the rest of the process, so construct it in the main thread before any
// gRPC channel exists. Wake() is thread-safe; Wait() belongs to the
// constructing thread.
class StopSignals {
 public:
  enum class Reason { kSignal, kWoken, kDeadline };

  StopSignals() : owner_(::pthread_self()) {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    sigaddset(&set_, SIGUSR1);
    ::pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  // Makes the owner's Wait() return kWoken (now, or at its next call).
  void Wake() { ::pthread_kill(owner_, SIGUSR1); }

  // Until SIGINT/SIGTERM, Wake() or the deadline (none: no time limit).
  Reason Wait(std::optional<absl::Time> deadline) {
    for (;;) {
      int signal = -1;
      if (!deadline) {
        signal = ::sigwaitinfo(&set_, nullptr);
      } else {
        const absl::Duration remaining = *deadline - absl::Now();
        if (remaining <= absl::ZeroDuration()) return Reason::kDeadline;
        const timespec timeout = absl::ToTimespec(remaining);
        signal = ::sigtimedwait(&set_, nullptr, &timeout);
      }
      if (signal == SIGUSR1) return Reason::kWoken;
      if (signal == SIGINT || signal == SIGTERM) return Reason::kSignal;
      // -1: EINTR (retry) or EAGAIN (the deadline, seen at the next turn).
    }
  }

 private:
  pthread_t owner_;
  sigset_t set_;
};

// How a streaming call ended.
struct StreamEnd {
  grpc::Status status;
  bool stopped = false;  // we cancelled it: signal or --seconds
};

// Reads `reader` on a second thread, handing each message to `on_message`
// there, until the stream ends, a signal arrives, or `hold` has passed since
// the first message; then cancels the call if it is still open.
template <typename Message, typename OnMessage>
StreamEnd RunStream(StopSignals& signals, grpc::ClientContext& context,
                    grpc::ClientReader<Message>& reader, std::optional<absl::Duration> hold,
                    OnMessage on_message) {
  std::atomic<bool> answered{false};
  std::atomic<bool> done{false};
  grpc::Status status;
  std::thread thread([&] {
    Message message;
    while (reader.Read(&message)) {
      on_message(message);
      if (!answered.exchange(true)) signals.Wake();
    }
    status = reader.Finish();
    done = true;
    signals.Wake();
  });

  StreamEnd end;
  std::optional<absl::Time> deadline;
  while (!done) {
    if (hold && answered && !deadline) deadline = absl::Now() + *hold;
    const StopSignals::Reason reason = signals.Wait(deadline);
    if (reason == StopSignals::Reason::kWoken) continue;
    end.stopped = true;
    context.TryCancel();
    break;
  }
  thread.join();
  end.status = status;
  return end;
}

// A stream that ended by our cancel (or normally) is no error.
bool IsStreamError(const StreamEnd& end) {
  if (end.status.ok()) return false;
  return !(end.stopped && end.status.error_code() == grpc::StatusCode::CANCELLED);
}

// ---- Connection --------------------------------------------------------------

// A connected channel and the deadline rules for calls on it.
class Connection {
 public:
  Connection(std::string target, std::shared_ptr<grpc::Channel> channel, absl::Duration timeout)
      : target_(std::move(target)), channel_(std::move(channel)), timeout_(timeout) {}

  const std::string& target() const { return target_; }
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }

  // A context for a unary call: deadline now + --timeout.
  std::unique_ptr<grpc::ClientContext> UnaryContext() const {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + timeout_));
    return context;
  }

 private:
  std::string target_;
  std::shared_ptr<grpc::Channel> channel_;
  absl::Duration timeout_;
};

// Connects within --timeout (see tools/daemon_connection.h for --wait).
absl::StatusOr<Connection> Connect(const GlobalOptions& options) {
  std::string target = ChannelTarget(options, DefaultSocketPath());
  absl::StatusOr<std::optional<TlsIdentity>> tls =
      LoadTlsIdentity({options.tls_ca, options.tls_cert, options.tls_key}, "--tls_");
  if (!tls.ok()) return tls.status();
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = ConnectToDaemon(
      target, options.timeout, options.wait,
      *tls ? MutualTlsChannelCredentials(**tls) : grpc::InsecureChannelCredentials());
  if (!channel.ok()) return channel.status();
  return Connection(std::move(target), *std::move(channel), options.timeout);
}

// ---- Commands ----------------------------------------------------------------

int RunHelp(const HelpCommand& command) {
  std::optional<std::string> text = HelpText(command.topic);
  if (!text) return Fail(kExitUsage, absl::StrCat("unknown command \"", command.topic, "\""));
  PrintText(*text);
  return kExitOk;
}

int RunDump(const Connection& connection, const DumpCommand& command) {
  v1::CarAudioAdmin::Stub stub(connection.channel());
  v1::CarAudioState state;
  const grpc::Status status =
      stub.GetState(connection.UnaryContext().get(), v1::GetStateRequest(), &state);
  if (!status.ok()) return RpcFailure(status, "CarAudioAdmin.GetState");
  if (!command.json) {
    PrintText(RenderState(state));
    return kExitOk;
  }
  absl::StatusOr<std::string> json = ToJson(state, /*pretty=*/true);
  if (!json.ok()) return Fail(kExitRpcError, std::string(json.status().message()));
  PrintLine(*json);
  return kExitOk;
}

// A recorded event log and the car of an offline command (replay, timeline).
struct RecordedLog {
  CarAudioConfig car;
  std::vector<v1::Event> events;
};

// Loads --config (else the embedded car) and the log at `path`. On failure
// prints the error line and returns nullopt with `exit_code` set: a bad car
// or log content is a usage error, an unreadable log an I/O error.
std::optional<RecordedLog> LoadRecordedLog(const std::string& path,
                                           const std::optional<std::string>& config_path,
                                           int& exit_code) {
  absl::StatusOr<CarAudioConfig> car =
      config_path ? LoadCarAudioConfigFile(*config_path) : LoadDefaultCarAudioConfig();
  if (!car.ok()) {
    exit_code = Fail(kExitUsage, std::string(car.status().message()));
    return std::nullopt;
  }
  absl::StatusOr<std::string> text = ReadTextFile(path, "event log");
  if (!text.ok()) {
    exit_code = Fail(kExitRpcError, std::string(text.status().message()));
    return std::nullopt;
  }
  absl::StatusOr<std::vector<v1::Event>> events = ParseEventLog(*text, path);
  if (!events.ok()) {
    exit_code = Fail(kExitUsage, std::string(events.status().message()));
    return std::nullopt;
  }
  return RecordedLog{*std::move(car), *std::move(events)};
}

int RunReplay(const ReplayCommand& command) {
  int exit_code = kExitOk;
  std::optional<RecordedLog> log = LoadRecordedLog(command.path, command.config_path, exit_code);
  if (!log) return exit_code;
  absl::StatusOr<ReplayReport> report = ReplayEvents(log->events, log->car);
  if (!report.ok()) return Fail(kExitUsage, std::string(report.status().message()));
  for (const ReplayDifference& difference : report->differences) {
    PrintLine(absl::StrCat("DIFFERS at ", difference.input, "\n  ", difference.what));
  }
  PrintLine(absl::StrCat("replayed ", report->inputs, " inputs, compared ", report->outputs,
                         " recorded outputs: ",
                         report->differences.empty()
                             ? std::string("no differences")
                             : absl::StrCat(report->differences.size(), " differences")));
  return report->differences.empty() ? kExitOk : kExitReplayDiffers;
}

// "drive.jsonl" for "/tmp/demo/drive.jsonl".
absl::string_view Basename(absl::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == absl::string_view::npos ? path : path.substr(slash + 1);
}

int RunTimeline(const TimelineCommand& command) {
  // Every argument is checked before the picture is drawn, and the picture
  // is written whole or not at all.
  if (absl::StatusOr<timeline::ImageFormat> format =
          timeline::ImageFormatForPath(command.out_path);
      !format.ok()) {
    return Fail(kExitUsage, absl::StrCat("timeline: ", format.status().message()));
  }
  int exit_code = kExitOk;
  std::optional<RecordedLog> log =
      LoadRecordedLog(command.events_path, command.config_path, exit_code);
  if (!log) return exit_code;
  absl::StatusOr<timeline::TimelineModel> model =
      timeline::BuildTimelineModel(log->events, log->car);
  if (!model.ok()) {
    return Fail(kExitUsage, absl::StrCat(command.events_path, ": ", model.status().message()));
  }
  absl::StatusOr<timeline::TimelineLayout> layout = timeline::LayOutTimeline(
      *model, command.width.value_or(timeline::kDefaultTimelineWidth),
      absl::StrCat("Focus timeline · ", Basename(command.events_path)));
  if (!layout.ok()) {
    return Fail(kExitUsage, absl::StrCat("timeline: ", layout.status().message()));
  }
  if (absl::Status status = timeline::WriteTimelineImage(*layout, command.out_path);
      !status.ok()) {
    return Fail(kExitRpcError, std::string(status.message()));
  }
  size_t intervals = 0, markers = 0;
  for (const timeline::ZoneTimeline& zone : model->zones) {
    intervals += zone.focus.size();
    markers += zone.markers.size();
  }
  PrintLine(absl::StrFormat("wrote %s (%d x %d px): %d zones, %d focus intervals, %d markers, "
                            "%.1f s",
                            command.out_path, static_cast<int>(layout->width),
                            static_cast<int>(std::ceil(layout->height)), model->zones.size(),
                            intervals, markers, model->end_ns / 1e9));
  return kExitOk;
}

int RunAudit(const Connection& connection, const AuditCommand& command) {
  v1::CarAudioAdmin::Stub stub(connection.channel());
  v1::AuditReport report;
  const grpc::Status status =
      stub.GetAudit(connection.UnaryContext().get(), command.request, &report);
  if (!status.ok()) return RpcFailure(status, "CarAudioAdmin.GetAudit");
  if (!command.json) {
    PrintText(RenderAudit(report));
    return kExitOk;
  }
  absl::StatusOr<std::string> json = ToJson(report, /*pretty=*/true);
  if (!json.ok()) return Fail(kExitRpcError, std::string(json.status().message()));
  PrintLine(*json);
  return kExitOk;
}

int RunRequest(const Connection& connection, StopSignals& signals, const RequestCommand& command) {
  v1::FocusRequest request = command.request;
  if (request.client_id().empty()) request.set_client_id(DefaultClientName());
  v1::AudioFocus::Stub stub(connection.channel());
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<v1::FocusEvent>> reader = stub.RequestFocus(&context, request);
  std::optional<v1::RequestResult> result;
  const StreamEnd end =
      RunStream(signals, context, *reader, command.hold, [&](const v1::FocusEvent& event) {
        if (event.has_result() && !result) result = event.result().result();
        PrintLine(RenderFocusEvent(event));
      });
  if (IsStreamError(end)) return RpcFailure(end.status, "AudioFocus.RequestFocus");
  if (result == v1::REQUEST_FAILED) return kExitRequestFailed;
  if (!result && !end.stopped) {
    return Fail(kExitRpcError, "RequestFocus stream ended without a result");
  }
  return kExitOk;
}

int RunAbandon(const Connection& connection, const AbandonCommand& command) {
  v1::AudioFocus::Stub stub(connection.channel());
  v1::AbandonFocusResponse response;
  const grpc::Status status =
      stub.AbandonFocus(connection.UnaryContext().get(), command.request, &response);
  if (!status.ok()) return RpcFailure(status, "AudioFocus.AbandonFocus");
  PrintLine(absl::StrCat("abandoned ", command.request.client_id(), " in ",
                         command.request.has_zone_id()
                             ? absl::StrCat("zone ", command.request.zone_id())
                             : std::string("every zone")));
  return kExitOk;
}

int RunHalRequest(const Connection& connection, StopSignals& signals,
                  const HalRequestCommand& command) {
  v1::HoldFocusRequest request = command.request;
  if (request.source_name().empty()) request.set_source_name(DefaultClientName());
  v1::HalFocus::Stub stub(connection.channel());
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<v1::HalFocusStatus>> reader =
      stub.HoldFocus(&context, request);
  bool granted = false;
  bool lost = false;
  const StreamEnd end =
      RunStream(signals, context, *reader, command.hold, [&](const v1::HalFocusStatus& status) {
        const int32_t change = status.focus_change();
        if (change >= v1::FOCUS_CHANGE_GAIN &&
            change <= v1::FOCUS_CHANGE_GAIN_TRANSIENT_EXCLUSIVE) {
          granted = true;
        }
        if (change == v1::FOCUS_CHANGE_LOSS) lost = true;
        PrintLine(RenderHalFocusStatus(status));
      });
  if (end.status.error_code() == grpc::StatusCode::ABORTED) {
    // ReleaseFocus (e.g. `audioctl hal-abandon`) force-released the pair: an
    // ordinary end of the hold, not an error of this call.
    PrintLine(absl::StrCat("hold released: ", end.status.error_message()));
    return kExitOk;
  }
  if (IsStreamError(end)) return RpcFailure(end.status, "HalFocus.HoldFocus");
  return lost && !granted ? kExitRequestFailed : kExitOk;
}

int RunChime(const Connection& connection, StopSignals& signals, const ChimeCommand& command) {
  v1::PlaySoundRequest request = command.request;
  if (request.source_name().empty()) request.set_source_name(DefaultClientName());
  v1::HalFocus::Stub stub(connection.channel());
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<v1::HalFocusStatus>> reader =
      stub.PlaySound(&context, request);
  const StreamEnd end = RunStream(signals, context, *reader, std::nullopt,
                                  [&](const v1::HalFocusStatus& status) {
                                    PrintLine(RenderHalFocusStatus(status));
                                  });
  if (IsStreamError(end)) return RpcFailure(end.status, "HalFocus.PlaySound");
  return kExitOk;
}

int RunHalAbandon(const Connection& connection, const HalAbandonCommand& command) {
  v1::HalFocus::Stub stub(connection.channel());
  v1::ReleaseFocusResponse response;
  const grpc::Status status =
      stub.ReleaseFocus(connection.UnaryContext().get(), command.request, &response);
  if (!status.ok()) return RpcFailure(status, "HalFocus.ReleaseFocus");
  PrintLine(absl::StrCat("released ", response.released_holders(), " hold(s) of ",
                         UsageLabel(command.request.usage()), " in zone ",
                         command.request.zone_id()));
  return kExitOk;
}

int RunRestrict(const Connection& connection, const RestrictCommand& command) {
  v1::CarAudioAdmin::Stub stub(connection.channel());
  v1::SetRestrictFocusResponse response;
  const grpc::Status status =
      stub.SetRestrictFocus(connection.UnaryContext().get(), command.request, &response);
  if (!status.ok()) return RpcFailure(status, "CarAudioAdmin.SetRestrictFocus");
  PrintLine(absl::StrCat("focus restricted: ", command.request.restricted() ? "on" : "off"));
  return kExitOk;
}

int RunAppState(const Connection& connection, const AppStateCommand& command) {
  v1::CarAudioAdmin::Stub stub(connection.channel());
  v1::AppLifecycleState state;
  const grpc::Status status =
      stub.ReportAppState(connection.UnaryContext().get(), command.request, &state);
  if (!status.ok()) return RpcFailure(status, "CarAudioAdmin.ReportAppState");
  PrintLine(absl::StrCat(state.package_name(), " (uid ", state.uid(), "): ",
                         state.valid() ? "valid lifecycle" : "no valid lifecycle", " (",
                         state.reason(), ")"));
  return kExitOk;
}

int RunHardening(const Connection& connection, const HardeningCommand& command) {
  v1::CarAudioAdmin::Stub stub(connection.channel());
  v1::SetHardeningModeResponse response;
  const grpc::Status status =
      stub.SetHardeningMode(connection.UnaryContext().get(), command.request, &response);
  if (!status.ok()) return RpcFailure(status, "CarAudioAdmin.SetHardeningMode");
  PrintLine(absl::StrCat("hardening ",
                         command.request.has_zone_id()
                             ? absl::StrCat("in zone ", command.request.zone_id())
                             : std::string("by default"),
                         ": ", v1::HardeningMode_Name(command.request.mode())));
  return kExitOk;
}

int RunNavDuringCall(const Connection& connection, const NavDuringCallCommand& command) {
  v1::CarAudioAdmin::Stub stub(connection.channel());
  v1::SetNavigationRejectedDuringCallResponse response;
  const grpc::Status status = stub.SetNavigationRejectedDuringCall(connection.UnaryContext().get(),
                                                                   command.request, &response);
  if (!status.ok()) return RpcFailure(status, "CarAudioAdmin.SetNavigationRejectedDuringCall");
  PrintLine(absl::StrCat("zone ", command.request.zone_id(), ": navigation during call: ",
                         command.request.rejected() ? "reject" : "allow"));
  return kExitOk;
}

int RunZoneForUid(const Connection& connection, const ZoneForUidCommand& command) {
  v1::CarAudioAdmin::Stub stub(connection.channel());
  v1::SetZoneForUidResponse response;
  const grpc::Status status =
      stub.SetZoneForUid(connection.UnaryContext().get(), command.request, &response);
  if (!status.ok()) return RpcFailure(status, "CarAudioAdmin.SetZoneForUid");
  PrintLine(absl::StrCat("uid ", command.request.uid(), " -> zone ", command.request.zone_id()));
  return kExitOk;
}

int RunClearZoneForUid(const Connection& connection, const ClearZoneForUidCommand& command) {
  v1::CarAudioAdmin::Stub stub(connection.channel());
  v1::ClearZoneForUidResponse response;
  const grpc::Status status =
      stub.ClearZoneForUid(connection.UnaryContext().get(), command.request, &response);
  if (!status.ok()) return RpcFailure(status, "CarAudioAdmin.ClearZoneForUid");
  PrintLine(absl::StrCat("uid ", command.request.uid(), " -> zone 0 (mapping cleared)"));
  return kExitOk;
}

int RunEvents(const Connection& connection, StopSignals& signals, const EventsCommand& command,
              std::ofstream* record) {
  v1::CarAudioAdmin::Stub stub(connection.channel());
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<v1::Event>> reader =
      stub.WatchEvents(&context, command.request);
  std::string json_error;
  const StreamEnd end =
      RunStream(signals, context, *reader, command.hold, [&](const v1::Event& event) {
        std::optional<std::string> json;
        if (command.json || record != nullptr) {
          absl::StatusOr<std::string> converted = ToJson(event, /*pretty=*/false);
          if (converted.ok()) {
            json = *std::move(converted);
          } else if (json_error.empty()) {
            json_error = std::string(converted.status().message());
          }
        }
        if (record != nullptr && json) *record << *json << '\n' << std::flush;
        if (command.json) {
          if (json) PrintLine(*json);
          return;
        }
        PrintLine(RenderEvent(event));
        if (event.has_subscribed() && event.subscribed().has_state()) {
          PrintText(RenderState(event.subscribed().state()));
        }
      });
  if (IsStreamError(end)) return RpcFailure(end.status, "CarAudioAdmin.WatchEvents");
  if (!json_error.empty()) return Fail(kExitRpcError, json_error);
  if (record != nullptr && !*record) {
    return Fail(kExitRpcError, absl::StrCat("error writing ", *command.record_path));
  }
  return kExitOk;
}

int RunVolumeList(const Connection& connection, const VolumeListCommand& command) {
  v1::AudioFocus::Stub stub(connection.channel());
  v1::ListVolumeGroupsResponse response;
  const grpc::Status status =
      stub.ListVolumeGroups(connection.UnaryContext().get(), command.request, &response);
  if (!status.ok()) return RpcFailure(status, "AudioFocus.ListVolumeGroups");
  PrintText(RenderVolumeTable(response.groups()));
  return kExitOk;
}

// get, set, mute and unmute all answer one GroupVolume.
template <typename Request>
int RunVolumeUnary(const Connection& connection, const Request& request) {
  v1::AudioFocus::Stub stub(connection.channel());
  v1::GroupVolume group;
  std::unique_ptr<grpc::ClientContext> context = connection.UnaryContext();
  grpc::Status status;
  absl::string_view rpc;
  if constexpr (std::is_same_v<Request, v1::GetGroupVolumeRequest>) {
    status = stub.GetGroupVolume(context.get(), request, &group);
    rpc = "AudioFocus.GetGroupVolume";
  } else if constexpr (std::is_same_v<Request, v1::SetGroupVolumeRequest>) {
    status = stub.SetGroupVolume(context.get(), request, &group);
    rpc = "AudioFocus.SetGroupVolume";
  } else {
    static_assert(std::is_same_v<Request, v1::SetGroupMuteRequest>);
    status = stub.SetGroupMute(context.get(), request, &group);
    rpc = "AudioFocus.SetGroupMute";
  }
  if (!status.ok()) return RpcFailure(status, rpc);
  PrintLine(RenderGroupVolume(group));
  return kExitOk;
}

int RunPing(const Connection& connection, const PingCommand& command) {
  v1::CarAudioAdmin::Stub stub(connection.channel());
  absl::Duration total, min = absl::InfiniteDuration(), max;
  for (int i = 0; i < command.count; ++i) {
    v1::PingResponse response;
    std::unique_ptr<grpc::ClientContext> context = connection.UnaryContext();
    const absl::Time start = absl::Now();
    const grpc::Status status = stub.Ping(context.get(), v1::PingRequest(), &response);
    const absl::Duration rtt = absl::Now() - start;
    if (!status.ok()) return RpcFailure(status, "CarAudioAdmin.Ping");
    total += rtt;
    min = std::min(min, rtt);
    max = std::max(max, rtt);
    PrintLine(absl::StrFormat("pong from %s: %.3f ms", connection.target(),
                              absl::ToDoubleMilliseconds(rtt)));
  }
  if (command.count > 1) {
    PrintLine(absl::StrFormat(
        "%d pings: min/avg/max = %.3f/%.3f/%.3f ms", command.count, absl::ToDoubleMilliseconds(min),
        absl::ToDoubleMilliseconds(total / command.count), absl::ToDoubleMilliseconds(max)));
  }
  return kExitOk;
}

bool IsStreaming(const Command& command) {
  return std::holds_alternative<RequestCommand>(command) ||
         std::holds_alternative<HalRequestCommand>(command) ||
         std::holds_alternative<ChimeCommand>(command) ||
         std::holds_alternative<EventsCommand>(command);
}

}  // namespace

int RunInvocation(const Invocation& invocation) {
  if (const auto* help = std::get_if<HelpCommand>(&invocation.command)) return RunHelp(*help);

  // Before anything that can fail late: the recording file.
  std::unique_ptr<std::ofstream> record;
  if (const auto* events = std::get_if<EventsCommand>(&invocation.command)) {
    if (events->record_path) {
      record = std::make_unique<std::ofstream>(*events->record_path, std::ios::trunc);
      if (!*record) {
        return Fail(kExitRpcError, absl::StrCat("cannot open ", *events->record_path,
                                                " for writing: ", std::strerror(errno)));
      }
    }
  }

  // Offline commands need no daemon.
  if (const auto* replay = std::get_if<ReplayCommand>(&invocation.command)) {
    return RunReplay(*replay);
  }
  if (const auto* timeline = std::get_if<TimelineCommand>(&invocation.command)) {
    return RunTimeline(*timeline);
  }

  // Streaming commands take their signals synchronously; the mask must be set
  // before gRPC starts its threads (at the first channel).
  std::optional<StopSignals> signals;
  if (IsStreaming(invocation.command)) signals.emplace();

  absl::StatusOr<Connection> connection = Connect(invocation.global);
  if (!connection.ok()) return Fail(kExitRpcError, std::string(connection.status().message()));
  const Connection& c = *connection;

  return std::visit(
      [&](const auto& command) -> int {
        using T = std::decay_t<decltype(command)>;
        if constexpr (std::is_same_v<T, HelpCommand>) {
          return RunHelp(command);
        } else if constexpr (std::is_same_v<T, DumpCommand>) {
          return RunDump(c, command);
        } else if constexpr (std::is_same_v<T, ReplayCommand>) {
          return RunReplay(command);
        } else if constexpr (std::is_same_v<T, TimelineCommand>) {
          return RunTimeline(command);
        } else if constexpr (std::is_same_v<T, AuditCommand>) {
          return RunAudit(c, command);
        } else if constexpr (std::is_same_v<T, RequestCommand>) {
          return RunRequest(c, *signals, command);
        } else if constexpr (std::is_same_v<T, AbandonCommand>) {
          return RunAbandon(c, command);
        } else if constexpr (std::is_same_v<T, HalRequestCommand>) {
          return RunHalRequest(c, *signals, command);
        } else if constexpr (std::is_same_v<T, ChimeCommand>) {
          return RunChime(c, *signals, command);
        } else if constexpr (std::is_same_v<T, HalAbandonCommand>) {
          return RunHalAbandon(c, command);
        } else if constexpr (std::is_same_v<T, RestrictCommand>) {
          return RunRestrict(c, command);
        } else if constexpr (std::is_same_v<T, HardeningCommand>) {
          return RunHardening(c, command);
        } else if constexpr (std::is_same_v<T, AppStateCommand>) {
          return RunAppState(c, command);
        } else if constexpr (std::is_same_v<T, NavDuringCallCommand>) {
          return RunNavDuringCall(c, command);
        } else if constexpr (std::is_same_v<T, ZoneForUidCommand>) {
          return RunZoneForUid(c, command);
        } else if constexpr (std::is_same_v<T, ClearZoneForUidCommand>) {
          return RunClearZoneForUid(c, command);
        } else if constexpr (std::is_same_v<T, EventsCommand>) {
          return RunEvents(c, *signals, command, record.get());
        } else if constexpr (std::is_same_v<T, VolumeListCommand>) {
          return RunVolumeList(c, command);
        } else if constexpr (std::is_same_v<T, VolumeGetCommand> ||
                             std::is_same_v<T, VolumeSetCommand> ||
                             std::is_same_v<T, VolumeMuteCommand>) {
          return RunVolumeUnary(c, command.request);
        } else {
          static_assert(std::is_same_v<T, PingCommand>, "a command without a runner");
          return RunPing(c, command);
        }
      },
      invocation.command);
}

}  // namespace caraudio::audioctl
