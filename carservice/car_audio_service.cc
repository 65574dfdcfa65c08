#include "carservice/car_audio_service.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "carservice/proto_convert.h"
#include "common/log.h"

namespace caraudio {

int64_t MonotonicNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int64_t MonotonicNanosAt(absl::Time wall_time) {
  return MonotonicNanos() - absl::ToInt64Nanoseconds(absl::Now() - wall_time);
}

namespace {

const grpc::Status kShuttingDown(grpc::StatusCode::UNAVAILABLE, "audiocontrold is shutting down");

// Runs `work` on the executor (inline when it is idle) and finishes the unary
// call with its status; UNAVAILABLE when the executor no longer takes work.
template <typename Work>
grpc::ServerUnaryReactor* DispatchUnary(SerialExecutor& executor,
                                        grpc::CallbackServerContext* context, Work work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (!executor.Dispatch([reactor, work = std::move(work)]() mutable {
        reactor->Finish(ToGrpcStatus(work()));
      })) {
    reactor->Finish(kShuttingDown);
  }
  return reactor;
}

grpc::ServerUnaryReactor* FinishNow(grpc::CallbackServerContext* context,
                                    const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

}  // namespace

// ---------------------------------------------------------------------------
// AudioFocus: translate, validate, post.

class CarAudioService::AudioFocusHandlers : public v1::AudioFocus::CallbackService {
 public:
  explicit AudioFocusHandlers(CarAudioService* service) : service_(service) {}

  grpc::ServerWriteReactor<v1::FocusEvent>* RequestFocus(
      grpc::CallbackServerContext* context, const v1::FocusRequest* proto) override {
    std::shared_ptr<FocusStream> stream = FocusStream::Create();
    absl::StatusOr<FocusRequest> request = FocusRequestFromProto(*proto);
    absl::StatusOr<std::optional<AppConfinement>> confinement =
        service_->access_->Confinement(*context, "request focus");
    absl::Status refused = !request.ok() ? request.status() : confinement.status();
    if (refused.ok()) refused = service_->AdmitRequest();
    if (!refused.ok()) {
      stream->Finish(ToGrpcStatus(refused));
      return stream.get();
    }
    CarAudioService* service = service_;
    const FocusStream* raw = stream.get();
    stream->set_on_cancel([service, client_id = request->client_id, raw] {
      service->executor_.Post([service, client_id, raw] { service->HandleStreamClosed(client_id, raw); });
    });
    // Usually decided right here on the gRPC thread (the executor is idle):
    // the result is written before the handler returns, saving a thread hop.
    if (!service_->executor_.Dispatch([service, request = std::move(*request), stream,
                                       confinement = *confinement]() mutable {
          if (confinement) {
            absl::Status confined =
                ConfineFocusRequest(*confinement, service->core_->engine(), request);
            if (!confined.ok()) return stream->Finish(ToGrpcStatus(confined));
          }
          service->HandleRequest(request, stream);
        })) {
      stream->Finish(kShuttingDown);
    }
    return stream.get();
  }

  grpc::ServerUnaryReactor* AbandonFocus(grpc::CallbackServerContext* context,
                                         const v1::AbandonFocusRequest* request,
                                         v1::AbandonFocusResponse* response) override {
    if (absl::Status status = ValidateClientId(request->client_id()); !status.ok()) {
      return FinishNow(context, status);
    }
    absl::StatusOr<std::optional<AppConfinement>> confinement =
        service_->access_->Confinement(*context, "abandon focus");
    if (!confinement.ok()) return FinishNow(context, confinement.status());
    std::optional<int32_t> zone;
    if (request->has_zone_id()) zone = request->zone_id();
    CarAudioService* service = service_;
    return DispatchUnary(service_->executor_, context,
                     [service, client_id = request->client_id(), zone, response,
                      confinement = *confinement] {
                       if (zone && !service->core_->engine().HasZone(*zone)) {
                         return absl::InvalidArgumentError(
                             absl::StrCat("unknown audio zone ", *zone));
                       }
                       if (confinement) {
                         absl::Status confined = ConfineAbandon(
                             *confinement, service->core_->engine(), client_id, zone);
                         if (!confined.ok()) return confined;
                       }
                       service->HandleAbandon(client_id, zone, v1::ABANDON_REASON_ABANDON_FOCUS);
                       response->set_result(v1::REQUEST_GRANTED);
                       return absl::OkStatus();
                     });
  }

