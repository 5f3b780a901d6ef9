// Reads the first H.264 track of an MP4 (ISO/IEC 14496-12 boxes, avcC from 14496-15) into Annex B access
// units with their timing: just the boxes needed to replay a file, not a general demuxer.
import { joinAnnexB } from './annex-b.ts';

export interface Mp4Sample {
  readonly data: Uint8Array;
  readonly isKey: boolean;
  /** Decode time in microseconds from the start of the track. */
  readonly timeUs: number;
  readonly durationUs: number;
}

export interface Mp4Track {
  readonly samples: Mp4Sample[];
  readonly width: number;
  readonly height: number;
}

interface Box {
  readonly type: string;
  readonly body: Buffer;
}

function* boxes(data: Buffer): Generator<Box> {
  let offset = 0;
  while (offset + 8 <= data.length) {
    let size = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    let header = 8;
    if (size === 1) {
      if (offset + 16 > data.length) return;
      size = Number(data.readBigUInt64BE(offset + 8));
      header = 16;
    } else if (size === 0) {
      size = data.length - offset;
    }
    if (size < header || offset + size > data.length)
      throw new Error(`box ${type} overruns the file`);
    yield { type, body: data.subarray(offset + header, offset + size) };
    offset += size;
  }
}

function child(data: Buffer, type: string): Buffer | null {
  for (const box of boxes(data)) if (box.type === type) return box.body;
  return null;
}

function path(data: Buffer, types: readonly string[]): Buffer | null {
  let current: Buffer | null = data;
  for (const type of types) {
    if (current === null) return null;
    current = child(current, type);
  }
  return current;
}

interface AvcConfig {
  readonly lengthSize: number;
  readonly parameterSets: Uint8Array[];
  readonly width: number;
  readonly height: number;
}

/** stsd → avc1/avc3 sample entry → avcC (ISO/IEC 14496-15 §5.3.3.1). */
function readAvcConfig(stsd: Buffer): AvcConfig | null {
  // stsd: version/flags (4), entry count (4), then sample entries as boxes.
  for (const entry of boxes(stsd.subarray(8))) {
    if (entry.type !== 'avc1' && entry.type !== 'avc3') continue;
    // VisualSampleEntry: 6 reserved + 2 index + 16 pre-defined, then width and height, 78 bytes in all.
    const width = entry.body.readUInt16BE(24);
    const height = entry.body.readUInt16BE(26);
    const avcC = child(entry.body.subarray(78), 'avcC');
    if (!avcC) return null;
    const lengthSize = (avcC.readUInt8(4) & 0x03) + 1;
    const parameterSets: Uint8Array[] = [];
    let offset = 5;
    const spsCount = avcC.readUInt8(offset) & 0x1f;
    offset += 1;
    for (let i = 0; i < spsCount; i++) {
      const size = avcC.readUInt16BE(offset);
      parameterSets.push(avcC.subarray(offset + 2, offset + 2 + size));
      offset += 2 + size;
    }
    const ppsCount = avcC.readUInt8(offset);
    offset += 1;
    for (let i = 0; i < ppsCount; i++) {
      const size = avcC.readUInt16BE(offset);
      parameterSets.push(avcC.subarray(offset + 2, offset + 2 + size));
      offset += 2 + size;
    }
    return { lengthSize, parameterSets, width, height };
  }
  return null;
}

const u32s = (body: Buffer, start: number, count: number, stride = 4): number[] =>
  Array.from({ length: count }, (_, i) => body.readUInt32BE(start + i * stride));

