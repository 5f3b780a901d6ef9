// @ts-check
// Plays the channel's H.264 where WebCodecs is missing (a page on plain http is no secure context): each Annex B
// access unit is remuxed here, in the page, into one fragmented-MP4 fragment and appended to a MediaSource (or
// Safari's ManagedMediaSource) playing in a muted <video>, which is kept at the live edge with a bounded buffer.

/** Further behind the newest appended frame than this, the video jumps to the live edge (the JPEG page's bound). */
const MSE_MAX_BEHIND_S = 0.3;
/** Where a jump lands, behind the newest frame: a little data ahead lets the element start playing at once. */
const MSE_LIVE_EDGE_S = 0.05;
/**
 * Behind by more than this (but within the bound), the video plays a little faster until it is back. A late
 * frame stalls the element at the end of its buffer and it resumes from there, so without catching up every
 * stall would add to the lag for good.
 */
const MSE_CATCH_UP_ABOVE_S = 0.1;
const MSE_CATCH_UP_RATE = 1.25;
/** Buffer kept behind the playhead; older data is removed (from a keyframe) so a 24 h viewer's memory stays flat. */
const MSE_KEEP_BEHIND_S = 3;
/**
 * Fragments waiting for the SourceBuffer (about a second's worth) beyond which this device appends slower than
 * the stream comes, and the page waits for the next keyframe. Waiting ones go in together in one append.
 */
const MSE_MAX_PENDING = 30;
/** Units received before the SourceBuffer exists ('sourceopen' is asynchronous). */
const MSE_MAX_EARLY_UNITS = 60;
/** Frames remembered for the readout (media time → capture time): 20 s at 30 fps, far more than is buffered. */
const MSE_MAX_CAPTURES = 600;
/** No picture this long after the stream was announced: this browser's MSE does not play it; JPEG instead. */
const MSE_FIRST_PICTURE_MS = 10_000;
/** Sample duration before two frames have shown the real frame interval (30 fps). */
const MSE_DEFAULT_FRAME_MS = 1000 / 30;
/** 90 kHz, the RTP clock of H.264 (RFC 6184): whole ticks for every common frame rate. */
const FMP4_TIMESCALE = 90_000;
const FMP4_TRACK_ID = 1;
/** trun sample flags (ISO/IEC 14496-12 §8.8.3.1): a sync sample depends on nothing; others are non-sync. */
const FMP4_FLAGS_KEY = 0x02000000;
const FMP4_FLAGS_DELTA = 0x01010000;

/**
 * @typedef {{ seq: number, captureTimeMs: number, isKey: boolean, payload: Uint8Array }} MseUnit
 * @typedef {{
 *   onDone: (seq: number) => void,
 *   onShown: (captureTimeMs: number) => void,
 *   onFailure: (reason: string) => void,
 *   onNeedKeyframe: () => void,
 * }} MsePlayerHooks
 * @typedef {{
 *   width: number, height: number, profileIdc: number, chromaFormatIdc: number,
 *   bitDepthLuma: number, bitDepthChroma: number,
 * }} SpsInfo
 * @typedef {{
 *   sequence: number, decodeTicks: number, durationTicks: number, isKey: boolean, nalUnits: Uint8Array[],
 * }} Fmp4Sample
 */

/** @param {number} value */
function fmp4U16(value) {
  return Uint8Array.of((value >>> 8) & 0xff, value & 0xff);
}

/** @param {number} value */
function fmp4U32(value) {
  return Uint8Array.of(
    (value >>> 24) & 0xff,
    (value >>> 16) & 0xff,
    (value >>> 8) & 0xff,
    value & 0xff,
  );
}

/** @param {number} value a non-negative integer below 2^53 */
function fmp4U64(value) {
  return fmp4Concat([fmp4U32(Math.floor(value / 2 ** 32)), fmp4U32(value % 2 ** 32)]);
}

