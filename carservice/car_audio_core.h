// CarAudioCore: the car audio service's policy state in one object — the
// FocusEngine, the DuckingPlanner, the HalFocusTracker and the VolumeGroups —
// with one method per service operation. Each returns a CoreOutput: every
// effect of the operation in dispatch order, so the gRPC layer only
// translates, dispatches and records (AAOS: CarZonesAudioFocus + CarDucking +
// HalAudioFocus + CarVolumeGroupMuting behind CarAudioService).
//
// Rules it adds on top of the engine: focus callbacks for HAL entries become
// onAudioFocusChange reports; after every focus operation the changed zones'
// ducking is recomputed and sent once (§4.1, §4.2), even when unchanged.
//
// No I/O, no threads, no clock. Not thread-safe: the service runs every call
// on its SerialExecutor.

#ifndef CARAUDIO_CARSERVICE_CAR_AUDIO_CORE_H_
#define CARAUDIO_CARSERVICE_CAR_AUDIO_CORE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "carservice/app_lifecycle.h"
#include "carservice/audio_hardening.h"
#include "carservice/ducking_planner.h"
#include "carservice/focus_engine.h"
#include "carservice/hal_focus_tracker.h"
#include "carservice/volume_groups.h"
#include "zones/car_audio_config.h"

namespace caraudio {

struct CoreOutput {
  // The decision for a request (app or HAL); absent for other operations.
  std::optional<FocusDecision> decision;
  // onAudioFocusChange for app clients, in dispatch order.
  std::vector<FocusCallback> app_callbacks;
  // IAudioControl.onAudioFocusChange for the HAL, in order.
  std::vector<HalFocusChange> hal_reports;
  // One IAudioControl.onDevicesToDuckChange call, one entry per changed zone;
  // empty when the operation changed no focus.
  std::vector<DuckingInfo> ducking;
  // One IAudioControl.onDevicesToMuteChange call; empty when no mute changed.
  std::vector<MutingInfo> muting;
  // Clients whose entry moved zone; their callbacks after the move name the
  // new zone.
  std::vector<ZoneMove> moves;
  // Background-audio hardening decisions that were logged (suppressed, or
  // in warn mode would have been).
  std::vector<SuppressedCall> hardening;
  // The call was ignored by hardening (enforce, app outside a valid
  // lifecycle): nothing changed, and the caller is still answered OK.
  bool suppressed = false;
};

class CarAudioCore {
 public:
  static absl::StatusOr<std::unique_ptr<CarAudioCore>> Create(CarAudioConfig config);

  CarAudioCore(const CarAudioCore&) = delete;
  CarAudioCore& operator=(const CarAudioCore&) = delete;

  // App focus. The request must already be validated at the edge; client ids
  // with the HAL prefix are the edge's job to refuse. Background-audio
  // hardening is checked first, at `now` (the service's clock; the lifecycle
  // model's own time when earlier): in an enforcing zone an app outside a
  // valid lifecycle gets FAILED (DecisionRule::kHardening) and nothing else
  // changes; in a warning zone the decision is logged and the request goes on.
  CoreOutput RequestFocus(const FocusRequest& request, absl::Time now = absl::InfinitePast());
  CoreOutput AbandonFocus(absl::string_view client_id, std::optional<int32_t> zone_id);

  // Settings.
  CoreOutput SetRestrictFocus(bool restricted);
  absl::Status SetNavigationRejectedDuringCall(int32_t zone_id, bool rejected);
  absl::StatusOr<CoreOutput> SetZoneForUid(int32_t uid, int32_t zone_id);
  CoreOutput ClearZoneForUid(int32_t uid);

  // IFocusListener calls from the HAL, and HAL loss.
  absl::StatusOr<CoreOutput> HalRequestAudioFocus(int32_t usage, int32_t zone_id, FocusGain gain);
  absl::StatusOr<CoreOutput> HalAbandonAudioFocus(int32_t usage, int32_t zone_id);
  CoreOutput HalReset();

