#include "tools/audiofocus_sim/scenario_validation.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "caraudio/v1/common.pb.h"
#include "carservice/audio_context.h"
#include "carservice/audio_usage.h"
#include "google/protobuf/descriptor.h"

namespace caraudio::sim {
namespace {

using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::OneofDescriptor;

// The field with this number of message type M.
template <typename M>
const FieldDescriptor* FieldOf(int number) {
  return M::descriptor()->FindFieldByNumber(number);
}

// The value's name, or its number when the enum does not list it.
std::string EnumText(const EnumDescriptor* type, int number) {
  const google::protobuf::EnumValueDescriptor* value = type->FindValueByNumber(number);
  return value != nullptr ? value->name() : absl::StrCat(number);
}

// "app_play, app_stop, ..." for a oneof.
std::string MemberNames(const OneofDescriptor* oneof) {
  std::vector<std::string> names;
  for (int i = 0; i < oneof->field_count(); ++i) names.push_back(oneof->field(i)->name());
  return absl::StrJoin(names, ", ");
}

std::string Quoted(absl::string_view text) { return absl::StrCat("\"", text, "\""); }

bool HasWhitespaceOrControl(absl::string_view text) {
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (absl::ascii_isspace(byte) || absl::ascii_iscntrl(byte)) return true;
  }
  return false;
}

bool IsVisible(int visibility) {
  return visibility == ::caraudio::v1::APP_VISIBILITY_VISIBLE || visibility == ::caraudio::v1::APP_VISIBILITY_PICTURE_IN_PICTURE;
}

// What the timeline checks know about one app at a point of the timeline.
struct AppState {
  int first_play_step = -1;  // index of its first app_play step; -1: none
  int visibility = ::caraudio::v1::APP_VISIBILITY_BACKGROUND;
  std::set<int> running_services;  // FgsType numbers
};

class Validator {
 public:
  Validator(const v1::Scenario& scenario, const CarAudioConfig& car)
      : scenario_(scenario), car_(car) {}

  std::vector<ScenarioProblem> Run() && {
    CheckScenario();
    for (int i = 0; i < scenario_.apps_size(); ++i) CheckApp(i);
    CheckTimeline();
    return std::move(problems_);
  }

 private:
  void Problem(std::string where, FieldPath field, std::string message) {
    problems_.push_back(ScenarioProblem{std::move(where), std::move(field), std::move(message)});
  }

  // ---- Scenario ----

  void CheckScenario() {
    if (scenario_.name().empty()) {
      Problem("", {{FieldOf<v1::Scenario>(v1::Scenario::kNameFieldNumber)}}, "name is required");
    }
    CheckZone(scenario_.zone(), "", {{FieldOf<v1::Scenario>(v1::Scenario::kZoneFieldNumber)}});
    if (scenario_.apps().empty()) {
      Problem("", {}, "no apps declared (a scenario needs at least one app)");
    }
  }

  // ---- Zones and usages ----

  // The zone, or nullptr after reporting that the car has none with this id.
  const ZoneConfig* CheckZone(int32_t zone_id, const std::string& where, const FieldPath& field) {
    const ZoneConfig* zone = car_.FindZone(zone_id);
    if (zone == nullptr) {
      Problem(where, field,
              absl::StrCat("zone ", zone_id, " is not a zone of the car (zones: ",
                           absl::StrJoin(car_.ZoneIds(), ", "), ")"));
    }
    return zone;
  }

  // A zone field that defaults to Scenario.zone: the zone, or nullptr (an
  // unknown default zone was reported once, at the scenario).
  const ZoneConfig* ZoneOrDefault(bool has_zone, int32_t zone_id, const std::string& where,
                                  const FieldPath& field) {
    if (!has_zone) return car_.FindZone(scenario_.zone());
    return CheckZone(zone_id, where, field);
  }

  static std::string ZoneText(const ZoneConfig& zone) {
    return absl::StrCat("zone ", zone.id, " (", Quoted(zone.name), ")");
  }

  // A required usage: given, listed and routed in `zone` (when known).
  void CheckUsage(bool has_usage, int usage, const ZoneConfig* zone, const std::string& where,
                  const FieldPath& field) {
    if (!has_usage) {
      Problem(where, field, "usage is required");
      return;
    }
    if (!caraudio::v1::AudioUsage_IsValid(usage)) {
      Problem(where, field, absl::StrCat("usage ", usage, " is not a listed AudioUsage"));
      return;
    }
    if (zone == nullptr) return;
    const AudioContext context = ContextForUsage(usage);
    if (context == AudioContext::kInvalid || zone->DeviceForContext(context).empty()) {
      Problem(where, field,
              absl::StrCat("usage ", EnumText(caraudio::v1::AudioUsage_descriptor(), usage),
                           " is not routed in ", ZoneText(*zone)));
    }
  }

