#include "tools/timeline/timeline_model.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "carservice/audio_usage.h"
#include "carservice/compliance_audit.h"
#include "carservice/focus_codes.h"
#include "carservice/hal_focus_tracker.h"
#include "tools/audioctl_render.h"
#include "tools/event_replay.h"

namespace caraudio::timeline {
namespace {

// Focus changes as recorded (int32): granted HAL gains are 2..4.
constexpr int32_t kGain = static_cast<int32_t>(FocusChange::kGain);
constexpr int32_t kLoss = static_cast<int32_t>(FocusChange::kLoss);
constexpr int32_t kLossTransient = static_cast<int32_t>(FocusChange::kLossTransient);
constexpr int32_t kLossTransientCanDuck = static_cast<int32_t>(FocusChange::kLossTransientCanDuck);

// Who an entry is, kept while it moves between states.
struct Entry {
  std::string package_name;
  int32_t usage = 0;
  AudioContext context = AudioContext::kInvalid;
  int32_t uid = 0;
  // Placed by an explicit zone id rather than the uid map (such entries do
  // not move with SetZoneForUid).
  bool explicit_zone = false;
  FocusState state = FocusState::kHolding;
  int32_t loss = 0;
  int64_t since_ns = 0;
  uint64_t since_sequence = 0;
};

// An entry of a moving uid between its LOSS_TRANSIENT in the old zone and
// its fate in the new one.
struct PendingMove {
  Entry entry;
  int32_t to_zone = 0;
  int64_t at_ns = 0;
  uint64_t sequence = 0;
};

struct DeviceState {
  bool ducked = false;
  bool muted = false;
  int64_t since_ns = 0;
  uint64_t since_sequence = 0;
  DeviceLevel level() const {
    return muted ? DeviceLevel::kMuted : (ducked ? DeviceLevel::kDucked : DeviceLevel::kFull);
  }
};

AudioContext ContextOf(int32_t usage, int32_t recorded_context) {
  if (std::optional<AudioContext> context = AudioContextFromId(recorded_context);
      context && *context != AudioContext::kInvalid) {
    return *context;
  }
  return ContextForUsage(usage);
}

// "MUSIC".
std::string ContextText(AudioContext context) {
  return audioctl::ContextLabel(ContextIndex(context));
}

std::string HardeningModeText(v1::HardeningMode mode) {
  std::string name(absl::StripPrefix(v1::HardeningMode_Name(mode), "HARDENING_MODE_"));
  return name.empty() ? absl::StrCat(static_cast<int>(mode)) : absl::AsciiStrToLower(name);
}

class ModelBuilder {
 public:
  ModelBuilder(const CarAudioConfig& car, int64_t origin_ns) : car_(car), origin_ns_(origin_ns) {}

  // The zones of the recorded state and what it held at time 0.
  void Seed(const v1::CarAudioState& state) {
    for (const v1::ZoneState& zone : state.zones()) {
      Zone(zone.zone_id()).name = zone.name();
    }
    for (const v1::ZoneState& zone : state.zones()) {
      auto seed = [&](const v1::FocusEntryState& e, FocusState focus_state, int32_t loss) {
        Open(zone.zone_id(), e.request(), ContextOf(e.request().usage(), e.context()),
             focus_state, loss, 0, 0);
      };
      for (const v1::FocusEntryState& e : zone.holders()) seed(e, FocusState::kHolding, 0);
      for (const v1::FocusEntryState& e : zone.losers()) {
        seed(e, FocusState::kWaiting, e.ducked() ? kLossTransientCanDuck : kLossTransient);
      }
      if (zone.has_delayed()) seed(zone.delayed(), FocusState::kDelayed, 0);
      for (const std::string& address : zone.ducked_device_addresses()) {
        SetDevice(zone.zone_id(), address, true, std::nullopt, 0, 0);
      }
      for (const std::string& address : zone.muted_device_addresses()) {
        SetDevice(zone.zone_id(), address, std::nullopt, true, 0, 0);
      }
    }
  }

