#include "hal/audio_control_hal.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "carservice/audio_usage.h"
#include "common/log.h"
#include "hal/hal_grpc_handlers.h"

namespace caraudio {
namespace {

int64_t SteadyClockNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void Log(const std::string& message) { LogInfo("hal", message); }

std::string PairName(int32_t usage, int32_t zone_id) {
  return absl::StrCat(v1::AudioUsage_Name(static_cast<v1::AudioUsage>(usage)), " in zone ",
                      zone_id);
}

std::map<int32_t, std::set<std::string>> DeviceAddressesByZone(const CarAudioConfig& config) {
  std::map<int32_t, std::set<std::string>> addresses;
  for (const ZoneConfig& zone : config.zones) {
    std::set<std::string>& zone_addresses = addresses[zone.id];
    for (const VolumeGroupConfig& group : zone.volume_groups) {
      for (const DeviceConfig& device : group.devices) zone_addresses.insert(device.address);
    }
  }
  return addresses;
}

v1::FocusListenerCall RequestAudioFocusCall(const VehicleFocusRequests::Active& request,
                                            bool replay) {
  v1::FocusListenerCall call;
  v1::RequestAudioFocusCall& request_call = *call.mutable_request_audio_focus();
  request_call.set_usage(static_cast<v1::AudioUsage>(request.usage));
  request_call.set_zone_id(request.zone_id);
  request_call.set_focus_gain(static_cast<v1::FocusGain>(request.gain));
  request_call.set_replay(replay);
  return call;
}

v1::FocusListenerCall AbandonAudioFocusCall(int32_t usage, int32_t zone_id) {
  v1::FocusListenerCall call;
  call.mutable_abandon_audio_focus()->set_usage(static_cast<v1::AudioUsage>(usage));
  call.mutable_abandon_audio_focus()->set_zone_id(zone_id);
  return call;
}

v1::StreamLevel StreamLevelMessage(const MeteredStream& stream, const PeriodLevel& level) {
  v1::StreamLevel message;
  message.set_node_id(stream.node_id);
  message.set_node_name(stream.node_name);
  message.set_package_name(stream.route.package_name);
  message.set_uid(stream.route.uid);
  message.set_client_id(stream.route.client_id);
  message.set_zone_id(stream.route.zone_id);
  message.set_usage(static_cast<v1::AudioUsage>(stream.route.usage));
  message.set_device_address(stream.route.device_address);
  message.set_peak_dbfs(level.peak_dbfs);
  message.set_rms_dbfs(level.rms_dbfs);
  message.set_silenced(stream.silenced);
  return message;
}

std::string AppNames(const std::set<AppIdentity>& apps) {
  if (apps.empty()) return "none";
  std::string names;
  for (const AppIdentity& app : apps) {
    absl::StrAppend(&names, names.empty() ? "" : ", ", app.package_name, " (uid ", app.uid, ")");
  }
  return names;
}

v1::HalFocusStatus FocusStatus(int32_t usage, int32_t zone_id, int32_t focus_change) {
  v1::HalFocusStatus status;
  status.set_timestamp_ns(SteadyClockNanos());
  status.set_usage(static_cast<v1::AudioUsage>(usage));
  status.set_zone_id(zone_id);
  status.set_focus_change(static_cast<v1::FocusChange>(focus_change));
  return status;
}

}  // namespace

AudioControlHal::AudioControlHal(std::vector<int32_t> zone_ids, AudioBackend* backend,
                                 const CallerAccess* access)
    : AudioControlHal(std::set<int32_t>(zone_ids.begin(), zone_ids.end()), std::nullopt,
                      std::nullopt, backend, access) {}

AudioControlHal::AudioControlHal(const CarAudioConfig& config, AudioBackend* backend,
                                 const CallerAccess* access)
    : AudioControlHal(
          [&config] {
            std::vector<int32_t> ids = config.ZoneIds();
            return std::set<int32_t>(ids.begin(), ids.end());
          }(),
          DeviceAddressesByZone(config), config, backend, access) {}

AudioControlHal::AudioControlHal(
    std::set<int32_t> zone_ids,
    std::optional<std::map<int32_t, std::set<std::string>>> zone_addresses,
    std::optional<CarAudioConfig> config, AudioBackend* backend, const CallerAccess* access)
    : zone_ids_(std::move(zone_ids)),
      zone_addresses_(std::move(zone_addresses)),
      config_(std::move(config)),
      backend_(backend),
      access_(access),
      audio_control_handlers_(std::make_unique<AudioControlHandlers>(this)),
      hal_focus_handlers_(std::make_unique<HalFocusHandlers>(this)),
      task_gate_(std::make_shared<TaskGate>(&executor_)) {}

AudioControlHal::~AudioControlHal() {
  Shutdown();
  task_gate_->Close();
}

grpc::Service* AudioControlHal::audio_control_service() { return audio_control_handlers_.get(); }

grpc::Service* AudioControlHal::hal_focus_service() { return hal_focus_handlers_.get(); }

absl::Status AudioControlHal::CheckCaller(const grpc::ServerContextBase& context,
                                          absl::string_view rpc) const {
  return access_->Require(context, Permission::kHal, absl::StrCat("call ", rpc));
}

void AudioControlHal::Shutdown() {
  if (shutting_down_.exchange(true)) return;
  executor_.Run([this] { StopOnExecutor(); });
}

AudioControlHal::Snapshot AudioControlHal::snapshot() {
  return executor_.Run([this] { return SnapshotOnExecutor(); });
}

void AudioControlHal::Heartbeat(std::function<void()> then) { Post(std::move(then)); }

bool AudioControlHal::Post(std::function<void()> task) {
  return !shutting_down() && task_gate_->Post(std::move(task));
}

// ---------------------------------------------------------------------------
// Focus listener

void AudioControlHal::RegisterFocusListener(std::shared_ptr<FocusListenerStream> stream,
                                            std::string name) {
  if (stopped_) {
    stream->Finish(HalShuttingDownStatus());
    return;
  }
  // The previous listener's answers do not hold for this one; it answers the
  // replay instead.
  vehicle_focus_requests_.ClearStatuses();
  const uint64_t id = focus_listener_.Replace(std::move(stream), std::move(name));
  const std::vector<VehicleFocusRequests::Active> replay = vehicle_focus_requests_.ActiveRequests();
  Log(absl::StrCat("focus listener ", id, " \"", focus_listener_.name(), "\" registered; replaying ",
                   replay.size(), " request(s)"));

  v1::FocusListenerCall registered;
  registered.mutable_registered()->set_registration_id(id);
  registered.mutable_registered()->set_replay_count(static_cast<int32_t>(replay.size()));
  SendToFocusListener(std::move(registered));
  for (const VehicleFocusRequests::Active& request : replay) {
    SendToFocusListener(RequestAudioFocusCall(request, /*replay=*/true));
  }
}

void AudioControlHal::UnregisterFocusListener(const std::weak_ptr<FocusListenerStream>& stream) {
  // A replaced listener's stream closing changes nothing.
  if (!focus_listener_.IsCurrent(stream)) return;
  Log(absl::StrCat("focus listener ", focus_listener_.id(), " closed its stream; unregistered"));
  DropFocusListener();
}

void AudioControlHal::SendToFocusListener(v1::FocusListenerCall call) {
  if (!focus_listener_.registered() || focus_listener_.Send(std::move(call))) return;
  Log(absl::StrCat("focus listener ", focus_listener_.id(),
                   " no longer takes messages (cancelled or too slow); unregistered"));
  DropFocusListener();
}

void AudioControlHal::DropFocusListener() {
  focus_listener_.Clear();
  // Open holds stay; their pairs are replayed to the next listener, whose
  // answers are the only ones that count then.
  vehicle_focus_requests_.ClearStatuses();
}

// ---------------------------------------------------------------------------
// Gain callback

void AudioControlHal::RegisterGainCallback(std::shared_ptr<GainCallbackStream> stream,
                                           std::string name) {
  if (stopped_) {
    stream->Finish(HalShuttingDownStatus());
    return;
  }
  const uint64_t id = gain_callback_.Replace(std::move(stream), std::move(name));
  Log(absl::StrCat("gain callback ", id, " \"", gain_callback_.name(), "\" registered"));
  v1::GainCallbackEvent registered;
  registered.mutable_registered()->set_registration_id(id);
  if (!gain_callback_.Send(std::move(registered))) gain_callback_.Clear();
}

void AudioControlHal::UnregisterGainCallback(const std::weak_ptr<GainCallbackStream>& stream) {
  if (gain_callback_.IsCurrent(stream)) gain_callback_.Clear();
}

// ---------------------------------------------------------------------------
// Oneway calls from the car service

void AudioControlHal::ApplyFocusChange(int32_t usage, int32_t zone_id, int32_t focus_change) {
  if (vehicle_focus_requests_.Find(usage, zone_id) == nullptr) {
    Log(absl::StrCat("focus change ", focus_change, " for ", PairName(usage, zone_id),
                     ": no vehicle source holds it; ignored"));
    return;
  }
  vehicle_focus_requests_.OnFocusChange(usage, zone_id, focus_change);
  const v1::HalFocusStatus status = FocusStatus(usage, zone_id, focus_change);
  if (focus_change == v1::FOCUS_CHANGE_LOSS) {
    // The car service dropped the request: tell the holders, end their
    // streams and forget the pair without an abandon. Their sounds are not
    // stopped by this; a source that holds again is requested anew.
    for (uint64_t hold_id : HoldIdsOfPair(usage, zone_id)) holds_.at(hold_id).stream->Send(status);
    EndHoldsOfPair(usage, zone_id, grpc::Status::OK);
    return;
  }
  for (uint64_t hold_id : HoldIdsOfPair(usage, zone_id)) {
    if (!holds_.at(hold_id).stream->Send(status)) ReleaseHold(hold_id);
  }
}

void AudioControlHal::ApplyDucking(const v1::OnDevicesToDuckChangeRequest& request) {
  for (const v1::DuckingInfo& info : request.ducking_infos()) {
    const int32_t zone_id = info.zone_id();
    for (const std::string& address : info.device_addresses_to_duck()) {
      if (UpdateAddressSet(ducked_, zone_id, address, true, "duck")) {
        backend_->SetDucked(zone_id, address, true);
      }
    }
    for (const std::string& address : info.device_addresses_to_unduck()) {
      if (UpdateAddressSet(ducked_, zone_id, address, false, "unduck")) {
        backend_->SetDucked(zone_id, address, false);
      }
    }
  }
}

void AudioControlHal::ApplyDeviceGains(const v1::SetAudioDeviceGainsRequest& request) {
  for (const v1::DeviceGain& gain : request.gains()) {
    if (zone_addresses_ && !zone_addresses_->at(gain.zone_id()).contains(gain.device_address())) {
      Log(absl::StrCat("gain for unknown device \"", gain.device_address(), "\" in zone ",
                       gain.zone_id(), "; skipped"));
      continue;
    }
    std::map<std::string, int32_t>& zone_gains = gains_mb_[gain.zone_id()];
    auto [it, inserted] = zone_gains.try_emplace(gain.device_address(), gain.gain_mb());
    if (!inserted && it->second == gain.gain_mb()) continue;  // the backend has it
    it->second = gain.gain_mb();
    backend_->SetDeviceGain(gain.zone_id(), gain.device_address(), gain.gain_mb());
  }
}

void AudioControlHal::ApplyMuting(const v1::OnDevicesToMuteChangeRequest& request) {
  for (const v1::MutingInfo& info : request.muting_infos()) {
    const int32_t zone_id = info.zone_id();
    for (const std::string& address : info.device_addresses_to_mute()) {
      if (UpdateAddressSet(muted_, zone_id, address, true, "mute")) {
        backend_->SetMuted(zone_id, address, true);
      }
    }
    for (const std::string& address : info.device_addresses_to_unmute()) {
      if (UpdateAddressSet(muted_, zone_id, address, false, "unmute")) {
        backend_->SetMuted(zone_id, address, false);
      }
    }
  }
}

bool AudioControlHal::UpdateAddressSet(std::map<int32_t, std::set<std::string>>& sets,
                                       int32_t zone_id, const std::string& address, bool member,
                                       const char* what) {
  if (zone_addresses_) {
    auto zone = zone_addresses_->find(zone_id);
    if (zone == zone_addresses_->end() || !zone->second.contains(address)) {
      Log(absl::StrCat(what, ": zone ", zone_id, " has no device \"", address, "\"; skipped"));
      return false;
    }
  }
  if (member) {
    if (!sets[zone_id].insert(address).second) return false;
  } else {
    auto zone = sets.find(zone_id);
    if (zone == sets.end() || zone->second.erase(address) == 0) return false;
    if (zone->second.empty()) sets.erase(zone);
  }
  // One line per change the backend gets: what the car service's calls did
  // here, also when the car service runs on another machine.
  Log(absl::StrCat(what, " zone ", zone_id, " \"", address, "\""));
  return true;
}

void AudioControlHal::ApplySilencedApps(std::set<AppIdentity> apps) {
  if (apps == silenced_apps_) return;  // the backend has it
  silenced_apps_ = std::move(apps);
  Log(absl::StrCat("silenced apps: ", AppNames(silenced_apps_)));
  backend_->SetSilencedApps(silenced_apps_);
}

void AudioControlHal::ApplyBalance(float balance) {
  balance_ = balance;
  backend_->SetBalance(balance);
}

void AudioControlHal::ApplyFade(float fade) {
  fade_ = fade;
  backend_->SetFade(fade);
}

// ---------------------------------------------------------------------------
// Vehicle focus holds

void AudioControlHal::StartHold(std::shared_ptr<HoldStream> stream,
                                const v1::HoldFocusRequest& request) {
  if (stopped_) {
    stream->Finish(HalShuttingDownStatus());
    return;
  }
  const int32_t usage = request.usage();
  const int32_t zone_id = request.zone_id();
  const VehicleFocusRequests::Active* known = vehicle_focus_requests_.Find(usage, zone_id);
  const int32_t current =
      known != nullptr && known->status ? *known->status : int32_t{v1::FOCUS_CHANGE_NONE};
  // A stream cancelled before it got here takes nothing (its cancel hook
  // finds no hold).
  if (!stream->Send(FocusStatus(usage, zone_id, current))) return;

  const uint64_t hold_id = ++last_hold_id_;
  holds_.emplace(hold_id, Hold{usage, zone_id, request.source_name(), std::move(stream)});
  if (vehicle_focus_requests_.Acquire(usage, zone_id, request.gain())) {
    Log(absl::StrCat("\"", request.source_name(), "\" holds ", PairName(usage, zone_id),
                     "; requesting focus"));
    SendToFocusListener(
        RequestAudioFocusCall(*vehicle_focus_requests_.Find(usage, zone_id), /*replay=*/false));
  }
}

void AudioControlHal::EndHold(const std::weak_ptr<HoldStream>& stream) {
  const std::shared_ptr<HoldStream> cancelled = stream.lock();
  if (cancelled == nullptr) return;  // gone, so no longer among the holds
  for (const auto& [hold_id, hold] : holds_) {
    if (hold.stream == cancelled) {
      ReleaseHold(hold_id);
      return;
    }
  }
}

void AudioControlHal::ReleaseHold(uint64_t hold_id) {
  auto hold = holds_.find(hold_id);
  if (hold == holds_.end()) return;
  const int32_t usage = hold->second.usage;
  const int32_t zone_id = hold->second.zone_id;
  holds_.erase(hold);
  if (vehicle_focus_requests_.Release(usage, zone_id)) {
    Log(absl::StrCat("last hold of ", PairName(usage, zone_id), " ended; abandoning focus"));
    SendToFocusListener(AbandonAudioFocusCall(usage, zone_id));
  }
}

std::vector<uint64_t> AudioControlHal::HoldIdsOfPair(int32_t usage, int32_t zone_id) const {
  std::vector<uint64_t> ids;
  for (const auto& [hold_id, hold] : holds_) {
    if (hold.usage == usage && hold.zone_id == zone_id) ids.push_back(hold_id);
  }
  return ids;
}

int AudioControlHal::EndHoldsOfPair(int32_t usage, int32_t zone_id, const grpc::Status& status) {
  const std::vector<uint64_t> ids = HoldIdsOfPair(usage, zone_id);
  for (uint64_t hold_id : ids) {
    Hold& hold = holds_.at(hold_id);
    if (hold.sound_id != 0) {
      // The sound plays on and its stream stays open until it ends.
      auto sound = sounds_.find(hold.sound_id);
      if (sound != sounds_.end()) {
        sound->second.hold_id = 0;
        sound->second.info.holds_focus = false;
      }
    } else {
      hold.stream->Finish(status);
    }
    holds_.erase(hold_id);
  }
  vehicle_focus_requests_.Forget(usage, zone_id);
  return static_cast<int>(ids.size());
}

int AudioControlHal::ReleasePair(int32_t usage, int32_t zone_id) {
  const int released = EndHoldsOfPair(
      usage, zone_id, grpc::Status(grpc::StatusCode::ABORTED, "released by ReleaseFocus"));
  if (released > 0) {
    Log(absl::StrCat("ReleaseFocus ended ", released, " hold(s) of ", PairName(usage, zone_id),
                     "; abandoning focus"));
    SendToFocusListener(AbandonAudioFocusCall(usage, zone_id));
  }
  return released;
}

// ---------------------------------------------------------------------------
// Vehicle sounds

void AudioControlHal::StartSound(std::shared_ptr<HoldStream> stream,
                                 const v1::PlaySoundRequest& request) {
  if (stopped_) {
    stream->Finish(HalShuttingDownStatus());
    return;
  }
  if (stream->finishing()) return;  // cancelled before it got here
  const ZoneConfig* zone = config_ ? config_->FindZone(request.zone_id()) : nullptr;
  if (zone == nullptr) {
    stream->Finish(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                "the HAL has no car config to route vehicle sounds"));
    return;
  }
  PlayingSound sound;
  sound.info.sound_id = ++last_sound_id_;
  sound.info.usage = request.usage();
  sound.info.zone_id = request.zone_id();
  sound.info.source_name =
      request.source_name().empty() ? absl::StrCat("sound-", sound.info.sound_id)
                                    : request.source_name();
  sound.info.device_address = zone->DeviceForContext(ContextForUsage(request.usage()));
  if (sound.info.device_address.empty()) {
    stream->Finish(grpc::Status(
        grpc::StatusCode::FAILED_PRECONDITION,
        absl::StrCat("zone ", zone->id, " routes no device for ", PairName(request.usage(), zone->id))));
    return;
  }
  // Silence the zone's Android devices first: the sound must be heard over
  // whatever plays, with no dependence on the car service (AGL's lesson).
  for (const std::string& address : zone_addresses_->at(zone->id)) {
    if (address == sound.info.device_address) continue;
    backend_->SetMutedForSound(zone->id, address, true);
    sound.info.muted_addresses.push_back(address);
  }
  AudioBackend::Sound spec;
  spec.zone_id = zone->id;
  spec.usage = request.usage();
  spec.tone = request.tone().empty() ? "chime" : request.tone();
  spec.duration = absl::Milliseconds(request.duration_ms() == 0 ? 2000 : request.duration_ms());
  absl::StatusOr<uint64_t> backend_id = backend_->StartSound(spec);
  if (!backend_id.ok()) {
    ReleaseSoundMutes(sound.info);
    stream->Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                absl::StrCat("cannot play the sound: ",
                                             backend_id.status().message())));
    return;
  }
  sound.backend_id = *backend_id;
  sound.stream = stream;
  Log(absl::StrCat("\"", sound.info.source_name, "\" plays ", spec.tone, " for ",
                   absl::FormatDuration(spec.duration), " in ", sound.info.device_address,
                   "; muted ", sound.info.muted_addresses.size(), " device(s)"));

  // Hold focus like HoldFocus does, without waiting for the answer.
  const int32_t usage = request.usage();
  const int32_t zone_id = zone->id;
  const int32_t gain = request.gain() == 0 ? int32_t{v1::FOCUS_GAIN_TRANSIENT} : request.gain();
  const uint64_t hold_id = ++last_hold_id_;
  holds_.emplace(hold_id, Hold{usage, zone_id, sound.info.source_name, stream, sound.info.sound_id});
  sound.hold_id = hold_id;
  sound.info.holds_focus = true;
  const bool first = vehicle_focus_requests_.Acquire(usage, zone_id, gain);
  const VehicleFocusRequests::Active* known = vehicle_focus_requests_.Find(usage, zone_id);
  const int32_t current =
      known != nullptr && known->status ? *known->status : int32_t{v1::FOCUS_CHANGE_NONE};
  const uint64_t sound_id = sound.info.sound_id;
  sound.timer_id = timer_.RunAt(absl::Now() + spec.duration, [gate = task_gate_, this, sound_id] {
    gate->Post([this, sound_id] { EndSound(sound_id, /*finished=*/true); });
  });
  stream->Send(SoundStatus(sound, current, /*playing=*/true));
  sounds_.emplace(sound_id, std::move(sound));
  if (first) {
    SendToFocusListener(
        RequestAudioFocusCall(*vehicle_focus_requests_.Find(usage, zone_id), /*replay=*/false));
  }
}

