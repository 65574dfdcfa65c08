-- CarAudioControl next to WirePlumber 0.4 (README: "On a head unit with
-- WirePlumber"). Install as /etc/wireplumber/main.lua.d/51-caraudio.lua.
--
-- audiocontrold's PipeWire bridge mutes the streams of apps that hardening
-- silences (Props mute on the stream's node) and owns the gain of its device
-- nodes. WirePlumber's restore-stream.lua saves such volumes and mutes and
-- puts them back on the app's next stream: turn it off. Device management
-- (ALSA monitor, profiles, routes, default nodes, access) stays on.
stream_defaults.enabled = false