  // ---- Apps ----

  void CheckApp(int i) {
    const v1::App& app = scenario_.apps(i);
    const FieldPath path = {{FieldOf<v1::Scenario>(v1::Scenario::kAppsFieldNumber), i}};
    const std::string where = absl::StrCat("apps[", i, "]");
    auto field = [&path](int number) { return Append(path, FieldOf<v1::App>(number)); };

    const FieldPath package_field = field(v1::App::kPackageNameFieldNumber);
    if (app.package_name().empty()) {
      Problem(where, package_field, "package_name is required");
    } else if (HasWhitespaceOrControl(app.package_name())) {
      Problem(where, package_field,
              absl::StrCat("package_name ", Quoted(app.package_name()),
                           " contains whitespace or a control character"));
    } else if (auto [it, inserted] = app_by_package_.emplace(app.package_name(), i); !inserted) {
      Problem(where, package_field,
              absl::StrCat("package_name ", Quoted(app.package_name()),
                           " is already declared by apps[", it->second, "]"));
    }

    const FieldPath uid_field = field(v1::App::kUidFieldNumber);
    if (app.uid() == 0) {
      Problem(where, uid_field, "uid is required (a positive Android uid, e.g. 10100)");
    } else if (app.uid() < 0) {
      Problem(where, uid_field, absl::StrCat("uid ", app.uid(), " is not positive"));
    } else if (auto [it, inserted] = app_by_uid_.emplace(app.uid(), i); !inserted) {
      Problem(where, uid_field,
              absl::StrCat("uid ", app.uid(), " is already used by ", AppText(it->second)));
    }

    const ZoneConfig* zone =
        ZoneOrDefault(app.has_zone(), app.zone(), where, field(v1::App::kZoneFieldNumber));
    CheckUsage(app.has_usage(), app.usage(), zone, where, field(v1::App::kUsageFieldNumber));

    const FieldPath gain_field = field(v1::App::kGainFieldNumber);
    if (app.gain() == caraudio::v1::FOCUS_GAIN_NONE) {
      Problem(
          where, gain_field,
          "gain is required (FOCUS_GAIN, FOCUS_GAIN_TRANSIENT, FOCUS_GAIN_TRANSIENT_MAY_DUCK or "
          "FOCUS_GAIN_TRANSIENT_EXCLUSIVE)");
    } else if (!caraudio::v1::FocusGain_IsValid(app.gain())) {
      Problem(where, gain_field, absl::StrCat("gain ", app.gain(), " is not a listed FocusGain"));
    }

    const FieldPath frequency_field = field(v1::App::kFrequencyHzFieldNumber);
    const double frequency = app.frequency_hz();
    if (frequency == 0) {
      Problem(where, frequency_field,
              absl::StrCat("frequency_hz is required (a tone between ", kMinToneHz, " and ",
                           kMaxToneHz, " Hz, different for each app)"));
    } else if (!(frequency > kMinToneHz && frequency < kMaxToneHz)) {  // NaN fails too
      Problem(where, frequency_field,
              absl::StrCat("frequency_hz ", frequency, " is outside (", kMinToneHz, ", ",
                           kMaxToneHz, ") Hz"));
    } else if (auto [it, inserted] = app_by_frequency_.emplace(frequency, i); !inserted) {
      Problem(where, frequency_field,
              absl::StrCat("frequency_hz ", frequency, " is already the tone of ",
                           AppText(it->second), "; each app needs its own"));
    }

    const FieldPath behaviour_field = field(v1::App::kBehaviourFieldNumber);
    if (!v1::Behaviour_IsValid(app.behaviour())) {
      Problem(where, behaviour_field,
              absl::StrCat("behaviour ", app.behaviour(), " is not a listed Behaviour"));
    } else if (SetsOwnLifecycle(app.behaviour()) && app.has_initial_lifecycle()) {
      Problem(
          where, field(v1::App::kInitialLifecycleFieldNumber),
          absl::StrCat("initial_lifecycle must be left out: behaviour ",
                       v1::Behaviour_Name(app.behaviour()), " sets the initial lifecycle itself"));
    }
    if (app.has_initial_lifecycle()) {
      CheckInitialLifecycle(app.initial_lifecycle(), field(v1::App::kInitialLifecycleFieldNumber),
                            absl::StrCat(where, ".initial_lifecycle"));
    }
  }

