// The viewer page's fragmented-MP4 writer (server/assets/mse-player.js), run under Node: its boxes parse back
// to what ISO/IEC 14496-12 says, and ffprobe/ffmpeg read an init segment plus one fragment per access unit as a
// valid MP4 with the clip's size and every frame, decoding without an error.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { after, describe, test } from 'node:test';
import { splitAccessUnits, type EncodedUnit } from '../../server/video/access-units.ts';
import { makeH264Clip } from '../helpers/h264-clip.ts';

interface Fmp4Sample {
  sequence: number;
  decodeTicks: number;
  durationTicks: number;
  isKey: boolean;
  nalUnits: Uint8Array[];
}

/** The page script's top-level functions, as the page sees them (a classic script's globals). */
interface MsePlayerScript {
  fmp4SplitAnnexB(data: Uint8Array): Uint8Array[];
  fmp4InitSegment(sps: Uint8Array, pps: Uint8Array): Uint8Array | null;
  fmp4Fragment(sample: Fmp4Sample): Uint8Array;
  fmp4ReadSps(sps: Uint8Array): { width: number; height: number; profileIdc: number } | null;
}

function loadScript(): MsePlayerScript {
  const file = path.resolve(import.meta.dirname, '../../server/assets/mse-player.js');
  const context: Record<string, unknown> = { Uint8Array, Math, Array, RangeError, String };
  vm.runInNewContext(readFileSync(file, 'utf8'), context, { filename: file });
  return context as unknown as MsePlayerScript;
}

interface Box {
  readonly type: string;
  readonly start: number;
  readonly size: number;
  readonly body: Buffer;
}

function boxes(data: Buffer, base = 0): Box[] {
  const out: Box[] = [];
  let offset = 0;
  while (offset < data.length) {
    assert.ok(offset + 8 <= data.length, 'a box header overruns its parent');
    const size = data.readUInt32BE(offset);
    assert.ok(size >= 8 && offset + size <= data.length, 'a box overruns its parent');
    const type = data.toString('latin1', offset + 4, offset + 8);
    out.push({ type, start: base + offset, size, body: data.subarray(offset + 8, offset + size) });
    offset += size;
  }
  return out;
}

function child(box: Box | Buffer, type: string, skip = 0): Box {
  const body = Buffer.isBuffer(box) ? box : box.body;
  const found = boxes(body.subarray(skip)).find((each) => each.type === type);
  assert.ok(found, `no ${type} box`);
  return found;
}

const NAL_SPS = 7;
const NAL_PPS = 8;
const nalType = (nal: Uint8Array): number => (nal[0] ?? 0) & 0x1f;
const TICKS_PER_FRAME = 3000; // 30 fps at 90 kHz

function remux(
  script: MsePlayerScript,
  units: readonly EncodedUnit[],
): { init: Buffer; fragments: Buffer[] } {
  const first = units[0];
  assert.ok(first?.isKey, 'the clip starts with a keyframe');
  const nals = script.fmp4SplitAnnexB(first.data);
  const sps = nals.find((nal) => nalType(nal) === NAL_SPS);
  const pps = nals.find((nal) => nalType(nal) === NAL_PPS);
  assert.ok(sps && pps, 'the first keyframe carries SPS and PPS');
  const init = script.fmp4InitSegment(sps, pps);
  assert.ok(init);
  const fragments = units.map((unit, i) =>
    Buffer.from(
      script.fmp4Fragment({
        sequence: i + 1,
        decodeTicks: i * TICKS_PER_FRAME,
        durationTicks: TICKS_PER_FRAME,
        isKey: unit.isKey,
        nalUnits: script.fmp4SplitAnnexB(unit.data),
      }),
    ),
  );
  return { init: Buffer.from(init), fragments };
}

interface Probe {
  readonly streams: {
    codec_name: string;
    profile: string;
    width: number;
    height: number;
    nb_read_frames: string;
  }[];
  readonly packets: { pts: number; duration: number; flags: string; size: string }[];
}

function ffprobe(file: string): Probe {
  const json = execFileSync(
    'ffprobe',
    [
      ...['-v', 'error', '-count_frames', '-select_streams', 'v:0'],
      ...['-show_entries', 'stream=codec_name,profile,width,height,nb_read_frames'],
      ...['-show_entries', 'packet=pts,duration,flags,size', '-of', 'json', file],
    ],
    { encoding: 'utf8' },
  );
  return JSON.parse(json) as Probe;
}

