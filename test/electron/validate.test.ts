// Frame, camera-state and settings-patch guards of electron/main/validate.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  asBytes,
  checkSettingsPatch,
  createFrameGate,
  isCameraState,
  isFrameMeta,
  maxFrameBytes,
} from '../../electron/main/validate.ts';

const jpeg = (size = 64): Uint8Array => {
  const bytes = new Uint8Array(size);
  bytes.set([0xff, 0xd8, 0xff, 0xe0]);
  bytes.set([0xff, 0xd9], size - 2);
  return bytes;
};
const meta = { captureTimeMs: Date.now(), width: 640, height: 480 };

describe('frame bytes', () => {
  it('accepts an ArrayBuffer and any Uint8Array view without copying', () => {
    const view = jpeg();
    assert.equal(asBytes(view), view);
    const fromBuffer = asBytes(view.buffer);
    assert.ok(fromBuffer);
    assert.equal(fromBuffer.buffer, view.buffer);
    const node = Buffer.from(view);
    assert.equal(asBytes(node), node);
  });

  it('refuses strings, arrays, numbers and other views', () => {
    for (const value of ['ffd8', [0xff, 0xd8], 7, null, undefined, new Uint16Array(4), {}]) {
      assert.equal(asBytes(value), null, Object.prototype.toString.call(value));
    }
  });
});

describe('metadata guards', () => {
  it('frame meta: finite time, integer size within 16384', () => {
    assert.equal(isFrameMeta(meta), true);
    assert.equal(isFrameMeta({ ...meta, width: 0 }), false);
    assert.equal(isFrameMeta({ ...meta, height: 1.5 }), false);
    assert.equal(isFrameMeta({ ...meta, width: 20_000 }), false);
    assert.equal(isFrameMeta({ ...meta, captureTimeMs: Number.NaN }), false);
    assert.equal(isFrameMeta({ width: 1, height: 1 }), false);
    assert.equal(isFrameMeta(null), false);
  });

  it('camera state: the three kinds of the contract only', () => {
    assert.equal(isCameraState({ kind: 'running', label: 'FaceTime HD' }), true);
    assert.equal(isCameraState({ kind: 'ended' }), true);
    assert.equal(
      isCameraState({ kind: 'error', code: 'NotAllowedError', message: 'denied' }),
      true,
    );
    assert.equal(isCameraState({ kind: 'running' }), false);
    assert.equal(isCameraState({ kind: 'exploded' }), false);
    assert.equal(isCameraState('ended'), false);
  });
});

describe('settings patch', () => {
  it('accepts known keys with valid values', () => {
    const result = checkSettingsPatch({ fps: 15, rotation: 180, port: 8081, cameraId: null });
    assert.deepEqual(result, {
      ok: true,
      patch: { fps: 15, rotation: 180, port: 8081, cameraId: null },
    });
    assert.deepEqual(checkSettingsPatch({}), { ok: true, patch: {} });
  });

  it('rejects unknown keys, bad values and non-objects with a message', () => {
    const cases: unknown[] = [
      { fps: 500 },
      { jpegQuality: 1 },
      { port: 70_000 },
      { port: '8080' },
      { accessKey: 'short' },
      { accessKey: 'has spaces in it, not url safe' },
      { overlayText: 'line\nbreak' },
      { resolution: '4k' },
      { mirror: 'yes' },
      { isAdmin: true },
      ['fps', 30],
      null,
      'fps=30',
    ];
    for (const value of cases) {
      const result = checkSettingsPatch(value);
      if (result.ok) assert.fail(`accepted ${JSON.stringify(value)}`);
      assert.ok(result.message.length > 0);
    }
  });
});

describe('frame gate', () => {
  it('passes a valid frame through as the same bytes', () => {
    const gate = createFrameGate();
    const bytes = jpeg();
    const accepted = gate.accept(bytes, meta, 1);
    assert.ok(accepted);
    assert.equal(accepted.bytes, bytes);
    assert.equal(gate.rejected, 0);
  });

  it('rejects oversized, non-binary and bad-meta frames, counting each reason', () => {
    const rejects: string[] = [];
    const logs: string[] = [];
    const gate = createFrameGate({
      onReject: (reason) => rejects.push(reason),
      logOnce: (message) => logs.push(message),
    });
    assert.equal(gate.accept(jpeg(maxFrameBytes + 2), meta, 1), null);
    assert.equal(gate.accept('not bytes', meta, 1), null);
    assert.equal(gate.accept('not bytes', meta, 1), null);
    assert.equal(gate.accept(jpeg(), { width: 'x' }, 1), null);
    // Whether the bytes are a whole JPEG is the server's check (server/core/jpeg.ts), not the gate's.
    assert.ok(gate.accept(new Uint8Array([1, 2, 3, 4]), meta, 1));
    assert.deepEqual(rejects, ['too-large', 'not-binary', 'not-binary', 'bad-meta']);
    assert.equal(gate.rejected, 4);
    assert.deepEqual(gate.rejectedByReason, {
      'too-large': 1,
      'not-binary': 2,
      'bad-meta': 1,
    });
    assert.equal(logs.length, 3, 'logged once per reason, not once per frame');
  });

  it('limits the rate to 120 frames per second with an injected clock', () => {
    let now = 0;
    const gate = createFrameGate({ now: () => now });
    let accepted = 0;
    for (let i = 0; i < 200; i++) if (gate.accept(jpeg(), meta, 1)) accepted++;
    assert.equal(accepted, 120, 'one second of burst');
    assert.equal(gate.rejectedByReason['rate-limited'], 80);
    now += 500;
    accepted = 0;
    for (let i = 0; i < 200; i++) if (gate.accept(jpeg(), meta, 1)) accepted++;
    assert.equal(accepted, 60, 'half a second refills half the bucket');
    // A steady 60 fps stream is never limited.
    now += 1000;
    for (let i = 0; i < 600; i++) {
      now += 1000 / 60;
      assert.ok(gate.accept(jpeg(), meta, 1), `frame ${i}`);
    }
  });
});