  static bool SetsOwnLifecycle(int behaviour) {
    return behaviour == v1::BEHAVIOUR_STARTS_FROM_BOOT_COMPLETED ||
           behaviour == v1::BEHAVIOUR_BACKGROUND_WITHOUT_FGS;
  }

  // `apps[0] ("com.example.music")`.
  std::string AppText(int index) const {
    return absl::StrCat("apps[", index, "] (", Quoted(scenario_.apps(index).package_name()), ")");
  }

  void CheckInitialLifecycle(const v1::Lifecycle& lifecycle, const FieldPath& path,
                             const std::string& where) {
    if (!::caraudio::v1::AppVisibility_IsValid(lifecycle.visibility())) {
      Problem(where, Append(path, FieldOf<v1::Lifecycle>(v1::Lifecycle::kVisibilityFieldNumber)),
              absl::StrCat("visibility ", lifecycle.visibility(), " is not a listed Visibility"));
    }
    std::map<int, int> service_by_type;
    const FieldDescriptor* services =
        FieldOf<v1::Lifecycle>(v1::Lifecycle::kForegroundServicesFieldNumber);
    for (int j = 0; j < lifecycle.foreground_services_size(); ++j) {
      const v1::ForegroundService& service = lifecycle.foreground_services(j);
      const FieldPath service_path = Append(path, services, j);
      const std::string service_where = absl::StrCat(where, ".foreground_services[", j, "]");
      if (!CheckForegroundService(service, IsVisible(lifecycle.visibility()), "", service_where,
                                  service_path)) {
        continue;
      }
      if (auto [it, inserted] = service_by_type.emplace(service.type(), j); !inserted) {
        Problem(service_where,
                Append(service_path,
                       FieldOf<v1::ForegroundService>(v1::ForegroundService::kTypeFieldNumber)),
                absl::StrCat("a second ", ::caraudio::v1::ForegroundServiceType_Name(service.type()),
                             " service (foreground_services[", it->second,
                             "] has that type; one per type)"));
      }
    }
  }

  // Type and origin given and listed; WHILE_VISIBLE only for a visible app.
  // `subject` prefixes the messages ("start_fgs: "). True when the type is
  // usable for tracking.
  bool CheckForegroundService(const v1::ForegroundService& service, bool app_visible,
                              absl::string_view subject, const std::string& where,
                              const FieldPath& path) {
    const FieldPath type_field =
        Append(path, FieldOf<v1::ForegroundService>(v1::ForegroundService::kTypeFieldNumber));
    const FieldPath origin_field =
        Append(path, FieldOf<v1::ForegroundService>(v1::ForegroundService::kOriginFieldNumber));
    bool type_ok = false;
    if (!service.has_type()) {
      Problem(where, type_field, absl::StrCat(subject, "type is required"));
    } else if (!::caraudio::v1::ForegroundServiceType_IsValid(service.type())) {
      Problem(where, type_field,
              absl::StrCat(subject, "type ", service.type(), " is not a listed FgsType"));
    } else {
      type_ok = true;
    }
    if (!service.has_origin()) {
      Problem(where, origin_field, absl::StrCat(subject, "origin is required"));
    } else if (!::caraudio::v1::ForegroundServiceStartOrigin_IsValid(service.origin())) {
      Problem(
          where, origin_field,
          absl::StrCat(subject, "origin ", service.origin(), " is not a listed FgsStartOrigin"));
    } else if (service.origin() == ::caraudio::v1::FGS_START_ORIGIN_WHILE_VISIBLE && !app_visible) {
      Problem(where, origin_field,
              absl::StrCat(subject,
                           "origin FGS_START_ORIGIN_WHILE_VISIBLE needs the app visible or in "
                           "picture-in-picture, but it is in the background here"));
    }
    return type_ok;
  }

  // ---- Timeline ----

