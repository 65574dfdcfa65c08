// CarAudioService's hooks for the daemon's supervision: the health probe
// behind READY=1, STATUS= and the watchdog, and the SIGHUP config reload.
// Kept apart from car_audio_service.cc, which holds the gRPC handlers.

#include <algorithm>
#include <memory>
#include <utility>

#include "carservice/car_audio_service.h"

namespace caraudio {

void CarAudioService::CheckHealth(std::function<void(const Health&)> report) {
  executor_.Post([this, report = std::move(report)] {
    if (shut_down_) return;
    Health health;
    health.zones = static_cast<int>(core_->config().zones.size());
    health.focus_clients = static_cast<int>(focus_streams_.size());
    health.event_watchers = static_cast<int>(event_streams_.size());
    health.hal_registered = hal_registered_;
    report(health);
  });
}

void CarAudioService::ReloadConfig(CarAudioConfig config, std::string path, std::string xml,
                                   std::function<void(absl::StatusOr<ReloadResult>)> done) {
  auto shared_done =
      std::make_shared<std::function<void(absl::StatusOr<ReloadResult>)>>(std::move(done));
  const bool queued = executor_.Post([this, config = std::move(config), path = std::move(path),
                                      xml = std::move(xml), shared_done]() mutable {
    (*shared_done)(HandleReload(std::move(config), path, xml));
  });
  if (!queued) (*shared_done)(absl::UnavailableError("audiocontrold is shutting down"));
}

absl::StatusOr<CarAudioService::ReloadResult> CarAudioService::HandleReload(
    CarAudioConfig config, const std::string& path, const std::string& xml) {
  if (shut_down_) return absl::UnavailableError("audiocontrold is shutting down");
  const std::vector<int32_t> before = core_->config().ZoneIds();
  absl::StatusOr<CoreOutput> output = core_->Reload(std::move(config));
  if (!output.ok()) return output.status();

  ReloadResult result;
  result.zone_ids = core_->config().ZoneIds();
  for (int32_t zone : before) {
    if (!core_->engine().HasZone(zone)) result.removed_zone_ids.push_back(zone);
  }
  for (int32_t zone : result.zone_ids) {
    if (std::find(before.begin(), before.end(), zone) == before.end()) {
      result.added_zone_ids.push_back(zone);
    }
  }
  result.clients_lost = static_cast<int>(output->app_callbacks.size());

  v1::Event event;
  v1::ConfigReloadEvent* reloaded = event.mutable_config_reloaded();
  reloaded->set_path(path);
  reloaded->set_config_xml(xml);
  reloaded->mutable_zone_ids()->Add(result.zone_ids.begin(), result.zone_ids.end());
  reloaded->mutable_removed_zone_ids()->Add(result.removed_zone_ids.begin(),
                                            result.removed_zone_ids.end());
  reloaded->mutable_added_zone_ids()->Add(result.added_zone_ids.begin(),
                                          result.added_zone_ids.end());
  Publish(std::move(event));
  Dispatch(*std::move(output));
  SendDeviceGains(core_->volume_groups().All());
  UpdateSilencing();
  return result;
}

}  // namespace caraudio
