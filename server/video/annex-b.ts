// H.264 Annex B byte streams: finding start codes and splitting an access unit into its NAL units.

/** nal_unit_type values this server looks at (ITU-T H.264 table 7-1). */
export const NAL_SLICE = 1;
export const NAL_IDR = 5;
export const NAL_SEI = 6;
export const NAL_SPS = 7;
export const NAL_PPS = 8;
export const NAL_AUD = 9;

export const nalType = (nal: Uint8Array): number => (nal[0] ?? 0) & 0x1f;

/** Whether the bytes open with a 3- or 4-byte start code (00 00 01 or 00 00 00 01). */
export function startsWithStartCode(data: Uint8Array): boolean {
  if (data.length >= 3 && data[0] === 0 && data[1] === 0 && data[2] === 1) return true;
  return data.length >= 4 && data[0] === 0 && data[1] === 0 && data[2] === 0 && data[3] === 1;
}

/**
 * The NAL units of an Annex B buffer, as views (no copy) without their start codes. Trailing zero bytes
 * before a start code belong to the 4-byte form or to trailing_zero_8bits and are dropped, as the spec says.
 */
export function splitAnnexB(data: Uint8Array): Uint8Array[] {
  const units: Uint8Array[] = [];
  let start = -1;
  let index = 0;
  const length = data.length;
  while (index + 2 < length) {
    // Skip ahead fast: a start code needs a zero at index+2 or index+1.
    if ((data[index + 2] ?? 0) > 1) {
      index += 3;
      continue;
    }
    if (data[index] === 0 && data[index + 1] === 0 && data[index + 2] === 1) {
      if (start >= 0) units.push(trimTrailingZeros(data.subarray(start, index)));
      index += 3;
      start = index;
      continue;
    }
    index += 1;
  }
  if (start >= 0 && start < length) units.push(trimTrailingZeros(data.subarray(start)));
  return units.filter((unit) => unit.length > 0);
}

function trimTrailingZeros(unit: Uint8Array): Uint8Array {
  let end = unit.length;
  while (end > 0 && unit[end - 1] === 0) end -= 1;
  return end === unit.length ? unit : unit.subarray(0, end);
}

const START_CODE = new Uint8Array([0, 0, 0, 1]);

/** Joins NAL units into one Annex B buffer with 4-byte start codes. */
export function joinAnnexB(units: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const unit of units) total += START_CODE.length + unit.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const unit of units) {
    out.set(START_CODE, offset);
    out.set(unit, offset + START_CODE.length);
    offset += START_CODE.length + unit.length;
  }
  return out;
}