  void Apply(const v1::Event& event) {
    const int64_t t = Time(event);
    const uint64_t seq = event.sequence();
    end_ns_ = std::max(end_ns_, t);
    if (IsInputEvent(event)) ResolveMoves();
    switch (event.kind_case()) {
      case v1::Event::kFocusRequest:
        ApplyRequest(event.focus_request(), t, seq);
        break;
      case v1::Event::kFocusAbandon: {
        const v1::AbandonFocusRequest& abandon = event.focus_abandon().request();
        std::vector<int32_t> zones;
        for (const auto& [key, entry] : entries_) {
          if (key.second == abandon.client_id() &&
              (!abandon.has_zone_id() || key.first == abandon.zone_id())) {
            zones.push_back(key.first);
          }
        }
        for (int32_t zone : zones) Close(zone, abandon.client_id(), t, seq);
        break;
      }
      case v1::Event::kFocusCallback: {
        const v1::FocusCallbackEvent& callback = event.focus_callback();
        ApplyChange(callback.zone_id(), callback.client_id(), callback.usage(), callback.change(),
                    t, seq);
        break;
      }
      case v1::Event::kHalRequestFocus:
        ApplyHalRequest(event.hal_request_focus(), t, seq);
        break;
      case v1::Event::kHalFocusChange: {
        const v1::OnAudioFocusChangeRequest& change = event.hal_focus_change();
        ApplyChange(change.zone_id(), HalFocusClientId(change.zone_id(), change.usage()),
                    change.usage(), change.focus_change(), t, seq);
        break;
      }
      case v1::Event::kHalAbandonFocus: {
        const v1::AbandonAudioFocusCall& call = event.hal_abandon_focus();
        Close(call.zone_id(), HalFocusClientId(call.zone_id(), call.usage()), t, seq);
        break;
      }
      case v1::Event::kHalListener:
        if (!event.hal_listener().registered()) {
          std::vector<Key> hal_entries;
          for (const auto& [key, entry] : entries_) {
            if (IsHalFocusClientId(key.second)) hal_entries.push_back(key);
          }
          for (const auto& [zone, client] : hal_entries) Close(zone, client, t, seq);
        }
        break;
      case v1::Event::kZoneForUid:
        StartMove(event.zone_for_uid().uid(), event.zone_for_uid().zone_id());
        break;
      case v1::Event::kZoneForUidCleared:
        StartMove(event.zone_for_uid_cleared().uid(), 0);
        break;
      case v1::Event::kDuckingChange: {
        const v1::DuckingInfo& info = event.ducking_change();
        for (const std::string& address : info.device_addresses_to_duck()) {
          SetDevice(info.zone_id(), address, true, std::nullopt, t, seq);
        }
        for (const std::string& address : info.device_addresses_to_unduck()) {
          SetDevice(info.zone_id(), address, false, std::nullopt, t, seq);
        }
        break;
      }
      case v1::Event::kMutingChange: {
        const v1::MutingInfo& info = event.muting_change();
        for (const std::string& address : info.device_addresses_to_mute()) {
          SetDevice(info.zone_id(), address, std::nullopt, true, t, seq);
        }
        for (const std::string& address : info.device_addresses_to_unmute()) {
          SetDevice(info.zone_id(), address, std::nullopt, false, t, seq);
        }
        break;
      }
      case v1::Event::kHardening: {
        const v1::HardeningEvent& e = event.hardening();
        AddMarker(e.zone_id(),
                  Marker{MarkerKind::kHardening, t, seq, "", e.package_name(),
                         absl::StrCat("hardening (", HardeningModeText(e.mode()),
                                      "): ", e.package_name(), " ", e.api()),
                         e.line()});
        break;
      }
      case v1::Event::kAuditFinding: {
        const v1::AuditFinding& e = event.audit_finding();
        AddMarker(e.zone_id(),
                  Marker{MarkerKind::kAuditFinding, t, seq, e.client_id(), e.package_name(),
                         absl::StrCat("audit: ", e.package_name(), " ",
                                      FindingKindName(static_cast<FindingKind>(e.kind()))),
                         e.detail()});
        break;
      }
      default:
        break;  // settings, volume, lifecycle: nothing to draw
    }
  }

