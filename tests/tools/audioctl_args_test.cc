// audioctl's command line: every command's happy path, the name spellings the
// engine parsers accept, the global options, and each class of bad argument
// (which must fail with one line and before anything is sent).

#include "tools/audioctl_args.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace caraudio::audioctl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

absl::StatusOr<Invocation> Parse(const std::vector<std::string>& args) {
  return ParseCommandLine(args);
}

// The parsed command of type T; a test failure (and T{}) otherwise.
template <typename T>
T Command(const std::vector<std::string>& args) {
  absl::StatusOr<Invocation> invocation = Parse(args);
  if (!invocation.ok()) {
    ADD_FAILURE() << "parse failed: " << invocation.status();
    return T{};
  }
  const T* command = std::get_if<T>(&invocation->command);
  if (command == nullptr) {
    ADD_FAILURE() << "parsed as another command (index " << invocation->command.index() << ")";
    return T{};
  }
  return *command;
}

GlobalOptions Global(const std::vector<std::string>& args) {
  absl::StatusOr<Invocation> invocation = Parse(args);
  if (!invocation.ok()) {
    ADD_FAILURE() << "parse failed: " << invocation.status();
    return GlobalOptions{};
  }
  return invocation->global;
}

// The one-line error of a bad command line.
std::string Error(const std::vector<std::string>& args) {
  absl::StatusOr<Invocation> invocation = Parse(args);
  if (invocation.ok()) {
    ADD_FAILURE() << "parse succeeded";
    return "";
  }
  EXPECT_EQ(invocation.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string message(invocation.status().message());
  EXPECT_THAT(message, Not(HasSubstr("\n")));
  return message;
}

// ---- help ----------------------------------------------------------------

TEST(AudioctlArgsHelpTest, HelpSpellings) {
  EXPECT_EQ(Command<HelpCommand>({"--help"}).topic, "");
  EXPECT_EQ(Command<HelpCommand>({"-h"}).topic, "");
  EXPECT_EQ(Command<HelpCommand>({"help"}).topic, "");
  EXPECT_EQ(Command<HelpCommand>({"help", "request"}).topic, "request");
  EXPECT_EQ(Command<HelpCommand>({"help", "volume", "set"}).topic, "volume set");
  EXPECT_EQ(Command<HelpCommand>({"request", "--help"}).topic, "request");
  EXPECT_EQ(Command<HelpCommand>({"volume", "--help"}).topic, "volume");
  EXPECT_EQ(Command<HelpCommand>({"volume", "set", "-h"}).topic, "volume set");
  // --help wins over an otherwise incomplete command.
  EXPECT_EQ(Command<HelpCommand>({"hal-request", "--help"}).topic, "hal-request");
}

TEST(AudioctlArgsHelpTest, OverviewListsEveryCommandAndExitCodes) {
  const std::string text = HelpText("").value();
  for (const char* command :
       {"dump", "request", "abandon", "hal-request", "hal-abandon", "restrict", "nav-during-call",
        "zone-for-uid", "events", "volume list", "volume get", "volume set", "volume mute",
        "volume unmute", "ping", "chime", "hardening set-enable", "app-state", "help"}) {
    EXPECT_THAT(text, HasSubstr(std::string("\n  ") + command + " ")) << command;
  }
  EXPECT_THAT(text, HasSubstr("--socket PATH"));
  EXPECT_THAT(text, HasSubstr("Exit codes"));
}

TEST(AudioctlArgsHelpTest, CommandHelp) {
  EXPECT_THAT(HelpText("request").value(), StartsWith("usage: audioctl request --usage U"));
  const std::string volume = HelpText("volume").value();
  EXPECT_THAT(volume, HasSubstr("audioctl volume list"));
  EXPECT_THAT(volume, HasSubstr("audioctl volume unmute"));
  EXPECT_FALSE(HelpText("frobnicate").has_value());
}

// ---- global options ----------------------------------------------------------

TEST(AudioctlArgsGlobalTest, Defaults) {
  const GlobalOptions global = Global({"dump"});
  EXPECT_FALSE(global.socket.has_value());
  EXPECT_FALSE(global.address.has_value());
  EXPECT_EQ(global.timeout, absl::Seconds(3));
  EXPECT_FALSE(global.wait);
  EXPECT_EQ(ChannelTarget(global, "/run/caraudio/audiocontrol.sock"),
            "unix:/run/caraudio/audiocontrol.sock");
}

TEST(AudioctlArgsGlobalTest, SocketBeforeTheCommand) {
  const GlobalOptions global = Global({"--socket", "/tmp/a.sock", "dump"});
  EXPECT_EQ(global.socket, "/tmp/a.sock");
  EXPECT_EQ(ChannelTarget(global, "/default"), "unix:/tmp/a.sock");
}

TEST(AudioctlArgsGlobalTest, AddressAfterTheCommandAndEqualsSpelling) {
  const GlobalOptions global =
      Global({"ping", "--address=127.0.0.1:5000", "--timeout", "0.5", "--tls_ca=ca.pem",
              "--tls_cert", "me.pem", "--tls_key=me.key"});
  EXPECT_EQ(global.address, "127.0.0.1:5000");
  EXPECT_EQ(global.timeout, absl::Milliseconds(500));
  EXPECT_EQ(ChannelTarget(global, "/default"), "127.0.0.1:5000");
  EXPECT_EQ(global.tls_ca, "ca.pem");
  EXPECT_EQ(global.tls_cert, "me.pem");
  EXPECT_EQ(global.tls_key, "me.key");
}

// The daemon has no plaintext TCP: a HOST:PORT address needs all three TLS
// files, and they make no sense for a unix socket.
TEST(AudioctlArgsGlobalTest, TcpNeedsMutualTlsAndOnlyTcpTakesIt) {
  EXPECT_THAT(Error({"--address", "10.213.0.2:7001", "dump"}),
              HasSubstr("requires mutual TLS there; give --tls_ca, --tls_cert and --tls_key"));
  EXPECT_EQ(Error({"--address", "10.213.0.2:7001", "--tls_ca", "ca.pem", "dump"}),
            "--tls_ca, --tls_cert and --tls_key go together");
  EXPECT_THAT(Error({"--tls_ca=a", "--tls_cert=b", "--tls_key=c", "dump"}),
              HasSubstr("unix sockets need no TLS"));
  EXPECT_THAT(Error({"--address", "unix:/run/x.sock", "--tls_ca=a", "--tls_cert=b",
                     "--tls_key=c", "dump"}),
              HasSubstr("unix sockets need no TLS"));
  EXPECT_EQ(Error({"--tls_key=", "dump"}), "--tls_key must not be empty");
}

TEST(AudioctlArgsGlobalTest, Wait) {
  EXPECT_TRUE(Global({"--wait", "dump"}).wait);
  EXPECT_TRUE(Global({"dump", "--wait"}).wait);
}

TEST(AudioctlArgsGlobalTest, Errors) {
  EXPECT_EQ(Error({"--socket", "/a", "--address", "unix:/b", "dump"}),
            "give --socket or --address once, not both or twice");
  EXPECT_THAT(Error({"dump", "--socket", "/a", "--socket", "/b"}), HasSubstr("given twice"));
  EXPECT_EQ(Error({"--socket"}), "--socket needs a value");
  EXPECT_EQ(Error({"--socket="}), "--socket must not be empty");
  EXPECT_THAT(Error({"--timeout", "0", "dump"}), HasSubstr("--timeout"));
  EXPECT_THAT(Error({"--timeout", "soon", "dump"}), HasSubstr("not a number of seconds"));
  EXPECT_THAT(Error({"dump", "--timeout=-1"}), StartsWith("dump: --timeout"));
  EXPECT_THAT(Error({"--json", "dump"}), StartsWith("unknown option --json"));
  EXPECT_THAT(Error({"--wait=yes", "dump"}), HasSubstr("--wait"));
}

// ---- command words -----------------------------------------------------------

TEST(AudioctlArgsCommandTest, MissingAndUnknownCommands) {
  EXPECT_EQ(Error({}), "missing command (see 'audioctl help')");
  EXPECT_EQ(Error({"--wait"}), "missing command (see 'audioctl help')");
  EXPECT_EQ(Error({"frobnicate"}), "unknown command \"frobnicate\" (see 'audioctl help')");
  EXPECT_EQ(Error({"help", "frobnicate"}), "help: unknown command \"frobnicate\"");
  EXPECT_EQ(Error({"volume"}), "volume: missing action (list, get, set, mute or unmute)");
  EXPECT_EQ(Error({"volume", "--zone", "1"}),
            "volume: missing action (list, get, set, mute or unmute)");
  EXPECT_EQ(Error({"volume", "louder"}),
            "volume: unknown action \"louder\" (list, get, set, mute or unmute)");
}

TEST(AudioctlArgsCommandTest, OptionSyntaxErrors) {
  EXPECT_EQ(Error({"dump", "--verbose"}),
            "dump: unknown option --verbose (see 'audioctl help dump')");
  // An option of another command is unknown here.
  EXPECT_THAT(Error({"dump", "--zone", "1"}), StartsWith("dump: unknown option --zone"));
  EXPECT_EQ(Error({"request", "--usage", "media", "--usage", "nav"}),
            "request: --usage given twice");
  EXPECT_EQ(Error({"request", "--usage"}), "request: --usage needs a value");
  EXPECT_EQ(Error({"request", "--usage", "--zone", "1"}), "request: --usage needs a value");
  EXPECT_EQ(Error({"request", "--usage", "media", "--delay-ok=1"}),
            "request: --delay-ok takes no value");
  EXPECT_EQ(Error({"dump", "extra"}), "dump: unexpected argument \"extra\"");
  EXPECT_EQ(Error({"ping", "-x"}), "ping: unknown option -x (see 'audioctl help ping')");
}

// ---- dump ------------------------------------------------------------------

TEST(AudioctlArgsDumpTest, TextAndJson) {
  EXPECT_FALSE(Command<DumpCommand>({"dump"}).json);
  EXPECT_TRUE(Command<DumpCommand>({"dump", "--json"}).json);
}

// ---- request -----------------------------------------------------------------

TEST(AudioctlArgsRequestTest, Defaults) {
  const RequestCommand c = Command<RequestCommand>({"request", "--usage", "media"});
  EXPECT_EQ(c.request.usage(), v1::USAGE_MEDIA);
  EXPECT_EQ(c.request.gain(), v1::FOCUS_GAIN);
  EXPECT_FALSE(c.request.has_zone_id());
  EXPECT_EQ(c.request.client_id(), "");  // "audioctl-<pid>" is filled in when run
  EXPECT_EQ(c.request.package_name(), "");
  EXPECT_EQ(c.request.uid(), 0);
  EXPECT_FALSE(c.request.delay_ok());
  EXPECT_FALSE(c.request.pause_when_ducked());
  EXPECT_FALSE(c.request.receive_ducking_events());
  EXPECT_EQ(c.request.content_type(), v1::CONTENT_TYPE_UNKNOWN);
  EXPECT_FALSE(c.hold.has_value());
}

TEST(AudioctlArgsRequestTest, EveryOption) {
  const RequestCommand c = Command<RequestCommand>({"request",
                                                    "--usage",
                                                    "nav",
                                                    "--zone",
                                                    "1",
                                                    "--gain",
                                                    "transient-may-duck",
                                                    "--client",
                                                    "maps",
                                                    "--package",
                                                    "com.example.maps",
                                                    "--uid",
                                                    "10123",
                                                    "--delay-ok",
                                                    "--pause-when-ducked",
                                                    "--ducking-events",
                                                    "--content-type",
                                                    "speech",
                                                    "--seconds",
                                                    "2.5"});
  EXPECT_EQ(c.request.usage(), v1::USAGE_ASSISTANCE_NAVIGATION_GUIDANCE);
  ASSERT_TRUE(c.request.has_zone_id());
  EXPECT_EQ(c.request.zone_id(), 1);
  EXPECT_EQ(c.request.gain(), v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK);
  EXPECT_EQ(c.request.client_id(), "maps");
  EXPECT_EQ(c.request.package_name(), "com.example.maps");
  EXPECT_EQ(c.request.uid(), 10123);
  EXPECT_TRUE(c.request.delay_ok());
  EXPECT_TRUE(c.request.pause_when_ducked());
  EXPECT_TRUE(c.request.receive_ducking_events());
  EXPECT_EQ(c.request.content_type(), v1::CONTENT_TYPE_SPEECH);
  EXPECT_EQ(c.hold, absl::Milliseconds(2500));
}

TEST(AudioctlArgsRequestTest, ZoneZeroIsExplicit) {
  const RequestCommand c = Command<RequestCommand>({"request", "--usage=media", "--zone=0"});
  EXPECT_TRUE(c.request.has_zone_id());
  EXPECT_EQ(c.request.zone_id(), 0);
}

TEST(AudioctlArgsRequestTest, NegativeZoneIsPassedOn) {
  // The server ignores a zone id that names no zone (AAOS); the tool lets
  // tests exercise that.
  EXPECT_EQ(
      Command<RequestCommand>({"request", "--usage", "media", "--zone", "-1"}).request.zone_id(),
      -1);
}

TEST(AudioctlArgsRequestTest, UsageSpellings) {
  const std::vector<std::pair<std::string, v1::AudioUsage>> cases = {
      {"USAGE_MEDIA", v1::USAGE_MEDIA},
      {"media", v1::USAGE_MEDIA},
      {"USAGE_ASSISTANCE_NAVIGATION_GUIDANCE", v1::USAGE_ASSISTANCE_NAVIGATION_GUIDANCE},
      {"nav", v1::USAGE_ASSISTANCE_NAVIGATION_GUIDANCE},
      {"12", v1::USAGE_ASSISTANCE_NAVIGATION_GUIDANCE},
      {"call", v1::USAGE_VOICE_COMMUNICATION},
      {"ring", v1::USAGE_NOTIFICATION_RINGTONE},
      {"safety", v1::USAGE_SAFETY},
      {"1001", v1::USAGE_SAFETY},
      {"AUDIO_USAGE_EMERGENCY", v1::USAGE_EMERGENCY},
      {"unknown", v1::USAGE_UNKNOWN},
  };
  for (const auto& [text, usage] : cases) {
    EXPECT_EQ(Command<RequestCommand>({"request", "--usage", text}).request.usage(), usage) << text;
  }
}

TEST(AudioctlArgsRequestTest, GainSpellings) {
  const std::vector<std::pair<std::string, v1::FocusGain>> cases = {
      {"gain", v1::FOCUS_GAIN},
      {"G", v1::FOCUS_GAIN},
      {"transient", v1::FOCUS_GAIN_TRANSIENT},
      {"AUDIOFOCUS_GAIN_TRANSIENT", v1::FOCUS_GAIN_TRANSIENT},
      {"transient-may-duck", v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK},
      {"D", v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK},
      {"transient-exclusive", v1::FOCUS_GAIN_TRANSIENT_EXCLUSIVE},
      {"4", v1::FOCUS_GAIN_TRANSIENT_EXCLUSIVE},
  };
  for (const auto& [text, gain] : cases) {
    EXPECT_EQ(
        Command<RequestCommand>({"request", "--usage", "media", "--gain", text}).request.gain(),
        gain)
        << text;
  }
}

TEST(AudioctlArgsRequestTest, ContentTypeSpellings) {
  EXPECT_EQ(Command<RequestCommand>({"request", "--usage", "media", "--content-type", "2"})
                .request.content_type(),
            v1::CONTENT_TYPE_MUSIC);
  EXPECT_EQ(Command<RequestCommand>(
                {"request", "--usage", "media", "--content-type", "CONTENT_TYPE_MOVIE"})
                .request.content_type(),
            v1::CONTENT_TYPE_MOVIE);
  // Any number passes through: the policy never reads it.
  EXPECT_EQ(Command<RequestCommand>({"request", "--usage", "media", "--content-type", "77"})
                .request.content_type(),
            77);
}

TEST(AudioctlArgsRequestTest, BadArguments) {
  EXPECT_EQ(Error({"request"}), "request: --usage is required");
  EXPECT_THAT(Error({"request", "--usage", "musak"}),
              StartsWith("request: unknown usage \"musak\""));
  // Numbers must name a listed usage.
  EXPECT_THAT(Error({"request", "--usage", "1004"}), StartsWith("request: unknown usage"));
  EXPECT_THAT(Error({"request", "--usage", "media", "--gain", "lots"}),
              StartsWith("request: unknown gain \"lots\""));
  EXPECT_THAT(Error({"request", "--usage", "media", "--gain", "5"}),
              StartsWith("request: unknown gain"));
  EXPECT_EQ(Error({"request", "--usage", "media", "--zone", "front"}),
            "request: --zone: \"front\" is not a number");
  EXPECT_EQ(Error({"request", "--usage", "media", "--uid", "12ab"}),
            "request: --uid: \"12ab\" is not a number");
  EXPECT_EQ(Error({"request", "--usage", "media", "--uid", "-5"}), "request: --uid: -5 is below 0");
  EXPECT_EQ(Error({"request", "--usage", "media", "--zone", "99999999999"}),
            "request: --zone: \"99999999999\" is not a number");
  EXPECT_THAT(Error({"request", "--usage", "media", "--seconds", "-1"}),
              StartsWith("request: --seconds"));
  EXPECT_THAT(Error({"request", "--usage", "media", "--seconds", "forever"}),
              StartsWith("request: --seconds"));
  EXPECT_EQ(Error({"request", "--usage", "media", "--client", ""}),
            "request: --client must not be empty");
  EXPECT_THAT(Error({"request", "--usage", "media", "--content-type", "noise"}),
              StartsWith("request: unknown content type"));
  // The first error is reported.
  EXPECT_THAT(Error({"request", "--usage", "bad", "--zone", "bad"}),
              StartsWith("request: unknown usage"));
}

// ---- abandon ---------------------------------------------------------------

TEST(AudioctlArgsAbandonTest, OneZoneOrAll) {
  AbandonCommand c = Command<AbandonCommand>({"abandon", "--client", "radio", "--zone", "2"});
  EXPECT_EQ(c.request.client_id(), "radio");
  ASSERT_TRUE(c.request.has_zone_id());
  EXPECT_EQ(c.request.zone_id(), 2);
  c = Command<AbandonCommand>({"abandon", "--client", "radio"});
  EXPECT_FALSE(c.request.has_zone_id());
}

TEST(AudioctlArgsAbandonTest, BadArguments) {
  EXPECT_EQ(Error({"abandon"}), "abandon: --client is required");
  EXPECT_EQ(Error({"abandon", "--client", "radio", "--zone", "x"}),
            "abandon: --zone: \"x\" is not a number");
}

// ---- hal-request / hal-abandon -------------------------------------------------

TEST(AudioctlArgsHalTest, HalRequestDefaults) {
  const HalRequestCommand c =
      Command<HalRequestCommand>({"hal-request", "--usage", "safety", "--zone", "0"});
  EXPECT_EQ(c.request.usage(), v1::USAGE_SAFETY);
  EXPECT_EQ(c.request.zone_id(), 0);
  EXPECT_EQ(c.request.gain(), v1::FOCUS_GAIN_TRANSIENT);
  EXPECT_EQ(c.request.source_name(), "");  // "audioctl-<pid>" when run
  EXPECT_FALSE(c.hold.has_value());
}

TEST(AudioctlArgsHalTest, HalRequestEveryOption) {
  const HalRequestCommand c =
      Command<HalRequestCommand>({"hal-request", "--usage", "USAGE_VEHICLE_STATUS", "--zone", "1",
                                  "--gain", "gain", "--source", "door-chime", "--seconds", "1"});
  EXPECT_EQ(c.request.usage(), v1::USAGE_VEHICLE_STATUS);
  EXPECT_EQ(c.request.zone_id(), 1);
  EXPECT_EQ(c.request.gain(), v1::FOCUS_GAIN);
  EXPECT_EQ(c.request.source_name(), "door-chime");
  EXPECT_EQ(c.hold, absl::Seconds(1));
}

TEST(AudioctlArgsHalTest, HalAbandon) {
  const HalAbandonCommand c =
      Command<HalAbandonCommand>({"hal-abandon", "--usage", "safety", "--zone", "0"});
  EXPECT_EQ(c.request.usage(), v1::USAGE_SAFETY);
  EXPECT_EQ(c.request.zone_id(), 0);
}

TEST(AudioctlArgsHalTest, BadArguments) {
  EXPECT_EQ(Error({"hal-request", "--usage", "safety"}), "hal-request: --zone is required");
  EXPECT_EQ(Error({"hal-request", "--zone", "0"}), "hal-request: --usage is required");
  EXPECT_THAT(Error({"hal-request", "--usage", "chime", "--zone", "0"}),
              StartsWith("hal-request: unknown usage \"chime\""));
  EXPECT_EQ(Error({"hal-abandon", "--usage", "safety"}), "hal-abandon: --zone is required");
  EXPECT_EQ(Error({"hal-abandon", "--usage", "safety", "--zone", "zero"}),
            "hal-abandon: --zone: \"zero\" is not a number");
  EXPECT_THAT(Error({"hal-abandon", "--usage", "safety", "--zone", "0", "--gain", "G"}),
              StartsWith("hal-abandon: unknown option --gain"));
}

// ---- settings ----------------------------------------------------------------

TEST(AudioctlArgsSettingsTest, Restrict) {
  EXPECT_TRUE(Command<RestrictCommand>({"restrict", "on"}).request.restricted());
  EXPECT_FALSE(Command<RestrictCommand>({"restrict", "off"}).request.restricted());
  EXPECT_TRUE(Command<RestrictCommand>({"restrict", "ON"}).request.restricted());
  EXPECT_EQ(Error({"restrict"}), "restrict: missing on|off");
  EXPECT_EQ(Error({"restrict", "maybe"}), "restrict: expected on or off, not \"maybe\"");
  EXPECT_EQ(Error({"restrict", "on", "off"}), "restrict: unexpected argument \"off\"");
}

TEST(AudioctlArgsSettingsTest, NavDuringCall) {
  NavDuringCallCommand c =
      Command<NavDuringCallCommand>({"nav-during-call", "--zone", "1", "reject"});
  EXPECT_EQ(c.request.zone_id(), 1);
  EXPECT_TRUE(c.request.rejected());
  c = Command<NavDuringCallCommand>({"nav-during-call", "allow", "--zone", "0"});
  EXPECT_EQ(c.request.zone_id(), 0);
  EXPECT_FALSE(c.request.rejected());
  EXPECT_EQ(Error({"nav-during-call", "reject"}), "nav-during-call: --zone is required");
  EXPECT_EQ(Error({"nav-during-call", "--zone", "1"}), "nav-during-call: missing reject|allow");
  EXPECT_EQ(Error({"nav-during-call", "--zone", "1", "deny"}),
            "nav-during-call: expected reject or allow, not \"deny\"");
}

TEST(AudioctlArgsSettingsTest, ZoneForUid) {
  const ZoneForUidCommand set =
      Command<ZoneForUidCommand>({"zone-for-uid", "--uid", "10123", "--zone", "2"});
  EXPECT_EQ(set.request.uid(), 10123);
  EXPECT_EQ(set.request.zone_id(), 2);
  const ClearZoneForUidCommand clear =
      Command<ClearZoneForUidCommand>({"zone-for-uid", "--uid", "10123", "--clear"});
  EXPECT_EQ(clear.request.uid(), 10123);
}

TEST(AudioctlArgsSettingsTest, ZoneForUidBadArguments) {
  EXPECT_EQ(Error({"zone-for-uid", "--zone", "1"}), "zone-for-uid: --uid is required");
  EXPECT_EQ(Error({"zone-for-uid", "--uid", "10123"}),
            "zone-for-uid: --zone N or --clear is required");
  EXPECT_EQ(Error({"zone-for-uid", "--uid", "10123", "--zone", "1", "--clear"}),
            "zone-for-uid: give either --zone or --clear, not both");
  EXPECT_EQ(Error({"zone-for-uid", "--uid", "u0", "--clear"}),
            "zone-for-uid: --uid: \"u0\" is not a number");
}

// ---- events ----------------------------------------------------------------

TEST(AudioctlArgsEventsTest, Options) {
  EventsCommand c = Command<EventsCommand>({"events"});
  EXPECT_FALSE(c.json);
  EXPECT_FALSE(c.request.include_state());
  EXPECT_FALSE(c.record_path.has_value());
  EXPECT_FALSE(c.hold.has_value());
  c = Command<EventsCommand>(
      {"events", "--json", "--with-state", "--record", "/tmp/e.jsonl", "--seconds", "3"});
  EXPECT_TRUE(c.json);
  EXPECT_TRUE(c.request.include_state());
  EXPECT_EQ(c.record_path, "/tmp/e.jsonl");
  EXPECT_EQ(c.hold, absl::Seconds(3));
  EXPECT_EQ(Error({"events", "--record"}), "events: --record needs a value");
  EXPECT_EQ(Error({"events", "--record="}), "events: --record must not be empty");
}

// ---- volume ----------------------------------------------------------------

TEST(AudioctlArgsVolumeTest, List) {
  EXPECT_FALSE(Command<VolumeListCommand>({"volume", "list"}).request.has_zone_id());
  const VolumeListCommand c = Command<VolumeListCommand>({"volume", "list", "--zone", "1"});
  ASSERT_TRUE(c.request.has_zone_id());
  EXPECT_EQ(c.request.zone_id(), 1);
}

TEST(AudioctlArgsVolumeTest, GetSetMuteUnmute) {
  const VolumeGetCommand get =
      Command<VolumeGetCommand>({"volume", "get", "--zone", "0", "--group", "media"});
  EXPECT_EQ(get.request.zone_id(), 0);
  EXPECT_EQ(get.request.group(), "media");
  const VolumeSetCommand set =
      Command<VolumeSetCommand>({"volume", "set", "--zone", "1", "--group", "nav", "--index", "7"});
  EXPECT_EQ(set.request.zone_id(), 1);
  EXPECT_EQ(set.request.group(), "nav");
  EXPECT_EQ(set.request.gain_index(), 7);
  const VolumeMuteCommand mute =
      Command<VolumeMuteCommand>({"volume", "mute", "--zone", "0", "--group", "media"});
  EXPECT_TRUE(mute.request.muted());
  EXPECT_EQ(mute.request.group(), "media");
  const VolumeMuteCommand unmute =
      Command<VolumeMuteCommand>({"volume", "unmute", "--zone", "0", "--group", "media"});
  EXPECT_FALSE(unmute.request.muted());
  EXPECT_TRUE(set.request.package_name().empty());  // the head unit's own call
}

TEST(AudioctlArgsVolumeTest, OnBehalfOfAnApp) {
  const VolumeSetCommand set = Command<VolumeSetCommand>(
      {"volume", "set", "--zone", "0", "--group", "media", "--index", "3", "--package",
       "com.example.radio", "--uid", "10057"});
  EXPECT_EQ(set.request.package_name(), "com.example.radio");
  EXPECT_EQ(set.request.uid(), 10057);
  const VolumeMuteCommand mute = Command<VolumeMuteCommand>(
      {"volume", "mute", "--zone", "0", "--group", "media", "--package", "com.example.radio"});
  EXPECT_EQ(mute.request.package_name(), "com.example.radio");
  EXPECT_EQ(mute.request.uid(), 0);
  EXPECT_EQ(Error({"volume", "mute", "--zone", "0", "--group", "media", "--uid", "5"}),
            "volume mute: --uid goes with --package");
}

TEST(AudioctlArgsVolumeTest, BadArguments) {
  EXPECT_EQ(Error({"volume", "get", "--group", "media"}), "volume get: --zone is required");
  EXPECT_EQ(Error({"volume", "get", "--zone", "0"}), "volume get: --group is required");
  EXPECT_EQ(Error({"volume", "set", "--zone", "0", "--group", "media"}),
            "volume set: --index is required");
  EXPECT_EQ(Error({"volume", "set", "--zone", "0", "--group", "media", "--index", "loud"}),
            "volume set: --index: \"loud\" is not a number");
  EXPECT_EQ(Error({"volume", "mute", "--zone", "0"}), "volume mute: --group is required");
  EXPECT_THAT(Error({"volume", "list", "--group", "media"}),
              StartsWith("volume list: unknown option --group"));
}

// ---- app-state ------------------------------------------------------------

TEST(AudioctlArgsAppStateTest, EveryReport) {
  auto report = [](std::vector<std::string> words) {
    std::vector<std::string> args = {"app-state", "--package", "com.example.radio", "--uid",
                                     "10057"};
    args.insert(args.end(), words.begin(), words.end());
    return Command<AppStateCommand>(args).request;
  };
  v1::ReportAppStateRequest r = report({"visible"});
  EXPECT_EQ(r.package_name(), "com.example.radio");
  EXPECT_EQ(r.uid(), 10057);
  EXPECT_EQ(r.visibility(), v1::APP_VISIBILITY_VISIBLE);
  EXPECT_EQ(report({"pip"}).visibility(), v1::APP_VISIBILITY_PICTURE_IN_PICTURE);
  r = report({"background"});
  ASSERT_TRUE(r.has_visibility());
  EXPECT_EQ(r.visibility(), v1::APP_VISIBILITY_BACKGROUND);
  r = report({"fgs-start", "mediaPlayback"});
  EXPECT_EQ(r.start_foreground_service().type(), v1::FOREGROUND_SERVICE_TYPE_MEDIA_PLAYBACK);
  EXPECT_EQ(r.start_foreground_service().origin(), v1::FGS_START_ORIGIN_WHILE_VISIBLE);
  r = report({"fgs-start", "data-sync", "--origin", "boot-completed"});
  EXPECT_EQ(r.start_foreground_service().type(), v1::FOREGROUND_SERVICE_TYPE_DATA_SYNC);
  EXPECT_EQ(r.start_foreground_service().origin(), v1::FGS_START_ORIGIN_BOOT_COMPLETED);
  EXPECT_EQ(report({"fgs-stop", "DATA_SYNC"}).stop_foreground_service(),
            v1::FOREGROUND_SERVICE_TYPE_DATA_SYNC);
  EXPECT_EQ(report({"playback", "paused"}).playback_state(), v1::APP_PLAYBACK_STATE_PAUSED);
  EXPECT_TRUE(report({"interaction"}).has_user_interaction());
}

TEST(AudioctlArgsAppStateTest, BadArguments) {
  const std::vector<std::string> app = {"app-state", "--package", "p", "--uid", "1"};
  auto with = [&app](std::vector<std::string> words) {
    std::vector<std::string> args = app;
    args.insert(args.end(), words.begin(), words.end());
    return Error(args);
  };
  EXPECT_EQ(Error({"app-state", "--uid", "1", "visible"}), "app-state: --package is required");
  EXPECT_EQ(Error({"app-state", "--package", "p", "--uid", "-1", "visible"}),
            "app-state: --uid: -1 is below 0");
  EXPECT_THAT(with({}), StartsWith("app-state: missing the report"));
  EXPECT_THAT(with({"asleep"}), StartsWith("app-state: unknown report \"asleep\""));
  EXPECT_EQ(with({"fgs-start"}), "app-state: missing the argument of fgs-start");
  EXPECT_THAT(with({"fgs-start", "juggling"}),
              StartsWith("app-state: unknown foreground service type \"juggling\""));
  EXPECT_THAT(with({"fgs-start", "dataSync", "--origin", "moon"}),
              StartsWith("app-state: unknown --origin \"moon\""));
  EXPECT_EQ(with({"visible", "--origin", "visible"}), "app-state: --origin goes with fgs-start");
  EXPECT_EQ(with({"visible", "now"}), "app-state: unexpected argument \"now\"");
  EXPECT_THAT(with({"playback", "loud"}), StartsWith("app-state: unknown playback state"));
}

// ---- ping ------------------------------------------------------------------

TEST(AudioctlArgsPingTest, Count) {
  EXPECT_EQ(Command<PingCommand>({"ping"}).count, 1);
  EXPECT_EQ(Command<PingCommand>({"ping", "--count", "5"}).count, 5);
  EXPECT_EQ(Error({"ping", "--count", "0"}), "ping: --count: 0 is below 1");
  EXPECT_EQ(Error({"ping", "--count", "many"}), "ping: --count: \"many\" is not a number");
}

// ---- chime ----------------------------------------------------------------------

TEST(AudioctlArgsChimeTest, DefaultsAreASafetyChimeForTwoSeconds) {
  const ChimeCommand c = Command<ChimeCommand>({"chime", "--zone", "0"});
  EXPECT_EQ(c.request.zone_id(), 0);
  EXPECT_EQ(c.request.usage(), v1::USAGE_SAFETY);
  EXPECT_EQ(c.request.tone(), "chime");
  EXPECT_EQ(c.request.duration_ms(), 2000);
  EXPECT_EQ(c.request.gain(), v1::FOCUS_GAIN_NONE);  // the HAL's default: transient
}

TEST(AudioctlArgsChimeTest, EveryOption) {
  const ChimeCommand c =
      Command<ChimeCommand>({"chime", "--zone", "1", "--usage", "emergency", "--tone", "beep",
                             "--seconds", "0.5", "--gain", "transient-exclusive", "--source",
                             "park-assist"});
  EXPECT_EQ(c.request.zone_id(), 1);
  EXPECT_EQ(c.request.usage(), v1::USAGE_EMERGENCY);
  EXPECT_EQ(c.request.tone(), "beep");
  EXPECT_EQ(c.request.duration_ms(), 500);
  EXPECT_EQ(c.request.gain(), v1::FOCUS_GAIN_TRANSIENT_EXCLUSIVE);
  EXPECT_EQ(c.request.source_name(), "park-assist");
}

TEST(AudioctlArgsChimeTest, BadArguments) {
  EXPECT_EQ(Error({"chime"}), "chime: --zone is required");
  EXPECT_THAT(Error({"chime", "--zone", "0", "--tone", "siren"}),
              HasSubstr("--tone must be chime, beep or sine, not \"siren\""));
  EXPECT_THAT(Error({"chime", "--zone", "0", "--seconds", "0"}),
              HasSubstr("--seconds must be in (0, 600]"));
  EXPECT_THAT(Error({"chime", "--zone", "0", "--usage", "podcast"}),
              StartsWith("chime: unknown usage \"podcast\""));
}

// ---- hardening ------------------------------------------------------------------

TEST(AudioctlArgsHardeningTest, SetEnableMapsToModes) {
  EXPECT_EQ(Command<HardeningCommand>({"hardening", "set-enable", "1"}).request.mode(),
            v1::HARDENING_MODE_ENFORCE);
  EXPECT_EQ(Command<HardeningCommand>({"hardening", "set-enable", "1", "--warn"}).request.mode(),
            v1::HARDENING_MODE_WARN);
  const HardeningCommand off = Command<HardeningCommand>({"hardening", "set-enable", "0", "--zone", "1"});
  EXPECT_EQ(off.request.mode(), v1::HARDENING_MODE_OFF);
  EXPECT_EQ(off.request.zone_id(), 1);
  EXPECT_FALSE(Command<HardeningCommand>({"hardening", "set-enable", "1"}).request.has_zone_id());
}

TEST(AudioctlArgsHardeningTest, BadArguments) {
  EXPECT_THAT(Error({"hardening", "set-enable"}), HasSubstr("1|0"));
  EXPECT_THAT(Error({"hardening", "set-enable", "yes"}), HasSubstr("expected 1 or 0"));
  EXPECT_THAT(Error({"hardening", "set-enable", "0", "--warn"}), HasSubstr("--warn only goes with 1"));
}

TEST(AudioctlArgsTimelineTest, EventsOutConfigAndWidth) {
  const TimelineCommand plain =
      Command<TimelineCommand>({"timeline", "--events", "drive.jsonl", "--out", "drive.svg"});
  EXPECT_EQ(plain.events_path, "drive.jsonl");
  EXPECT_EQ(plain.out_path, "drive.svg");
  EXPECT_FALSE(plain.config_path.has_value());
  EXPECT_FALSE(plain.width.has_value());
  const TimelineCommand all = Command<TimelineCommand>(
      {"timeline", "--events=d.jsonl", "--out=d.png", "--config", "car.xml", "--width", "1600"});
  EXPECT_EQ(all.config_path, "car.xml");
  EXPECT_EQ(all.width, 1600);
}

TEST(AudioctlArgsTimelineTest, BadArguments) {
  EXPECT_THAT(Error({"timeline", "--out", "d.svg"}), HasSubstr("--events is required"));
  EXPECT_THAT(Error({"timeline", "--events", "d.jsonl"}), HasSubstr("--out is required"));
  EXPECT_THAT(Error({"timeline", "--events", "d.jsonl", "--out", "d.svg", "extra"}),
              HasSubstr("unexpected argument \"extra\""));
  EXPECT_THAT(Error({"timeline", "--events", "d.jsonl", "--out", "d.svg", "--width", "wide"}),
              HasSubstr("is not a number"));
  EXPECT_THAT(Error({"timeline", "--events", "", "--out", "d.svg"}),
              HasSubstr("--events must not be empty"));
}

}  // namespace
}  // namespace caraudio::audioctl
