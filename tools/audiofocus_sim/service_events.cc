#include "tools/audiofocus_sim/service_events.h"

#include "tools/audioctl_render.h"

namespace caraudio::sim {

std::optional<std::string> ServiceEventLine(const caraudio::v1::Event& event) {
  using caraudio::v1::Event;
  switch (event.kind_case()) {
    case Event::kDuckingChange:
      // Every focus change sends the zone's holders to the HAL; only a
      // change of what is ducked is worth a line.
      if (event.ducking_change().device_addresses_to_duck().empty() &&
          event.ducking_change().device_addresses_to_unduck().empty()) {
        break;
      }
      return audioctl::RenderEventWithoutStamp(event);
    case Event::kMutingChange:
      if (event.muting_change().device_addresses_to_mute().empty() &&
          event.muting_change().device_addresses_to_unmute().empty()) {
        break;
      }
      return audioctl::RenderEventWithoutStamp(event);
    case Event::kHalRequestFocus:
    case Event::kHalAbandonFocus:
    case Event::kHalListener:
    case Event::kRestrictFocus:
    case Event::kZoneForUid:
    case Event::kZoneForUidCleared:
    case Event::kHardening:
    case Event::kAppTransition:
    case Event::kAuditFinding:
      return audioctl::RenderEventWithoutStamp(event);
    default:
      // Shown by the apps or the steps themselves (subscribed, requests,
      // abandons, callbacks, volume, HAL focus reports, settings, lifecycle
      // reports), or a kind this build does not know.
      break;
  }
  return std::nullopt;
}

}  // namespace caraudio::sim