  grpc::ServerUnaryReactor* ListVolumeGroups(grpc::CallbackServerContext* context,
                                             const v1::ListVolumeGroupsRequest* request,
                                             v1::ListVolumeGroupsResponse* response) override {
    CarAudioService* service = service_;
    std::optional<int32_t> zone;
    if (request->has_zone_id()) zone = request->zone_id();
    return DispatchUnary(service_->executor_, context, [service, zone, response] {
      if (zone && service->core_->config().FindZone(*zone) == nullptr) {
        return absl::InvalidArgumentError(absl::StrCat("unknown audio zone ", *zone));
      }
      for (const VolumeGroupState& group : service->core_->volume_groups().All()) {
        if (!zone || group.zone_id == *zone) *response->add_groups() = GroupVolumeToProto(group);
      }
      return absl::OkStatus();
    });
  }

  grpc::ServerUnaryReactor* GetGroupVolume(grpc::CallbackServerContext* context,
                                           const v1::GetGroupVolumeRequest* request,
                                           v1::GroupVolume* response) override {
    CarAudioService* service = service_;
    return DispatchUnary(service_->executor_, context, [service, request = *request, response] {
      absl::StatusOr<VolumeGroupState> state =
          service->core_->volume_groups().Get(request.zone_id(), request.group());
      if (!state.ok()) return state.status();
      *response = GroupVolumeToProto(*state);
      return absl::OkStatus();
    });
  }

  grpc::ServerUnaryReactor* SetGroupVolume(grpc::CallbackServerContext* context,
                                           const v1::SetGroupVolumeRequest* request,
                                           v1::GroupVolume* response) override {
    absl::StatusOr<std::optional<AppConfinement>> confinement =
        service_->access_->Confinement(*context, "set a group volume");
    if (!confinement.ok()) return FinishNow(context, confinement.status());
    CarAudioService* service = service_;
    return DispatchUnary(service_->executor_, context, [service, request = *request, response,
                                                        confinement = *confinement]() mutable {
      CarAudioCore& core = *service->core_;
      if (absl::Status confined = ConfineVolumeCaller(confinement, core, request); !confined.ok()) {
        return confined;
      }
      absl::StatusOr<CoreOutput> output =
          core.SetGroupVolume(request.zone_id(), request.group(), request.gain_index(),
                              VolumeCaller(request), absl::Now());
      if (!output.ok()) return output.status();
      const VolumeGroupState group = *core.volume_groups().Get(request.zone_id(), request.group());
      *response = GroupVolumeToProto(group);
      service->PublishHardening(*output);
      AuditVolumeCall(*service, request, "setStreamVolume");
      if (output->suppressed) return absl::OkStatus();
      v1::Event event;
      *event.mutable_group_volume() = *response;
      service->Publish(std::move(event));
      service->SendDeviceGains({group});
      return absl::OkStatus();
    });
  }

  grpc::ServerUnaryReactor* SetGroupMute(grpc::CallbackServerContext* context,
                                         const v1::SetGroupMuteRequest* request,
                                         v1::GroupVolume* response) override {
    absl::StatusOr<std::optional<AppConfinement>> confinement =
        service_->access_->Confinement(*context, "mute a group");
    if (!confinement.ok()) return FinishNow(context, confinement.status());
    CarAudioService* service = service_;
    return DispatchUnary(service_->executor_, context, [service, request = *request, response,
                                                        confinement = *confinement]() mutable {
      CarAudioCore& core = *service->core_;
      if (absl::Status confined = ConfineVolumeCaller(confinement, core, request); !confined.ok()) {
        return confined;
      }
      absl::StatusOr<CoreOutput> output =
          core.SetGroupMute(request.zone_id(), request.group(), request.muted(),
                            VolumeCaller(request), absl::Now());
      if (!output.ok()) return output.status();
      *response = GroupVolumeToProto(*core.volume_groups().Get(request.zone_id(), request.group()));
      service->PublishHardening(*output);
      AuditVolumeCall(*service, request, "setStreamMute");
      if (output->suppressed) return absl::OkStatus();
      v1::Event event;
      *event.mutable_group_volume() = *response;
      service->Publish(std::move(event));
      service->Dispatch(std::move(*output));
      return absl::OkStatus();
    });
  }

 private:
  // An untrusted caller's volume call is its own: its uid, in its zone.
  template <typename Request>
  static absl::Status ConfineVolumeCaller(const std::optional<AppConfinement>& confinement,
                                          const CarAudioCore& core, Request& request) {
    if (!confinement) return absl::OkStatus();
    int32_t uid = request.uid();
    absl::Status confined = ConfineVolumeCall(*confinement, core.engine(), request.zone_id(), uid);
    request.set_uid(uid);
    return confined;
  }
  // The app behind a volume call; none for the head unit (no package).
  template <typename Request>
  static std::optional<AppKey> VolumeCaller(const Request& request) {
    if (request.package_name().empty() && request.uid() == 0) return std::nullopt;
    return AppKey{request.package_name(), request.uid()};
  }
  // Whatever hardening did with it, an app's own volume call is a finding.
  template <typename Request>
  static void AuditVolumeCall(CarAudioService& service, const Request& request,
                              absl::string_view api) {
    const std::optional<AppKey> caller = VolumeCaller(request);
    if (!caller) return;
    service.audit_.ObserveVolumeCall(*caller, request.zone_id(), api, absl::Now());
    service.PublishFindings();
  }