  void CheckTimeline() {
    // Where each app first plays, for app_stop and the expectations.
    for (int i = 0; i < scenario_.timeline_size(); ++i) {
      const v1::Step& step = scenario_.timeline(i);
      if (!step.has_app_play()) continue;
      auto it = app_by_package_.find(step.app_play().app());
      if (it == app_by_package_.end()) continue;
      int& first = FirstPlayStep(it->second);
      if (first < 0) first = i;
    }
    // The lifecycle each app starts with.
    for (int i = 0; i < scenario_.apps_size(); ++i) {
      const v1::App& app = scenario_.apps(i);
      AppState& state = states_[i];
      if (app.behaviour() == v1::BEHAVIOUR_STARTS_FROM_BOOT_COMPLETED) {
        state.running_services.insert(::caraudio::v1::FOREGROUND_SERVICE_TYPE_MEDIA_PLAYBACK);
      } else if (!SetsOwnLifecycle(app.behaviour())) {
        state.visibility = app.initial_lifecycle().visibility();
        for (const v1::ForegroundService& service : app.initial_lifecycle().foreground_services()) {
          state.running_services.insert(service.type());
        }
      }
    }
    for (int i = 0; i < scenario_.timeline_size(); ++i) CheckStep(i);
    if (car_service_stopped_by_ >= 0) {
      const int stop = car_service_stopped_by_;
      Problem(absl::StrCat("timeline[", stop, "]"),
              Append({{FieldOf<v1::Scenario>(v1::Scenario::kTimelineFieldNumber), stop}},
                     FieldOf<v1::Step>(v1::Step::kStopCarServiceFieldNumber)),
              "stop_car_service is never followed by continue_car_service");
    }
  }

  int& FirstPlayStep(int app) { return states_[app].first_play_step; }

  void CheckStep(int i) {
    const v1::Step& step = scenario_.timeline(i);
    const FieldPath path = {{FieldOf<v1::Scenario>(v1::Scenario::kTimelineFieldNumber), i}};
    const std::string where = absl::StrCat("timeline[", i, "]");

    const FieldPath at_field = Append(path, FieldOf<v1::Step>(v1::Step::kAtMsFieldNumber));
    if (step.at_ms() < 0) {
      Problem(where, at_field, absl::StrCat("at_ms ", step.at_ms(), " is negative"));
    } else if (i > 0 && step.at_ms() < scenario_.timeline(i - 1).at_ms()) {
      Problem(where, at_field,
              absl::StrCat("at_ms ", step.at_ms(), " goes back in time (timeline[", i - 1,
                           "] is at ", scenario_.timeline(i - 1).at_ms(), " ms)"));
    }

    if (step.action_case() == v1::Step::ACTION_NOT_SET) {
      Problem(where, path,
              absl::StrCat("no action (set one of ",
                           MemberNames(v1::Step::descriptor()->FindOneofByName("action")), ")"));
      return;
    }
    const FieldPath action = Append(
        path, v1::Step::descriptor()->FindFieldByNumber(static_cast<int>(step.action_case())));
    CheckCarServiceProcess(step, i, where, action);
    switch (step.action_case()) {
      case v1::Step::kAppPlay:
        CheckAppPlay(step.app_play(), where, action);
        break;
      case v1::Step::kAppStop:
        CheckAppStop(step.app_stop(), i, where, action);
        break;
      case v1::Step::kLifecycle:
        CheckLifecycleChange(step.lifecycle(), where, action);
        break;
      case v1::Step::kHalChime:
        CheckHalChime(step.hal_chime(), where, action);
        break;
      case v1::Step::kSetHardening:
        CheckSetHardening(step.set_hardening(), where, action);
        break;
      case v1::Step::kSetGroupVolume:
        CheckSetGroupVolume(step.set_group_volume(), where, action);
        break;
      case v1::Step::kExpectResult:
        CheckExpectResult(step.expect_result(), i, where, action);
        break;
      case v1::Step::kExpectFocusChange:
        CheckExpectFocusChange(step.expect_focus_change(), i, where, action);
        break;
      case v1::Step::kExpectAudible:
        CheckExpectAudible(step.expect_audible(), i, where, action);
        break;
      case v1::Step::kExpectFinding:
        CheckExpectFinding(step.expect_finding(), i, where, action);
        break;
      case v1::Step::kExpectNoFindings:
        CheckExpectNoFindings(step.expect_no_findings(), i, where, action);
        break;
      case v1::Step::kSetNavDuringCall:
        CheckSetNavigationDuringCall(step.set_nav_during_call(), where, action);
        break;
      case v1::Step::kStopCarService:
      case v1::Step::kContinueCarService:
        break;  // CheckCarServiceProcess above
      case v1::Step::kExpectDeviceAudible:
        CheckExpectDeviceAudible(step.expect_device_audible(), where, action);
        break;
      case v1::Step::ACTION_NOT_SET:
        break;
    }
  }