void AudioControlHal::ReleaseSoundMutes(const Snapshot::Sound& sound) {
  for (const std::string& address : sound.muted_addresses) {
    backend_->SetMutedForSound(sound.zone_id, address, false);
  }
}

void AudioControlHal::StopPlayingSound(const PlayingSound& sound) {
  timer_.Cancel(sound.timer_id);
  backend_->StopSound(sound.backend_id);
  ReleaseSoundMutes(sound.info);
}

void AudioControlHal::EndSound(uint64_t sound_id, bool finished) {
  auto it = sounds_.find(sound_id);
  if (it == sounds_.end()) return;
  PlayingSound sound = std::move(it->second);
  sounds_.erase(it);
  StopPlayingSound(sound);
  // The last status carries the pair's focus as the sound ends.
  const VehicleFocusRequests::Active* known =
      sound.hold_id != 0 ? vehicle_focus_requests_.Find(sound.info.usage, sound.info.zone_id)
                         : nullptr;
  const int32_t last_status = known != nullptr && known->status
                                  ? *known->status
                                  : int32_t{sound.hold_id != 0 ? v1::FOCUS_CHANGE_NONE
                                                               : v1::FOCUS_CHANGE_LOSS};
  if (sound.hold_id != 0) ReleaseHold(sound.hold_id);
  Log(absl::StrCat("\"", sound.info.source_name, "\" ", finished ? "finished" : "stopped",
                   "; released its mutes"));
  if (finished) {
    sound.stream->Send(SoundStatus(sound, last_status, /*playing=*/false));
    sound.stream->Finish(grpc::Status::OK);
  }
}

