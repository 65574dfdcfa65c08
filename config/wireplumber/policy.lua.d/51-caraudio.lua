-- CarAudioControl next to WirePlumber 0.4 (README: "On a head unit with
-- WirePlumber"). Install as /etc/wireplumber/policy.lua.d/51-caraudio.lua.
--
-- audiocontrold's PipeWire bridge links every app stream that carries
-- caraudio.usage or media.role to its zone's device node, and ducks by audio
-- focus. WirePlumber's policy would link the same streams too (policy-node:
-- to the default sink, which it picks among the bridge's own nodes) and,
-- with role endpoints configured, duck by media.role (policy-endpoint-*):
-- turn the whole linking policy off, so the bridge is the only linker.
default_policy.enabled = false