  // Whether a step of this kind talks to the car service (or an app does,
  // as a result), so cannot run while stop_car_service holds it.
  static bool NeedsCarService(v1::Step::ActionCase action) {
    switch (action) {
      case v1::Step::kAppPlay:
      case v1::Step::kAppStop:
      case v1::Step::kLifecycle:
      case v1::Step::kSetHardening:
      case v1::Step::kSetGroupVolume:
      case v1::Step::kSetNavDuringCall:
      case v1::Step::kExpectFinding:
      case v1::Step::kExpectNoFindings:
        return true;
      default:
        return false;
    }
  }

  // stop_car_service / continue_car_service pair up, and nothing that needs
  // the car service runs between them.
  void CheckCarServiceProcess(const v1::Step& step, int i, const std::string& where,
                              const FieldPath& action) {
    const std::string& name = action.back().field->name();
    if (step.has_stop_car_service()) {
      if (car_service_stopped_by_ >= 0) {
        Problem(where, action,
                absl::StrCat("stop_car_service: the car service is already stopped (by timeline[",
                             car_service_stopped_by_, "])"));
      } else {
        car_service_stopped_by_ = i;
      }
    } else if (step.has_continue_car_service()) {
      if (car_service_stopped_by_ < 0) {
        Problem(where, action,
                "continue_car_service: the car service is not stopped here (no "
                "stop_car_service before)");
      }
      car_service_stopped_by_ = -1;
    } else if (car_service_stopped_by_ >= 0 && NeedsCarService(step.action_case())) {
      Problem(where, action,
              absl::StrCat(name, " needs the car service, which timeline[",
                           car_service_stopped_by_,
                           "] stopped (continue_car_service first)"));
    }
  }

  // The declared app named by an `app` field (field number 1 in every
  // action), or nullopt after reporting why not.
  std::optional<int> CheckAppName(const std::string& app, const std::string& where,
                                  const FieldPath& action) {
    const FieldPath field =
        Append(action, action.back().field->message_type()->FindFieldByNumber(1));
    if (app.empty()) {
      Problem(where, field, "app is required");
      return std::nullopt;
    }
    auto it = app_by_package_.find(app);
    if (it == app_by_package_.end()) {
      Problem(where, field, absl::StrCat("app ", Quoted(app), " is not declared in apps"));
      return std::nullopt;
    }
    return it->second;
  }

  void CheckAppPlay(const v1::AppPlay& play, const std::string& where, const FieldPath& action) {
    CheckAppName(play.app(), where, action);
    if (play.has_duration_ms() && play.duration_ms() <= 0) {
      Problem(where, Append(action, FieldOf<v1::AppPlay>(v1::AppPlay::kDurationMsFieldNumber)),
              absl::StrCat("duration_ms ", play.duration_ms(), " is not positive"));
    }
  }

  void CheckAppStop(const v1::AppStop& stop, int step, const std::string& where,
                    const FieldPath& action) {
    std::optional<int> app = CheckAppName(stop.app(), where, action);
    if (!app) return;
    const int first = FirstPlayStep(*app);
    if (first < 0 || first > step) {
      Problem(
          where, Append(action, FieldOf<v1::AppStop>(v1::AppStop::kAppFieldNumber)),
          absl::StrCat("app ", Quoted(stop.app()), " is not playing (no app_play for it before)"));
    }
  }

  void CheckLifecycleChange(const v1::LifecycleChange& change, const std::string& where,
                            const FieldPath& action) {
    std::optional<int> app = CheckAppName(change.app(), where, action);
    auto field = [&action](int number) {
      return Append(action, FieldOf<v1::LifecycleChange>(number));
    };
    switch (change.change_case()) {
      case v1::LifecycleChange::CHANGE_NOT_SET:
        Problem(
            where, action,
            absl::StrCat("lifecycle has no change (set one of ",
                         MemberNames(v1::LifecycleChange::descriptor()->FindOneofByName("change")),
                         ")"));
        break;
      case v1::LifecycleChange::kVisibility:
        if (!::caraudio::v1::AppVisibility_IsValid(change.visibility())) {
          Problem(where, field(v1::LifecycleChange::kVisibilityFieldNumber),
                  absl::StrCat("visibility ", change.visibility(), " is not a listed Visibility"));
        } else if (app) {
          states_[*app].visibility = change.visibility();
        }
        break;
      case v1::LifecycleChange::kStartFgs: {
        const bool visible = app && IsVisible(states_[*app].visibility);
        // An unknown app is reported already; do not add a visibility error.
        if (CheckForegroundService(change.start_fgs(), visible || !app, "start_fgs: ", where,
                                   field(v1::LifecycleChange::kStartFgsFieldNumber)) &&
            app) {
          states_[*app].running_services.insert(change.start_fgs().type());
        }
        break;
      }
      case v1::LifecycleChange::kStopFgs: {
        const FieldPath stop_field = field(v1::LifecycleChange::kStopFgsFieldNumber);
        if (!::caraudio::v1::ForegroundServiceType_IsValid(change.stop_fgs())) {
          Problem(where, stop_field,
                  absl::StrCat("stop_fgs ", change.stop_fgs(), " is not a listed FgsType"));
        } else if (app && states_[*app].running_services.erase(change.stop_fgs()) == 0) {
          Problem(where, stop_field,
                  absl::StrCat("stop_fgs: app ", Quoted(change.app()), " runs no ",
                               ::caraudio::v1::ForegroundServiceType_Name(change.stop_fgs()), " service at this point"));
        }
        break;
      }
      case v1::LifecycleChange::kPlaybackState:
        if (!::caraudio::v1::AppPlaybackState_IsValid(change.playback_state())) {
          Problem(where, field(v1::LifecycleChange::kPlaybackStateFieldNumber),
                  absl::StrCat("playback_state ", change.playback_state(),
                               " is not a listed PlaybackState"));
        }
        break;
    }
  }