void AudioControlHal::EndSoundOfStream(const std::weak_ptr<HoldStream>& stream) {
  const std::shared_ptr<HoldStream> cancelled = stream.lock();
  if (cancelled == nullptr) return;
  for (const auto& [sound_id, sound] : sounds_) {
    if (sound.stream == cancelled) {
      EndSound(sound_id, /*finished=*/false);
      return;
    }
  }
}

v1::HalFocusStatus AudioControlHal::SoundStatus(const PlayingSound& sound, int32_t focus_change,
                                                bool playing) const {
  v1::HalFocusStatus status = FocusStatus(sound.info.usage, sound.info.zone_id, focus_change);
  v1::VehicleSoundStatus& sound_status = *status.mutable_sound();
  sound_status.set_sound_id(sound.info.sound_id);
  sound_status.set_playing(playing);
  sound_status.set_device_address(sound.info.device_address);
  for (const std::string& address : sound.info.muted_addresses) {
    sound_status.add_muted_addresses(address);
  }
  return status;
}

// ---------------------------------------------------------------------------
// Stream levels

std::map<uint32_t, StreamMeterReading> AudioControlHal::LevelBaseline() {
  std::map<uint32_t, StreamMeterReading> readings;
  for (MeteredStream& stream : backend_->StreamLevels()) {
    stream.meter.recent_peaks.clear();
    readings[stream.node_id] = std::move(stream.meter);
  }
  return readings;
}

