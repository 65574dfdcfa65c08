#!/usr/bin/python3
"""A Python app against the real audiocontrold.

Generates the caraudio.v1 Python code into a temporary directory (protoc with
--python_out and grpc_python_plugin, as tests/proto/python_codegen_test.py
does), starts the daemon on a unix socket in that directory, and checks with
Debian's python3-grpcio (run this with /usr/bin/python3, not a pyenv python):

  * MUSIC is granted; a NAVIGATION transient request from a second client is
    granted and the music stream gets LOSS_TRANSIENT (-2);
  * GetState shows the navigation client holding and the music one waiting;
  * when the navigation stream is cancelled, the music stream gets GAIN (1);
  * bad input is INVALID_ARGUMENT.

The daemon is stopped by PID (SIGTERM, then SIGKILL) whatever happens; its
log is printed to stderr (ctest shows it when the test fails). Exits non-zero on failure.

Usage: python_client_test.py --daemon AUDIOCONTROLD --protoc PROTOC
                             --grpc-python-plugin PLUGIN --proto-root DIR PROTO...
"""

import argparse
import importlib
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from pathlib import Path

ARGS = None
EVENT_TIMEOUT_S = 3.0


def _module_name(proto, suffix):
    return proto[: -len(".proto")].replace("/", ".") + suffix


class StreamReader:
    """Reads a server stream on a thread so the test can wait with a timeout."""

    def __init__(self, call):
        self.call = call
        self.events = queue.Queue()
        self.error = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        import grpc
        try:
            for event in self.call:
                self.events.put(event)
        except grpc.RpcError as error:  # cancelled, or the daemon went away
            self.error = error
        self.events.put(None)  # end of stream

    def next(self, timeout=EVENT_TIMEOUT_S):
        try:
            return self.events.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no stream event within {timeout} s") from None

    def cancel(self):
        self.call.cancel()
        self.thread.join(timeout=5)


class Daemon:
    """audiocontrold in `directory`, stopped by PID."""

    def __init__(self, binary, directory):
        self.socket = os.path.join(directory, "audiocontrol.sock")
        self.address = "unix:" + self.socket
        self.log_path = os.path.join(directory, "audiocontrold.log")
        self.log = open(self.log_path, "wb")
        # stdout/stderr to the log: never hold ctest's pipes.
        self.process = subprocess.Popen(
            [binary, "--role=all", "--listen=" + self.address],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, admin_pb2, admin_grpc, channel, timeout=5.0):
        deadline = time.monotonic() + timeout
        stub = admin_grpc.CarAudioAdminStub(channel)
        while True:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"audiocontrold exited early with {self.process.returncode}")
            try:
                stub.Ping(admin_pb2.PingRequest(), timeout=0.2, wait_for_ready=True)
                return
            except Exception:  # grpc.RpcError: not listening yet
                if time.monotonic() > deadline:
                    raise AssertionError(f"audiocontrold not ready within {timeout} s")
                time.sleep(0.01)  # polling interval

    def stop(self):
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()
        return self.process.returncode

    def read_log(self):
        return Path(self.log_path).read_text(errors="replace")


class PythonClientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="caraudio-py-")
        out = Path(cls._tmp.name) / "gen"
        out.mkdir()
        subprocess.run(
            [ARGS.protoc, f"--proto_path={ARGS.proto_root}",
             f"--python_out={out}", f"--grpc_out={out}",
             f"--plugin=protoc-gen-grpc={ARGS.grpc_python_plugin}", *ARGS.protos],
            check=True)
        sys.path.insert(0, str(out))
        cls.pb = {Path(p).stem: importlib.import_module(_module_name(p, "_pb2"))
                  for p in ARGS.protos}
        cls.rpc = {Path(p).stem: importlib.import_module(_module_name(p, "_pb2_grpc"))
                   for p in ARGS.protos}

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def setUp(self):
        import grpc
        self.daemon_dir = tempfile.TemporaryDirectory(prefix="caraudio-py-daemon-")
        self.daemon = Daemon(ARGS.daemon, self.daemon_dir.name)
        self.addCleanup(self._stop_daemon)
        self.channel = grpc.insecure_channel(self.daemon.address)
        self.addCleanup(self.channel.close)
        self.daemon.wait_ready(self.pb["admin"], self.rpc["admin"], self.channel)
        self.focus = self.rpc["audio_focus"].AudioFocusStub(self.channel)
        self.admin = self.rpc["admin"].CarAudioAdminStub(self.channel)

    def _stop_daemon(self):
        code = self.daemon.stop()
        # Always printed: ctest shows it only when the test fails.
        sys.stderr.write(f"==== audiocontrold log (exit {code}) ====\n"
                         f"{self.daemon.read_log()}==== end ====\n")
        self.daemon_dir.cleanup()
        self.assertEqual(code, 0, "audiocontrold did not exit cleanly on SIGTERM")

    def request(self, client_id, usage, gain, zone=0):
        common, focus = self.pb["common"], self.pb["audio_focus"]
        request = focus.FocusRequest(client_id=client_id, package_name="py." + client_id,
                                     uid=10100, usage=usage, gain=gain, zone_id=zone)
        return StreamReader(self.focus.RequestFocus(request, timeout=30))

    def test_navigation_transient_pauses_music_and_gives_it_back(self):
        common = self.pb["common"]
        music = self.request("py-music", common.USAGE_MEDIA, common.FOCUS_GAIN)
        first = music.next()
        self.assertEqual(first.WhichOneof("event"), "result")
        self.assertEqual(first.result.result, common.REQUEST_GRANTED)
        self.assertEqual(first.result.zone_id, 0)

        nav = self.request("py-maps", common.USAGE_ASSISTANCE_NAVIGATION_GUIDANCE,
                           common.FOCUS_GAIN_TRANSIENT)
        granted = nav.next()
        self.assertEqual(granted.result.result, common.REQUEST_GRANTED)
        loss = music.next()
        self.assertEqual(loss.WhichOneof("event"), "focus_change")
        self.assertEqual(loss.focus_change.change, common.FOCUS_CHANGE_LOSS_TRANSIENT)
        self.assertEqual(loss.focus_change.change, -2)

        state = self.admin.GetState(self.pb["admin"].GetStateRequest(), timeout=5)
        zone0 = next(z for z in state.zones if z.zone_id == 0)
        self.assertEqual([h.request.client_id for h in zone0.holders], ["py-maps"])
        self.assertEqual([l.request.client_id for l in zone0.losers], ["py-music"])
        self.assertEqual(list(zone0.losers[0].blocker_client_ids), ["py-maps"])
        self.assertEqual(zone0.losers[0].context, common.CONTEXT_MUSIC)

        nav.cancel()
        regained = music.next()
        self.assertEqual(regained.WhichOneof("event"), "focus_change")
        self.assertEqual(regained.focus_change.change, common.FOCUS_CHANGE_GAIN)
        music.cancel()

    def test_bad_usage_is_invalid_argument(self):
        import grpc
        common = self.pb["common"]
        bad = self.request("py-bad", 9999, common.FOCUS_GAIN)
        self.assertIsNone(bad.next(), "a bad request must end before any event")
        self.assertIsNotNone(bad.error)
        self.assertEqual(bad.error.code(), grpc.StatusCode.INVALID_ARGUMENT)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--daemon", required=True)
    parser.add_argument("--protoc", required=True)
    parser.add_argument("--grpc-python-plugin", required=True)
    parser.add_argument("--proto-root", required=True)
    parser.add_argument("protos", nargs="+")
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0], *rest])
