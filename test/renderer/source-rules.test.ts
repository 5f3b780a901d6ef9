// Several sources in the control window, from plain values: names, the add limit, "in use by source N",
// each source's slice of the status, the cards to add or drop, and what a source card says.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  BroadcastStatus,
  SourceSettings,
  SourceSummary,
  ViewerSummary,
} from '../../electron/ipc.ts';
import { newSourceSettings } from '../../electron/main/source-settings.ts';
import type { CameraProblem } from '../../renderer/camera-errors.ts';
import { offStatus } from '../../renderer/initial-status.ts';
import { sourceCardState } from '../../renderer/source-card-state.ts';
import {
  addSourceRule,
  cameraUsers,
  cardChanges,
  firstFreeCamera,
  jpegViewerCountOf,
  pickerEntries,
  pickerLabel,
  sourceLabel,
  viewerCountOf,
  watchedSourceText,
} from '../../renderer/source-rules.ts';

const cameras = [
  { deviceId: 'cam-a', label: 'Built-in' },
  { deviceId: 'cam-b', label: 'USB' },
];
const screen = { deviceId: 'screen:1:0', label: 'Screen: Entire screen' };

const source = (id: number, cameraId: string | null, name = ''): SourceSettings =>
  newSourceSettings(id, { cameraId, name });

const summary = (id: number, extra: Partial<SourceSummary> = {}): SourceSummary => ({
  id,
  name: '',
  state: 'live',
  sourceFps: 15,
  frameBytes: 1000,
  viewerCount: 0,
  url: `http://127.0.0.1:8080/cam/${String(id)}/?key=k`,
  ...extra,
});

const live = (sources: SourceSummary[], viewerCount = 0): BroadcastStatus => ({
  ...offStatus,
  state: 'live',
  viewerCount,
  sources,
});

