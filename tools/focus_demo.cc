// focus-demo: drives the focus engine through a scripted multi-zone drive on
// the default car configuration and prints every decision with its
// explanation, the focus changes dispatched, and what each zone's HAL is told
// to duck. The scenario is data (kDrive); the program exits non-zero if any
// step's result differs from the expectation written next to it.

#include <cstdio>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "carservice/ducking_planner.h"
#include "carservice/focus_engine.h"
#include "carservice/hal_focus_tracker.h"
#include "zones/car_audio_config_parser.h"

namespace caraudio {
namespace {

struct Request {
  const char* client;
  const char* package;
  AudioUsage usage;
  FocusGain gain;
  int32_t zone;
  bool delay_ok;
  RequestResult expect;
};
struct Abandon {
  const char* client;
};
struct NavDuringCall {
  int32_t zone;
  bool rejected;
};
struct HalRequest {
  AudioUsage usage;
  int32_t zone;
  FocusGain gain;
};
struct HalAbandon {
  AudioUsage usage;
  int32_t zone;
};
struct Restrict {
  bool on;
};
using Step = std::variant<Request, Abandon, NavDuringCall, HalRequest, HalAbandon, Restrict>;

struct Scene {
  const char* narration;
  Step step;
};

using U = AudioUsage;
using G = FocusGain;
using R = RequestResult;

// A drive: media in front, a movie in each rear seat, navigation, a call, a
// delayed podcast, a safety chime from the vehicle, and restricted mode.
const std::vector<Scene> kDrive = {
    {"Front: the driver starts music", Request{"radio", "com.car.radio", U::kMedia, G::kGain, 0, false, R::kGranted}},
    {"Rear left: a movie starts", Request{"rse-left", "com.rse.player", U::kMedia, G::kGain, 1, false, R::kGranted}},
    {"Rear right: a movie starts", Request{"rse-right", "com.rse.player", U::kMedia, G::kGain, 2, false, R::kGranted}},
    {"Front: a navigation prompt (may duck) plays over the music", Request{"maps", "com.car.maps", U::kAssistanceNavigationGuidance, G::kGainTransientMayDuck, 0, false, R::kGranted}},
    {"Front: the prompt ends", Abandon{"maps"}},
    {"Front: the phone rings", Request{"AudioFocus_For_Phone_Ring_And_Calls", "com.android.dialer", U::kNotificationRingtone, G::kGainTransient, 0, false, R::kGranted}},
    {"Front: the call is answered (same telephony client swaps ring -> call)", Request{"AudioFocus_For_Phone_Ring_And_Calls", "com.android.dialer", U::kVoiceCommunication, G::kGainTransient, 0, false, R::kGranted}},
    {"Front: navigation during the call is allowed by default", Request{"maps", "com.car.maps", U::kAssistanceNavigationGuidance, G::kGainTransientMayDuck, 0, false, R::kGranted}},
    {"Front: the prompt ends", Abandon{"maps"}},
    {"Front: the driver sets nav-during-call to reject", NavDuringCall{0, true}},
    {"Front: navigation during the call is now rejected", Request{"maps", "com.car.maps", U::kAssistanceNavigationGuidance, G::kGainTransientMayDuck, 0, false, R::kFailed}},
    {"Rear left: the same navigation prompt is still allowed (per-zone setting)", Request{"maps-rear", "com.car.maps", U::kAssistanceNavigationGuidance, G::kGainTransientMayDuck, 1, false, R::kGranted}},
    {"Rear left: the prompt ends", Abandon{"maps-rear"}},
    {"Front: a podcast asks with DELAY_OK during the call", Request{"podcast", "com.pod.cast", U::kMedia, G::kGain, 0, true, R::kDelayed}},
    {"Front: the call ends; the podcast starts", Abandon{"AudioFocus_For_Phone_Ring_And_Calls"}},
    {"Vehicle: a parking chime requests SAFETY focus in zone 0 through IFocusListener", HalRequest{U::kSafety, 0, G::kGainTransientMayDuck}},
    {"Vehicle: the chime ends", HalAbandon{U::kSafety, 0}},
    {"System: focus is restricted (e.g. a safety event); only critical usages may play", Restrict{true}},
    {"Rear right: a movie asks again while restricted", Request{"rse-right", "com.rse.player", U::kMedia, G::kGain, 2, false, R::kFailed}},
    {"Vehicle: an emergency announcement is still allowed", HalRequest{U::kEmergency, 0, G::kGainTransient}},
    {"System: restriction lifted", Restrict{false}},
};

class Demo {
 public:
  Demo(FocusEngine engine, DuckingPlanner planner)
      : engine_(std::move(engine)), planner_(std::move(planner)), hal_(&engine_) {}

  int Run() {
    int step_number = 0;
    for (const Scene& scene : kDrive) {
      std::printf("\n[%02d] %s\n", ++step_number, scene.narration);
      std::visit([this](const auto& step) { Do(step); }, scene.step);
    }
    std::printf("\n%d steps, %d expectations failed\n", step_number, failures_);
    return failures_ == 0 ? 0 : 1;
  }

