// Splits an Annex B elementary stream (a `.h264` file) into access units, following the first-VCL-NAL rule
// of ITU-T H.264 §7.4.1.2.3: an AUD, SPS, PPS or SEI, or a slice with first_mb_in_slice = 0, after a picture
// starts the next unit.
import {
  joinAnnexB,
  NAL_AUD,
  NAL_IDR,
  NAL_PPS,
  NAL_SEI,
  NAL_SPS,
  nalType,
  splitAnnexB,
} from './annex-b.ts';

export interface EncodedUnit {
  /** Annex B bytes of the access unit. */
  readonly data: Uint8Array;
  readonly isKey: boolean;
}

const STARTS_UNIT = new Set([NAL_AUD, NAL_SPS, NAL_PPS, NAL_SEI]);

export function splitAccessUnits(stream: Uint8Array): EncodedUnit[] {
  const units: EncodedUnit[] = [];
  let current: Uint8Array[] = [];
  let hasPicture = false;
  const flush = (): void => {
    if (hasPicture) {
      units.push({
        data: joinAnnexB(current),
        isKey: current.some((nal) => nalType(nal) === NAL_IDR),
      });
    }
    current = [];
    hasPicture = false;
  };
  for (const nal of splitAnnexB(stream)) {
    const type = nalType(nal);
    const isPicture = type >= 1 && type <= 5;
    // first_mb_in_slice is the slice header's first ue(v); a leading 1 bit means it is 0.
    const isFirstSlice = isPicture && ((nal[1] ?? 0) & 0x80) !== 0;
    if (hasPicture && (STARTS_UNIT.has(type) || isFirstSlice)) flush();
    current.push(nal);
    if (isPicture) hasPicture = true;
  }
  flush();
  return units;
}