 private:
  CarAudioService* service_;
};

// ---------------------------------------------------------------------------
// CarAudioAdmin.

class CarAudioService::AdminHandlers : public v1::CarAudioAdmin::CallbackService {
 public:
  explicit AdminHandlers(CarAudioService* service) : service_(service) {}

  grpc::ServerUnaryReactor* GetState(grpc::CallbackServerContext* context,
                                     const v1::GetStateRequest* /*request*/,
                                     v1::CarAudioState* response) override {
    CarAudioService* service = service_;
    return DispatchUnary(service_->executor_, context, [service, response] {
      *response = service->StateSnapshot();
      return absl::OkStatus();
    });
  }

  grpc::ServerWriteReactor<v1::Event>* WatchEvents(grpc::CallbackServerContext* /*context*/,
                                                   const v1::WatchEventsRequest* request) override {
    std::shared_ptr<EventStream> stream = EventStream::Create(/*max_queue=*/16384);
    CarAudioService* service = service_;
    const EventStream* raw = stream.get();
    stream->set_on_cancel([service, raw] {
      service->executor_.Post([service, raw] {
        std::erase_if(service->event_streams_,
                      [raw](const std::shared_ptr<EventStream>& s) { return s.get() == raw; });
      });
    });
    const bool include_state = request->include_state();
    if (!service_->executor_.Dispatch([service, stream, include_state] {
          if (service->shut_down_) {
            stream->Finish(kShuttingDown);
            return;
          }
          v1::Event event;
          event.set_sequence(service->event_sequence_);
          event.set_timestamp_ns(MonotonicNanos());
          if (include_state) {
            v1::CarAudioState* state = event.mutable_subscribed()->mutable_state();
            *state = service->StateSnapshot();
          } else {
            event.mutable_subscribed();
          }
          stream->Send(std::move(event));
          service->event_streams_.push_back(stream);
        })) {
      stream->Finish(kShuttingDown);
    }
    return stream.get();
  }

  grpc::ServerUnaryReactor* SetRestrictFocus(grpc::CallbackServerContext* context,
                                             const v1::SetRestrictFocusRequest* request,
                                             v1::SetRestrictFocusResponse* /*response*/) override {
    if (grpc::ServerUnaryReactor* denied = RequireAdmin(context, "SetRestrictFocus")) return denied;
    CarAudioService* service = service_;
    return DispatchUnary(service_->executor_, context, [service, request = *request] {
      v1::Event event;
      *event.mutable_restrict_focus() = request;
      service->Publish(std::move(event));
      service->Dispatch(service->core_->SetRestrictFocus(request.restricted()));
      return absl::OkStatus();
    });
  }

  grpc::ServerUnaryReactor* SetNavigationRejectedDuringCall(
      grpc::CallbackServerContext* context, const v1::SetNavigationRejectedDuringCallRequest* request,
      v1::SetNavigationRejectedDuringCallResponse* /*response*/) override {
    if (grpc::ServerUnaryReactor* denied =
            RequireAdmin(context, "SetNavigationRejectedDuringCall")) {
      return denied;
    }
    CarAudioService* service = service_;
    return DispatchUnary(service_->executor_, context, [service, request = *request] {
      absl::Status status =
          service->core_->SetNavigationRejectedDuringCall(request.zone_id(), request.rejected());
      if (!status.ok()) return status;
      v1::Event event;
      *event.mutable_navigation_rejected_during_call() = request;
      service->Publish(std::move(event));
      return absl::OkStatus();
    });
  }

  grpc::ServerUnaryReactor* SetZoneForUid(grpc::CallbackServerContext* context,
                                          const v1::SetZoneForUidRequest* request,
                                          v1::SetZoneForUidResponse* /*response*/) override {
    if (grpc::ServerUnaryReactor* denied = RequireAdmin(context, "SetZoneForUid")) return denied;
    if (request->uid() < 0) {
      return FinishNow(context, absl::InvalidArgumentError(
                                    absl::StrCat("uid ", request->uid(), " is negative")));
    }
    CarAudioService* service = service_;
    return DispatchUnary(service_->executor_, context, [service, request = *request] {
      absl::StatusOr<CoreOutput> output =
          service->core_->SetZoneForUid(request.uid(), request.zone_id());
      if (!output.ok()) return output.status();
      v1::Event event;
      *event.mutable_zone_for_uid() = request;
      service->Publish(std::move(event));
      service->Dispatch(std::move(*output));
      service->UpdateSilencing();
      return absl::OkStatus();
    });
  }

