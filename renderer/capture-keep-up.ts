// Whether capture keeps up with the chosen frame rate (pure): below 80 % of it for 5 s in a row is "behind",
// and the advice names what helps (lower resolution, frame rate or quality).

export const keepUpRatio = 0.8;
export const keepUpWindowMs = 5000;

export interface KeepUpState {
  /** When the rate first dropped below the bar in the current stretch; null while it keeps up. */
  readonly belowSinceMs: number | null;
  readonly isBehind: boolean;
}

export const keepingUp: KeepUpState = { belowSinceMs: null, isBehind: false };

/** Feed one measurement; not capturing (target 0 or camera off) resets the rule. */
export function nextKeepUp(
  previous: KeepUpState,
  nowMs: number,
  measuredFps: number,
  targetFps: number,
  isCapturing: boolean,
): KeepUpState {
  if (!isCapturing || targetFps <= 0) return keepingUp;
  if (measuredFps >= targetFps * keepUpRatio) return keepingUp;
  const belowSinceMs = previous.belowSinceMs ?? nowMs;
  return { belowSinceMs, isBehind: nowMs - belowSinceMs >= keepUpWindowMs };
}

export function keepUpAdvice(measuredFps: number, targetFps: number): string {
  return (
    `This computer captures only ${Math.round(measuredFps)} of the ${targetFps} frames per second you chose. ` +
    'Lower the resolution, the frame rate or the quality.'
  );
}
