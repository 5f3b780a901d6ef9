// Navigation, sender-origin, open-in-browser and preview URL predicates of electron/main/url-guards.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  appOrigin,
  isAllowedNavigation,
  isAppBundleUrl,
  isLocalViewerUrl,
  isSafeExternalUrl,
  localViewerUrl,
  originOf,
} from '../../electron/main/url-guards.ts';

describe('app bundle URLs', () => {
  it('recognises app://bundle/ pages only', () => {
    assert.equal(appOrigin, 'app://bundle');
    assert.equal(isAppBundleUrl('app://bundle/control-window.html'), true);
    assert.equal(isAppBundleUrl('app://bundle/'), true);
    for (const url of [
      'app://evil/control-window.html',
      'app://user:pass@bundle/control-window.html',
      'https://bundle/control-window.html',
      'file:///app/out/renderer/control-window.html',
      'http://127.0.0.1:8080/',
      'javascript:alert(1)',
      'not a url',
      '',
    ]) {
      assert.equal(isAppBundleUrl(url), false, url);
      assert.equal(isAllowedNavigation(url), false, url);
    }
  });

  it('the preview window may navigate within its own local server only', () => {
    const viewer = 'http://127.0.0.1:8080/?key=abc';
    assert.equal(isAllowedNavigation('http://127.0.0.1:8080/?key=def', viewer), true);
    assert.equal(isAllowedNavigation('http://127.0.0.1:8081/', viewer), false);
    assert.equal(isAllowedNavigation('http://192.168.1.9:8080/', viewer), false);
    assert.equal(isAllowedNavigation('https://example.com/', viewer), false);
    assert.equal(
      isAllowedNavigation('http://127.0.0.1:8080/', 'app://bundle/control-window.html'),
      false,
    );
    assert.equal(isAllowedNavigation('http://127.0.0.1:8080/', 'https://127.0.0.1:8080/'), false);
  });

  it('originOf rebuilds app:// origins that Node reports as "null"', () => {
    assert.equal(new URL('app://bundle/x').origin, 'null');
    assert.equal(originOf('app://bundle/x.html?y#z'), 'app://bundle');
    assert.equal(originOf('http://127.0.0.1:9000/a'), 'http://127.0.0.1:9000');
    assert.equal(originOf('data:text/html,hi'), null);
    assert.equal(originOf('::'), null);
  });
});

describe('open in browser', () => {
  it('allows http and https with a host', () => {
    assert.equal(isSafeExternalUrl('http://192.168.1.20:8080/?key=abc'), true);
    assert.equal(isSafeExternalUrl('https://github.com/lancam'), true);
  });

  it('refuses every other scheme and credentials in the URL', () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'app://bundle/control-window.html',
      'vscode://open?file=x',
      'ms-msdt:/id PCWDiagnostic',
      'http://user:pw@example.com/',
      'mailto:a@b.c',
      'http:/',
      '',
    ]) {
      assert.equal(isSafeExternalUrl(url), false, url);
    }
  });
});

describe('preview window URL', () => {
  it('is the local viewer page with the key, or without one in open mode', () => {
    assert.equal(localViewerUrl(8080, 'k_-9AZ'), 'http://127.0.0.1:8080/?key=k_-9AZ');
    assert.equal(localViewerUrl(9000, null), 'http://127.0.0.1:9000/');
    assert.equal(isLocalViewerUrl('http://127.0.0.1:8080/stream.mjpg', 8080), true);
    assert.equal(isLocalViewerUrl('http://127.0.0.1:8081/', 8080), false);
    assert.equal(isLocalViewerUrl('http://192.168.1.2:8080/', 8080), false);
  });
});
