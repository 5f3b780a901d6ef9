// What SDP needs from an H.264 stream's SPS and PPS: profile-level-id and sprop-parameter-sets (RFC 6184
// §8.1), plus the picture size decoded from the SPS (ITU-T H.264 §7.3.2.1.1) for status.

export interface ParameterSets {
  readonly sps: Uint8Array;
  readonly pps: Uint8Array;
}

/** profile_idc, constraint flags and level_idc: the three bytes after the SPS NAL header, as hex. */
export function profileLevelId(sps: Uint8Array): string {
  return Buffer.from(sps.subarray(1, 4)).toString('hex').toUpperCase();
}

export function spropParameterSets(sets: ParameterSets): string {
  return `${Buffer.from(sets.sps).toString('base64')},${Buffer.from(sets.pps).toString('base64')}`;
}

/** Reads an RBSP bit by bit, skipping emulation-prevention bytes (00 00 03). */
class BitReader {
  readonly #bytes: Uint8Array;
  #bit = 0;

  constructor(nal: Uint8Array) {
    const out: number[] = [];
    let zeros = 0;
    for (const byte of nal) {
      if (zeros >= 2 && byte === 3) {
        zeros = 0;
        continue;
      }
      zeros = byte === 0 ? zeros + 1 : 0;
      out.push(byte);
    }
    this.#bytes = Uint8Array.from(out);
  }

  bit(): number {
    const byte = this.#bytes[this.#bit >> 3];
    if (byte === undefined) throw new RangeError('SPS ends early');
    const value = (byte >> (7 - (this.#bit & 7))) & 1;
    this.#bit += 1;
    return value;
  }

  bits(count: number): number {
    let value = 0;
    for (let i = 0; i < count; i++) value = value * 2 + this.bit();
    return value;
  }

  ue(): number {
    let zeros = 0;
    while (this.bit() === 0) {
      zeros += 1;
      if (zeros > 31) throw new RangeError('bad Exp-Golomb code');
    }
    return 2 ** zeros - 1 + this.bits(zeros);
  }

  se(): number {
    const code = this.ue();
    return code % 2 === 1 ? (code + 1) / 2 : -code / 2;
  }
}

const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

function skipScalingList(reader: BitReader, size: number): void {
  let last = 8;
  let next = 8;
  for (let j = 0; j < size; j++) {
    if (next !== 0) next = (last + reader.se() + 256) % 256;
    last = next === 0 ? last : next;
  }
}

/** Display size from an SPS (cropping applied), or null when it cannot be parsed. */
export function spsPictureSize(sps: Uint8Array): { width: number; height: number } | null {
  try {
    const reader = new BitReader(sps.subarray(1));
    const profileIdc = reader.bits(8);
    reader.bits(16);
    reader.ue();
    let chromaFormatIdc = 1;
    if (HIGH_PROFILES.has(profileIdc)) {
      chromaFormatIdc = reader.ue();
      if (chromaFormatIdc === 3) reader.bit();
      reader.ue();
      reader.ue();
      reader.bit();
      if (reader.bit() === 1) {
        const lists = chromaFormatIdc === 3 ? 12 : 8;
        for (let i = 0; i < lists; i++) {
          if (reader.bit() === 1) skipScalingList(reader, i < 6 ? 16 : 64);
        }
      }
    }
    reader.ue();
    const pocType = reader.ue();
    if (pocType === 0) reader.ue();
    else if (pocType === 1) {
      reader.bit();
      reader.se();
      reader.se();
      const cycle = reader.ue();
      for (let i = 0; i < cycle; i++) reader.se();
    }
    reader.ue();
    reader.bit();
    const widthMbs = reader.ue() + 1;
    const heightMapUnits = reader.ue() + 1;
    const frameMbsOnly = reader.bit();
    if (frameMbsOnly === 0) reader.bit();
    reader.bit();
    let crop = { left: 0, right: 0, top: 0, bottom: 0 };
    if (reader.bit() === 1) {
      crop = { left: reader.ue(), right: reader.ue(), top: reader.ue(), bottom: reader.ue() };
    }
    const cropUnitX = chromaFormatIdc === 0 || chromaFormatIdc === 3 ? 1 : 2;
    const cropUnitY = (chromaFormatIdc === 1 ? 2 : 1) * (2 - frameMbsOnly);
    return {
      width: widthMbs * 16 - cropUnitX * (crop.left + crop.right),
      height: (2 - frameMbsOnly) * heightMapUnits * 16 - cropUnitY * (crop.top + crop.bottom),
    };
  } catch {
    return null;
  }
}
