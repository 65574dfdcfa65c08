// The gRPC edge of AudioControlHal (internal to hal/): one CallbackService
// per service. A handler translates and validates the request, then posts
// the work to the HAL's executor and returns; it never touches HAL state.
// A caller without the HAL permission (AudioControlHal::CheckCaller) gets
// PERMISSION_DENIED first; validation failures end the call with
// INVALID_ARGUMENT at once; calls
// during or after Shutdown() end with UNAVAILABLE.
//
// Streams are StreamWriter reactors: the handler creates one, sets its
// cancel hook (which posts the unregistration) and hands it to the executor.

#ifndef CARAUDIO_HAL_HAL_GRPC_HANDLERS_H_
#define CARAUDIO_HAL_HAL_GRPC_HANDLERS_H_

#include <grpcpp/grpcpp.h>

#include "caraudio/v1/audio_control.grpc.pb.h"
#include "caraudio/v1/hal_focus.grpc.pb.h"
#include "hal/audio_control_hal.h"

namespace caraudio {

// How every call ended by Shutdown(), or made after it, ends.
inline grpc::Status HalShuttingDownStatus() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE, "shutting down");
}

// caraudio.v1.AudioControl.
class AudioControlHal::AudioControlHandlers final : public v1::AudioControl::CallbackService {
 public:
  explicit AudioControlHandlers(AudioControlHal* hal) : hal_(hal) {}

  grpc::ServerUnaryReactor* GetInterfaceInfo(grpc::CallbackServerContext* context,
                                             const v1::GetInterfaceInfoRequest* request,
                                             v1::InterfaceInfo* response) override;
  grpc::ServerWriteReactor<v1::FocusListenerCall>* RegisterFocusListener(
      grpc::CallbackServerContext* context,
      const v1::RegisterFocusListenerRequest* request) override;
  grpc::ServerUnaryReactor* OnAudioFocusChange(grpc::CallbackServerContext* context,
                                               const v1::OnAudioFocusChangeRequest* request,
                                               v1::OnAudioFocusChangeResponse* response) override;
  grpc::ServerUnaryReactor* OnDevicesToDuckChange(
      grpc::CallbackServerContext* context, const v1::OnDevicesToDuckChangeRequest* request,
      v1::OnDevicesToDuckChangeResponse* response) override;
  grpc::ServerUnaryReactor* SetAudioDeviceGains(
      grpc::CallbackServerContext* context, const v1::SetAudioDeviceGainsRequest* request,
      v1::SetAudioDeviceGainsResponse* response) override;
  grpc::ServerUnaryReactor* OnDevicesToMuteChange(
      grpc::CallbackServerContext* context, const v1::OnDevicesToMuteChangeRequest* request,
      v1::OnDevicesToMuteChangeResponse* response) override;
  grpc::ServerUnaryReactor* SetBalanceTowardRight(
      grpc::CallbackServerContext* context, const v1::SetBalanceTowardRightRequest* request,
      v1::SetBalanceTowardRightResponse* response) override;
  grpc::ServerUnaryReactor* SetFadeTowardFront(grpc::CallbackServerContext* context,
                                               const v1::SetFadeTowardFrontRequest* request,
                                               v1::SetFadeTowardFrontResponse* response) override;
  grpc::ServerWriteReactor<v1::GainCallbackEvent>* RegisterGainCallback(
      grpc::CallbackServerContext* context,
      const v1::RegisterGainCallbackRequest* request) override;
  grpc::ServerUnaryReactor* SetSilencedApps(grpc::CallbackServerContext* context,
                                            const v1::SetSilencedAppsRequest* request,
                                            v1::SetSilencedAppsResponse* response) override;
  grpc::ServerWriteReactor<v1::StreamLevelsReport>* WatchStreamLevels(
      grpc::CallbackServerContext* context, const v1::WatchStreamLevelsRequest* request) override;
  grpc::ServerUnaryReactor* GetHalState(grpc::CallbackServerContext* context,
                                        const v1::GetHalStateRequest* request,
                                        v1::HalState* response) override;

 private:
  AudioControlHal* const hal_;
};

// caraudio.v1.HalFocus.
class AudioControlHal::HalFocusHandlers final : public v1::HalFocus::CallbackService {
 public:
  explicit HalFocusHandlers(AudioControlHal* hal) : hal_(hal) {}

  grpc::ServerWriteReactor<v1::HalFocusStatus>* HoldFocus(
      grpc::CallbackServerContext* context, const v1::HoldFocusRequest* request) override;
  grpc::ServerWriteReactor<v1::HalFocusStatus>* PlaySound(
      grpc::CallbackServerContext* context, const v1::PlaySoundRequest* request) override;
  grpc::ServerUnaryReactor* ReleaseFocus(grpc::CallbackServerContext* context,
                                         const v1::ReleaseFocusRequest* request,
                                         v1::ReleaseFocusResponse* response) override;

 private:
  AudioControlHal* const hal_;
};

}  // namespace caraudio

#endif  // CARAUDIO_HAL_HAL_GRPC_HANDLERS_H_