  TimelineModel Finish() {
    ResolveMoves();
    std::vector<Key> open;
    for (const auto& [key, entry] : entries_) open.push_back(key);
    for (const auto& [zone, client] : open) Close(zone, client, end_ns_, 0);
    for (auto& [key, device] : devices_) {
      FinishLevel(key.first, key.second, device, end_ns_, 0);
    }

    TimelineModel model;
    model.end_ns = end_ns_;
    model.start_timestamp_ns = origin_ns_;
    std::sort(zone_order_.begin() + known_zones_, zone_order_.end());
    for (int32_t id : zone_order_) {
      ZoneTimeline zone = std::move(zones_.at(id));
      zone.zone_id = id;
      if (zone.name.empty()) {
        if (const ZoneConfig* config = car_.FindZone(id)) zone.name = config->name;
      }
      std::stable_sort(zone.focus.begin(), zone.focus.end(),
                       [](const FocusInterval& a, const FocusInterval& b) {
                         return std::tie(a.start_ns, a.start_sequence) <
                                std::tie(b.start_ns, b.start_sequence);
                       });
      std::stable_sort(zone.levels.begin(), zone.levels.end(),
                       [](const LevelInterval& a, const LevelInterval& b) {
                         return std::tie(a.start_ns, a.start_sequence) <
                                std::tie(b.start_ns, b.start_sequence);
                       });
      zone.devices = DeviceOrder(id, zone.levels);
      model.zones.push_back(std::move(zone));
    }
    return model;
  }

  // The car's zones, for a log without recorded state.
  void AddCarZones() {
    for (const ZoneConfig& zone : car_.zones) Zone(zone.id);
  }

  // The zones known so far come first, in their order; later ones by id.
  void EndOfKnownZones() { known_zones_ = zone_order_.size(); }

 private:
  using Key = std::pair<int32_t, std::string>;  // zone, client id

  int64_t Time(const v1::Event& event) const {
    return std::max<int64_t>(0, event.timestamp_ns() - origin_ns_);
  }

  ZoneTimeline& Zone(int32_t id) {
    auto [it, inserted] = zones_.try_emplace(id);
    if (inserted) {
      it->second.zone_id = id;
      zone_order_.push_back(id);
    }
    return it->second;
  }

  void Open(int32_t zone, const v1::FocusRequest& request, AudioContext context,
            FocusState state, int32_t loss, int64_t t, uint64_t seq) {
    Zone(zone);
    Close(zone, request.client_id(), t, seq);
    entries_[{zone, request.client_id()}] =
        Entry{request.package_name(), request.usage(), context, request.uid(),
              request.has_zone_id(), state, loss, t, seq};
  }

  // Ends the entry's current interval; a no-op for unknown entries.
  void Close(int32_t zone, const std::string& client, int64_t t, uint64_t seq) {
    auto it = entries_.find({zone, client});
    if (it == entries_.end()) return;
    Emit(zone, client, it->second, t, seq);
    entries_.erase(it);
  }

  void Emit(int32_t zone, const std::string& client, const Entry& entry, int64_t t,
            uint64_t seq) {
    Zone(zone).focus.push_back(FocusInterval{client, entry.package_name, entry.usage,
                                             entry.context, entry.state, entry.loss,
                                             entry.since_ns, t, entry.since_sequence, seq});
  }

  // Moves an entry to `state`; an entry the log never introduced (it began
  // before a recording without state) is created from what the event says.
  void SetState(int32_t zone, const std::string& client, int32_t usage, FocusState state,
                int32_t loss, int64_t t, uint64_t seq) {
    auto it = entries_.find({zone, client});
    if (it == entries_.end()) {
      Zone(zone);
      entries_[{zone, client}] = Entry{"", usage, ContextForUsage(usage), 0, false, state, loss,
                                       t, seq};
      return;
    }
    Entry& entry = it->second;
    if (entry.state == state && entry.loss == loss) return;
    Emit(zone, client, entry, t, seq);
    entry.state = state;
    entry.loss = loss;
    entry.since_ns = t;
    entry.since_sequence = seq;
  }