  void CheckHalChime(const v1::HalChime& chime, const std::string& where, const FieldPath& action) {
    auto field = [&action](int number) { return Append(action, FieldOf<v1::HalChime>(number)); };
    const ZoneConfig* zone =
        ZoneOrDefault(chime.has_zone(), chime.zone(), where, field(v1::HalChime::kZoneFieldNumber));
    CheckUsage(chime.has_usage(), chime.usage(), zone, where,
               field(v1::HalChime::kUsageFieldNumber));
    if (chime.has_duration_ms() && (chime.duration_ms() < 1 || chime.duration_ms() > kMaxChimeMs)) {
      Problem(where, field(v1::HalChime::kDurationMsFieldNumber),
              absl::StrCat("duration_ms ", chime.duration_ms(), " is outside 1..", kMaxChimeMs));
    }
  }

  void CheckSetHardening(const v1::SetHardening& hardening, const std::string& where,
                         const FieldPath& action) {
    auto field = [&action](int number) {
      return Append(action, FieldOf<v1::SetHardening>(number));
    };
    ZoneOrDefault(hardening.has_zone(), hardening.zone(), where,
                  field(v1::SetHardening::kZoneFieldNumber));
    const FieldPath mode_field = field(v1::SetHardening::kModeFieldNumber);
    if (!hardening.has_mode()) {
      Problem(
          where, mode_field,
          "mode is required (HARDENING_MODE_OFF, HARDENING_MODE_WARN or HARDENING_MODE_ENFORCE)");
    } else if (!::caraudio::v1::HardeningMode_IsValid(hardening.mode())) {
      Problem(where, mode_field,
              absl::StrCat("mode ", hardening.mode(), " is not a listed HardeningMode"));
    }
  }

  void CheckSetGroupVolume(const v1::SetGroupVolume& volume, const std::string& where,
                           const FieldPath& action) {
    auto field = [&action](int number) {
      return Append(action, FieldOf<v1::SetGroupVolume>(number));
    };
    const ZoneConfig* zone = ZoneOrDefault(volume.has_zone(), volume.zone(), where,
                                           field(v1::SetGroupVolume::kZoneFieldNumber));
    const FieldPath group_field = field(v1::SetGroupVolume::kGroupFieldNumber);
    if (volume.group().empty()) {
      Problem(where, group_field, "group is required");
      return;
    }
    if (zone == nullptr) return;
    const VolumeGroupConfig* group = nullptr;
    std::vector<std::string> names;
    for (const VolumeGroupConfig& candidate : zone->volume_groups) {
      names.push_back(candidate.name);
      if (candidate.name == volume.group()) group = &candidate;
    }
    if (group == nullptr) {
      Problem(where, group_field,
              absl::StrCat("group ", Quoted(volume.group()), " is not a volume group of ",
                           ZoneText(*zone), " (groups: ", absl::StrJoin(names, ", "), ")"));
      return;
    }
    const int max_index = (group->max_gain_mb - group->min_gain_mb) / group->step_mb;
    if (volume.index() < 0 || volume.index() > max_index) {
      Problem(where, field(v1::SetGroupVolume::kIndexFieldNumber),
              absl::StrCat("index ", volume.index(), " is outside 0..", max_index,
                           " of volume group ", Quoted(group->name), " in ", ZoneText(*zone)));
    }
  }