  grpc::ServerUnaryReactor* ClearZoneForUid(grpc::CallbackServerContext* context,
                                            const v1::ClearZoneForUidRequest* request,
                                            v1::ClearZoneForUidResponse* /*response*/) override {
    if (grpc::ServerUnaryReactor* denied = RequireAdmin(context, "ClearZoneForUid")) return denied;
    if (request->uid() < 0) {
      return FinishNow(context, absl::InvalidArgumentError(
                                    absl::StrCat("uid ", request->uid(), " is negative")));
    }
    CarAudioService* service = service_;
    return DispatchUnary(service_->executor_, context, [service, request = *request] {
      v1::Event event;
      *event.mutable_zone_for_uid_cleared() = request;
      service->Publish(std::move(event));
      service->Dispatch(service->core_->ClearZoneForUid(request.uid()));
      service->UpdateSilencing();
      return absl::OkStatus();
    });
  }

  grpc::ServerUnaryReactor* ReportAppState(grpc::CallbackServerContext* context,
                                           const v1::ReportAppStateRequest* request,
                                           v1::AppLifecycleState* response) override {
    if (grpc::ServerUnaryReactor* denied = RequireAdmin(context, "ReportAppState")) return denied;
    if (request->package_name().empty() || request->uid() < 0) {
      return FinishNow(context, absl::InvalidArgumentError(
                                    "ReportAppState needs a package_name and a uid >= 0"));
    }
    CarAudioService* service = service_;
    return DispatchUnary(service_->executor_, context, [service, request = *request, response] {
      AppLifecycle& lifecycle = service->core_->lifecycle();
      const absl::Time now = std::max(absl::Now(), lifecycle.now());
      absl::StatusOr<std::vector<LifecycleTransition>> transitions =
          ApplyAppStateReport(request, now, lifecycle);
      if (!transitions.ok()) return transitions.status();
      v1::Event event;
      *event.mutable_app_state() = request;
      service->Publish(std::move(event));
      service->PublishTransitions(*transitions);
      service->ScheduleLifecycleTimer();
      service->UpdateSilencing();
      const AppKey app{request.package_name(), request.uid()};
      *response = AppLifecycleStateToProto(app, lifecycle.Evaluate(app, now));
      return absl::OkStatus();
    });
  }

  grpc::ServerUnaryReactor* SetHardeningMode(grpc::CallbackServerContext* context,
                                             const v1::SetHardeningModeRequest* request,
                                             v1::SetHardeningModeResponse* /*response*/) override {
    if (grpc::ServerUnaryReactor* denied = RequireAdmin(context, "SetHardeningMode")) return denied;
    absl::StatusOr<HardeningMode> mode = HardeningModeFromProto(request->mode());
    if (!mode.ok()) return FinishNow(context, mode.status());
    CarAudioService* service = service_;
    return DispatchUnary(service_->executor_, context, [service, request = *request, mode = *mode] {
      AudioHardening& hardening = service->core_->hardening();
      if (request.has_zone_id()) {
        if (!service->core_->engine().HasZone(request.zone_id())) {
          return absl::InvalidArgumentError(
              absl::StrCat("unknown audio zone ", request.zone_id()));
        }
        if (absl::Status status = hardening.SetMode(request.zone_id(), mode); !status.ok()) {
          return status;
        }
      } else if (absl::Status status = hardening.SetDefaultMode(mode); !status.ok()) {
        return status;
      }
      v1::Event event;
      *event.mutable_hardening_mode() = request;
      service->Publish(std::move(event));
      service->UpdateSilencing();
      return absl::OkStatus();
    });
  }

  grpc::ServerUnaryReactor* GetAudit(grpc::CallbackServerContext* context,
                                     const v1::GetAuditRequest* request,
                                     v1::AuditReport* response) override {
    CarAudioService* service = service_;
    return DispatchUnary(service_->executor_, context, [service, request = *request, response] {
      const ComplianceAudit& audit = service->audit_;
      const std::string& package = request.package_name();
      for (const AuditFinding& finding : audit.findings()) {
        if (!package.empty() && finding.app.package_name != package) continue;
        *response->add_findings() =
            AuditFindingToProto(finding, MonotonicNanosAt(finding.at),
                                MonotonicNanosAt(finding.since));
      }
      for (const v1::StreamLevel& level : service->last_levels_.streams()) {
        if (!package.empty() && level.package_name() != package) continue;
        *response->add_streams() = level;
      }
      *response->mutable_settings() = AuditSettingsToProto(audit.settings());
      response->set_levels_available(audit.levels_available());
      return absl::OkStatus();
    });
  }