  // Volume groups. `caller` is the app making the call (none: the head unit
  // itself, never hardened). Bad arguments are errors first; then, in an
  // enforcing zone, an app outside a valid lifecycle is ignored
  // (CoreOutput::suppressed) and a warning zone logs and goes on.
  absl::StatusOr<CoreOutput> SetGroupVolume(int32_t zone_id, absl::string_view group,
                                            int32_t gain_index,
                                            const std::optional<AppKey>& caller = std::nullopt,
                                            absl::Time now = absl::InfinitePast());
  absl::StatusOr<CoreOutput> SetGroupMute(int32_t zone_id, absl::string_view group, bool muted,
                                          const std::optional<AppKey>& caller = std::nullopt,
                                          absl::Time now = absl::InfinitePast());

  // Background-audio hardening of playback (seeds.md §1): which apps' streams
  // must be silenced at `now`. The apps asked about are every app the head
  // unit reported plus those in `stream_zones` (apps with a stream now, and
  // the zones their streams play in); an app without a stream is judged in
  // its uid's zone. An app is silenced when any of its zones enforces and
  // its lifecycle is not valid. Logged decisions (once per episode, as
  // AudioHardening::ShouldSilencePlayback does) go to `output.hardening`.
  std::set<AppKey> SilencedApps(const std::map<AppKey, std::set<int32_t>>& stream_zones,
                                absl::Time now, CoreOutput& output);

  // A config reload (SIGHUP): the car is now `config`, a config the parser
  // accepted. Focus state stays for every zone that still exists — holders,
  // losers, the delayed request, restricted mode, nav during call, HAL
  // requests. Every entry of a removed zone is told LOSS (a HAL entry as a
  // LOSS report) ahead of the other effects; removed zones are unducked and
  // unmuted; ducking is recomputed for every remaining zone on the new
  // routing (one entry each, after the removed zones' entries); volume
  // groups are rebuilt (VolumeGroups' reload constructor) and the mute
  // changes that makes are reported. uid -> zone entries naming a removed
  // zone are dropped; app lifecycles and hardening modes are kept.
  // InvalidArgument, with nothing changed, for zones FocusEngine::Create
  // would refuse. The caller resends every device gain afterwards.
  absl::StatusOr<CoreOutput> Reload(CarAudioConfig config);

  // The ducking of every zone, for a HAL that (re)connects: every device
  // address of the zone is either to duck or to unduck, so a HAL that stayed
  // up while the link was down drops the ducks it was not told to lift.
  std::vector<DuckingInfo> CurrentDucking() const;
  // The same for muting: every address to mute or to unmute.
  std::vector<MutingInfo> CurrentMuting() const;

  const CarAudioConfig& config() const { return config_; }
  const FocusEngine& engine() const { return engine_; }
  const DuckingPlanner& ducking() const { return ducking_; }
  const HalFocusTracker& hal_focus() const { return hal_focus_; }
  const VolumeGroups& volume_groups() const { return volume_groups_; }
  // What the head unit reports about apps, and the hardening modes: the
  // service calls them directly (they produce no focus effects yet).
  AppLifecycle& lifecycle() { return lifecycle_; }
  const AppLifecycle& lifecycle() const { return lifecycle_; }
  AudioHardening& hardening() { return hardening_; }
  const AudioHardening& hardening() const { return hardening_; }

 private:
  struct Passkey {};

 public:
  CarAudioCore(Passkey, CarAudioConfig config, FocusEngine engine);

 private:

  // Asks hardening about a volume call of `caller` in `zone_id`: records a
  // logged decision in `output` and sets output.suppressed when the call
  // must be ignored. Errors for a malformed caller.
  absl::Status CheckVolumeCall(int32_t zone_id, const std::optional<AppKey>& caller,
                               VolumeCall call, absl::Time now, CoreOutput& output);
  // A logged hardening decision is the newest entry of the hardening log
  // (which keeps none at capacity 0): copy it to `output`.
  void RecordHardening(const HardeningDecision& decision, CoreOutput& output) const;

  // Routes callbacks to apps or the HAL and recomputes ducking for `zones`.
  void Complete(std::vector<FocusCallback> callbacks, const std::vector<int32_t>& zones,
                CoreOutput& output);

  CarAudioConfig config_;
  FocusEngine engine_;
  DuckingPlanner ducking_;
  HalFocusTracker hal_focus_;
  VolumeGroups volume_groups_;
  AppLifecycle lifecycle_;
  // Off until the head unit turns it on (SetHardeningMode): a head unit that
  // reports no lifecycles would otherwise see every request fail.
  AudioHardening hardening_{&lifecycle_, HardeningMode::kOff};
};

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_CAR_AUDIO_CORE_H_
