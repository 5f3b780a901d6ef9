// Pure rules of the tray (electron/main/tray-label.ts) and of closing/quitting (electron/main/lifecycle.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { offStatus } from '../../electron/main/broadcast.ts';
import { closeAction } from '../../electron/main/lifecycle.ts';
import { trayLabel } from '../../electron/main/tray-label.ts';

describe('trayLabel', () => {
  it('says live/off and counts viewers', () => {
    const live = { ...offStatus({}, null), state: 'live' as const, viewerCount: 2 };
    assert.deepEqual(trayLabel(live), {
      isOn: true,
      headline: 'Live — 2 viewers',
      tooltip: 'LanCam: live, 2 viewers',
      title: '● 2',
    });
    assert.equal(trayLabel({ ...live, viewerCount: 1 }).headline, 'Live — 1 viewer');
    assert.equal(trayLabel(offStatus({}, null)).isOn, false);
    const failed = offStatus({}, { code: 'port-in-use', message: 'Port 8080 is in use' });
    assert.equal(trayLabel(failed).headline, 'Off — Port 8080 is in use');
  });

  it('names the newest viewer while anyone watches', () => {
    const live = { ...offStatus({}, null), state: 'live' as const, viewerCount: 1 };
    const label = trayLabel(live, 'iPhone · Safari at 192.168.1.20');
    assert.equal(label.headline, 'Live — 1 viewer (newest: iPhone · Safari at 192.168.1.20)');
    assert.equal(label.tooltip, 'LanCam: live, 1 viewer (newest: iPhone · Safari at 192.168.1.20)');
    assert.equal(label.title, '● 1');
    assert.equal(trayLabel({ ...live, viewerCount: 0 }, 'x').headline, 'Live — 0 viewers');
  });
});

describe('closeAction', () => {
  it('hides to the tray only while live and not quitting', () => {
    assert.equal(closeAction({ isQuitting: false, isLive: true }), 'hide');
    assert.equal(closeAction({ isQuitting: false, isLive: false }), 'close');
    assert.equal(closeAction({ isQuitting: true, isLive: true }), 'close');
  });
});