  grpc::ServerUnaryReactor* Ping(grpc::CallbackServerContext* context,
                                 const v1::PingRequest* /*request*/,
                                 v1::PingResponse* /*response*/) override {
    return FinishNow(context, absl::OkStatus());
  }

 private:
  // Settings are for the head unit's own tools: a finished call when the
  // caller may not change them, else nullptr.
  grpc::ServerUnaryReactor* RequireAdmin(grpc::CallbackServerContext* context,
                                         absl::string_view rpc) {
    absl::Status allowed = service_->access_->Require(*context, Permission::kAdmin,
                                                      absl::StrCat("call CarAudioAdmin.", rpc));
    return allowed.ok() ? nullptr : FinishNow(context, allowed);
  }

  CarAudioService* service_;
};

// ---------------------------------------------------------------------------

CarAudioService::CarAudioService(std::unique_ptr<CarAudioCore> core, const CallerAccess* access,
                                 AuditSettings audit, size_t max_queued_operations)
    : core_(std::move(core)),
      access_(access),
      max_queued_operations_(max_queued_operations),
      audio_focus_handlers_(std::make_unique<AudioFocusHandlers>(this)),
      admin_handlers_(std::make_unique<AdminHandlers>(this)),
      audit_(audit) {}

CarAudioService::~CarAudioService() { Shutdown(); }

absl::Status CarAudioService::AdmitRequest() const {
  const size_t queued = executor_.queued();
  if (queued < max_queued_operations_) return absl::OkStatus();
  return absl::ResourceExhaustedError(absl::StrCat(
      "car service overloaded: ", queued, " operations already wait (--max_queued_operations=",
      max_queued_operations_, "); nothing changed, ask again later"));
}

grpc::Service* CarAudioService::audio_focus_service() { return audio_focus_handlers_.get(); }
grpc::Service* CarAudioService::admin_service() { return admin_handlers_.get(); }

void CarAudioService::ConnectHal(std::shared_ptr<grpc::Channel> channel) {
  HalLink::Callbacks callbacks;
  callbacks.on_registered = [this](uint64_t id) {
    executor_.Post([this, id] { HandleHalRegistered(id); });
  };
  callbacks.on_request = [this](const v1::RequestAudioFocusCall& call) {
    executor_.Post([this, call] { HandleHalRequest(call); });
  };
  callbacks.on_abandon = [this](const v1::AbandonAudioFocusCall& call) {
    executor_.Post([this, call] { HandleHalAbandon(call); });
  };
  callbacks.on_lost = [this](const grpc::Status&) { executor_.Post([this] { HandleHalLost(); }); };
  callbacks.on_levels = [this](const v1::StreamLevelsReport& report) {
    executor_.Post([this, report] { HandleStreamLevels(report); });
  };
  callbacks.on_levels_lost = [this] { executor_.Post([this] { HandleLevelsLost(); }); };
  auto link = std::make_unique<HalLink>(std::move(channel), std::move(callbacks));
  HalLink* started = link.get();
  // Installed on the executor: the service may already be serving, and
  // every dispatch to the HAL reads hal_link_ there (a race TSan found).
  executor_.Run([this, &link] { hal_link_ = std::move(link); });
  started->Start();
}

void CarAudioService::Shutdown() {
  if (hal_link_) hal_link_->Stop();
  executor_.Run([this] {
    if (shut_down_) return;
    shut_down_ = true;
    for (auto& [key, stream] : focus_streams_) stream->Finish(kShuttingDown);
    focus_streams_.clear();
    for (auto& stream : event_streams_) stream->Finish(kShuttingDown);
    event_streams_.clear();
  });
}

v1::FocusEvent CarAudioService::NewFocusEvent() const {
  v1::FocusEvent event;
  event.set_timestamp_ns(MonotonicNanos());
  return event;
}

void CarAudioService::PublishTransitions(const std::vector<LifecycleTransition>& transitions) {
  for (const LifecycleTransition& transition : transitions) {
    LogInfo("carservice", absl::StrCat("lifecycle: ", AppKeyText(transition.app), " ",
                                       LifecycleTransitionKindName(transition.kind), ": ",
                                       transition.reason));
    v1::Event event;
    *event.mutable_app_transition() = AppTransitionToProto(
        transition, MonotonicNanosAt(transition.at));
    Publish(std::move(event));
  }
}

void CarAudioService::ScheduleLifecycleTimer() {
  if (shut_down_) return;
  const std::optional<absl::Time> next = core_->lifecycle().NextDeadline();
  if (next == lifecycle_timer_at_) return;
  if (lifecycle_timer_at_.has_value()) lifecycle_timer_.Cancel(lifecycle_timer_id_);
  lifecycle_timer_at_ = next;
  if (!next.has_value()) return;
  lifecycle_timer_id_ = lifecycle_timer_.RunAt(*next, [this] {
    executor_.Post([this] { HandleLifecycleDeadline(); });
  });
}

void CarAudioService::HandleLifecycleDeadline() {
  if (shut_down_) return;
  AppLifecycle& lifecycle = core_->lifecycle();
  lifecycle_timer_at_.reset();
  PublishTransitions(lifecycle.AdvanceTo(std::max(absl::Now(), lifecycle.now())));
  ScheduleLifecycleTimer();
  UpdateSilencing();
}

void CarAudioService::PublishHardening(const CoreOutput& output) {
  for (const SuppressedCall& call : output.hardening) {
    LogInfo("carservice", call.log_line);
    v1::Event hardening;
    *hardening.mutable_hardening() = HardeningEventToProto(call);
    Publish(std::move(hardening));
  }
}

void CarAudioService::HandleRequest(const FocusRequest& request,
                                    const std::shared_ptr<FocusStream>& stream) {
  if (shut_down_) {
    stream->Finish(kShuttingDown);
    return;
  }
  CoreOutput output = core_->RequestFocus(request, absl::Now());
  const FocusDecision decision = *output.decision;
  audit_.ObserveRequest(request, decision, output.app_callbacks, absl::Now());

  v1::Event event;
  v1::FocusRequestEvent* logged = event.mutable_focus_request();
  *logged->mutable_request() = FocusRequestToProto(request);
  *logged->mutable_result() = FocusResultToProto(decision);
  Publish(std::move(event));
  PublishHardening(output);

  const StreamKey key{decision.zone_id, request.client_id};
  if (decision.result != RequestResult::kFailed) {
    // The same client's previous request in this zone was replaced silently.
    if (auto previous = focus_streams_.find(key); previous != focus_streams_.end()) {
      v1::FocusEvent replaced = NewFocusEvent();
      replaced.mutable_replaced();
      previous->second->Send(std::move(replaced));
      previous->second->Finish(grpc::Status::OK);
      focus_streams_.erase(previous);
    }
  }
  // Losses to others go out before the requester's result (AAOS §3.3 step 7).
  DispatchAppCallbacks(output);

  v1::FocusEvent result = NewFocusEvent();
  *result.mutable_result() = FocusResultToProto(decision);
  stream->Send(std::move(result));
  DispatchToHal(output);
  if (decision.result == RequestResult::kFailed) {
    stream->Finish(grpc::Status::OK);
  } else if (stream->finishing()) {
    // The client went away while we decided; its cancel is queued behind us
    // but will not find the stream, so abandon here (logged like any other
    // closed stream, so the event log stays replayable).
    PublishAbandon(request.client_id, decision.zone_id, v1::ABANDON_REASON_STREAM_CLOSED);
    Dispatch(core_->AbandonFocus(request.client_id, decision.zone_id));
  } else {
    focus_streams_[key] = stream;
  }
  ObserveFocus();
}

void CarAudioService::HandleStreamClosed(const std::string& client_id, const FocusStream* stream) {
  for (auto it = focus_streams_.begin(); it != focus_streams_.end(); ++it) {
    if (it->first.second != client_id || it->second.get() != stream) continue;
    const int32_t zone = it->first.first;
    focus_streams_.erase(it);
    PublishAbandon(client_id, zone, v1::ABANDON_REASON_STREAM_CLOSED);
    Dispatch(core_->AbandonFocus(client_id, zone));
    return;
  }
}

void CarAudioService::HandleAbandon(const std::string& client_id, std::optional<int32_t> zone_id,
                                    v1::AbandonReason reason) {
  PublishAbandon(client_id, zone_id, reason);
  // The client's streams end: focus and stream live and die together.
  for (auto it = focus_streams_.begin(); it != focus_streams_.end();) {
    if (it->first.second == client_id && (!zone_id || it->first.first == *zone_id)) {
      v1::FocusEvent abandoned = NewFocusEvent();
      abandoned.mutable_abandoned();
      it->second->Send(std::move(abandoned));
      it->second->Finish(grpc::Status::OK);
      it = focus_streams_.erase(it);
    } else {
      ++it;
    }
  }
  Dispatch(core_->AbandonFocus(client_id, zone_id));
}

void CarAudioService::HandleHalRequest(const v1::RequestAudioFocusCall& call) {
  HalRequestOutcome outcome = ApplyHalRequest(*core_, call);
  if (!outcome.error.ok()) {
    LogWarning("carservice", absl::StrCat("bad HAL focus request: ", outcome.error.ToString()));
  }
  v1::Event event;
  *event.mutable_hal_request_focus()->mutable_call() = call;
  if (outcome.result) *event.mutable_hal_request_focus()->mutable_result() = *outcome.result;
  Publish(std::move(event));
  Dispatch(std::move(outcome.output));
}

void CarAudioService::HandleHalAbandon(const v1::AbandonAudioFocusCall& call) {
  v1::Event event;
  *event.mutable_hal_abandon_focus() = call;
  Publish(std::move(event));
  absl::StatusOr<CoreOutput> output = core_->HalAbandonAudioFocus(call.usage(), call.zone_id());
  if (!output.ok()) {
    LogWarning("carservice", absl::StrCat("bad HAL abandon: ", output.status().ToString()));
    return;
  }
  Dispatch(std::move(*output));
}

void CarAudioService::HandleHalRegistered(uint64_t registration_id) {
  hal_registered_ = true;
  v1::Event event;
  event.mutable_hal_listener()->set_registered(true);
  event.mutable_hal_listener()->set_registration_id(registration_id);
  Publish(std::move(event));
  // A (re)started HAL knows nothing: give it the current duck and mute sets.
  v1::OnDevicesToDuckChangeRequest ducking;
  for (const DuckingInfo& info : core_->CurrentDucking()) {
    *ducking.add_ducking_infos() = DuckingInfoToProto(info);
  }
  hal_link_->OnDevicesToDuckChange(std::move(ducking));
  v1::OnDevicesToMuteChangeRequest muting;
  for (const MutingInfo& info : core_->CurrentMuting()) {
    *muting.add_muting_infos() = MutingInfoToProto(info);
  }
  hal_link_->OnDevicesToMuteChange(std::move(muting));
  SendDeviceGains(core_->volume_groups().All());
  UpdateSilencing(/*resend=*/true);
}

void CarAudioService::SendDeviceGains(const std::vector<VolumeGroupState>& groups) {
  if (!hal_link_) return;
  v1::SetAudioDeviceGainsRequest request;
  for (const VolumeGroupState& group : groups) {
    for (const std::string& address : group.addresses) {
      v1::DeviceGain* gain = request.add_gains();
      gain->set_zone_id(group.zone_id);
      gain->set_device_address(address);
      gain->set_gain_mb(group.gain_mb());
    }
  }
  hal_link_->SetAudioDeviceGains(std::move(request));
}

void CarAudioService::HandleHalLost() {
  hal_registered_ = false;
  v1::Event event;
  event.mutable_hal_listener()->set_registered(false);
  Publish(std::move(event));
  // AAOS HalAudioFocus.reset(): the HAL's focus requests die with it.
  Dispatch(core_->HalReset());
}

void CarAudioService::Dispatch(CoreOutput output) {
  DispatchAppCallbacks(output);
  DispatchToHal(output);
  ObserveFocus();
}

v1::CarAudioState CarAudioService::StateSnapshot() const {
  v1::CarAudioState state = StateToProto(*core_);
  state.set_sequence(event_sequence_);
  for (const AppKey& app : silenced_apps_) {
    v1::AppIdentity* identity = state.add_silenced_apps();
    identity->set_package_name(app.package_name);
    identity->set_uid(app.uid);
  }
  return state;
}

void CarAudioService::ObserveFocus() {
  audit_.ObserveFocus(core_->engine(), absl::Now());
  PublishFindings();
}

void CarAudioService::PublishFindings() {
  for (const AuditFinding& finding : audit_.TakeNewFindings()) {
    LogWarning("carservice", absl::StrCat("audit: ", finding.app.package_name, " (uid ",
                                       finding.app.uid, ") zone ", finding.zone_id, " ",
                                       FindingKindName(finding.kind), ": ", finding.detail));
    v1::Event event;
    *event.mutable_audit_finding() =
        AuditFindingToProto(finding, MonotonicNanosAt(finding.at),
                            MonotonicNanosAt(finding.since));
    Publish(std::move(event));
  }
}

void CarAudioService::HandleStreamLevels(const v1::StreamLevelsReport& report) {
  if (shut_down_) return;
  if (!report.measured()) {
    // A backend without audio (--audio=memory): nothing to judge.
    if (audit_.levels_available()) HandleLevelsLost();
    return;
  }
  last_levels_ = report;
  std::vector<StreamLevelSample> samples;
  std::map<AppKey, std::set<int32_t>> stream_zones;
  for (const v1::StreamLevel& level : report.streams()) {
    samples.push_back(StreamLevelFromProto(level));
    if (!level.package_name().empty()) {
      stream_zones[AppKey{level.package_name(), level.uid()}].insert(level.zone_id());
    }
  }
  audit_.ObserveLevels(samples, absl::Now());
  PublishFindings();
  if (stream_zones != stream_zones_) {
    stream_zones_ = std::move(stream_zones);
    UpdateSilencing();
  }
}

void CarAudioService::HandleLevelsLost() {
  audit_.LevelsLost();
  last_levels_.Clear();
  stream_zones_.clear();
}

void CarAudioService::UpdateSilencing(bool resend) {
  if (shut_down_) return;
  CoreOutput output;
  std::set<AppKey> silenced = core_->SilencedApps(stream_zones_, absl::Now(), output);
  PublishHardening(output);
  if (silenced == silenced_apps_ && !resend) return;
  silenced_apps_ = std::move(silenced);
  if (!hal_link_) return;
  v1::SetSilencedAppsRequest request;
  for (const AppKey& app : silenced_apps_) {
    v1::AppIdentity* identity = request.add_apps();
    identity->set_package_name(app.package_name);
    identity->set_uid(app.uid);
  }
  hal_link_->SetSilencedApps(std::move(request));
}

void CarAudioService::DispatchAppCallbacks(CoreOutput& output) {
  // A moved client's stream follows its entry: the old zone's callbacks reach
  // it under the old key, the new zone's under the new one.
  auto follow_move = [this, &output](const StreamKey& key) {
    for (auto move = output.moves.begin(); move != output.moves.end(); ++move) {
      if (move->client_id != key.second || move->to_zone != key.first) continue;
      auto stream = focus_streams_.find(StreamKey{move->from_zone, move->client_id});
      if (stream != focus_streams_.end()) {
        focus_streams_[key] = std::move(stream->second);
        focus_streams_.erase(stream);
      }
      output.moves.erase(move);
      return;
    }
  };
  for (const FocusCallback& callback : output.app_callbacks) {
    audit_.ObserveCallback(callback, absl::Now());
    v1::Event event;
    *event.mutable_focus_callback() = FocusCallbackToProto(callback);
    Publish(std::move(event));
    follow_move(StreamKey{callback.zone_id, callback.client_id});
    auto it = focus_streams_.find(StreamKey{callback.zone_id, callback.client_id});
    if (it == focus_streams_.end()) continue;
    v1::FocusEvent change = NewFocusEvent();
    change.mutable_focus_change()->set_change(static_cast<v1::FocusChange>(callback.change));
    change.mutable_focus_change()->set_zone_id(callback.zone_id);
    it->second->Send(std::move(change));
    if (callback.change == FocusChange::kLoss) {
      // A permanent loss ends the entry, so it ends the stream.
      it->second->Finish(grpc::Status::OK);
      focus_streams_.erase(it);
    }
  }
  // Moves without a callback in the new zone (delayed there) re-key too.
  while (!output.moves.empty()) {
    const ZoneMove move = output.moves.front();
    follow_move(StreamKey{move.to_zone, move.client_id});
  }
}

void CarAudioService::DispatchToHal(const CoreOutput& output) {
  for (const HalFocusChange& report : output.hal_reports) {
    v1::OnAudioFocusChangeRequest request = HalFocusChangeToProto(report);
    v1::Event event;
    *event.mutable_hal_focus_change() = request;
    Publish(std::move(event));
    if (hal_link_) hal_link_->OnAudioFocusChange(std::move(request));
  }
  if (!output.ducking.empty()) {
    v1::OnDevicesToDuckChangeRequest request;
    for (const DuckingInfo& info : output.ducking) {
      *request.add_ducking_infos() = DuckingInfoToProto(info);
      v1::Event event;
      *event.mutable_ducking_change() = request.ducking_infos(request.ducking_infos_size() - 1);
      Publish(std::move(event));
    }
    if (hal_link_) hal_link_->OnDevicesToDuckChange(std::move(request));
  }
  if (!output.muting.empty()) {
    v1::OnDevicesToMuteChangeRequest request;
    for (const MutingInfo& info : output.muting) {
      *request.add_muting_infos() = MutingInfoToProto(info);
      v1::Event event;
      *event.mutable_muting_change() = request.muting_infos(request.muting_infos_size() - 1);
      Publish(std::move(event));
    }
    if (hal_link_) hal_link_->OnDevicesToMuteChange(std::move(request));
  }
}

void CarAudioService::PublishAbandon(const std::string& client_id, std::optional<int32_t> zone_id,
                                     v1::AbandonReason reason) {
  v1::Event event;
  v1::FocusAbandonEvent* abandon = event.mutable_focus_abandon();
  abandon->mutable_request()->set_client_id(client_id);
  if (zone_id) abandon->mutable_request()->set_zone_id(*zone_id);
  abandon->set_reason(reason);
  Publish(std::move(event));
}

void CarAudioService::Publish(v1::Event event) {
  event.set_sequence(++event_sequence_);
  event.set_timestamp_ns(MonotonicNanos());
  std::erase_if(event_streams_,
                [&event](const std::shared_ptr<EventStream>& stream) { return !stream->Send(event); });
}

}  // namespace caraudio
