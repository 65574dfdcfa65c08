#!/usr/bin/python3
"""focus_client.py: the smallest useful CarAudioControl app, in Python.

Asks audiocontrold for MEDIA focus, prints the answer and every focus change,
and abandons its focus after SECONDS (default 10), on Ctrl-C or SIGTERM. The
same app as examples/cpp/focus_client.cc.

  /usr/bin/python3 examples/python/focus_client.py SOCKET [SECONDS]

SOCKET is the daemon's unix socket (a path, or any gRPC target: unix:PATH,
HOST:PORT). Needs Debian's python3-grpcio and protobuf-compiler-grpc: the
caraudio.v1 Python code is generated at start into a temporary directory with
protoc and grpc_python_plugin. (Debian 12's python3-grpc-tools cannot do it:
its bundled protoc 3.5 rejects proto3 `optional`.) Exit code: 0 when the
request was granted (or delayed) and then ended cleanly, 3 when it FAILED, 1
on an RPC or code generation error, 2 on a bad command line.
"""

import argparse
import importlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import grpc

EXIT_OK, EXIT_RPC_ERROR, EXIT_USAGE, EXIT_FOCUS_FAILED = 0, 1, 2, 3
PROTOS = ["common", "audio_focus", "audio_control", "hal_focus", "admin"]


def load_api(proto_root, protoc, plugin, out_dir):
    """Generates caraudio.v1 into out_dir; returns (pb2 module, grpc module)."""
    protos = [f"caraudio/v1/{name}.proto" for name in PROTOS]
    subprocess.run([protoc, f"--proto_path={proto_root}", f"--python_out={out_dir}",
                    f"--grpc_out={out_dir}", f"--plugin=protoc-gen-grpc={plugin}", *protos],
                   check=True)
    sys.path.insert(0, out_dir)
    return (importlib.import_module("caraudio.v1.audio_focus_pb2"),
            importlib.import_module("caraudio.v1.audio_focus_pb2_grpc"),
            importlib.import_module("caraudio.v1.common_pb2"))


def channel_target(socket):
    # A plain path means a unix socket; anything else is a gRPC target already.
    return socket if ":" in socket else "unix:" + socket


def print_event(common, event):
    """One line per focus event, as the app would react to it."""
    kind = event.WhichOneof("event")
    if kind == "result":
        print(f"result: {common.RequestResult.Name(event.result.result)} in zone "
              f"{event.result.zone_id} ({event.result.explanation.text})", flush=True)
    elif kind == "focus_change":
        # GAIN: play; LOSS_TRANSIENT: pause; LOSS_TRANSIENT_CAN_DUCK: lower the
        # volume (or pause); LOSS: stop for good (the stream ends).
        print(f"focus change: {common.FocusChange.Name(event.focus_change.change)} in zone "
              f"{event.focus_change.zone_id}", flush=True)
    elif kind == "replaced":
        print("replaced by a newer request of this client", flush=True)
    elif kind == "abandoned":
        print("abandoned", flush=True)


def run(args, focus_pb2, focus_grpc, common):
    channel = grpc.insecure_channel(channel_target(args.socket))
    focus = focus_grpc.AudioFocusStub(channel)
    # uid and zone_id stay unset: the daemon knows our uid from the socket and
    # decides in the zone that uid is mapped to (zone 0 when unmapped).
    request = focus_pb2.FocusRequest(client_id=f"example-py-{os.getpid()}",
                                     package_name="com.example.focusclient",
                                     usage=common.USAGE_MEDIA, gain=common.FOCUS_GAIN)
    print(f"requesting MEDIA focus as {request.client_id}", flush=True)
    stream = focus.RequestFocus(request)

    # The first event is always the result; the focus lives as long as the
    # stream does.
    try:
        first = next(stream)
    except (grpc.RpcError, StopIteration) as error:
        details = error.details() if isinstance(error, grpc.RpcError) else "no result"
        print(f"focus_client.py: RequestFocus: {details}", file=sys.stderr)
        return EXIT_RPC_ERROR
    print_event(common, first)
    holds_or_waits = first.result.result != common.REQUEST_FAILED

    stream_done = threading.Event()
    stop = threading.Event()  # set when the stream ends or a stop signal arrives
    outcome = {"error": None, "why": "time is up"}

    def read_changes():
        try:
            for event in stream:
                print_event(common, event)
        except grpc.RpcError as error:
            outcome["error"] = error
        stream_done.set()
        stop.set()

    def on_signal(number, _frame):
        outcome["why"] = signal.Signals(number).name
        stop.set()

    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, on_signal)
    reader = threading.Thread(target=read_changes)
    reader.start()

    if holds_or_waits:
        stop.wait(args.seconds)
        if not stream_done.is_set():
            print(f"abandoning focus ({outcome['why']})", flush=True)
            try:
                focus.AbandonFocus(focus_pb2.AbandonFocusRequest(client_id=request.client_id),
                                   timeout=5)
            except grpc.RpcError as error:
                print(f"focus_client.py: AbandonFocus: {error.details()}", file=sys.stderr)
                stream.cancel()  # closing the stream abandons too
    reader.join()
    channel.close()
    error = outcome["error"]
    print(f"stream ended: {'OK' if error is None else error.details()}", flush=True)
    if error is not None:
        return EXIT_RPC_ERROR
    return EXIT_OK if holds_or_waits else EXIT_FOCUS_FAILED


def main():
    repo = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("socket", help="the daemon's unix socket, or a gRPC target")
    parser.add_argument("seconds", nargs="?", type=float, default=10.0,
                        help="abandon after this many seconds (default 10)")
    parser.add_argument("--proto-root", default=str(repo / "proto"),
                        help="directory holding caraudio/v1/*.proto")
    parser.add_argument("--protoc", default=shutil.which("protoc") or "protoc")
    parser.add_argument("--grpc-python-plugin", default="/usr/bin/grpc_python_plugin")
    args = parser.parse_args()
    if not args.seconds > 0:
        parser.error("SECONDS must be > 0")

    with tempfile.TemporaryDirectory(prefix="caraudio-example-") as out_dir:
        try:
            focus_pb2, focus_grpc, common = load_api(args.proto_root, args.protoc,
                                                     args.grpc_python_plugin, out_dir)
        except (OSError, subprocess.CalledProcessError) as error:
            print(f"focus_client.py: generating the caraudio.v1 code: {error}", file=sys.stderr)
            return EXIT_RPC_ERROR
        return run(args, focus_pb2, focus_grpc, common)


if __name__ == "__main__":
    sys.exit(main())