  void ApplyRequest(const v1::FocusRequestEvent& e, int64_t t, uint64_t seq) {
    const v1::FocusRequest& request = e.request();
    const int32_t zone = e.result().zone_id();
    const AudioContext context =
        ContextOf(request.usage(), e.result().explanation().request_context());
    switch (e.result().result()) {
      case v1::REQUEST_GRANTED:
        Open(zone, request, context, FocusState::kHolding, 0, t, seq);
        break;
      case v1::REQUEST_DELAYED:
        Open(zone, request, context, FocusState::kDelayed, 0, t, seq);
        break;
      default:
        AddRejection(zone, request.client_id(), request.package_name(), context, e.result(), t,
                     seq);
        break;
    }
  }

  void ApplyHalRequest(const v1::HalFocusRequestEvent& e, int64_t t, uint64_t seq) {
    if (!e.has_result()) return;  // already tracked: nothing new
    const v1::RequestAudioFocusCall& call = e.call();
    v1::FocusRequest request;
    request.set_client_id(HalFocusClientId(call.zone_id(), call.usage()));
    request.set_usage(call.usage());
    request.set_uid(HalFocusTracker::kHalUid);
    request.set_zone_id(call.zone_id());
    const AudioContext context =
        ContextOf(call.usage(), e.result().explanation().request_context());
    switch (e.result().result()) {
      case v1::REQUEST_GRANTED:
        Open(call.zone_id(), request, context, FocusState::kHolding, 0, t, seq);
        break;
      case v1::REQUEST_DELAYED:
        Open(call.zone_id(), request, context, FocusState::kDelayed, 0, t, seq);
        break;
      default:
        AddRejection(call.zone_id(), request.client_id(), "", context, e.result(), t, seq);
        break;
    }
  }

  void AddRejection(int32_t zone, const std::string& client, const std::string& package,
                    AudioContext context, const v1::FocusResult& result, int64_t t,
                    uint64_t seq) {
    std::string reason = result.explanation().text();
    if (reason.empty()) reason = v1::DecisionRule_Name(result.explanation().rule());
    AddMarker(zone, Marker{MarkerKind::kRejection, t, seq, client, package,
                           absl::StrCat(AppName(client, package), ": ", ContextText(context),
                                        " request rejected"),
                           std::move(reason)});
  }

  void AddMarker(int32_t zone, Marker marker) { Zone(zone).markers.push_back(std::move(marker)); }

  // A focus change told to an entry (an app callback or a HAL report).
  void ApplyChange(int32_t zone, const std::string& client, int32_t usage, int32_t change,
                   int64_t t, uint64_t seq) {
    if (auto move = pending_moves_.find(client);
        move != pending_moves_.end() && move->second.to_zone == zone &&
        !entries_.contains({zone, client})) {
      // The moved entry's fate in its new zone.
      if (change >= kGain) {
        Entry entry = move->second.entry;
        entry.state = FocusState::kHolding;
        entry.loss = 0;
        entry.since_ns = t;
        entry.since_sequence = seq;
        Zone(zone);
        entries_[{zone, client}] = entry;
      }
      pending_moves_.erase(move);
      return;
    }
    if (change == kLoss) {
      Close(zone, client, t, seq);
    } else if (change < kLoss) {
      if (moving_uid_) {
        auto it = entries_.find({zone, client});
        if (it != entries_.end() && it->second.uid == *moving_uid_ &&
            !it->second.explicit_zone && zone != move_target_) {
          pending_moves_[client] = PendingMove{it->second, move_target_, t, seq};
          Close(zone, client, t, seq);
          return;
        }
      }
      SetState(zone, client, usage, FocusState::kWaiting, change, t, seq);
    } else if (change >= kGain) {
      SetState(zone, client, usage, FocusState::kHolding, 0, t, seq);
    }
  }