void AudioControlHal::StartLevelWatch(std::shared_ptr<LevelStream> stream,
                                      absl::Duration interval) {
  if (stopped_) {
    stream->Finish(HalShuttingDownStatus());
    return;
  }
  if (stream->finishing()) return;  // cancelled before it got here
  const uint64_t watch_id = ++last_level_watch_id_;
  LevelWatch& watch = level_watches_[watch_id];
  watch.stream = std::move(stream);
  watch.interval = interval;
  watch.next_report = absl::Now() + interval;
  watch.previous = LevelBaseline();
  ScheduleLevelReport(watch_id, watch);
}

void AudioControlHal::ScheduleLevelReport(uint64_t watch_id, LevelWatch& watch) {
  watch.timer_id = timer_.RunAt(watch.next_report, [gate = task_gate_, this, watch_id] {
    gate->Post([this, watch_id] { ReportLevels(watch_id); });
  });
}

void AudioControlHal::ReportLevels(uint64_t watch_id) {
  auto it = level_watches_.find(watch_id);
  if (it == level_watches_.end()) return;  // ended meanwhile
  LevelWatch& watch = it->second;
  std::vector<MeteredStream> streams = backend_->StreamLevels();
  v1::StreamLevelsReport report;
  report.set_timestamp_ns(SteadyClockNanos());
  report.set_measured(backend_->MeasuresLevels());
  std::sort(streams.begin(), streams.end(), [](const MeteredStream& a, const MeteredStream& b) {
    return a.node_id < b.node_id;
  });
  std::map<uint32_t, StreamMeterReading> current;
  for (MeteredStream& stream : streams) {
    const auto previous = watch.previous.find(stream.node_id);
    const PeriodLevel level = LevelBetween(
        previous == watch.previous.end() ? nullptr : &previous->second, stream.meter);
    *report.add_streams() = StreamLevelMessage(stream, level);
    stream.meter.recent_peaks.clear();
    current[stream.node_id] = std::move(stream.meter);
  }
  watch.previous = std::move(current);
  if (!watch.stream->Send(std::move(report))) {
    level_watches_.erase(it);  // cancelled, or its reader fell behind
    return;
  }
  // The next period starts where this one was due, so periods do not drift;
  // after a stall the schedule resumes from now instead of bursting.
  watch.next_report = std::max(watch.next_report + watch.interval, absl::Now());
  ScheduleLevelReport(watch_id, watch);
}