  // The app of an expectation: declared, plays somewhere, and — when
  // `needs_earlier_play` — in a step before this one.
  std::optional<int> CheckExpectedApp(const std::string& name, int step, bool needs_earlier_play,
                                      const std::string& where, const FieldPath& action) {
    std::optional<int> app = CheckAppName(name, where, action);
    if (!app) return std::nullopt;
    const FieldPath app_field =
        Append(action, action.back().field->message_type()->FindFieldByNumber(1));
    const int first = FirstPlayStep(*app);
    if (first < 0) {
      Problem(where, app_field,
              absl::StrCat("app ", Quoted(name), " never plays (no app_play step for it)"));
      return std::nullopt;
    }
    if (needs_earlier_play && first > step) {
      Problem(where, app_field,
              absl::StrCat("app ", Quoted(name), " first plays at timeline[", first, "] (",
                           scenario_.timeline(first).at_ms(), " ms), after this expectation"));
      return std::nullopt;
    }
    return app;
  }

  // expect_result and expect_focus_change need an app that requests focus.
  void CheckRequestsFocus(int app, const std::string& where, const FieldPath& action) {
    if (scenario_.apps(app).behaviour() != v1::BEHAVIOUR_PLAYS_WITHOUT_FOCUS) return;
    Problem(where, Append(action, action.back().field->message_type()->FindFieldByNumber(1)),
            absl::StrCat("app ", Quoted(scenario_.apps(app).package_name()),
                         " never requests focus (behaviour BEHAVIOUR_PLAYS_WITHOUT_FOCUS)"));
  }

  void CheckExpectResult(const v1::ExpectResult& expect, int step, const std::string& where,
                         const FieldPath& action) {
    std::optional<int> app = CheckExpectedApp(expect.app(), step, true, where, action);
    if (app) CheckRequestsFocus(*app, where, action);
    const FieldPath result_field =
        Append(action, FieldOf<v1::ExpectResult>(v1::ExpectResult::kResultFieldNumber));
    if (!expect.has_result()) {
      Problem(where, result_field,
              "result is required (REQUEST_GRANTED, REQUEST_FAILED or REQUEST_DELAYED)");
    } else if (!caraudio::v1::RequestResult_IsValid(expect.result())) {
      Problem(where, result_field,
              absl::StrCat("result ", expect.result(), " is not a listed RequestResult"));
    }
  }

  void CheckExpectFocusChange(const v1::ExpectFocusChange& expect, int step,
                              const std::string& where, const FieldPath& action) {
    std::optional<int> app = CheckExpectedApp(expect.app(), step, true, where, action);
    if (app) CheckRequestsFocus(*app, where, action);
    const FieldPath change_field =
        Append(action, FieldOf<v1::ExpectFocusChange>(v1::ExpectFocusChange::kChangeFieldNumber));
    static constexpr absl::string_view kAppChanges =
        "FOCUS_CHANGE_GAIN, FOCUS_CHANGE_LOSS, FOCUS_CHANGE_LOSS_TRANSIENT or "
        "FOCUS_CHANGE_LOSS_TRANSIENT_CAN_DUCK";
    const int change = expect.change();
    if (change == caraudio::v1::FOCUS_CHANGE_NONE) {
      Problem(where, change_field, absl::StrCat("change is required (", kAppChanges, ")"));
    } else if (!caraudio::v1::FocusChange_IsValid(change)) {
      Problem(where, change_field, absl::StrCat("change ", change, " is not a listed FocusChange"));
    } else if (change != caraudio::v1::FOCUS_CHANGE_GAIN && change > 0) {
      Problem(where, change_field,
              absl::StrCat("change ", caraudio::v1::FocusChange_Name(expect.change()),
                           " is never sent to apps (", kAppChanges, ")"));
    }
  }

