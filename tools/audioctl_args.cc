#include "tools/audioctl_args.h"

#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "carservice/audio_usage.h"
#include "carservice/app_lifecycle.h"
#include "carservice/focus_codes.h"
#include "carservice/foreground_service.h"

namespace caraudio::audioctl {
namespace {

constexpr bool kRequired = true;

// One option a command accepts.
struct OptionSpec {
  absl::string_view name;  // with the dashes: "--zone"
  bool takes_value;
};

// Options every command accepts besides its own (see GlobalOptions).
constexpr OptionSpec kGlobalOptions[] = {
    {"--socket", true},  {"--address", true},  {"--timeout", true},
    {"--wait", false},   {"--tls_ca", true},   {"--tls_cert", true},
    {"--tls_key", true}};

const OptionSpec* FindOption(absl::string_view name, const std::vector<OptionSpec>& options) {
  for (const OptionSpec& spec : options) {
    if (spec.name == name) return &spec;
  }
  for (const OptionSpec& spec : kGlobalOptions) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

// The options and positional arguments of one command, and typed accessors
// that record the first error (prefixed with the command name) instead of
// returning it, so that builders read straight through.
class OptionReader {
 public:
  OptionReader(std::string command, std::map<std::string, std::string> values,
               std::vector<std::string> positionals)
      : command_(std::move(command)),
        values_(std::move(values)),
        positionals_(std::move(positionals)) {}

  bool Has(absl::string_view name) const { return values_.count(std::string(name)) > 0; }
  bool Flag(absl::string_view name) const { return Has(name); }

  // The raw value; records "NAME is required" when absent and required.
  std::optional<std::string> Raw(absl::string_view name, bool required = false) {
    auto it = values_.find(std::string(name));
    if (it == values_.end()) {
      if (required) Fail(absl::StrCat(name, " is required"));
      return std::nullopt;
    }
    return it->second;
  }

  // A non-empty string.
  std::optional<std::string> String(absl::string_view name, bool required = false) {
    std::optional<std::string> value = Raw(name, required);
    if (value && value->empty()) {
      Fail(absl::StrCat(name, " must not be empty"));
      return std::nullopt;
    }
    return value;
  }

  // A decimal int32 no lower than `min`.
  std::optional<int32_t> Int(absl::string_view name, bool required = false,
                             int32_t min = INT32_MIN) {
    std::optional<std::string> value = Raw(name, required);
    if (!value) return std::nullopt;
    int32_t number = 0;
    if (!absl::SimpleAtoi(*value, &number)) {
      Fail(absl::StrCat(name, ": \"", *value, "\" is not a number"));
      return std::nullopt;
    }
    if (number < min) {
      Fail(absl::StrCat(name, ": ", number, " is below ", min));
      return std::nullopt;
    }
    return number;
  }

  // A usage name or number, through the engine's ParseUsage.
  std::optional<v1::AudioUsage> Usage(absl::string_view name, bool required = false) {
    std::optional<std::string> value = Raw(name, required);
    if (!value) return std::nullopt;
    std::optional<int32_t> usage = ParseUsage(*value);
    if (!usage) {
      Fail(absl::StrCat("unknown usage \"", *value,
                        "\" (e.g. USAGE_MEDIA, media, nav, call, ring, safety, 1001)"));
      return std::nullopt;
    }
    return static_cast<v1::AudioUsage>(*usage);
  }

  // A focus gain, through the engine's ParseFocusGain.
  std::optional<v1::FocusGain> Gain(absl::string_view name) {
    std::optional<std::string> value = Raw(name);
    if (!value) return std::nullopt;
    std::optional<FocusGain> gain = ParseFocusGain(*value);
    if (!gain) {
      Fail(absl::StrCat("unknown gain \"", *value,
                        "\" (gain, transient, transient-may-duck, transient-exclusive, "
                        "G/T/D/X or 1..4)"));
      return std::nullopt;
    }
    return static_cast<v1::FocusGain>(*gain);
  }

  // A content type: a number (any, passed through) or a CONTENT_TYPE_* name
  // with or without the prefix.
  std::optional<v1::AudioContentType> ContentType(absl::string_view name) {
    std::optional<std::string> value = Raw(name);
    if (!value) return std::nullopt;
    int32_t number = 0;
    if (absl::SimpleAtoi(*value, &number)) return static_cast<v1::AudioContentType>(number);
    std::string upper = absl::StrReplaceAll(absl::AsciiStrToUpper(*value), {{"-", "_"}});
    if (!absl::StartsWith(upper, "CONTENT_TYPE_")) upper = "CONTENT_TYPE_" + upper;
    v1::AudioContentType type = v1::CONTENT_TYPE_UNKNOWN;
    if (!v1::AudioContentType_Parse(upper, &type)) {
      Fail(absl::StrCat("unknown content type \"", *value,
                        "\" (a number, or unknown, speech, music, movie, sonification)"));
      return std::nullopt;
    }
    return type;
  }

  // Seconds >= 0, fractions allowed.
  std::optional<absl::Duration> Seconds(absl::string_view name) {
    std::optional<std::string> value = Raw(name);
    if (!value) return std::nullopt;
    double seconds = 0;
    if (!absl::SimpleAtod(*value, &seconds) || !std::isfinite(seconds) || seconds < 0) {
      Fail(absl::StrCat(name, ": \"", *value, "\" is not a number of seconds >= 0"));
      return std::nullopt;
    }
    return absl::Seconds(seconds);
  }

  const std::vector<std::string>& positionals() const { return positionals_; }

  // Records an error unless there are exactly `count` positional arguments,
  // described by `what` (e.g. "on|off").
  void ExpectPositionals(size_t count, absl::string_view what = "") {
    if (positionals_.size() > count) {
      Fail(absl::StrCat("unexpected argument \"", positionals_[count], "\""));
    } else if (positionals_.size() < count) {
      Fail(absl::StrCat("missing ", what));
    }
  }

  void Fail(absl::string_view message) {
    if (status_.ok()) status_ = absl::InvalidArgumentError(absl::StrCat(command_, ": ", message));
  }
  bool ok() const { return status_.ok(); }
  const absl::Status& status() const { return status_; }

 private:
  std::string command_;
  std::map<std::string, std::string> values_;
  std::vector<std::string> positionals_;
  absl::Status status_;
};

using Builder = absl::StatusOr<Command> (*)(OptionReader&);

// One command: its words, help and options, and how to build it.
struct CommandSpec {
  std::string name;      // "request", "volume set"
  std::string synopsis;  // the arguments after the name
  std::string summary;   // one line for the overview
  std::string rpc;       // what it calls, e.g. "CarAudioAdmin.GetState"
  std::string details;   // the rest of `help NAME`; may be empty
  std::vector<OptionSpec> options;
  Builder build;
};

absl::StatusOr<Command> BuildDump(OptionReader& r) {
  DumpCommand c;
  c.json = r.Flag("--json");
  r.ExpectPositionals(0);
  if (!r.ok()) return r.status();
  return c;
}

absl::StatusOr<Command> BuildRequest(OptionReader& r) {
  RequestCommand c;
  std::optional<v1::AudioUsage> usage = r.Usage("--usage", kRequired);
  std::optional<int32_t> zone = r.Int("--zone");
  std::optional<v1::FocusGain> gain = r.Gain("--gain");
  std::optional<std::string> client = r.String("--client");
  std::optional<std::string> package = r.Raw("--package");
  std::optional<int32_t> uid = r.Int("--uid", false, 0);
  std::optional<v1::AudioContentType> content_type = r.ContentType("--content-type");
  c.hold = r.Seconds("--seconds");
  r.ExpectPositionals(0);
  if (!r.ok()) return r.status();
  v1::FocusRequest& request = c.request;
  request.set_usage(*usage);
  if (zone) request.set_zone_id(*zone);
  request.set_gain(gain.value_or(v1::FOCUS_GAIN));
  if (client) request.set_client_id(*client);
  if (package) request.set_package_name(*package);
  if (uid) request.set_uid(*uid);
  if (content_type) request.set_content_type(*content_type);
  request.set_delay_ok(r.Flag("--delay-ok"));
  request.set_pause_when_ducked(r.Flag("--pause-when-ducked"));
  request.set_receive_ducking_events(r.Flag("--ducking-events"));
  return c;
}

absl::StatusOr<Command> BuildAbandon(OptionReader& r) {
  AbandonCommand c;
  std::optional<std::string> client = r.String("--client", kRequired);
  std::optional<int32_t> zone = r.Int("--zone");
  r.ExpectPositionals(0);
  if (!r.ok()) return r.status();
  c.request.set_client_id(*client);
  if (zone) c.request.set_zone_id(*zone);
  return c;
}

absl::StatusOr<Command> BuildHalRequest(OptionReader& r) {
  HalRequestCommand c;
  std::optional<v1::AudioUsage> usage = r.Usage("--usage", kRequired);
  std::optional<int32_t> zone = r.Int("--zone", kRequired);
  std::optional<v1::FocusGain> gain = r.Gain("--gain");
  std::optional<std::string> source = r.String("--source");
  c.hold = r.Seconds("--seconds");
  r.ExpectPositionals(0);
  if (!r.ok()) return r.status();
  c.request.set_usage(*usage);
  c.request.set_zone_id(*zone);
  c.request.set_gain(gain.value_or(v1::FOCUS_GAIN_TRANSIENT));
  if (source) c.request.set_source_name(*source);
  return c;
}

absl::StatusOr<Command> BuildChime(OptionReader& r) {
  ChimeCommand c;
  std::optional<int32_t> zone = r.Int("--zone", kRequired);
  std::optional<v1::AudioUsage> usage = r.Usage("--usage");
  std::optional<v1::FocusGain> gain = r.Gain("--gain");
  std::optional<std::string> tone = r.String("--tone");
  std::optional<absl::Duration> seconds = r.Seconds("--seconds");
  std::optional<std::string> source = r.String("--source");
  r.ExpectPositionals(0);
  if (!r.ok()) return r.status();
  if (tone && *tone != "chime" && *tone != "beep" && *tone != "sine") {
    return absl::InvalidArgumentError(
        absl::StrCat("--tone must be chime, beep or sine, not \"", *tone, "\""));
  }
  if (seconds && (*seconds <= absl::ZeroDuration() || *seconds > absl::Seconds(600))) {
    return absl::InvalidArgumentError("--seconds must be in (0, 600]");
  }
  c.request.set_zone_id(*zone);
  c.request.set_usage(usage.value_or(v1::USAGE_SAFETY));
  if (gain) c.request.set_gain(*gain);
  c.request.set_tone(tone.value_or("chime"));
  c.request.set_duration_ms(
      static_cast<int32_t>(absl::ToInt64Milliseconds(seconds.value_or(absl::Seconds(2)))));
  if (source) c.request.set_source_name(*source);
  return c;
}

absl::StatusOr<Command> BuildHalAbandon(OptionReader& r) {
  HalAbandonCommand c;
  std::optional<v1::AudioUsage> usage = r.Usage("--usage", kRequired);
  std::optional<int32_t> zone = r.Int("--zone", kRequired);
  r.ExpectPositionals(0);
  if (!r.ok()) return r.status();
  c.request.set_usage(*usage);
  c.request.set_zone_id(*zone);
  return c;
}

// Parses a two-way word; records an error naming the choices otherwise.
std::optional<bool> OnOff(OptionReader& r, absl::string_view on_word, absl::string_view off_word) {
  r.ExpectPositionals(1, absl::StrCat(on_word, "|", off_word));
  if (!r.ok()) return std::nullopt;
  const std::string word = absl::AsciiStrToLower(r.positionals()[0]);
  if (word == on_word) return true;
  if (word == off_word) return false;
  r.Fail(
      absl::StrCat("expected ", on_word, " or ", off_word, ", not \"", r.positionals()[0], "\""));
  return std::nullopt;
}

absl::StatusOr<Command> BuildRestrict(OptionReader& r) {
  RestrictCommand c;
  std::optional<bool> on = OnOff(r, "on", "off");
  if (!r.ok()) return r.status();
  c.request.set_restricted(*on);
  return c;
}

absl::StatusOr<Command> BuildHardening(OptionReader& r) {
  HardeningCommand c;
  std::optional<int32_t> zone = r.Int("--zone");
  const bool warn = r.Flag("--warn");
  std::optional<bool> enable = OnOff(r, "1", "0");
  if (!r.ok()) return r.status();
  if (warn && !*enable) return absl::InvalidArgumentError("--warn only goes with 1");
  c.request.set_mode(!*enable ? v1::HARDENING_MODE_OFF
                              : (warn ? v1::HARDENING_MODE_WARN : v1::HARDENING_MODE_ENFORCE));
  if (zone) c.request.set_zone_id(*zone);
  return c;
}

absl::StatusOr<Command> BuildReplay(OptionReader& r) {
  ReplayCommand c;
  c.config_path = r.String("--config");
  r.ExpectPositionals(1, "the event log FILE");
  if (!r.ok()) return r.status();
  c.path = r.positionals()[0];
  return c;
}

absl::StatusOr<Command> BuildTimeline(OptionReader& r) {
  TimelineCommand c;
  std::optional<std::string> events = r.String("--events", kRequired);
  std::optional<std::string> out = r.String("--out", kRequired);
  c.config_path = r.String("--config");
  c.width = r.Int("--width", false, 1);
  r.ExpectPositionals(0);
  if (!r.ok()) return r.status();
  c.events_path = *events;
  c.out_path = *out;
  return c;
}

absl::StatusOr<Command> BuildAudit(OptionReader& r) {
  AuditCommand c;
  std::optional<std::string> package = r.String("--package");
  c.json = r.Flag("--json");
  r.ExpectPositionals(0);
  if (!r.ok()) return r.status();
  if (package) c.request.set_package_name(*package);
  return c;
}

absl::StatusOr<Command> BuildAppState(OptionReader& r) {
  AppStateCommand c;
  std::optional<std::string> package = r.String("--package", kRequired);
  std::optional<int32_t> uid = r.Int("--uid", kRequired, 0);
  std::optional<std::string> origin_text = r.String("--origin");
  if (!r.ok()) return r.status();
  c.request.set_package_name(*package);
  c.request.set_uid(*uid);
  const std::vector<std::string>& words = r.positionals();
  if (words.empty()) {
    r.Fail("missing the report (visible, pip, background, fgs-start TYPE, fgs-stop TYPE, "
           "playback STATE or interaction)");
    return r.status();
  }
  const std::string report = absl::AsciiStrToLower(words[0]);
  const size_t arguments = report == "fgs-start" || report == "fgs-stop" || report == "playback";
  if (origin_text && report != "fgs-start") r.Fail("--origin goes with fgs-start");
  r.ExpectPositionals(1 + arguments, absl::StrCat("the argument of ", report));
  if (!r.ok()) return r.status();
  const std::string argument = arguments ? words[1] : "";
  if (std::optional<Visibility> visibility = ParseVisibility(report)) {
    c.request.set_visibility(static_cast<v1::AppVisibility>(*visibility));
  } else if (report == "fgs-start" || report == "fgs-stop") {
    std::optional<FgsType> type = ParseFgsType(argument);
    if (!type) {
      r.Fail(absl::StrCat("unknown foreground service type \"", argument,
                          "\" (e.g. mediaPlayback, dataSync, shortService)"));
      return r.status();
    }
    if (report == "fgs-stop") {
      c.request.set_stop_foreground_service(static_cast<v1::ForegroundServiceType>(*type));
      return c;
    }
    std::optional<FgsStartOrigin> origin =
        origin_text ? ParseFgsStartOrigin(*origin_text) : FgsStartOrigin::kWhileVisible;
    if (!origin) {
      r.Fail(absl::StrCat("unknown --origin \"", *origin_text,
                          "\" (e.g. visible, media-session, boot-completed, background)"));
      return r.status();
    }
    v1::ForegroundServiceStart* start = c.request.mutable_start_foreground_service();
    start->set_type(static_cast<v1::ForegroundServiceType>(*type));
    start->set_origin(static_cast<v1::ForegroundServiceStartOrigin>(*origin));
  } else if (report == "playback") {
    std::optional<PlaybackState> state = ParsePlaybackState(argument);
    if (!state) {
      r.Fail(absl::StrCat("unknown playback state \"", argument,
                          "\" (playing, paused, stopped or failed)"));
      return r.status();
    }
    c.request.set_playback_state(static_cast<v1::AppPlaybackState>(*state));
  } else if (report == "interaction") {
    c.request.mutable_user_interaction();
  } else {
    r.Fail(absl::StrCat("unknown report \"", words[0],
                        "\" (visible, pip, background, fgs-start, fgs-stop, playback, "
                        "interaction)"));
    return r.status();
  }
  return c;
}

absl::StatusOr<Command> BuildNavDuringCall(OptionReader& r) {
  NavDuringCallCommand c;
  std::optional<int32_t> zone = r.Int("--zone", kRequired);
  std::optional<bool> reject = OnOff(r, "reject", "allow");
  if (!r.ok()) return r.status();
  c.request.set_zone_id(*zone);
  c.request.set_rejected(*reject);
  return c;
}

absl::StatusOr<Command> BuildZoneForUid(OptionReader& r) {
  std::optional<int32_t> uid = r.Int("--uid", kRequired, 0);
  const bool clear = r.Flag("--clear");
  if (clear && r.Has("--zone")) r.Fail("give either --zone or --clear, not both");
  std::optional<int32_t> zone = clear ? std::nullopt : r.Int("--zone");
  if (!clear && !r.Has("--zone")) r.Fail("--zone N or --clear is required");
  r.ExpectPositionals(0);
  if (!r.ok()) return r.status();
  if (clear) {
    ClearZoneForUidCommand c;
    c.request.set_uid(*uid);
    return c;
  }
  ZoneForUidCommand c;
  c.request.set_uid(*uid);
  c.request.set_zone_id(*zone);
  return c;
}

absl::StatusOr<Command> BuildEvents(OptionReader& r) {
  EventsCommand c;
  c.json = r.Flag("--json");
  c.request.set_include_state(r.Flag("--with-state"));
  c.record_path = r.String("--record");
  c.hold = r.Seconds("--seconds");
  r.ExpectPositionals(0);
  if (!r.ok()) return r.status();
  return c;
}

absl::StatusOr<Command> BuildVolumeList(OptionReader& r) {
  VolumeListCommand c;
  std::optional<int32_t> zone = r.Int("--zone");
  r.ExpectPositionals(0);
  if (!r.ok()) return r.status();
  if (zone) c.request.set_zone_id(*zone);
  return c;
}

absl::StatusOr<Command> BuildVolumeGet(OptionReader& r) {
  VolumeGetCommand c;
  std::optional<int32_t> zone = r.Int("--zone", kRequired);
  std::optional<std::string> group = r.String("--group", kRequired);
  r.ExpectPositionals(0);
  if (!r.ok()) return r.status();
  c.request.set_zone_id(*zone);
  c.request.set_group(*group);
  return c;
}

// --package P --uid U: the app a volume call is made for (hardening applies);
// without them the call is the head unit's own.
template <typename Request>
void ReadVolumeCaller(OptionReader& r, Request& request) {
  std::optional<std::string> package = r.String("--package");
  std::optional<int32_t> uid = r.Int("--uid", false, 0);
  if (r.Has("--uid") && !package) r.Fail("--uid goes with --package");
  if (package) {
    request.set_package_name(*package);
    request.set_uid(uid.value_or(0));
  }
}

absl::StatusOr<Command> BuildVolumeSet(OptionReader& r) {
  VolumeSetCommand c;
  std::optional<int32_t> zone = r.Int("--zone", kRequired);
  std::optional<std::string> group = r.String("--group", kRequired);
  std::optional<int32_t> index = r.Int("--index", kRequired);
  ReadVolumeCaller(r, c.request);
  r.ExpectPositionals(0);
  if (!r.ok()) return r.status();
  c.request.set_zone_id(*zone);
  c.request.set_group(*group);
  c.request.set_gain_index(*index);
  return c;
}

absl::StatusOr<Command> BuildVolumeMute(OptionReader& r, bool muted) {
  VolumeMuteCommand c;
  std::optional<int32_t> zone = r.Int("--zone", kRequired);
  std::optional<std::string> group = r.String("--group", kRequired);
  ReadVolumeCaller(r, c.request);
  r.ExpectPositionals(0);
  if (!r.ok()) return r.status();
  c.request.set_zone_id(*zone);
  c.request.set_group(*group);
  c.request.set_muted(muted);
  return c;
}

constexpr const char* kVolumeCallerHelp =
    "--package P --uid U make the call on behalf of that app: in a zone enforcing\n"
    "background-audio hardening, an app outside a valid lifecycle is ignored (the answer\n"
    "shows the unchanged group). Without them the call is the head unit's own.\n";

absl::StatusOr<Command> BuildPing(OptionReader& r) {
  PingCommand c;
  std::optional<int32_t> count = r.Int("--count", false, 1);
  r.ExpectPositionals(0);
  if (!r.ok()) return r.status();
  c.count = count.value_or(1);
  return c;
}

absl::StatusOr<Command> BuildHelp(OptionReader& r) {
  if (r.positionals().size() > 2) {
    r.Fail(absl::StrCat("unexpected argument \"", r.positionals()[2], "\""));
  }
  if (!r.ok()) return r.status();
  const std::string topic = absl::StrJoin(r.positionals(), " ");
  if (!HelpText(topic)) {
    r.Fail(absl::StrCat("unknown command \"", topic, "\""));
    return r.status();
  }
  return HelpCommand{topic};
}

const std::vector<CommandSpec>& Commands() {
  static const std::vector<CommandSpec> kCommands = {
      {"dump",
       "[--json]",
       "print the service state, like dumpsys audio",
       "CarAudioAdmin.GetState",
       "Per zone: name, restricted, navigation during call, holders, losers (with\n"
       "blockers and ducked), the delayed request, ducked and muted device addresses,\n"
       "HAL requests; then the uid -> zone map. --json prints the state as proto3 JSON.\n",
       {{"--json", false}},
       BuildDump},
      {"request",
       "--usage U [--zone N] [--gain G] [--client ID] [--package P]\n"
       "         [--uid N] [--delay-ok] [--pause-when-ducked] [--ducking-events]\n"
       "         [--content-type T] [--seconds S]",
       "request audio focus and hold it",
       "AudioFocus.RequestFocus",
       "Prints the result (`GRANTED in zone 1: <explanation>`), then every later focus\n"
       "change with the daemon's timestamp. Holds the focus until Ctrl-C or SIGTERM\n"
       "(the call is cancelled and the server abandons it), until S seconds after the\n"
       "result (--seconds), or until the server ends the stream (LOSS, replaced,\n"
       "abandoned). Defaults: --gain gain, --client audioctl-<pid>, the zone from\n"
       "the uid. --content-type takes a number or speech, music, movie, sonification.\n"
       "Exit: 0 granted or delayed and then ended, 3 FAILED, 1 RPC error.\n",
       {{"--usage", true},
        {"--zone", true},
        {"--gain", true},
        {"--client", true},
        {"--package", true},
        {"--uid", true},
        {"--delay-ok", false},
        {"--pause-when-ducked", false},
        {"--ducking-events", false},
        {"--content-type", true},
        {"--seconds", true}},
       BuildRequest},
      {"abandon",
       "--client ID [--zone N]",
       "abandon a client's focus (one zone or all)",
       "AudioFocus.AbandonFocus",
       "",
       {{"--client", true}, {"--zone", true}},
       BuildAbandon},
      {"hal-request",
       "--usage U --zone N [--gain G] [--source NAME] [--seconds S]",
       "hold focus as a vehicle sound source",
       "HalFocus.HoldFocus",
       "Prints every status the car service reports for the (usage, zone) pair, with\n"
       "the daemon's timestamp. Holds until Ctrl-C or SIGTERM (the hold is released),\n"
       "until S seconds after the first status (--seconds), until LOSS ends it, or\n"
       "until `audioctl hal-abandon` (ReleaseFocus) releases the pair.\n"
       "Defaults: --gain transient, --source audioctl-<pid>.\n"
       "Exit: 0 ended normally, 3 LOSS before any grant (refused), 1 RPC error.\n",
       {{"--usage", true},
        {"--zone", true},
        {"--gain", true},
        {"--source", true},
        {"--seconds", true}},
       BuildHalRequest},
      {"chime",
       "--zone N [--usage U] [--tone chime|beep|sine] [--seconds S] [--gain G] [--source NAME]",
       "play a vehicle sound (safety chime) from the HAL",
       "HalFocus.PlaySound",
       "The HAL plays the sound into the zone's device for the usage at once, mutes\n"
       "the zone's other devices while it plays (20 ms ramps) and requests focus\n"
       "through IFocusListener without waiting for the answer, so it works with the\n"
       "car service stopped. Prints the sound's statuses until it ends; Ctrl-C stops\n"
       "it early. Defaults: --usage safety, --tone chime, --seconds 2, --gain\n"
       "transient. Exit: 0 played, 1 RPC error (e.g. no PipeWire: UNAVAILABLE).\n",
       {{"--zone", true},
        {"--usage", true},
        {"--tone", true},
        {"--seconds", true},
        {"--gain", true},
        {"--source", true}},
       BuildChime},
      {"hal-abandon",
       "--usage U --zone N",
       "release every vehicle-source hold of a pair",
       "HalFocus.ReleaseFocus",
       "For a vehicle source stuck holding focus: every HoldFocus stream of the pair\n"
       "ends and the car service is told abandon. Prints how many holds were released\n"
       "(0 when none: nothing is sent then).\n",
       {{"--usage", true}, {"--zone", true}},
       BuildHalAbandon},
      {"restrict",
       "on|off",
       "restrict focus to critical usages, or lift it",
       "CarAudioAdmin.SetRestrictFocus",
       "",
       {},
       BuildRestrict},
      {"hardening set-enable",
       "0|1 [--warn] [--zone N]",
       "background-audio hardening off, enforced, or warn-only",
       "CarAudioAdmin.SetHardeningMode",
       "The `cmd audio set-enable-hardening` equivalent. 1 enforces (Android 17: apps\n"
       "outside a valid lifecycle get REQUEST_FAILED), 1 --warn only logs (Android 16),\n"
       "0 turns it off. Without --zone it sets every zone without a mode of its own.\n",
       {{"--warn", false}, {"--zone", true}},
       BuildHardening},
      {"app-state",
       "--package P --uid U REPORT",
       "report an app's lifecycle (visibility, FGS, playback)",
       "CarAudioAdmin.ReportAppState",
       "REPORT is one of:\n"
       "  visible | pip | background         the app's visibility\n"
       "  fgs-start TYPE [--origin O]        a foreground service started (TYPE e.g.\n"
       "                                     mediaPlayback, dataSync; O e.g. visible (the\n"
       "                                     default), media-session, boot-completed)\n"
       "  fgs-stop TYPE                      it stopped\n"
       "  playback playing|paused|stopped|failed\n"
       "  interaction                        the user interacted with the app\n"
       "Prints the app's verdict: whether it is in a valid lifecycle, and why.\n",
       {{"--package", true}, {"--uid", true}, {"--origin", true}},
       BuildAppState},
      {"replay",
       "FILE [--config XML]",
       "replay a recorded event log through the focus policy offline",
       "none (offline)",
       "FILE is a log from `audioctl events --record FILE`, recorded from the daemon's\n"
       "start. Every input (requests, abandons, HAL requests, settings, volume, app\n"
       "lifecycle, hardening modes) is fed to a fresh car audio core with the car of\n"
       "--config (default: the embedded one), and every decision, focus callback, HAL\n"
       "report, ducking and muting change is compared with the recording. Prints the\n"
       "differences; exit 4 when there are any.\n",
       {{"--config", true}},
       BuildReplay},
      {"timeline",
       "--events FILE --out PICTURE [--config XML] [--width PX]",
       "draw a recorded event log as a focus and ducking timeline",
       "none (offline)",
       "FILE is a log from `audioctl events --record FILE` (best with --with-state).\n"
       "PICTURE ends in .svg or .png. Time runs left to right; each zone has a lane\n"
       "group: one row per app with its focus (solid: holds, hatched: waits after a\n"
       "transient loss, dashed: delayed), coloured by audio context, markers for\n"
       "rejected requests, hardening decisions and audit findings, and one row per\n"
       "ducked or muted device with its level. In the SVG every bar and marker has a\n"
       "tooltip (a rejection's reason, the hardening line, the finding). --config\n"
       "names the zones of a log recorded without state (default: the embedded car);\n"
       "--width is the picture's width in pixels (600..10000, default 1200).\n",
       {{"--events", true}, {"--out", true}, {"--config", true}, {"--width", true}},
       BuildTimeline},
      {"audit",
       "[--package P] [--json]",
       "show the compliance audit's findings",
       "CarAudioAdmin.GetAudit",
       "One line per finding, oldest first: time, app, zone, rule, and what was measured\n"
       "(rules: played-without-focus, audible-after-loss, audible-during-transient-loss,\n"
       "not-lowered-after-can-duck, held-focus-while-silent, multiple-stack-entries,\n"
       "changed-volume-itself); then each app stream's last level. --package shows one\n"
       "app. --json prints the report as proto3 JSON.\n",
       {{"--package", true}, {"--json", false}},
       BuildAudit},
      {"nav-during-call",
       "--zone N reject|allow",
       "reject navigation during calls, per zone",
       "CarAudioAdmin.SetNavigationRejectedDuringCall",
       "",
       {{"--zone", true}},
       BuildNavDuringCall},
      {"zone-for-uid",
       "--uid U (--zone N | --clear)",
       "map a uid to a zone, or clear it",
       "CarAudioAdmin.SetZoneForUid, ClearZoneForUid",
       "",
       {{"--uid", true}, {"--zone", true}, {"--clear", false}},
       BuildZoneForUid},
      {"events",
       "[--json] [--with-state] [--record FILE] [--seconds S]",
       "watch the service's events until Ctrl-C",
       "CarAudioAdmin.WatchEvents",
       "One line per event: sequence, daemon timestamp, kind, details. --json prints one\n"
       "proto3 JSON object per line instead. --with-state puts the state snapshot in the\n"
       "first (subscribed) event. --record FILE also writes every event to FILE as JSON\n"
       "lines (truncating it), whatever is printed. --seconds S stops S seconds after\n"
       "the subscription.\n",
       {{"--json", false}, {"--with-state", false}, {"--record", true}, {"--seconds", true}},
       BuildEvents},
      {"volume list",
       "[--zone N]",
       "list volume groups",
       "AudioFocus.ListVolumeGroups",
       "",
       {{"--zone", true}},
       BuildVolumeList},
      {"volume get",
       "--zone N --group G",
       "show one volume group",
       "AudioFocus.GetGroupVolume",
       "",
       {{"--zone", true}, {"--group", true}},
       BuildVolumeGet},
      {"volume set",
       "--zone N --group G --index I [--package P --uid U]",
       "set a group's gain index",
       "AudioFocus.SetGroupVolume",
       kVolumeCallerHelp,
       {{"--zone", true}, {"--group", true}, {"--index", true}, {"--package", true}, {"--uid", true}},
       BuildVolumeSet},
      {"volume mute",
       "--zone N --group G [--package P --uid U]",
       "mute a volume group",
       "AudioFocus.SetGroupMute",
       kVolumeCallerHelp,
       {{"--zone", true}, {"--group", true}, {"--package", true}, {"--uid", true}},
       [](OptionReader& r) { return BuildVolumeMute(r, true); }},
      {"volume unmute",
       "--zone N --group G [--package P --uid U]",
       "unmute a volume group",
       "AudioFocus.SetGroupMute",
       kVolumeCallerHelp,
       {{"--zone", true}, {"--group", true}, {"--package", true}, {"--uid", true}},
       [](OptionReader& r) { return BuildVolumeMute(r, false); }},
      {"ping",
       "[--count N]",
       "measure the round trip to the daemon",
       "CarAudioAdmin.Ping",
       "",
       {{"--count", true}},
       BuildPing},
      {"help", "[COMMAND]", "this text, or one command's", "", "", {}, BuildHelp},
  };
  return kCommands;
}

const CommandSpec* FindCommand(absl::string_view name) {
  for (const CommandSpec& spec : Commands()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::vector<std::string> GroupActions(absl::string_view word) {
  std::vector<std::string> actions;
  const std::string prefix = absl::StrCat(word, " ");
  for (const CommandSpec& spec : Commands()) {
    if (absl::StartsWith(spec.name, prefix)) actions.push_back(spec.name.substr(prefix.size()));
  }
  return actions;
}

constexpr absl::string_view kOverviewHead =
    "usage: audioctl [--socket PATH | --address ADDR] [--timeout S] [--wait]\n"
    "                [--tls_ca PEM --tls_cert PEM --tls_key PEM] COMMAND [ARGS]\n"
    "\n"
    "Inspect and drive audiocontrold, the car audio focus service.\n"
    "\n"
    "Commands:\n";

constexpr absl::string_view kOverviewTail =
    "\n"
    "Connection (before or after the command):\n"
    "  --socket PATH   the daemon's unix socket (default\n"
    "                  $XDG_RUNTIME_DIR/caraudio/audiocontrol.sock, else\n"
    "                  /run/caraudio/audiocontrol.sock)\n"
    "  --address ADDR  a gRPC target instead: unix:PATH or HOST:PORT\n"
    "  --timeout S     connect and call deadline in seconds (default 3)\n"
    "  --wait          retry the connection until the deadline instead of failing\n"
    "                  at the first refused attempt\n"
    "  --tls_ca PEM, --tls_cert PEM, --tls_key PEM\n"
    "                  mutual TLS for a HOST:PORT address (required there): the CA\n"
    "                  that signed the daemon's certificate, and this client's own\n"
    "                  certificate and key (signed by the CA the daemon trusts)\n"
    "\n"
    "Usages as Android spells them (USAGE_ASSISTANCE_NAVIGATION_GUIDANCE) or short\n"
    "(media, nav, call, ring, alarm, notification, assistant, emergency, safety,\n"
    "vehicle-status, announcement) or as numbers. Gains: gain, transient,\n"
    "transient-may-duck, transient-exclusive, G/T/D/X or 1..4.\n"
    "\n"
    "Exit codes: 0 ok; 1 daemon unreachable, RPC or I/O error; 2 bad command line\n"
    "(nothing sent); 3 focus request FAILED, or HAL hold refused; 4 replay found\n"
    "differences.\n"
    "'audioctl help COMMAND' describes one command.\n";

std::string CommandHelp(const CommandSpec& spec) {
  std::string text =
      absl::StrCat("usage: audioctl ", spec.name, " ", spec.synopsis, "\n\n", spec.summary);
  absl::StrAppend(&text, spec.rpc.empty() ? "" : absl::StrCat(" (", spec.rpc, ")"), ".\n");
  if (!spec.details.empty()) absl::StrAppend(&text, "\n", spec.details);
  return text;
}

// Records a global option's value; error when malformed or conflicting.
absl::Status ApplyGlobalOption(absl::string_view name, const std::string& value,
                               GlobalOptions& global) {
  if (name == "--socket" || name == "--address") {
    if (value.empty()) return absl::InvalidArgumentError(absl::StrCat(name, " must not be empty"));
    if (global.socket || global.address) {
      return absl::InvalidArgumentError("give --socket or --address once, not both or twice");
    }
    (name == "--socket" ? global.socket : global.address) = value;
  } else if (name == "--timeout") {
    double seconds = 0;
    if (!absl::SimpleAtod(value, &seconds) || !std::isfinite(seconds) || seconds <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("--timeout: \"", value, "\" is not a number of seconds > 0"));
    }
    global.timeout = absl::Seconds(seconds);
  } else if (name == "--wait") {
    global.wait = true;
  } else if (name == "--tls_ca" || name == "--tls_cert" || name == "--tls_key") {
    if (value.empty()) return absl::InvalidArgumentError(absl::StrCat(name, " must not be empty"));
    (name == "--tls_ca" ? global.tls_ca : name == "--tls_cert" ? global.tls_cert : global.tls_key) =
        value;
  }
  return absl::OkStatus();
}

// TLS goes with a HOST:PORT address, all three files at once; a HOST:PORT
// address needs it (the daemon has no plaintext TCP).
absl::Status CheckTlsOptions(const GlobalOptions& global) {
  const int given = !global.tls_ca.empty() + !global.tls_cert.empty() + !global.tls_key.empty();
  const bool tcp = global.address && !absl::StartsWith(*global.address, "unix:") &&
                   !absl::StartsWith(*global.address, "unix-abstract:");
  if (given != 0 && given != 3) {
    return absl::InvalidArgumentError("--tls_ca, --tls_cert and --tls_key go together");
  }
  if (given == 3 && !tcp) {
    return absl::InvalidArgumentError(
        "--tls_* are for a HOST:PORT --address; unix sockets need no TLS");
  }
  if (given == 0 && tcp) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--address ", *global.address,
        " is a TCP address: audiocontrold requires mutual TLS there; give --tls_ca, --tls_cert "
        "and --tls_key"));
  }
  return absl::OkStatus();
}

bool IsGlobalOption(absl::string_view name) {
  for (const OptionSpec& spec : kGlobalOptions) {
    if (spec.name == name) return true;
  }
  return false;
}

bool IsHelpOption(absl::string_view arg) { return arg == "--help" || arg == "-h"; }

// What ReadOptions collects over the whole command line.
struct ReadState {
  std::set<std::string> seen;                 // every option given, to refuse repeats
  std::map<std::string, std::string> values;  // the command's own options ("" for flags)
  std::vector<std::string> positionals;       // the command's other arguments
  bool help = false;                          // --help or -h seen
};

// Reads options from args[i] on: before the command word (`spec` nullptr)
// only global options, stopping at the first other word; after it, the
// command's options and positional arguments, to the end. Global options go
// to `global`, the rest to `state`; stops at --help / -h. Errors carry no
// command prefix.
absl::Status ReadOptions(const std::vector<std::string>& args, size_t& i, const CommandSpec* spec,
                         GlobalOptions& global, ReadState& state) {
  static const std::vector<OptionSpec> kNoOptions;
  for (; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (IsHelpOption(arg)) {
      state.help = true;
      return absl::OkStatus();
    }
    if (!absl::StartsWith(arg, "-") || arg == "-") {
      if (spec == nullptr) return absl::OkStatus();  // the command word
      state.positionals.push_back(arg);
      continue;
    }
    std::pair<std::string, std::string> split = absl::StrSplit(arg, absl::MaxSplits('=', 1));
    const std::string& name = split.first;
    const OptionSpec* option = FindOption(name, spec ? spec->options : kNoOptions);
    if (option == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown option ", name, " (see 'audioctl help", spec ? " " + spec->name : "", "')"));
    }
    if (!state.seen.insert(name).second) {
      return absl::InvalidArgumentError(absl::StrCat(name, " given twice"));
    }
    std::string value = std::move(split.second);
    const bool inline_value = absl::StrContains(arg, '=');
    if (option->takes_value && !inline_value) {
      // "--zone -1" is a value; "--usage --zone" is a forgotten one.
      if (i + 1 == args.size() || absl::StartsWith(args[i + 1], "--")) {
        return absl::InvalidArgumentError(absl::StrCat(name, " needs a value"));
      }
      value = args[++i];
    } else if (!option->takes_value && inline_value) {
      return absl::InvalidArgumentError(absl::StrCat(name, " takes no value"));
    }
    if (IsGlobalOption(name)) {
      if (absl::Status status = ApplyGlobalOption(name, value, global); !status.ok()) {
        return status;
      }
    } else {
      state.values[name] = std::move(value);
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string ChannelTarget(const GlobalOptions& options, absl::string_view default_socket) {
  if (options.address) return *options.address;
  if (options.socket) return "unix:" + *options.socket;
  return absl::StrCat("unix:", default_socket);
}

std::optional<std::string> HelpText(absl::string_view topic) {
  if (topic.empty()) {
    std::string text(kOverviewHead);
    for (const CommandSpec& spec : Commands()) {
      constexpr size_t kColumn = 17;
      const size_t pad = spec.name.size() < kColumn ? kColumn - spec.name.size() : 1;
      absl::StrAppend(&text, "  ", spec.name, std::string(pad, ' '), spec.summary, "\n");
    }
    absl::StrAppend(&text, kOverviewTail);
    return text;
  }
  std::string text;
  for (const CommandSpec& spec : Commands()) {
    // "volume" shows every volume action; "volume set" just one.
    if (spec.name == topic || absl::StartsWith(spec.name, absl::StrCat(topic, " "))) {
      if (!text.empty()) text += "\n";
      text += CommandHelp(spec);
    }
  }
  if (text.empty()) return std::nullopt;
  return text;
}

absl::StatusOr<Invocation> ParseCommandLine(const std::vector<std::string>& args) {
  Invocation invocation{GlobalOptions{}, HelpCommand{}};
  ReadState state;
  size_t i = 0;

  // Global options before the command.
  if (absl::Status status = ReadOptions(args, i, nullptr, invocation.global, state); !status.ok()) {
    return status;
  }
  if (state.help) return invocation;
  if (i == args.size()) return absl::InvalidArgumentError("missing command (see 'audioctl help')");

  // The command's words: a group ("volume", "hardening") takes an action word.
  std::string name = args[i++];
  if (std::vector<std::string> actions = GroupActions(name); !actions.empty()) {
    // "list, get, set, mute or unmute"
    std::string choices = actions.back();
    if (actions.size() > 1) {
      choices = absl::StrCat(
          absl::StrJoin(std::vector<std::string>(actions.begin(), actions.end() - 1), ", "),
          " or ", actions.back());
    }
    if (i < args.size() && IsHelpOption(args[i])) {
      invocation.command = HelpCommand{name};
      return invocation;
    }
    if (i == args.size() || absl::StartsWith(args[i], "-")) {
      return absl::InvalidArgumentError(absl::StrCat(name, ": missing action (", choices, ")"));
    }
    const std::string& action = args[i++];
    const std::string group = name;
    name = absl::StrCat(group, " ", action);
    if (FindCommand(name) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(group, ": unknown action \"", action, "\" (", choices, ")"));
    }
  }
  const CommandSpec* spec = FindCommand(name);
  if (spec == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown command \"", name, "\" (see 'audioctl help')"));
  }

  // The command's options (global ones allowed too) and positional arguments.
  if (absl::Status status = ReadOptions(args, i, spec, invocation.global, state); !status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(spec->name, ": ", status.message()));
  }
  if (state.help) {
    invocation.command = HelpCommand{spec->name};
    return invocation;
  }
  if (absl::Status status = CheckTlsOptions(invocation.global); !status.ok()) return status;
  OptionReader reader(spec->name, std::move(state.values), std::move(state.positionals));
  absl::StatusOr<Command> command = spec->build(reader);
  if (!command.ok()) return command.status();
  invocation.command = *std::move(command);
  return invocation;
}

}  // namespace caraudio::audioctl
