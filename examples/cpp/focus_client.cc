// focus_client: the smallest useful CarAudioControl app. It asks
// audiocontrold for MEDIA focus, prints the answer and every focus change,
// and abandons its focus after SECONDS (default 10), on Ctrl-C or SIGTERM.
//
//   focus_client SOCKET [SECONDS]
//
// SOCKET is the daemon's unix socket (a path such as
// /run/caraudio/audiocontrol.sock, or any gRPC target: unix:PATH,
// HOST:PORT). Exit code: 0 when the request was granted (or delayed) and then
// ended cleanly, 3 when it FAILED, 1 on an RPC error, 2 on a bad command line.
// Built by examples/CMakeLists.txt; tests/examples runs it against a real
// daemon.

#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <thread>

#include "caraudio/v1/audio_focus.grpc.pb.h"

namespace {

namespace v1 = caraudio::v1;

constexpr int kExitOk = 0;
constexpr int kExitRpcError = 1;
constexpr int kExitUsage = 2;
constexpr int kExitFocusFailed = 3;

// A plain path means a unix socket; anything with a scheme or port is a
// gRPC target already.
std::string ChannelTarget(const std::string& socket) {
  return socket.find(':') == std::string::npos ? "unix:" + socket : socket;
}

// One line per focus event, as the app would react to it.
void PrintEvent(const v1::FocusEvent& event) {
  switch (event.event_case()) {
    case v1::FocusEvent::kResult:
      std::printf("result: %s in zone %d (%s)\n",
                  v1::RequestResult_Name(event.result().result()).c_str(),
                  event.result().zone_id(), event.result().explanation().text().c_str());
      break;
    case v1::FocusEvent::kFocusChange:
      // GAIN: play; LOSS_TRANSIENT: pause; LOSS_TRANSIENT_CAN_DUCK: lower
      // the volume (or pause); LOSS: stop for good (the stream ends).
      std::printf("focus change: %s in zone %d\n",
                  v1::FocusChange_Name(event.focus_change().change()).c_str(),
                  event.focus_change().zone_id());
      break;
    case v1::FocusEvent::kReplaced:
      std::printf("replaced by a newer request of this client\n");
      break;
    case v1::FocusEvent::kAbandoned:
      std::printf("abandoned\n");
      break;
    case v1::FocusEvent::EVENT_NOT_SET:
      break;
  }
  std::fflush(stdout);
}

// Waits until `seconds` pass, SIGINT/SIGTERM arrives (both blocked in every
// thread, so they queue for sigtimedwait) or `stream_ended` is set. Returns
// the signal number, or 0.
int WaitToAbandon(double seconds, const sigset_t& stop_signals,
                  const std::atomic<bool>& stream_ended) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  const timespec slice = {0, 100'000'000};  // re-check stream_ended every 100 ms
  while (!stream_ended && std::chrono::steady_clock::now() < deadline) {
    if (int signal = sigtimedwait(&stop_signals, nullptr, &slice); signal > 0) return signal;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  char* end = nullptr;
  const double seconds = argc == 3 ? std::strtod(argv[2], &end) : 10;
  if (argc < 2 || argc > 3 || (end != nullptr && (*end != '\0' || !(seconds > 0)))) {
    std::fprintf(stderr, "usage: focus_client SOCKET [SECONDS > 0]\n");
    return kExitUsage;
  }
  // Block the stop signals before gRPC starts its threads, so that every
  // thread inherits the mask and only WaitToAbandon() takes them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateChannel(ChannelTarget(argv[1]), grpc::InsecureChannelCredentials());
  std::unique_ptr<v1::AudioFocus::Stub> focus = v1::AudioFocus::NewStub(channel);

  v1::FocusRequest request;
  request.set_client_id("example-cpp-" + std::to_string(getpid()));
  request.set_package_name("com.example.focusclient");
  request.set_usage(v1::USAGE_MEDIA);
  request.set_gain(v1::FOCUS_GAIN);
  // uid and zone_id stay unset: the daemon knows our uid from the socket and
  // decides in the zone that uid is mapped to (zone 0 when unmapped).

  std::printf("requesting MEDIA focus as %s\n", request.client_id().c_str());
  grpc::ClientContext stream_context;
  std::unique_ptr<grpc::ClientReader<v1::FocusEvent>> stream =
      focus->RequestFocus(&stream_context, request);

  // The first event is always the result; the focus lives as long as the
  // stream does.
  v1::FocusEvent event;
  if (!stream->Read(&event)) {
    grpc::Status status = stream->Finish();
    std::fprintf(stderr, "focus_client: RequestFocus: %s\n", status.error_message().c_str());
    return kExitRpcError;
  }
  PrintEvent(event);
  const bool holds_or_waits = event.result().result() != v1::REQUEST_FAILED;

  std::atomic<bool> stream_ended = false;
  std::thread reader([&] {
    v1::FocusEvent change;
    while (stream->Read(&change)) PrintEvent(change);
    stream_ended = true;
  });

  if (holds_or_waits) {
    if (int signal = WaitToAbandon(seconds, stop_signals, stream_ended); !stream_ended) {
      std::printf("abandoning focus (%s)\n",
                  signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "time is up");
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
      v1::AbandonFocusRequest abandon;
      abandon.set_client_id(request.client_id());
      v1::AbandonFocusResponse response;
      if (grpc::Status status = focus->AbandonFocus(&context, abandon, &response); !status.ok()) {
        std::fprintf(stderr, "focus_client: AbandonFocus: %s\n", status.error_message().c_str());
        stream_context.TryCancel();  // closing the stream abandons too
      }
    }
  }
  reader.join();
  grpc::Status status = stream->Finish();
  std::printf("stream ended: %s\n", status.ok() ? "OK" : status.error_message().c_str());
  if (!status.ok()) return kExitRpcError;
  return holds_or_waits ? kExitOk : kExitFocusFailed;
}
