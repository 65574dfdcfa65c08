#include "carservice/config_file_check.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "carservice/focus_engine.h"
#include "zones/car_audio_config_parser.h"
#include "zones/text_file.h"

namespace caraudio {

absl::StatusOr<LoadedConfigFile> LoadConfigFile(const std::string& path) {
  absl::StatusOr<std::string> xml = ReadTextFile(path, "car audio configuration");
  if (!xml.ok()) return xml.status();
  absl::StatusOr<CarAudioConfig> config = ParseCarAudioConfig(*xml, path);
  if (!config.ok()) return config.status();
  if (absl::StatusOr<FocusEngine> engine = FocusEngine::Create(config->ZoneIds()); !engine.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", engine.status().message()));
  }
  return LoadedConfigFile{path, *std::move(xml), *std::move(config)};
}

std::string ConfigSummary(const CarAudioConfig& config) {
  size_t groups = 0;
  size_t devices = 0;
  std::vector<std::string> zones;
  for (const ZoneConfig& zone : config.zones) {
    groups += zone.volume_groups.size();
    for (const VolumeGroupConfig& group : zone.volume_groups) devices += group.devices.size();
    zones.push_back(absl::StrCat("zone ", zone.id, " \"", zone.name, "\" (",
                                 zone.is_primary ? "primary, " : "", zone.volume_groups.size(),
                                 zone.volume_groups.size() == 1 ? " group)" : " groups)"));
  }
  return absl::StrCat(config.zones.size(), config.zones.size() == 1 ? " zone, " : " zones, ",
                      groups, groups == 1 ? " volume group, " : " volume groups, ", devices,
                      devices == 1 ? " device: " : " devices: ", absl::StrJoin(zones, ", "));
}

absl::Status CheckHalCanServe(const CarAudioConfig& hal, const CarAudioConfig& car) {
  const std::string restart =
      "; the HAL in this process keeps the devices it started with: restart audiocontrold";
  for (const ZoneConfig& zone : car.zones) {
    const ZoneConfig* served = hal.FindZone(zone.id);
    if (served == nullptr) {
      return absl::FailedPreconditionError(
          absl::StrCat("the new config adds zone ", zone.id, restart));
    }
    const ContextDeviceMap now = served->DeviceMap();
    const ContextDeviceMap wanted = zone.DeviceMap();
    for (AudioContext context : kAllAudioContexts) {
      const std::string& address = wanted[ContextIndex(context)];
      if (address != now[ContextIndex(context)]) {
        return absl::FailedPreconditionError(absl::StrCat(
            "the new config routes ", ContextName(context), " in zone ", zone.id, " to \"",
            address, "\" instead of \"", now[ContextIndex(context)], "\"", restart));
      }
      const DeviceConfig* device = zone.FindDevice(address);
      const DeviceConfig* served_device = served->FindDevice(address);
      if (device != nullptr && served_device != nullptr &&
          device->output != served_device->output) {
        return absl::FailedPreconditionError(
            absl::StrCat("the new config connects device \"", address, "\" to output \"",
                         device->output, "\" instead of \"", served_device->output, "\"",
                         restart));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace caraudio