 private:
  void Do(const Request& step) {
    FocusRequest request;
    request.client_id = step.client;
    request.package_name = step.package;
    request.uid = 10000 + step.zone;
    request.usage = static_cast<int32_t>(step.usage);
    request.gain = step.gain;
    request.delay_ok = step.delay_ok;
    request.requested_zone_id = step.zone;
    FocusDecision decision = engine_.RequestFocus(request);
    const bool ok = decision.result == step.expect;
    failures_ += ok ? 0 : 1;
    std::printf("     request %s %s %s in zone %d -> %s%s\n", step.client, UsageName(request.usage).c_str(),
                FocusGainName(step.gain), decision.zone_id, RequestResultName(decision.result),
                ok ? "" : absl::StrFormat("  (EXPECTED %s)", RequestResultName(step.expect)).c_str());
    std::printf("     why: %s\n", decision.explanation.text.c_str());
    Dispatch(decision.callbacks);
    Duck({decision.zone_id});
  }
  void Do(const Abandon& step) {
    std::printf("     abandon %s\n", step.client);
    FocusChanges changes = engine_.AbandonFocus(step.client);
    Dispatch(changes.callbacks);
    Duck(changes.changed_zones);
  }
  void Do(const NavDuringCall& step) {
    (void)engine_.SetNavigationRejectedDuringCall(step.zone, step.rejected);
    std::printf("     zone %d: navigation %s during a call\n", step.zone, step.rejected ? "rejected" : "allowed");
  }
  void Do(const HalRequest& step) {
    absl::StatusOr<HalFocusResult> result = hal_.RequestAudioFocus(static_cast<int32_t>(step.usage), step.zone, step.gain);
    if (!result.ok()) {
      std::printf("     HAL request failed: %s\n", result.status().ToString().c_str());
      ++failures_;
      return;
    }
    if (result->decision) std::printf("     why: %s\n", result->decision->explanation.text.c_str());
    HalReports(*result);
  }
  void Do(const HalAbandon& step) {
    absl::StatusOr<HalFocusResult> result = hal_.AbandonAudioFocus(static_cast<int32_t>(step.usage), step.zone);
    if (result.ok()) HalReports(*result);
  }
  void Do(const Restrict& step) {
    FocusChanges changes = engine_.SetRestrictFocus(step.on);
    Dispatch(changes.callbacks);
    Duck(changes.changed_zones);
  }

  void HalReports(const HalFocusResult& result) {
    Dispatch(result.callbacks);
    for (const HalFocusChange& report : result.reports) {
      std::printf("     -> HAL onAudioFocusChange(%s, zone %d, %d)\n", XsdUsageName(report.usage).c_str(),
                  report.zone_id, report.focus_change);
    }
    Duck(result.changed_zones);
  }

  void Dispatch(const std::vector<FocusCallback>& callbacks) {
    for (const FocusCallback& callback : callbacks) {
      if (std::optional<HalFocusChange> report = hal_.OnFocusCallback(callback)) {
        std::printf("     -> HAL onAudioFocusChange(%s, zone %d, %d)\n", XsdUsageName(report->usage).c_str(),
                    report->zone_id, report->focus_change);
        continue;
      }
      std::printf("     -> %s gets %s (zone %d)\n", callback.client_id.c_str(), FocusChangeName(callback.change),
                  callback.zone_id);
    }
  }

  void Duck(const std::vector<int32_t>& zones) {
    for (int32_t zone : zones) {
      const ZoneFocus* focus = engine_.zone(zone);
      DuckingInfo info = planner_.Update(zone, focus->holders());
      std::vector<std::string> holders;
      for (const FocusEntry& entry : focus->holders()) holders.push_back(entry.client_id());
      std::printf("     zone %d holders [%s] duck [%s] unduck [%s]\n", zone, absl::StrJoin(holders, ", ").c_str(),
                  absl::StrJoin(info.addresses_to_duck, ", ").c_str(),
                  absl::StrJoin(info.addresses_to_unduck, ", ").c_str());
    }
  }

  FocusEngine engine_;
  DuckingPlanner planner_;
  HalFocusTracker hal_;
  int failures_ = 0;
};

}  // namespace
}  // namespace caraudio

int main() {
  absl::StatusOr<caraudio::CarAudioConfig> config = caraudio::LoadDefaultCarAudioConfig();
  if (!config.ok()) {
    std::fprintf(stderr, "focus-demo: %s\n", config.status().ToString().c_str());
    return 2;
  }
  absl::StatusOr<caraudio::FocusEngine> engine = caraudio::FocusEngine::Create(config->ZoneIds());
  if (!engine.ok()) {
    std::fprintf(stderr, "focus-demo: %s\n", engine.status().ToString().c_str());
    return 2;
  }
  std::printf("CarAudioControl focus demo: %zu zones from the default car_audio_configuration.xml\n",
              config->zones.size());
  std::printf("\nInteraction matrix of zone 0 (rows: entry in the stack, columns: incoming request)\n%s",
              caraudio::FormatInteractionMatrix(engine->zone(0)->interaction()).c_str());
  caraudio::Demo demo(std::move(*engine), caraudio::DuckingPlanner(config->DeviceMaps()));
  return demo.Run();
}
