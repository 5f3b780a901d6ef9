// app:// request resolution of electron/main/bundle-path.ts: GET only, our host only, no path escape.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, resolveBundleRequest } from '../../electron/main/bundle-path.ts';

const root = path.resolve('/srv/lancam/out/renderer');

describe('resolveBundleRequest', () => {
  it('maps pages and scripts under the root, with their content type', () => {
    assert.deepEqual(resolveBundleRequest('GET', 'app://bundle/control-window.html', root), {
      kind: 'file',
      filePath: path.join(root, 'control-window.html'),
      contentType: 'text/html; charset=utf-8',
    });
    const script = resolveBundleRequest('GET', 'app://bundle/capture-worker.js?v=1#x', root);
    assert.equal(script.kind === 'file' && script.filePath, path.join(root, 'capture-worker.js'));
    const index = resolveBundleRequest('GET', 'app://bundle/', root);
    assert.equal(index.kind === 'file' && index.filePath, path.join(root, 'control-window.html'));
    const nested = resolveBundleRequest('GET', 'app://bundle/img/a%20b.png', root);
    assert.equal(nested.kind === 'file' && nested.filePath, path.join(root, 'img', 'a b.png'));
  });

  it('refuses every method but GET', () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS']) {
      assert.deepEqual(resolveBundleRequest(method, 'app://bundle/control-window.html', root), {
        kind: 'reject',
        status: 405,
        reason: `method ${method}`,
      });
    }
  });

  it('never resolves outside the root', () => {
    const escapes = [
      'app://bundle/../main/index.cjs',
      'app://bundle/%2e%2e/main/index.cjs',
      'app://bundle/%2E%2E%2Fmain%2Findex.cjs',
      'app://bundle/a/%2e%2e/%2e%2e/secret.js',
      'app://bundle/..%5cmain%5cindex.cjs',
      'app://bundle/%5c..%5c..%5cwindows%5cwin.ini',
      'app://bundle/control-window.html%00.js',
      'app://bundle/%E0%A4%A',
      'app://bundle//etc/passwd.js',
    ];
    for (const url of escapes) {
      const resolved = resolveBundleRequest('GET', url, root);
      if (resolved.kind === 'file') {
        assert.ok(resolved.filePath.startsWith(root + path.sep), `${url} → ${resolved.filePath}`);
      } else {
        assert.ok([400, 403, 404].includes(resolved.status), url);
      }
    }
  });

  it('refuses other hosts and schemes, and unknown file types', () => {
    assert.equal(
      resolveBundleRequest('GET', 'app://evil/control-window.html', root).kind,
      'reject',
    );
    assert.equal(
      resolveBundleRequest('GET', 'file:///srv/lancam/out/renderer/control-window.html', root).kind,
      'reject',
    );
    assert.deepEqual(resolveBundleRequest('GET', 'app://bundle/tsconfig', root), {
      kind: 'reject',
      status: 404,
      reason: 'unknown file type',
    });
  });
});

describe('content security policy header', () => {
  it('has no inline or eval sources and only self for scripts', () => {
    assert.doesNotMatch(contentSecurityPolicy, /unsafe-inline|unsafe-eval|\*/);
    assert.match(contentSecurityPolicy, /default-src 'none'/);
    assert.match(contentSecurityPolicy, /script-src 'self'(;|$)/);
    assert.match(contentSecurityPolicy, /media-src 'self' blob: mediastream:/);
  });
});