void AudioControlHal::EndLevelWatch(const std::weak_ptr<LevelStream>& stream) {
  const std::shared_ptr<LevelStream> cancelled = stream.lock();
  if (cancelled == nullptr) return;
  for (auto it = level_watches_.begin(); it != level_watches_.end(); ++it) {
    if (it->second.stream == cancelled) {
      timer_.Cancel(it->second.timer_id);
      level_watches_.erase(it);
      return;
    }
  }
}

// ---------------------------------------------------------------------------
// Shutdown and state

void AudioControlHal::StopOnExecutor() {
  stopped_ = true;
  focus_listener_.Finish(HalShuttingDownStatus());
  gain_callback_.Finish(HalShuttingDownStatus());
  for (auto& [hold_id, hold] : holds_) hold.stream->Finish(HalShuttingDownStatus());
  holds_.clear();
  for (auto& [sound_id, sound] : sounds_) {
    StopPlayingSound(sound);
    sound.stream->Finish(HalShuttingDownStatus());
  }
  sounds_.clear();
  for (auto& [watch_id, watch] : level_watches_) {
    timer_.Cancel(watch.timer_id);
    watch.stream->Finish(HalShuttingDownStatus());
  }
  level_watches_.clear();
  vehicle_focus_requests_ = VehicleFocusRequests();
}

AudioControlHal::Snapshot AudioControlHal::SnapshotOnExecutor() const {
  Snapshot snapshot;
  snapshot.focus_listener_id = focus_listener_.id();
  snapshot.focus_listener_name = focus_listener_.name();
  snapshot.gain_callback_id = gain_callback_.id();
  snapshot.vehicle_focus_requests = vehicle_focus_requests_.ActiveRequests();
  for (const auto& [hold_id, hold] : holds_) {
    snapshot.holds.push_back(Snapshot::Hold{hold.usage, hold.zone_id, hold.source_name});
  }
  for (const auto& [sound_id, sound] : sounds_) snapshot.sounds.push_back(sound.info);
  snapshot.ducked = ducked_;
  snapshot.muted = muted_;
  snapshot.gains_mb = gains_mb_;
  snapshot.balance = balance_;
  snapshot.fade = fade_;
  snapshot.silenced_apps = silenced_apps_;
  snapshot.stream_level_watches = static_cast<int>(level_watches_.size());
  return snapshot;
}

}  // namespace caraudio
