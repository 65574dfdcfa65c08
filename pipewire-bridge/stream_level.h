// Stream levels: what the bridge's stream meter (stream_meter.h) measures on
// each routed app stream's own output — after per-app silencing, before the
// device's volume, duck and mute — and the arithmetic that turns it into the
// peak and RMS of one report period.
//
// The meter never resets anything for a reader. A StreamMeterReading is
// cumulative since the stream was first metered: frames, the sum of squares
// over both channels, and the peak of each recent graph cycle tagged with the
// frame count at that cycle's end. A consumer keeps its previous reading of
// each stream and calls LevelBetween(previous, current): the frames and the
// sum of squares are differenced, and the peak is the largest cycle peak
// after the previous reading. Readings are only ever taken between cycles,
// so every cycle falls wholly into one period of every consumer and any
// number of consumers with any periods each get exact figures.
//
// Peak history is bounded: a reading carries the cycle peaks of the last
// kPeakHistoryFrames (1.25 s, and at most StreamMeter's ring of cycles). A
// period longer than that reports the peak of its last 1.25 s; the HAL's
// periods are at most 1 s.
//
// Pure value types and functions; thread-compatible.

#ifndef CARAUDIO_PIPEWIRE_BRIDGE_STREAM_LEVEL_H_
#define CARAUDIO_PIPEWIRE_BRIDGE_STREAM_LEVEL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "pipewire-bridge/stream_routing.h"

namespace caraudio {

// Reported for digital silence and for a period in which no buffer arrived.
inline constexpr float kSilenceDbfs = -120.0f;
// How far back a reading's cycle peaks reach, in frames at 48 kHz.
inline constexpr uint64_t kPeakHistoryFrames = 60'000;

// The peak of one graph cycle of a stream.
struct CyclePeak {
  uint64_t end_frame = 0;  // StreamMeterReading::frames right after this cycle
  float peak = 0.0f;       // max |sample| of both channels in the cycle
  friend bool operator==(const CyclePeak&, const CyclePeak&) = default;
};

// Cumulative meter state of one stream.
struct StreamMeterReading {
  // Identifies one metering of one stream: a new stream, or the same node id
  // after a PipeWire restart, gets a new serial. 0: not metered (yet).
  uint64_t serial = 0;
  uint64_t frames = 0;       // frames measured since the stream was first metered
  double sum_squares = 0.0;  // sum of L^2 + R^2 over those frames
  // Oldest first, end_frame increasing; at most kPeakHistoryFrames back.
  std::vector<CyclePeak> recent_peaks;
  friend bool operator==(const StreamMeterReading&, const StreamMeterReading&) = default;
};

// Peak and RMS of one period; kSilenceDbfs when nothing (or zeros) arrived.
struct PeriodLevel {
  float peak_dbfs = kSilenceDbfs;
  float rms_dbfs = kSilenceDbfs;
  uint64_t frames = 0;  // frames measured in the period
};

// One routed app stream with its meter, as the bridge reports it and the
// HAL reads it through AudioBackend::StreamLevels().
struct MeteredStream {
  uint32_t node_id = 0;
  std::string node_name;
  StreamRoute route;
  bool silenced = false;  // its app is in the SetSilencedApps set
  StreamMeterReading meter;
};

// 20*log10(linear), never below kSilenceDbfs.
float LinearToDbfs(double linear);

// The level of the frames measured after `previous` up to `current`.
// `previous` null, or of another metering (serial differs), means "since the
// stream was first metered". RMS is over both channels together:
// sqrt(sum / (2 * frames)), so a sine of amplitude 0.5 is -9.03 dBFS.
PeriodLevel LevelBetween(const StreamMeterReading* previous, const StreamMeterReading& current);

// Appends one cycle of `frames` frames with this sum of squares and peak to
// `reading`, dropping cycle peaks older than kPeakHistoryFrames: how the
// meter's cumulative state grows, for tests and the in-memory backend that
// stand in for it.
void AddCycle(StreamMeterReading& reading, uint64_t frames, double sum_squares, float peak);

}  // namespace caraudio

#endif  // CARAUDIO_PIPEWIRE_BRIDGE_STREAM_LEVEL_H_
