// The command line of audioctl: global options, the command words and each
// command's options, parsed into an Invocation that holds the RPC arguments
// ready to send. Parsing is pure (no I/O, no environment, no RPC), so every
// bad argument is caught here, before anything is sent.
//
//   audioctl [--socket PATH | --address ADDR] [--timeout S] [--wait]
//            [--tls_ca PEM --tls_cert PEM --tls_key PEM] COMMAND ...
//
// Options are spelled `--name VALUE` or `--name=VALUE`; the global options
// may also appear among a command's options. Names (usages, gains, content
// types) go through the engine's parsers (carservice/audio_usage.h,
// focus_codes.h), so "USAGE_ASSISTANCE_NAVIGATION_GUIDANCE", "nav" and "12"
// all work. The command table and help texts live in audioctl_args.cc.

#ifndef CARAUDIO_TOOLS_AUDIOCTL_ARGS_H_
#define CARAUDIO_TOOLS_AUDIOCTL_ARGS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "caraudio/v1/admin.pb.h"
#include "caraudio/v1/audio_focus.pb.h"
#include "caraudio/v1/hal_focus.pb.h"

namespace caraudio::audioctl {

// Exit codes of audioctl (also documented in the help text).
inline constexpr int kExitOk = 0;             // done; a held request ended normally
inline constexpr int kExitRpcError = 1;       // daemon unreachable, RPC or I/O error
inline constexpr int kExitUsage = 2;          // bad command line; nothing was sent
inline constexpr int kExitRequestFailed = 3;  // focus request FAILED / HAL hold refused
inline constexpr int kExitReplayDiffers = 4;  // replay: a decision or output differs

// Where and how to connect.
struct GlobalOptions {
  // --socket PATH: a unix socket path. At most one of socket and address.
  std::optional<std::string> socket;
  // --address ADDR: a gRPC target, e.g. "unix:/run/x.sock" or "127.0.0.1:5000".
  std::optional<std::string> address;
  // --timeout S: how long to wait for the connection and for each unary RPC.
  absl::Duration timeout = absl::Seconds(3);
  // --wait: keep retrying the connection until the timeout instead of failing
  // at the first refused attempt (for scripts that start the daemon).
  bool wait = false;
  // --tls_ca / --tls_cert / --tls_key: PEM files for mutual TLS, which a
  // HOST:PORT address requires (the daemon accepts no plaintext TCP). All
  // three or none; only with a HOST:PORT address.
  std::string tls_ca;
  std::string tls_cert;
  std::string tls_key;
};

// The gRPC target: --address as given, else "unix:" + --socket, else
// "unix:" + default_socket.
std::string ChannelTarget(const GlobalOptions& options, absl::string_view default_socket);

// `help [COMMAND]`, `--help`, `COMMAND --help`. Empty topic: the overview.
struct HelpCommand {
  std::string topic;
};

// `dump [--json]`: CarAudioAdmin.GetState.
struct DumpCommand {
  bool json = false;
};

// `request ...`: AudioFocus.RequestFocus, held until Ctrl-C, --seconds or the
// stream's end. An empty request.client_id means "audioctl-<pid>" (filled in
// by the command, as it depends on the process).
struct RequestCommand {
  v1::FocusRequest request;
  std::optional<absl::Duration> hold;  // --seconds
};

// `abandon --client ID [--zone N]`: AudioFocus.AbandonFocus.
struct AbandonCommand {
  v1::AbandonFocusRequest request;
};

// `hal-request ...`: HalFocus.HoldFocus. An empty request.source_name means
// "audioctl-<pid>".
struct HalRequestCommand {
  v1::HoldFocusRequest request;
  std::optional<absl::Duration> hold;  // --seconds
};

// `chime --zone N [--usage U] [--tone NAME] [--seconds S]`: HalFocus.PlaySound.
struct ChimeCommand {
  v1::PlaySoundRequest request;
};

// `hal-abandon --usage U --zone N`: HalFocus.ReleaseFocus.
struct HalAbandonCommand {
  v1::ReleaseFocusRequest request;
};

// `restrict on|off`: CarAudioAdmin.SetRestrictFocus.
struct RestrictCommand {
  v1::SetRestrictFocusRequest request;
};

// `hardening set-enable 0|1 [--warn] [--zone N]`: CarAudioAdmin.SetHardeningMode
// (the `cmd audio set-enable-hardening` equivalent).
struct HardeningCommand {
  v1::SetHardeningModeRequest request;
};

// `app-state --package P --uid U REPORT`: CarAudioAdmin.ReportAppState, what
// the head unit tells the service about an app's lifecycle. REPORT is one of
// visible|pip|background, fgs-start TYPE [--origin O], fgs-stop TYPE,
// playback playing|paused|stopped|failed, interaction.
struct AppStateCommand {
  v1::ReportAppStateRequest request;
};

// `audit [--package P] [--json]`: CarAudioAdmin.GetAudit, the compliance
// audit's findings (and the streams' last levels).
struct AuditCommand {
  v1::GetAuditRequest request;
  bool json = false;
};

// `nav-during-call --zone N reject|allow`:
// CarAudioAdmin.SetNavigationRejectedDuringCall.
struct NavDuringCallCommand {
  v1::SetNavigationRejectedDuringCallRequest request;
};

// `zone-for-uid --uid U --zone N`: CarAudioAdmin.SetZoneForUid.
struct ZoneForUidCommand {
  v1::SetZoneForUidRequest request;
};

// `zone-for-uid --uid U --clear`: CarAudioAdmin.ClearZoneForUid.
struct ClearZoneForUidCommand {
  v1::ClearZoneForUidRequest request;
};

// `events [--json] [--with-state] [--record FILE] [--seconds S]`:
// CarAudioAdmin.WatchEvents until Ctrl-C (or S seconds).
struct EventsCommand {
  bool json = false;
  v1::WatchEventsRequest request;  // include_state from --with-state
  std::optional<std::string> record_path;
  std::optional<absl::Duration> hold;  // --seconds
};

// `replay FILE [--config XML]`: feeds a recorded event log back through the
// focus policy offline (tools/event_replay.h); no daemon involved.
struct ReplayCommand {
  std::string path;
  std::optional<std::string> config_path;
};

// `timeline --events FILE --out PICTURE [--config XML] [--width PX]`: draws
// a recorded event log as a focus / duck timeline picture, SVG or PNG by
// PICTURE's extension (tools/timeline/); no daemon involved.
struct TimelineCommand {
  std::string events_path;
  std::string out_path;
  std::optional<std::string> config_path;
  std::optional<int32_t> width;  // pixels; absent: the timeline's default
};

// `volume list [--zone N]`: AudioFocus.ListVolumeGroups.
struct VolumeListCommand {
  v1::ListVolumeGroupsRequest request;
};

// `volume get --zone N --group G`: AudioFocus.GetGroupVolume.
struct VolumeGetCommand {
  v1::GetGroupVolumeRequest request;
};

// `volume set --zone N --group G --index I`: AudioFocus.SetGroupVolume.
struct VolumeSetCommand {
  v1::SetGroupVolumeRequest request;
};

// `volume mute|unmute --zone N --group G`: AudioFocus.SetGroupMute.
struct VolumeMuteCommand {
  v1::SetGroupMuteRequest request;
};

// `ping [--count N]`: CarAudioAdmin.Ping, N times.
struct PingCommand {
  int count = 1;
};

using Command =
    std::variant<HelpCommand, DumpCommand, RequestCommand, AbandonCommand, HalRequestCommand,
                 HalAbandonCommand, ChimeCommand, RestrictCommand, HardeningCommand, AppStateCommand, AuditCommand, NavDuringCallCommand, ZoneForUidCommand,
                 ClearZoneForUidCommand, EventsCommand, ReplayCommand, TimelineCommand, VolumeListCommand, VolumeGetCommand,
                 VolumeSetCommand, VolumeMuteCommand, PingCommand>;

// One parsed command line.
struct Invocation {
  GlobalOptions global;
  Command command;
};

// Parses the arguments after argv[0]. On a bad command line returns
// InvalidArgument whose message is the one line to print after "audioctl: ",
// e.g. `request: unknown usage "foo" ...`; also when no command is given.
absl::StatusOr<Invocation> ParseCommandLine(const std::vector<std::string>& args);

// The help text for `topic` (a command name, "" for the overview), ending in
// a newline; nullopt when topic names no command.
std::optional<std::string> HelpText(absl::string_view topic);

}  // namespace caraudio::audioctl

#endif  // CARAUDIO_TOOLS_AUDIOCTL_ARGS_H_