/** @param {readonly Uint8Array[]} parts */
function fmp4Concat(parts) {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** @param {string} type @param {readonly Uint8Array[]} parts */
function fmp4Box(type, parts) {
  const body = fmp4Concat(parts);
  const header = new Uint8Array(8);
  header.set(fmp4U32(8 + body.length), 0);
  for (let i = 0; i < 4; i++) header[4 + i] = type.charCodeAt(i);
  return fmp4Concat([header, body]);
}

/** @param {string} type @param {number} version @param {number} flags @param {readonly Uint8Array[]} parts */
function fmp4FullBox(type, version, flags, parts) {
  return fmp4Box(type, [fmp4U32(((version & 0xff) << 24) | (flags & 0xffffff)), ...parts]);
}

/** @param {string} text four characters */
function fmp4FourCc(text) {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

/**
 * The NAL units of an Annex B access unit (start codes of 3 or 4 bytes removed).
 * @param {Uint8Array} data
 */
function fmp4SplitAnnexB(data) {
  /** @type {Uint8Array[]} */
  const units = [];
  let start = -1;
  let i = 0;
  while (i + 2 < data.length) {
    if (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 1) {
      if (start >= 0) {
        // A 4-byte start code's leading zero belongs to it, not to the unit before.
        let end = i;
        while (end > start && data[end - 1] === 0) end -= 1;
        units.push(data.subarray(start, end));
      }
      i += 3;
      start = i;
    } else {
      i += 1;
    }
  }
  if (start >= 0 && start < data.length) units.push(data.subarray(start));
  return units.filter((unit) => unit.length > 0);
}

/**
 * Size and format from an SPS (ITU-T H.264 §7.3.2.1.1), cropping applied; null when it cannot be read.
 * @param {Uint8Array} sps the SPS NAL unit, header byte included
 * @returns {SpsInfo | null}
 */
function fmp4ReadSps(sps) {
  /** @type {number[]} */
  const rbsp = [];
  let zeros = 0;
  for (const byte of sps.subarray(1)) {
    // Emulation prevention (§7.4.1): 00 00 03 carries 00 00.
    if (zeros >= 2 && byte === 3) {
      zeros = 0;
      continue;
    }
    zeros = byte === 0 ? zeros + 1 : 0;
    rbsp.push(byte);
  }
  let position = 0;
  const bit = () => {
    const byte = rbsp[position >> 3];
    if (byte === undefined) throw new RangeError('SPS ends early');
    const value = (byte >> (7 - (position & 7))) & 1;
    position += 1;
    return value;
  };
  /** @param {number} count */
  const bits = (count) => {
    let value = 0;
    for (let i = 0; i < count; i++) value = value * 2 + bit();
    return value;
  };
  const ue = () => {
    let leading = 0;
    while (bit() === 0) {
      leading += 1;
      if (leading > 31) throw new RangeError('bad Exp-Golomb code');
    }
    return 2 ** leading - 1 + bits(leading);
  };
  const se = () => {
    const code = ue();
    return code % 2 === 1 ? (code + 1) / 2 : -code / 2;
  };
  try {
    const profileIdc = bits(8);
    bits(16);
    ue();
    let chromaFormatIdc = 1;
    let bitDepthLuma = 8;
    let bitDepthChroma = 8;
    if ([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135].includes(profileIdc)) {
      chromaFormatIdc = ue();
      if (chromaFormatIdc === 3) bit();
      bitDepthLuma = ue() + 8;
      bitDepthChroma = ue() + 8;
      bit();
      if (bit() === 1) {
        for (let i = 0; i < (chromaFormatIdc === 3 ? 12 : 8); i++) {
          if (bit() === 0) continue;
          let last = 8;
          let next = 8;
          for (let j = 0; j < (i < 6 ? 16 : 64); j++) {
            if (next !== 0) next = (last + se() + 256) % 256;
            last = next === 0 ? last : next;
          }
        }
      }
    }
    ue();
    const pocType = ue();
    if (pocType === 0) ue();
    else if (pocType === 1) {
      bit();
      se();
      se();
      const cycle = ue();
      for (let i = 0; i < cycle; i++) se();
    }
    ue();
    bit();
    const widthMbs = ue() + 1;
    const heightMapUnits = ue() + 1;
    const frameMbsOnly = bit();
    if (frameMbsOnly === 0) bit();
    bit();
    let crop = [0, 0, 0, 0];
    if (bit() === 1) crop = [ue(), ue(), ue(), ue()];
    const [left = 0, right = 0, top = 0, bottom = 0] = crop;
    const cropUnitX = chromaFormatIdc === 0 || chromaFormatIdc === 3 ? 1 : 2;
    const cropUnitY = (chromaFormatIdc === 1 ? 2 : 1) * (2 - frameMbsOnly);
    return {
      width: widthMbs * 16 - cropUnitX * (left + right),
      height: (2 - frameMbsOnly) * heightMapUnits * 16 - cropUnitY * (top + bottom),
      profileIdc,
      chromaFormatIdc,
      bitDepthLuma,
      bitDepthChroma,
    };
  } catch {
    return null;
  }
}

/**
 * AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.3.3.1): one SPS, one PPS, 4-byte NAL lengths.
 * @param {Uint8Array} sps @param {Uint8Array} pps @param {SpsInfo} info
 */
function fmp4AvcC(sps, pps, info) {
  const parts = [
    Uint8Array.of(1, sps[1] ?? 0, sps[2] ?? 0, sps[3] ?? 0, 0xff, 0xe1),
    fmp4U16(sps.length),
    sps,
    Uint8Array.of(1),
    fmp4U16(pps.length),
    pps,
  ];
  // The high profiles add chroma format and bit depths to the record.
  if ([100, 110, 122, 144].includes(info.profileIdc)) {
    parts.push(
      Uint8Array.of(
        0xfc | info.chromaFormatIdc,
        0xf8 | (info.bitDepthLuma - 8),
        0xf8 | (info.bitDepthChroma - 8),
        0,
      ),
    );
  }
  return fmp4Box('avcC', parts);
}

/** The 3×3 unity matrix of mvhd and tkhd (16.16 and 2.30 fixed point). */
function fmp4Matrix() {
  return fmp4Concat([0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000].map(fmp4U32));
}

/**
 * The init segment (ftyp + moov) for one H.264 video track, from the first keyframe's SPS and PPS; null when
 * the SPS cannot be read.
 * @param {Uint8Array} sps @param {Uint8Array} pps
 */
function fmp4InitSegment(sps, pps) {
  const info = fmp4ReadSps(sps);
  if (!info) return null;
  const zeros = (/** @type {number} */ count) => new Uint8Array(count);
  const ftyp = fmp4Box('ftyp', [
    fmp4FourCc('iso5'),
    fmp4U32(512),
    ...['iso5', 'iso6', 'avc1', 'mp41'].map(fmp4FourCc),
  ]);
  const mvhd = fmp4FullBox('mvhd', 0, 0, [
    zeros(8), // creation and modification time
    fmp4U32(FMP4_TIMESCALE),
    fmp4U32(0), // duration: unknown, it is live
    fmp4U32(0x00010000), // rate 1.0
    fmp4U16(0x0100), // volume 1.0
    zeros(10),
    fmp4Matrix(),
    zeros(24),
    fmp4U32(FMP4_TRACK_ID + 1),
  ]);
  const tkhd = fmp4FullBox('tkhd', 0, 0x000003, [
    zeros(8),
    fmp4U32(FMP4_TRACK_ID),
    zeros(4),
    fmp4U32(0),
    zeros(8),
    fmp4U16(0), // layer
    fmp4U16(0), // alternate group
    fmp4U16(0), // volume: a video track
    zeros(2),
    fmp4Matrix(),
    fmp4U32(info.width * 0x10000),
    fmp4U32(info.height * 0x10000),
  ]);
  const mdhd = fmp4FullBox('mdhd', 0, 0, [
    zeros(8),
    fmp4U32(FMP4_TIMESCALE),
    fmp4U32(0),
    fmp4U16(0x55c4), // language 'und'
    fmp4U16(0),
  ]);
  const hdlr = fmp4FullBox('hdlr', 0, 0, [
    zeros(4),
    fmp4FourCc('vide'),
    zeros(12),
    Uint8Array.from('LanCam\0', (char) => char.charCodeAt(0)),
  ]);
  const avc1 = fmp4Box('avc1', [
    zeros(6),
    fmp4U16(1), // data reference index
    zeros(16),
    fmp4U16(info.width),
    fmp4U16(info.height),
    fmp4U32(0x00480000), // 72 dpi
    fmp4U32(0x00480000),
    zeros(4),
    fmp4U16(1), // frame count
    zeros(32), // compressor name
    fmp4U16(0x0018), // depth
    fmp4U16(0xffff),
    fmp4AvcC(sps, pps, info),
  ]);
  const stbl = fmp4Box('stbl', [
    fmp4FullBox('stsd', 0, 0, [fmp4U32(1), avc1]),
    // Empty tables: every sample is in the fragments.
    fmp4FullBox('stts', 0, 0, [fmp4U32(0)]),
    fmp4FullBox('stsc', 0, 0, [fmp4U32(0)]),
    fmp4FullBox('stsz', 0, 0, [fmp4U32(0), fmp4U32(0)]),
    fmp4FullBox('stco', 0, 0, [fmp4U32(0)]),
  ]);
  const dinf = fmp4Box('dinf', [
    fmp4FullBox('dref', 0, 0, [fmp4U32(1), fmp4FullBox('url ', 0, 1, [])]),
  ]);
  const minf = fmp4Box('minf', [fmp4FullBox('vmhd', 0, 1, [zeros(8)]), dinf, stbl]);
  const trak = fmp4Box('trak', [tkhd, fmp4Box('mdia', [mdhd, hdlr, minf])]);
  const mvex = fmp4Box('mvex', [
    fmp4FullBox('trex', 0, 0, [fmp4U32(FMP4_TRACK_ID), fmp4U32(1), zeros(12)]),
  ]);
  return fmp4Concat([ftyp, fmp4Box('moov', [mvhd, trak, mvex])]);
}

/**
 * One access unit as a movie fragment (moof + mdat): its NAL units with 4-byte lengths (AVC format), its decode
 * time and duration in 90 kHz ticks, flagged as sync sample or not.
 * @param {Fmp4Sample} sample
 */
function fmp4Fragment(sample) {
  const data = fmp4Concat(sample.nalUnits.flatMap((nal) => [fmp4U32(nal.length), nal]));
  /** @param {number} dataOffset */
  const moof = (dataOffset) =>
    fmp4Box('moof', [
      fmp4FullBox('mfhd', 0, 0, [fmp4U32(sample.sequence)]),
      fmp4Box('traf', [
        // default-base-is-moof: data offsets count from this moof.
        fmp4FullBox('tfhd', 0, 0x020000, [fmp4U32(FMP4_TRACK_ID)]),
        fmp4FullBox('tfdt', 1, 0, [fmp4U64(sample.decodeTicks)]),
        // data offset, sample duration, size and flags present.
        fmp4FullBox('trun', 0, 0x000701, [
          fmp4U32(1),
          fmp4U32(dataOffset),
          fmp4U32(sample.durationTicks),
          fmp4U32(data.length),
          fmp4U32(sample.isKey ? FMP4_FLAGS_KEY : FMP4_FLAGS_DELTA),
        ]),
      ]),
    ]);
  const size = moof(0).length;
  return fmp4Concat([moof(size + 8), fmp4Box('mdat', [data])]);
}

/** The MediaSource this browser has: the standard one, or Safari's ManagedMediaSource (iPhone has only that). */
function mseSourceType() {
  if (typeof MediaSource === 'function') return MediaSource;
  const managed = /** @type {{ ManagedMediaSource?: typeof MediaSource }} */ (globalThis)
    .ManagedMediaSource;
  return typeof managed === 'function' ? managed : null;
}

/** True where this page can play H.264 through MSE at all (the stream's own profile is asked in configure). */
function canPlayMse() {
  const Source = mseSourceType();
  return Source !== null && Source.isTypeSupported('video/mp4; codecs="avc1.42E01E"');
}

/**
 * @param {HTMLVideoElement} video
 * @param {MsePlayerHooks} hooks
 */
function createMsePlayer(video, hooks) {
  /** @type {MediaSource | null} */
  let mediaSource = null;
  /** @type {SourceBuffer | null} */
  let sourceBuffer = null;
  let objectUrl = '';
  /** @type {{ unit: MseUnit, arrivedAtMs: number }[]} */
  let early = [];
  /** Fragments waiting for the SourceBuffer; seq null for the init segment. */
  /** @type {{ seq: number | null, bytes: Uint8Array }[]} */
  let pending = [];
  /** The newest unit in the append under way, acknowledged when it ends (null: none). */
  /** @type {number | null} */
  let appendingSeq = null;
  let hasInit = false;
  let isWaitingForKey = true;
  let isClosed = false;
  let sequence = 0;
  /** Arrival time (performance.now(), ms) that media time 0 stands for; moves forward over gaps. */
  /** @type {number | null} */
  let originMs = null;
  /** @type {number | null} */
  let lastArrivedAtMs = null;
  /** Start and end of the newest frame, in 90 kHz ticks. */
  let newestTicks = 0;
  /** @type {number | null} */
  let newestEndTicks = null;
  /** Media times of the keyframes appended (s): where the buffer behind the playhead may be cut. */
  /** @type {number[]} */
  let keyTimesS = [];
  /** Media time (s) → capture time (ms) of the frames appended, oldest first, for the "behind" readout. */
  /** @type {{ mediaS: number, captureTimeMs: number }[]} */
  let captures = [];
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let firstPictureTimer;

  /** @param {string} reason */
  function fail(reason) {
    if (isClosed) return;
    close();
    hooks.onFailure(reason);
  }

  function onVideoError() {
    const error = video.error;
    fail(`video: ${error ? `${String(error.code)} ${error.message}` : 'error'}`);
  }

  /**
   * Reports when the picture on screen was taken. requestVideoFrameCallback names the frame actually presented;
   * without it, currentTime is the nearest thing.
   * @param {number} mediaTimeS
   */
  function shown(mediaTimeS) {
    if (isClosed) return;
    let captureTimeMs = null;
    // Ticks are 1/90 000 s: a frame's media time may read a hair under what was written.
    while (captures.length > 0 && (captures[0]?.mediaS ?? Infinity) <= mediaTimeS + 0.001) {
      const next = captures[1];
      if (next && next.mediaS <= mediaTimeS + 0.001) {
        captures.shift();
        continue;
      }
      captureTimeMs = captures[0]?.captureTimeMs ?? null;
      break;
    }
    if (captureTimeMs === null) return;
    clearTimeout(firstPictureTimer);
    hooks.onShown(captureTimeMs);
  }

  /** @type {VideoFrameRequestCallback} */
  function onVideoFrame(_now, metadata) {
    if (isClosed) return;
    shown(metadata.mediaTime);
    video.requestVideoFrameCallback(onVideoFrame);
  }

  function onTimeUpdate() {
    shown(video.currentTime);
  }

  /**
   * A unit this page will not play is done with too: acknowledged, or the server would count it as still on
   * its way, find the page behind and hold back everything, the keyframe the page waits for included.
   * @param {number} seq
   */
  function drop(seq) {
    hooks.onDone(seq);
  }

  /** @param {MseUnit} unit @param {number} arrivedAtMs */
  function enqueue(unit, arrivedAtMs) {
    if (isWaitingForKey && !unit.isKey) {
      drop(unit.seq);
      return;
    }
    if (!unit.isKey && pending.length >= MSE_MAX_PENDING) {
      // This device appends slower than the stream arrives: drop to the next keyframe rather than queue.
      isWaitingForKey = true;
      drop(unit.seq);
      hooks.onNeedKeyframe();
      return;
    }
    const nalUnits = fmp4SplitAnnexB(unit.payload);
    if (!hasInit) {
      const sps = nalUnits.find((nal) => ((nal[0] ?? 0) & 0x1f) === 7);
      const pps = nalUnits.find((nal) => ((nal[0] ?? 0) & 0x1f) === 8);
      const init = sps && pps ? fmp4InitSegment(sps, pps) : null;
      if (!init) {
        fail('the first keyframe carries no readable SPS and PPS');
        return;
      }
      pending.push({ seq: null, bytes: init });
      hasInit = true;
    }
    isWaitingForKey = false;
    originMs ??= arrivedAtMs;
    // Media time follows arrival here, not capture: the element then plays each frame a fixed short delay after
    // it arrived, like the WebCodecs player draws it on arrival. On capture times, a link slower than the
    // stream would leave the element waiting for data (underflow) on nearly every frame, and a burst behind a
    // big keyframe would play back at capture pace, late.
    let decodeTicks = Math.round(((arrivedAtMs - originMs) * FMP4_TIMESCALE) / 1000);
    if (newestEndTicks !== null && decodeTicks > newestEndTicks) {
      // Later than the previous frame lasts (a slow link, or units the server skipped to a keyframe): no
      // hole in the timeline, which the element could only cross by a seek; it carries on from where it
      // stopped, showing this frame at once.
      originMs += ((decodeTicks - newestEndTicks) * 1000) / FMP4_TIMESCALE;
      decodeTicks = newestEndTicks;
    }
    if (newestEndTicks !== null) decodeTicks = Math.max(decodeTicks, newestTicks + 1);
    const intervalMs =
      lastArrivedAtMs === null ? MSE_DEFAULT_FRAME_MS : arrivedAtMs - lastArrivedAtMs;
    lastArrivedAtMs = arrivedAtMs;
    // The next frame's time is not known yet. Twice the last interval (at least two frames at 30 fps) keeps
    // the element showing this frame, instead of running dry, until the next one arrives a little late; the
    // next frame overlapping this one's tail is harmless (W3C MSE coded frame processing keeps an earlier
    // frame that a later one overlaps).
    const durationTicks = Math.round(
      (Math.min(1000, Math.max(2 * MSE_DEFAULT_FRAME_MS, 2 * intervalMs)) * FMP4_TIMESCALE) / 1000,
    );
    newestTicks = decodeTicks;
    newestEndTicks = decodeTicks + durationTicks;
    const mediaS = decodeTicks / FMP4_TIMESCALE;
    if (unit.isKey) keyTimesS.push(mediaS);
    captures.push({ mediaS, captureTimeMs: unit.captureTimeMs });
    if (captures.length > MSE_MAX_CAPTURES) captures.shift();
    sequence += 1;
    pending.push({
      seq: unit.seq,
      bytes: fmp4Fragment({
        sequence,
        decodeTicks,
        durationTicks,
        isKey: unit.isKey,
        nalUnits,
      }),
    });
    pump();
  }

  /** The start of the buffer that may go: up to the last keyframe at least MSE_KEEP_BEHIND_S behind the playhead. */
  function trimEndS() {
    if (!sourceBuffer || sourceBuffer.buffered.length === 0) return null;
    const cutS = video.currentTime - MSE_KEEP_BEHIND_S;
    let keyS = null;
    for (const time of keyTimesS) if (time <= cutS) keyS = time;
    if (keyS === null || keyS <= sourceBuffer.buffered.start(0) + 0.5) return null;
    // Cut exactly at a keyframe: MSE also removes every frame that depends on a removed one (W3C MSE, remove()).
    keyTimesS = keyTimesS.filter((time) => time >= keyS);
    return keyS;
  }

  function pump() {
    if (isClosed || !sourceBuffer || !mediaSource || mediaSource.readyState !== 'open') return;
    if (sourceBuffer.updating) return;
    const trimS = trimEndS();
    if (trimS !== null) {
      appendingSeq = null;
      sourceBuffer.remove(0, trimS);
      return;
    }
    if (pending.length === 0) return;
    // Everything waiting goes in at once: frames arriving in a burst (behind a keyframe on a slow link) cost
    // one append, not one each.
    const batch = pending;
    pending = [];
    let newestSeq = null;
    for (const entry of batch) if (entry.seq !== null) newestSeq = entry.seq;
    try {
      sourceBuffer.appendBuffer(
        /** @type {Uint8Array<ArrayBuffer>} */ (fmp4Concat(batch.map((entry) => entry.bytes))),
      );
      appendingSeq = newestSeq;
    } catch (error) {
      if (error instanceof DOMException && error.name === 'QuotaExceededError') {
        // The browser's buffer is full: start again from the next keyframe, with the old data cut away.
        pending = batch.filter((entry) => entry.seq === null);
        if (newestSeq !== null) drop(newestSeq);
        isWaitingForKey = true;
        hooks.onNeedKeyframe();
        const endS = video.currentTime - 0.5;
        if (endS > 0) sourceBuffer.remove(0, endS);
        return;
      }
      fail(`append: ${String(error)}`);
    }
  }

  /** Never behind the newest frame by more than the bound: catch up, or jump to the live edge; keep playing. */
  function keepLive() {
    if (!sourceBuffer || sourceBuffer.buffered.length === 0) return;
    const ranges = sourceBuffer.buffered;
    const startS = ranges.start(ranges.length - 1);
    const endS = ranges.end(ranges.length - 1);
    const newestS = Math.min(endS, newestTicks / FMP4_TIMESCALE);
    const behindS = newestS - video.currentTime;
    if (behindS > MSE_MAX_BEHIND_S || video.currentTime < startS) {
      video.currentTime = Math.max(startS, newestS - MSE_LIVE_EDGE_S);
      video.playbackRate = 1;
    } else {
      video.playbackRate = behindS > MSE_CATCH_UP_ABOVE_S ? MSE_CATCH_UP_RATE : 1;
    }
    if (video.paused) {
      video.play().catch((/** @type {unknown} */ error) => {
        // iOS in Low Power Mode refuses even muted autoplay: a <video> that never plays is no picture at all.
        if (error instanceof DOMException && error.name === 'NotAllowedError') {
          fail(`play: ${error.message}`);
        }
      });
    }
  }

  function onUpdateEnd() {
    if (isClosed) return;
    const seq = appendingSeq;
    appendingSeq = null;
    // Acknowledging the newest acknowledges the whole batch: the server counts every unit up to it as done.
    if (seq !== null) hooks.onDone(seq);
    keepLive();
    pump();
  }

  /**
   * Opens a MediaSource for the stream the server announced; false (and onFailure) where it cannot play it.
   * @param {string} codec
   */
  async function configure(codec) {
    const Source = mseSourceType();
    const type = `video/mp4; codecs="${codec}"`;
    if (!Source || !Source.isTypeSupported(type)) {
      fail(`this browser cannot play ${codec} through MSE`);
      return false;
    }
    const source = new Source();
    mediaSource = source;
    firstPictureTimer = setTimeout(() => {
      fail(`no picture within ${String(MSE_FIRST_PICTURE_MS / 1000)} s`);
    }, MSE_FIRST_PICTURE_MS);
    video.muted = true;
    // ManagedMediaSource plays only with AirPlay off or given another source (WebKit's ManagedMediaSource notes).
    video.disableRemotePlayback = true;
    video.addEventListener('error', onVideoError);
    if (typeof video.requestVideoFrameCallback === 'function') {
      video.requestVideoFrameCallback(onVideoFrame);
    } else video.addEventListener('timeupdate', onTimeUpdate);
    objectUrl = URL.createObjectURL(source);
    await new Promise((resolve) => {
      source.addEventListener('sourceopen', resolve, { once: true });
      video.src = objectUrl;
    });
    if (isClosed) return false;
    try {
      sourceBuffer = source.addSourceBuffer(type);
    } catch (error) {
      fail(`addSourceBuffer: ${String(error)}`);
      return false;
    }
    sourceBuffer.mode = 'segments';
    sourceBuffer.addEventListener('updateend', onUpdateEnd);
    const waiting = early;
    early = [];
    for (const { unit, arrivedAtMs } of waiting) enqueue(unit, arrivedAtMs);
    return true;
  }

  /** @param {MseUnit} unit */
  function push(unit) {
    if (isClosed) return;
    const arrivedAtMs = performance.now();
    if (!sourceBuffer) {
      if (early.length < MSE_MAX_EARLY_UNITS) early.push({ unit, arrivedAtMs });
      return;
    }
    enqueue(unit, arrivedAtMs);
  }

  function close() {
    if (isClosed) return;
    isClosed = true;
    clearTimeout(firstPictureTimer);
    early = [];
    pending = [];
    captures = [];
    sourceBuffer?.removeEventListener('updateend', onUpdateEnd);
    video.removeEventListener('error', onVideoError);
    video.removeEventListener('timeupdate', onTimeUpdate);
    // Detaching the source frees its buffers at once (an object URL alone would keep them until unload).
    video.removeAttribute('src');
    video.load();
    if (objectUrl) URL.revokeObjectURL(objectUrl);
    sourceBuffer = null;
    mediaSource = null;
  }

  return { configure, push, close };
}