/** The samples of the first avc1/avc3 track, in decode order, as Annex B with SPS/PPS before each keyframe. */
export function readMp4H264(file: Buffer): Mp4Track {
  const moov = child(file, 'moov');
  if (!moov) throw new Error('no moov box (a fragmented or truncated MP4 is not supported)');
  for (const trak of boxes(moov)) {
    if (trak.type !== 'trak') continue;
    const mdia = child(trak.body, 'mdia');
    const stbl = mdia && path(mdia, ['minf', 'stbl']);
    const stsd = stbl && child(stbl, 'stsd');
    const config = stsd && readAvcConfig(stsd);
    if (!mdia || !stbl || !config) continue;
    const mdhd = child(mdia, 'mdhd');
    if (!mdhd) throw new Error('no mdhd box');
    const timescale = mdhd[0] === 1 ? mdhd.readUInt32BE(20) : mdhd.readUInt32BE(12);
    const sizes = sampleSizes(stbl);
    const offsets = sampleOffsets(stbl, sizes.length);
    const durations = sampleDurations(stbl, sizes.length);
    const stss = child(stbl, 'stss');
    // No stss box means every sample is a sync sample.
    const keys = stss ? new Set(u32s(stss, 8, stss.readUInt32BE(4))) : null;
    const samples: Mp4Sample[] = [];
    let ticks = 0;
    for (let i = 0; i < sizes.length; i++) {
      const start = offsets[i] ?? 0;
      const sample = file.subarray(start, start + (sizes[i] ?? 0));
      const isKey = keys === null || keys.has(i + 1);
      const nals = lengthPrefixedToUnits(sample, config.lengthSize);
      const duration = durations[i] ?? 0;
      samples.push({
        data: joinAnnexB(isKey ? [...config.parameterSets, ...nals] : nals),
        isKey,
        timeUs: (ticks * 1_000_000) / timescale,
        durationUs: (duration * 1_000_000) / timescale,
      });
      ticks += duration;
    }
    return { samples, width: config.width, height: config.height };
  }
  throw new Error('no H.264 (avc1) track');
}

function sampleSizes(stbl: Buffer): number[] {
  const stsz = child(stbl, 'stsz');
  if (!stsz) throw new Error('no stsz box');
  const fixed = stsz.readUInt32BE(4);
  const count = stsz.readUInt32BE(8);
  return fixed !== 0 ? new Array<number>(count).fill(fixed) : u32s(stsz, 12, count);
}

/** Sample file offsets from the chunk offsets (stco/co64) and the sample-to-chunk runs (stsc). */
function sampleOffsets(stbl: Buffer, sampleCount: number): number[] {
  const stco = child(stbl, 'stco');
  const co64 = child(stbl, 'co64');
  let chunkOffsets: number[];
  if (stco) chunkOffsets = u32s(stco, 8, stco.readUInt32BE(4));
  else if (co64) {
    chunkOffsets = Array.from({ length: co64.readUInt32BE(4) }, (_, i) =>
      Number(co64.readBigUInt64BE(8 + i * 8)),
    );
  } else throw new Error('no stco/co64 box');
  const stsc = child(stbl, 'stsc');
  if (!stsc) throw new Error('no stsc box');
  const runs = Array.from({ length: stsc.readUInt32BE(4) }, (_, i) => ({
    firstChunk: stsc.readUInt32BE(8 + i * 12),
    samplesPerChunk: stsc.readUInt32BE(12 + i * 12),
  }));
  const sizes = sampleSizes(stbl);
  const offsets: number[] = [];
  let sample = 0;
  for (let chunk = 1; chunk <= chunkOffsets.length && sample < sampleCount; chunk++) {
    const run = runs.filter((candidate) => candidate.firstChunk <= chunk).at(-1);
    let offset = chunkOffsets[chunk - 1] ?? 0;
    for (let i = 0; i < (run?.samplesPerChunk ?? 0) && sample < sampleCount; i++) {
      offsets.push(offset);
      offset += sizes[sample] ?? 0;
      sample += 1;
    }
  }
  if (offsets.length !== sampleCount) throw new Error('stsc/stco do not cover every sample');
  return offsets;
}

function sampleDurations(stbl: Buffer, sampleCount: number): number[] {
  const stts = child(stbl, 'stts');
  if (!stts) throw new Error('no stts box');
  const durations: number[] = [];
  const entries = stts.readUInt32BE(4);
  for (let i = 0; i < entries; i++) {
    const count = stts.readUInt32BE(8 + i * 8);
    const delta = stts.readUInt32BE(12 + i * 8);
    for (let j = 0; j < count && durations.length < sampleCount; j++) durations.push(delta);
  }
  while (durations.length < sampleCount) durations.push(durations.at(-1) ?? 0);
  return durations;
}

function lengthPrefixedToUnits(sample: Buffer, lengthSize: number): Uint8Array[] {
  const units: Uint8Array[] = [];
  let offset = 0;
  while (offset + lengthSize <= sample.length) {
    const size = sample.readUIntBE(offset, lengthSize);
    offset += lengthSize;
    if (offset + size > sample.length) throw new Error('NAL unit overruns its sample');
    units.push(sample.subarray(offset, offset + size));
    offset += size;
  }
  return units;
}