describe('fragmented MP4 from the viewer page', () => {
  const script = loadScript();
  const dir = mkdtempSync(path.join(tmpdir(), 'lancam-fmp4-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('the init segment: ftyp, moov with one avc1 track whose avcC holds the SPS and PPS', () => {
    const clip = makeH264Clip({ size: '320x240', seconds: 2 });
    const units = splitAccessUnits(readFileSync(clip.annexB));
    const { init } = remux(script, units);
    const top = boxes(init);
    assert.deepEqual(
      top.map((box) => box.type),
      ['ftyp', 'moov'],
    );
    const moov = child(init, 'moov');
    assert.deepEqual(
      boxes(moov.body).map((box) => box.type),
      ['mvhd', 'trak', 'mvex'],
    );
    const trex = child(child(moov, 'mvex'), 'trex');
    assert.equal(trex.body.readUInt32BE(4), 1, 'trex names track 1');
    const trak = child(moov, 'trak');
    const tkhd = child(trak, 'tkhd');
    assert.equal(tkhd.body.readUInt32BE(12), 1, 'track 1');
    assert.equal(tkhd.body.readUInt32BE(76) / 0x10000, 320);
    assert.equal(tkhd.body.readUInt32BE(80) / 0x10000, 240);
    const mdhd = child(child(trak, 'mdia'), 'mdhd');
    assert.equal(mdhd.body.readUInt32BE(12), 90_000, 'a 90 kHz timescale');
    const stsd = child(child(child(child(trak, 'mdia'), 'minf'), 'stbl'), 'stsd');
    const avc1 = child(stsd.body.subarray(8), 'avc1');
    assert.equal(avc1.body.readUInt16BE(24), 320);
    assert.equal(avc1.body.readUInt16BE(26), 240);
    const avcC = child(avc1.body.subarray(78), 'avcC').body;
    const nals = script.fmp4SplitAnnexB(units[0]?.data ?? new Uint8Array());
    const sps = nals.find((nal) => nalType(nal) === NAL_SPS) ?? new Uint8Array();
    assert.equal(avcC.readUInt8(4) & 3, 3, '4-byte NAL lengths');
    assert.equal(avcC.readUInt8(5) & 0x1f, 1, 'one SPS');
    const spsLength = avcC.readUInt16BE(6);
    assert.deepEqual(new Uint8Array(avcC.subarray(8, 8 + spsLength)), sps);
  });

  test('each access unit is one moof + mdat: tfdt, trun offsets, sizes and sync flags agree', () => {
    const clip = makeH264Clip({ size: '320x240', seconds: 2 });
    const units = splitAccessUnits(readFileSync(clip.annexB));
    const { fragments } = remux(script, units);
    fragments.forEach((fragment, i) => {
      const unit = units[i];
      assert.ok(unit);
      const [moof, mdat, ...rest] = boxes(fragment);
      assert.equal(moof?.type, 'moof');
      assert.equal(mdat?.type, 'mdat');
      assert.equal(rest.length, 0);
      assert.equal(child(moof, 'mfhd').body.readUInt32BE(4), i + 1, 'sequence number');
      const traf = child(moof, 'traf');
      const tfhd = child(traf, 'tfhd');
      assert.equal(tfhd.body.readUInt32BE(0) & 0xffffff, 0x020000, 'default-base-is-moof');
      const tfdt = child(traf, 'tfdt');
      assert.equal(tfdt.body.readUInt8(0), 1, 'a 64-bit decode time');
      assert.equal(Number(tfdt.body.readBigUInt64BE(4)), i * TICKS_PER_FRAME);
      const trun = child(traf, 'trun').body;
      assert.equal(trun.readUInt32BE(4), 1, 'one sample');
      const dataOffset = trun.readUInt32BE(8);
      assert.equal(dataOffset, moof.size + 8, 'the data offset points at the mdat payload');
      assert.equal(trun.readUInt32BE(12), TICKS_PER_FRAME);
      assert.equal(trun.readUInt32BE(16), mdat.body.length, 'sample size = mdat payload');
      assert.equal(trun.readUInt32BE(20), unit.isKey ? 0x02000000 : 0x01010000);
      // The payload is the unit's NAL units, each behind its 4-byte length.
      const expected = script.fmp4SplitAnnexB(unit.data);
      let offset = 0;
      for (const nal of expected) {
        assert.equal(mdat.body.readUInt32BE(offset), nal.length);
        assert.deepEqual(
          new Uint8Array(mdat.body.subarray(offset + 4, offset + 4 + nal.length)),
          nal,
        );
        offset += 4 + nal.length;
      }
      assert.equal(offset, mdat.body.length);
    });
  });

  test('ffprobe reads init + fragments as MP4 with the right size and every frame; ffmpeg decodes it cleanly', () => {
    const clip = makeH264Clip({ size: '320x240', seconds: 2 });
    const units = splitAccessUnits(readFileSync(clip.annexB));
    const { init, fragments } = remux(script, units);
    const file = path.join(dir, 'baseline.mp4');
    writeFileSync(file, Buffer.concat([init, ...fragments]));
    const probe = ffprobe(file);
    const stream = probe.streams[0];
    assert.equal(stream?.codec_name, 'h264');
    assert.equal(stream.profile, 'Constrained Baseline');
    assert.equal(stream.width, 320);
    assert.equal(stream.height, 240);
    assert.equal(Number(stream.nb_read_frames), units.length);
    assert.equal(units.length, clip.frames);
    assert.equal(probe.packets.length, units.length);
    probe.packets.forEach((packet, i) => {
      assert.equal(packet.pts, i * TICKS_PER_FRAME, `packet ${i} time`);
      assert.equal(packet.flags.startsWith('K'), units[i]?.isKey, `packet ${i} key flag`);
    });
    const decode = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], {
      encoding: 'utf8',
    });
    assert.equal(decode.status, 0);
    assert.equal(decode.stderr.trim(), '', 'no decode errors');
  });

  test('a High-profile stream with cropping: the SPS is read right and the avcC carries the high-profile fields', () => {
    // 426×240 is not a whole number of macroblocks wide: the SPS crops 432 to 426.
    const source = path.join(dir, 'high.h264');
    execFileSync('ffmpeg', [
      ...[
        '-hide_banner',
        '-loglevel',
        'error',
        '-y',
        '-f',
        'lavfi',
        '-i',
        'testsrc2=size=426x240:rate=30',
      ],
      ...[
        '-t',
        '1',
        '-c:v',
        'libx264',
        '-profile:v',
        'high',
        '-bf',
        '0',
        '-g',
        '15',
        '-pix_fmt',
        'yuv420p',
      ],
      ...['-bsf:v', 'h264_mp4toannexb', '-f', 'h264', source],
    ]);
    const units = splitAccessUnits(readFileSync(source));
    const sps = script
      .fmp4SplitAnnexB(units[0]?.data ?? new Uint8Array())
      .find((nal) => nalType(nal) === NAL_SPS);
    assert.ok(sps);
    const info = script.fmp4ReadSps(sps);
    assert.equal(info?.width, 426);
    assert.equal(info.height, 240);
    assert.equal(info.profileIdc, 100);
    const { init, fragments } = remux(script, units);
    const trak = child(child(init, 'moov'), 'trak');
    const stsd = child(child(child(child(trak, 'mdia'), 'minf'), 'stbl'), 'stsd');
    const avcC = child(child(stsd.body.subarray(8), 'avc1').body.subarray(78), 'avcC').body;
    const ppsAt = 8 + avcC.readUInt16BE(6);
    const highFieldsAt = ppsAt + 3 + avcC.readUInt16BE(ppsAt + 1);
    // chroma_format 4:2:0, 8-bit luma and chroma, no SPS extensions (ISO/IEC 14496-15 §5.3.3.1.2).
    assert.deepEqual([...avcC.subarray(highFieldsAt)], [0xfd, 0xf8, 0xf8, 0]);
    const file = path.join(dir, 'high.mp4');
    writeFileSync(file, Buffer.concat([init, ...fragments]));
    const probe = ffprobe(file);
    assert.equal(probe.streams[0]?.profile, 'High');
    assert.equal(probe.streams[0].width, 426);
    assert.equal(probe.streams[0].height, 240);
    assert.equal(Number(probe.streams[0].nb_read_frames), units.length);
    assert.equal(units.length, 30);
    const decode = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], {
      encoding: 'utf8',
    });
    assert.equal(decode.status, 0);
    assert.equal(decode.stderr.trim(), '', 'no decode errors');
  });
});