describe('source rules', () => {
  it('names a source by its name, else by its number', () => {
    assert.equal(sourceLabel(2, 'Front door'), 'Front door');
    assert.equal(sourceLabel(3, '  '), 'Source 3');
  });

  it('allows up to 4 sources and says why not beyond', () => {
    assert.deepEqual(addSourceRule(0), { isAllowed: true, reason: null });
    assert.equal(addSourceRule(2).isAllowed, true);
    const full = addSourceRule(3);
    assert.equal(full.isAllowed, false);
    assert.match(full.reason ?? '', /4 sources is the most.*remove one/);
  });

  it('marks a camera another source uses; the system default is the first camera', () => {
    const users = cameraUsers({ cameraId: null, extraSources: [source(2, 'cam-b')] }, cameras);
    assert.deepEqual(
      [...users],
      [
        ['cam-a', 1],
        ['cam-b', 2],
      ],
    );
    const forTwo = pickerEntries([...cameras, screen], users, 2);
    assert.deepEqual(forTwo.map(pickerLabel), [
      'Built-in (in use by source 1)',
      'USB',
      'Screen: Entire screen',
    ]);
    const forOne = pickerEntries(cameras, users, 1);
    assert.deepEqual(
      forOne.map((entry) => entry.inUseBy),
      [null, 2],
    );
  });

  it('never marks a screen, which can be captured twice', () => {
    const users = cameraUsers({ cameraId: screen.deviceId, extraSources: [] }, cameras);
    assert.deepEqual(
      pickerEntries([screen], users, 2).map((entry) => entry.inUseBy),
      [null],
    );
  });

  it("picks a new source's camera that nobody uses, then a screen, else the default", () => {
    const oneUsed = cameraUsers({ cameraId: 'cam-a' }, cameras);
    assert.equal(firstFreeCamera([...cameras, screen], oneUsed), 'cam-b');
    const bothUsed = cameraUsers({ cameraId: null, extraSources: [source(2, 'cam-b')] }, cameras);
    assert.equal(firstFreeCamera([...cameras, screen], bothUsed), 'screen:1:0');
    assert.equal(firstFreeCamera(cameras, bothUsed), null);
  });

  it("reads each source's viewers; source 1 falls back to everyone before main lists sources", () => {
    const status = live([summary(1, { viewerCount: 2 }), summary(2, { viewerCount: 1 })], 3);
    assert.equal(viewerCountOf(status, 1), 2);
    assert.equal(viewerCountOf(status, 2), 1);
    assert.equal(viewerCountOf(status, 4), 0);
    assert.equal(viewerCountOf({ ...offStatus, viewerCount: 5 }, 1), 5);
  });

  it('counts only the JPEG viewers of a source: H.264 viewers (RTSP, the page in H.264) need no JPEG', () => {
    const viewer = (
      id: number,
      sourceId: number,
      protocol: ViewerSummary['protocol'],
      codec: ViewerSummary['codec'],
    ): ViewerSummary => ({
      id,
      address: '192.168.1.5',
      userAgent: '',
      device: '',
      fps: 30,
      bytesSent: 0,
      skippedFrames: 0,
      isSlow: false,
      connectedAtMs: 0,
      sourceId,
      protocol,
      codec,
    });
    const status: BroadcastStatus = {
      ...live([summary(1, { viewerCount: 2 }), summary(2, { viewerCount: 1 })], 4),
      viewers: [
        viewer(1, 1, 'rtsp', 'h264'),
        viewer(2, 1, 'websocket', 'h264'),
        viewer(3, 1, 'mjpeg', 'jpeg'),
        viewer(4, 2, 'websocket', 'jpeg'),
      ],
    };
    assert.equal(jpegViewerCountOf(status, 1), 1);
    assert.equal(jpegViewerCountOf(status, 2), 1);
    assert.equal(jpegViewerCountOf({ ...status, viewers: status.viewers.slice(0, 2) }, 1), 0);
  });

  it('says which source a viewer watches only when there is more than one', () => {
    assert.equal(watchedSourceText(live([summary(1)]), 1), null);
    const two = live([summary(1), summary(2, { name: 'Garden' })]);
    assert.equal(watchedSourceText(two, 2), 'watches Garden');
    assert.equal(watchedSourceText(two, 1), 'watches Source 1');
  });

  it('adds cards for new saved sources and drops the removed ones', () => {
    assert.deepEqual(cardChanges([2, 3], [source(3, null), source(4, null)]), {
      added: [source(4, null)],
      removed: [2],
    });
  });
});

describe('source card state', () => {
  const problem: CameraProblem = {
    code: 'NotReadableError',
    title: 'The camera is in use',
    detail: 'Close the other app.',
    steps: ['Quit Zoom'],
  };

  it('follows the camera first, then main', () => {
    assert.deepEqual(sourceCardState({ kind: 'off' }, undefined, false), {
      state: 'off',
      label: 'Off · starts with the broadcast',
      problem: null,
    });
    assert.equal(sourceCardState({ kind: 'opening' }, undefined, true).state, 'starting');
    const running = { kind: 'running', label: 'USB' } as const;
    assert.equal(sourceCardState(running, undefined, true).label, 'Starting…');
    assert.equal(
      sourceCardState(running, summary(2, { state: 'starting' }), true).state,
      'starting',
    );
    assert.equal(
      sourceCardState(running, summary(2, { viewerCount: 2 }), true).label,
      'Live · 2 watching',
    );
    assert.equal(sourceCardState(running, summary(2), true).label, 'Live · nobody watching');
  });

  it('a lost camera is paused with what happens next; a failed one is an error with its fix', () => {
    const lost = sourceCardState({ kind: 'ended' }, summary(2, { state: 'paused' }), true);
    assert.equal(lost.state, 'paused');
    assert.match(lost.problem?.detail ?? '', /resumes by itself/);
    const failed = sourceCardState({ kind: 'failed', problem }, summary(2), true);
    assert.equal(failed.state, 'error');
    assert.equal(failed.problem, problem);
    const busy = sourceCardState(
      { kind: 'failed', problem: { ...problem, isRetriedAutomatically: true } },
      undefined,
      true,
    );
    assert.equal(busy.label, 'Waiting for the camera');
  });
});