  void CheckExpectAudible(const v1::ExpectAudible& expect, int step, const std::string& where,
                          const FieldPath& action) {
    CheckExpectedApp(expect.app(), step, expect.audible(), where, action);
    auto field = [&action](int number) {
      return Append(action, FieldOf<v1::ExpectAudible>(number));
    };
    if (!expect.has_audible()) {
      Problem(where, field(v1::ExpectAudible::kAudibleFieldNumber),
              "audible is required (true or false)");
    }
    const bool has_bound = expect.has_min_dbfs() || expect.has_max_dbfs();
    if (has_bound && expect.has_audible() && !expect.audible()) {
      const int bound = expect.has_min_dbfs() ? v1::ExpectAudible::kMinDbfsFieldNumber
                                              : v1::ExpectAudible::kMaxDbfsFieldNumber;
      Problem(where, field(bound),
              absl::StrCat(FieldOf<v1::ExpectAudible>(bound)->name(),
                           " needs audible: true (a silent tone has no level to bound)"));
      return;
    }
    bool bounds_ok = true;
    for (const int number :
         {v1::ExpectAudible::kMinDbfsFieldNumber, v1::ExpectAudible::kMaxDbfsFieldNumber}) {
      const FieldDescriptor* bound = FieldOf<v1::ExpectAudible>(number);
      if (!expect.GetReflection()->HasField(expect, bound)) continue;
      const double value = expect.GetReflection()->GetDouble(expect, bound);
      if (!(value > kMinLevelBoundDbfs && value <= 0)) {  // NaN fails too
        Problem(where, field(number),
                absl::StrCat(bound->name(), " ", value, " is outside (", kMinLevelBoundDbfs,
                             ", 0] dBFS"));
        bounds_ok = false;
      }
    }
    if (bounds_ok && expect.has_min_dbfs() && expect.has_max_dbfs() &&
        expect.min_dbfs() >= expect.max_dbfs()) {
      Problem(where, field(v1::ExpectAudible::kMaxDbfsFieldNumber),
              absl::StrCat("max_dbfs ", expect.max_dbfs(), " is not above min_dbfs ",
                           expect.min_dbfs()));
    }
  }

  void CheckSetNavigationDuringCall(const v1::SetNavigationDuringCall& setting,
                                    const std::string& where, const FieldPath& action) {
    auto field = [&action](int number) {
      return Append(action, FieldOf<v1::SetNavigationDuringCall>(number));
    };
    ZoneOrDefault(setting.has_zone(), setting.zone(), where,
                  field(v1::SetNavigationDuringCall::kZoneFieldNumber));
    if (!setting.has_rejected()) {
      Problem(where, action, "rejected is required (true or false)");
    }
  }

  void CheckExpectDeviceAudible(const v1::ExpectDeviceAudible& expect, const std::string& where,
                                const FieldPath& action) {
    auto field = [&action](int number) {
      return Append(action, FieldOf<v1::ExpectDeviceAudible>(number));
    };
    const FieldPath device_field = field(v1::ExpectDeviceAudible::kDeviceFieldNumber);
    if (expect.device().empty()) {
      Problem(where, device_field, "device is required (a device address, e.g. bus0_media_out)");
    } else if (!IsDeviceOfTheCar(expect.device())) {
      Problem(where, device_field,
              absl::StrCat("device ", Quoted(expect.device()), " is not a device of the car"));
    }
    if (!expect.has_audible()) {
      Problem(where, field(v1::ExpectDeviceAudible::kAudibleFieldNumber),
              "audible is required (true or false)");
    }
  }

  bool IsDeviceOfTheCar(absl::string_view address) const {
    for (const ZoneConfig& zone : car_.zones) {
      if (zone.FindDevice(address) != nullptr) return true;
    }
    return false;
  }

  void CheckExpectFinding(const v1::ExpectFinding& expect, int step, const std::string& where,
                          const FieldPath& action) {
    CheckExpectedApp(expect.app(), step, true, where, action);
    const FieldPath kind_field =
        Append(action, FieldOf<v1::ExpectFinding>(v1::ExpectFinding::kKindFieldNumber));
    if (expect.kind() == caraudio::v1::FINDING_KIND_UNSPECIFIED) {
      Problem(where, kind_field,
              "kind is required (a FindingKind other than FINDING_KIND_UNSPECIFIED)");
    } else if (!caraudio::v1::FindingKind_IsValid(expect.kind())) {
      Problem(where, kind_field,
              absl::StrCat("kind ", expect.kind(), " is not a listed FindingKind"));
    }
  }

  void CheckExpectNoFindings(const v1::ExpectNoFindings& expect, int step, const std::string& where,
                             const FieldPath& action) {
    CheckExpectedApp(expect.app(), step, false, where, action);
  }

  const v1::Scenario& scenario_;
  const CarAudioConfig& car_;
  std::map<std::string, int> app_by_package_;  // first app with each package
  std::map<int32_t, int> app_by_uid_;
  std::map<double, int> app_by_frequency_;
  std::map<int, AppState> states_;  // by app index
  // The stop_car_service step in force at the step being checked; -1: none.
  int car_service_stopped_by_ = -1;
  std::vector<ScenarioProblem> problems_;
};

}  // namespace

std::vector<ScenarioProblem> FindScenarioProblems(const v1::Scenario& scenario,
                                                  const CarAudioConfig& car) {
  return Validator(scenario, car).Run();
}

}  // namespace caraudio::sim
