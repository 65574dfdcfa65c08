#!/usr/bin/python3
"""Checks that the caraudio.v1 API works outside C++ and stays documented.

Runs protoc with the Python and gRPC-Python generators into a temporary
directory, imports every generated module with the system Python (Debian's
python3-grpcio / python3-protobuf, not a pyenv interpreter) and checks:
  * enum values keep Android's numbers;
  * the services have the expected RPCs and streaming shapes;
  * an optional field keeps presence and an admin Event survives proto3 JSON
    (the recording format);
  * every service, rpc, message, field, enum and enum value has a comment
    (style.md: the .proto is the API documentation).

Usage: python_codegen_test.py --protoc PROTOC --grpc-python-plugin PLUGIN
                              --proto-root DIR PROTO...
"""

import argparse
import importlib
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

ARGS = None


def _module_name(proto, suffix):
    return proto[: -len(".proto")].replace("/", ".") + suffix


class PythonCodegenTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="caraudio-proto-py-")
        out = Path(cls._tmp.name)
        descriptor_set = out / "api.binpb"
        subprocess.run(
            [ARGS.protoc, f"--proto_path={ARGS.proto_root}",
             f"--python_out={out}", f"--grpc_out={out}",
             f"--plugin=protoc-gen-grpc={ARGS.grpc_python_plugin}",
             f"--descriptor_set_out={descriptor_set}", "--include_source_info",
             *ARGS.protos],
            check=True)
        sys.path.insert(0, str(out))
        cls.pb = {Path(p).stem: importlib.import_module(_module_name(p, "_pb2"))
                  for p in ARGS.protos}
        cls.grpc = {Path(p).stem: importlib.import_module(_module_name(p, "_pb2_grpc"))
                    for p in ARGS.protos}
        from google.protobuf import descriptor_pb2
        cls.files = descriptor_pb2.FileDescriptorSet.FromString(
            descriptor_set.read_bytes()).file

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def test_enum_values_keep_android_numbers(self):
        common = self.pb["common"]
        self.assertEqual(common.USAGE_UNKNOWN, 0)
        self.assertEqual(common.USAGE_MEDIA, 1)
        self.assertEqual(common.USAGE_NOTIFICATION_COMMUNICATION_DELAYED, 9)
        self.assertEqual(common.USAGE_CALL_ASSISTANT, 17)
        self.assertEqual(common.USAGE_SAFETY, 1001)
        self.assertEqual(common.USAGE_ANNOUNCEMENT, 1003)
        self.assertEqual(sorted(common.AudioUsage.values()),
                         list(range(0, 18)) + list(range(1000, 1004)))
        self.assertEqual(sorted(common.AudioContext.values()), list(range(0, 13)))
        self.assertEqual(common.CONTEXT_ANNOUNCEMENT, 12)
        self.assertEqual(common.FOCUS_GAIN, 1)
        self.assertEqual(common.FOCUS_GAIN_TRANSIENT_EXCLUSIVE, 4)
        self.assertEqual(common.FOCUS_CHANGE_GAIN, 1)
        self.assertEqual(common.FOCUS_CHANGE_LOSS, -1)
        self.assertEqual(common.FOCUS_CHANGE_LOSS_TRANSIENT, -2)
        self.assertEqual(common.FOCUS_CHANGE_LOSS_TRANSIENT_CAN_DUCK, -3)
        self.assertEqual(common.REQUEST_FAILED, 0)
        self.assertEqual(common.REQUEST_GRANTED, 1)
        self.assertEqual(common.REQUEST_DELAYED, 2)
        self.assertEqual(common.INTERACTION_CONCURRENT, 2)
        self.assertEqual(common.DECISION_RULE_NO_ZONE, 6)
        self.assertEqual(self.pb["audio_control"].GAIN_REASON_OTHER, -2**31)

    def test_services_and_streaming_shapes(self):
        streaming = {}
        for f in self.files:
            for service in f.service:
                for method in service.method:
                    streaming[f"{service.name}.{method.name}"] = (
                        method.client_streaming, method.server_streaming)
        server_streams = {name for name, (client, server) in streaming.items() if server}
        self.assertEqual(server_streams, {
            "AudioFocus.RequestFocus", "AudioControl.RegisterFocusListener",
            "AudioControl.RegisterGainCallback", "HalFocus.HoldFocus", "HalFocus.PlaySound",
            "CarAudioAdmin.WatchEvents", "AudioControl.WatchStreamLevels"})
        self.assertFalse(any(client for client, _ in streaming.values()))
        for name in ["AudioFocus.AbandonFocus", "AudioFocus.SetGroupVolume",
                     "AudioControl.OnDevicesToDuckChange",
                     "AudioControl.SetBalanceTowardRight",
                     "CarAudioAdmin.SetZoneForUid", "CarAudioAdmin.Ping"]:
            self.assertIn(name, streaming)
        for module, stub in [("audio_focus", "AudioFocusStub"),
                             ("audio_control", "AudioControlStub"),
                             ("hal_focus", "HalFocusStub"),
                             ("admin", "CarAudioAdminStub")]:
            self.assertTrue(hasattr(self.grpc[module], stub), stub)

    def test_optional_zone_and_json_round_trip(self):
        focus, admin, common = self.pb["audio_focus"], self.pb["admin"], self.pb["common"]
        request = focus.FocusRequest(client_id="radio", uid=10123,
                                     usage=common.USAGE_MEDIA, gain=common.FOCUS_GAIN)
        self.assertFalse(request.HasField("zone_id"))
        request.zone_id = 0  # the primary zone, explicitly
        parsed = focus.FocusRequest.FromString(request.SerializeToString())
        self.assertTrue(parsed.HasField("zone_id"))

        from google.protobuf import json_format
        event = admin.Event(sequence=7, timestamp_ns=123456789)
        event.focus_request.request.CopyFrom(parsed)
        event.focus_request.result.result = common.REQUEST_FAILED
        event.focus_request.result.explanation.blocking_client_id = "dialer"
        event.focus_request.result.explanation.cell = common.INTERACTION_REJECT
        line = json_format.MessageToJson(event, indent=None)
        self.assertNotIn("\n", line)
        self.assertEqual(json_format.Parse(line, admin.Event()), event)

    def test_everything_is_documented(self):
        # SourceCodeInfo paths: FileDescriptorProto field 4 = message_type,
        # 5 = enum_type, 6 = service; DescriptorProto 2 = field, 3 = nested,
        # 4 = enum, 8 = oneof; EnumDescriptorProto 2 = value;
        # ServiceDescriptorProto 2 = method.
        missing = []
        for f in self.files:
            if not f.name.startswith("caraudio/"):
                continue
            commented = {tuple(loc.path) for loc in f.source_code_info.location
                         if loc.leading_comments.strip()}

            def need(path, what):
                if tuple(path) not in commented:
                    missing.append(f"{f.name}: {what}")

            def walk_enum(enum, path, scope):
                need(path, f"enum {scope}{enum.name}")
                for i, value in enumerate(enum.value):
                    need(path + [2, i], f"enum value {value.name}")

            def walk_message(message, path, scope):
                name = scope + message.name
                need(path, f"message {name}")
                for i, field in enumerate(message.field):
                    need(path + [2, i], f"field {name}.{field.name}")
                for i, oneof in enumerate(message.oneof_decl):
                    if not oneof.name.startswith("_"):  # proto3 optional
                        need(path + [8, i], f"oneof {name}.{oneof.name}")
                for i, nested in enumerate(message.nested_type):
                    walk_message(nested, path + [3, i], name + ".")
                for i, enum in enumerate(message.enum_type):
                    walk_enum(enum, path + [4, i], name + ".")

            for i, message in enumerate(f.message_type):
                walk_message(message, [4, i], "")
            for i, enum in enumerate(f.enum_type):
                walk_enum(enum, [5, i], "")
            for i, service in enumerate(f.service):
                need([6, i], f"service {service.name}")
                for j, method in enumerate(service.method):
                    need([6, i, 2, j], f"rpc {service.name}.{method.name}")
        self.assertEqual(missing, [], "undocumented API elements")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--protoc", required=True)
    parser.add_argument("--grpc-python-plugin", required=True)
    parser.add_argument("--proto-root", required=True)
    parser.add_argument("protos", nargs="+")
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0], *rest])