  // The uid's entries placed by the uid map leave their zone with the
  // LOSS_TRANSIENT callbacks that follow (ApplyChange).
  void StartMove(int32_t uid, int32_t to_zone) {
    moving_uid_ = uid;
    move_target_ = to_zone;
  }

  // Moved entries told neither GAIN nor LOSS wait as the new zone's delayed
  // request.
  void ResolveMoves() {
    for (auto& [client, move] : pending_moves_) {
      Entry entry = move.entry;
      entry.state = FocusState::kDelayed;
      entry.loss = 0;
      entry.since_ns = move.at_ns;
      entry.since_sequence = move.sequence;
      Zone(move.to_zone);
      entries_[{move.to_zone, client}] = entry;
    }
    pending_moves_.clear();
    moving_uid_.reset();
  }

  void SetDevice(int32_t zone, const std::string& address, std::optional<bool> ducked,
                 std::optional<bool> muted, int64_t t, uint64_t seq) {
    Zone(zone);
    DeviceState& device = devices_[{zone, address}];
    DeviceState next = device;
    if (ducked) next.ducked = *ducked;
    if (muted) next.muted = *muted;
    if (next.level() == device.level()) {
      device = next;
      return;
    }
    FinishLevel(zone, address, device, t, seq);
    device = next;
    device.since_ns = t;
    device.since_sequence = seq;
  }

  void FinishLevel(int32_t zone, const std::string& address, const DeviceState& device,
                   int64_t t, uint64_t seq) {
    if (device.level() == DeviceLevel::kFull) return;
    Zone(zone).levels.push_back(LevelInterval{address, device.level(), device.since_ns, t,
                                              device.since_sequence, seq});
  }

  std::vector<std::string> DeviceOrder(int32_t zone_id,
                                       const std::vector<LevelInterval>& levels) const {
    std::set<std::string> used;
    for (const LevelInterval& level : levels) used.insert(level.device_address);
    std::vector<std::string> order;
    if (const ZoneConfig* zone = car_.FindZone(zone_id)) {
      for (const VolumeGroupConfig& group : zone->volume_groups) {
        for (const DeviceConfig& device : group.devices) {
          if (used.erase(device.address) > 0) order.push_back(device.address);
        }
      }
    }
    for (const LevelInterval& level : levels) {
      if (used.erase(level.device_address) > 0) order.push_back(level.device_address);
    }
    return order;
  }

  const CarAudioConfig& car_;
  const int64_t origin_ns_;
  int64_t end_ns_ = 0;
  std::map<int32_t, ZoneTimeline> zones_;
  std::vector<int32_t> zone_order_;
  size_t known_zones_ = 0;
  std::map<Key, Entry> entries_;
  std::map<Key, DeviceState> devices_;
  std::optional<int32_t> moving_uid_;
  int32_t move_target_ = 0;
  std::map<std::string, PendingMove> pending_moves_;
};

}  // namespace

std::string AppName(const std::string& client_id, const std::string& package_name) {
  if (IsHalFocusClientId(client_id)) return "vehicle (HAL)";
  if (package_name.empty() || package_name == client_id) return client_id;
  return absl::StrCat(client_id, " (", package_name, ")");
}

absl::StatusOr<TimelineModel> BuildTimelineModel(const std::vector<v1::Event>& events,
                                                 const CarAudioConfig& car) {
  if (events.empty()) return absl::InvalidArgumentError("the event log has no events");
  ModelBuilder builder(car, events.front().timestamp_ns());
  const bool has_state =
      events.front().has_subscribed() && events.front().subscribed().has_state();
  if (has_state) {
    builder.Seed(events.front().subscribed().state());
  } else {
    builder.AddCarZones();
  }
  builder.EndOfKnownZones();
  for (const v1::Event& event : events) {
    if (event.has_subscribed()) continue;
    builder.Apply(event);
  }
  return builder.Finish();
}

}  // namespace caraudio::timeline
