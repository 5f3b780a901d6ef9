// The permission policy of electron/main/permissions.ts: camera for our window and origin only.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WebContents } from 'electron';
import {
  createPermissionPolicy,
  decidePermission,
  displayCapturePermission,
  panTiltZoomPermission,
  type PermissionQuery,
} from '../../electron/main/permissions.ts';

const camera: PermissionQuery = {
  permission: 'media',
  requestingUrl: 'app://bundle/control-window.html',
  mediaTypes: ['video'],
  isMainFrame: true,
  isTrustedWebContents: true,
};

describe('decidePermission', () => {
  it('allows video for the control window on app://bundle', () => {
    assert.equal(decidePermission(camera).allow, true);
    // Windows has been seen sending an empty list for a video-only request.
    assert.equal(decidePermission({ ...camera, mediaTypes: [] }).allow, true);
  });

  it('denies audio, other windows, subframes and other origins', () => {
    const denied: PermissionQuery[] = [
      { ...camera, mediaTypes: ['audio'] },
      { ...camera, mediaTypes: ['video', 'audio'] },
      { ...camera, isTrustedWebContents: false },
      { ...camera, isMainFrame: false },
      { ...camera, requestingUrl: 'http://127.0.0.1:8080/' },
      { ...camera, requestingUrl: 'app://other/control-window.html' },
      { ...camera, requestingUrl: undefined },
    ];
    for (const query of denied)
      assert.equal(decidePermission(query).allow, false, JSON.stringify(query));
  });

  it('grants camera-pan-tilt-zoom to our control window only', () => {
    const ptz: PermissionQuery = { ...camera, permission: panTiltZoomPermission, mediaTypes: [] };
    assert.equal(panTiltZoomPermission, 'camera-pan-tilt-zoom');
    assert.equal(decidePermission(ptz).allow, true);
    const denied: PermissionQuery[] = [
      { ...ptz, isTrustedWebContents: false },
      { ...ptz, isMainFrame: false },
      { ...ptz, requestingUrl: 'http://127.0.0.1:8080/' },
      { ...ptz, requestingUrl: 'app://other/control-window.html' },
      { ...ptz, requestingUrl: undefined },
    ];
    for (const query of denied)
      assert.equal(decidePermission(query).allow, false, JSON.stringify(query));
  });

  it('grants display-capture (a screen as the source) to our control window only', () => {
    const screen: PermissionQuery = { ...camera, permission: displayCapturePermission };
    assert.equal(decidePermission(screen).allow, true);
    assert.equal(decidePermission({ ...screen, isTrustedWebContents: false }).allow, false);
    assert.equal(decidePermission({ ...screen, isMainFrame: false }).allow, false);
    assert.equal(
      decidePermission({ ...screen, requestingUrl: 'http://127.0.0.1:8080/' }).allow,
      false,
    );
  });

  it('answers camera-pan-tilt-zoom through the check handler for our window only', () => {
    const ours = { id: 1 } as unknown as WebContents;
    const policy = createPermissionPolicy({ isTrustedWebContents: (c) => c === ours });
    const check = policy.checkHandler as (
      contents: WebContents | null,
      permission: string,
      origin: string,
      details: { requestingUrl?: string; isMainFrame: boolean },
    ) => boolean;
    const details = { requestingUrl: 'app://bundle/control-window.html', isMainFrame: true };
    assert.equal(check(ours, panTiltZoomPermission, 'app://bundle', details), true);
    assert.equal(
      check({ id: 2 } as unknown as WebContents, panTiltZoomPermission, 'app://bundle', details),
      false,
    );
    assert.equal(check(null, panTiltZoomPermission, 'app://bundle', details), false);
  });

  it('denies every other permission, even for our own page', () => {
    for (const permission of [
      'geolocation',
      'notifications',
      'clipboard-read',
      'midi',
      'hid',
      'openExternal',
      'fullscreen',
    ]) {
      const decision = decidePermission({ ...camera, permission });
      assert.equal(decision.allow, false, permission);
      assert.match(decision.reason, /never granted/);
    }
  });
});

describe('createPermissionPolicy handlers', () => {
  // Plain objects stand in for webContents identities: the policy only compares them.
  const ours = { id: 1 } as unknown as WebContents;
  const theirs = { id: 2 } as unknown as WebContents;
  const denials: string[] = [];
  const policy = createPermissionPolicy({
    isTrustedWebContents: (contents) => contents === ours,
    onDeny: (query, reason) => denials.push(`${query.permission}: ${reason}`),
  });

  it('request handler answers through the callback', () => {
    const answers: boolean[] = [];
    const details = {
      requestingUrl: 'app://bundle/control-window.html',
      isMainFrame: true,
      mediaTypes: ['video' as const],
    };
    policy.requestHandler(ours, 'media', (granted) => answers.push(granted), details);
    policy.requestHandler(theirs, 'media', (granted) => answers.push(granted), details);
    policy.requestHandler(ours, 'geolocation', (granted) => answers.push(granted), {
      requestingUrl: details.requestingUrl,
      isMainFrame: true,
    });
    assert.deepEqual(answers, [true, false, false]);
  });

  it('check handler: null webContents and audio are denied', () => {
    const details = {
      requestingUrl: 'app://bundle/control-window.html',
      isMainFrame: true,
      mediaType: 'video' as const,
    };
    assert.equal(policy.checkHandler(ours, 'media', 'app://bundle', details), true);
    assert.equal(policy.checkHandler(null, 'media', 'app://bundle', details), false);
    assert.equal(
      policy.checkHandler(ours, 'media', 'app://bundle', { ...details, mediaType: 'audio' }),
      false,
    );
    assert.equal(
      policy.checkHandler(ours, 'media', 'app://bundle', { isMainFrame: true, mediaType: 'video' }),
      true,
      'falls back to requestingOrigin',
    );
  });

  it('device handler denies everything and denials are reported', () => {
    assert.equal(
      policy.deviceHandler({ deviceType: 'usb', origin: 'app://bundle', device: {} as never }),
      false,
    );
    assert.ok(denials.length >= 4);
  });
});
