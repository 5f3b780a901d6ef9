// Client-caused log lines are rate-limited per reason: the module on its own with a short interval, then a
// flood of refused requests against a real server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRateLimitedLog } from '../../server/core/rate-limited-log.ts';
import type { Logger } from '../../server/types.ts';
import { eventually, parseRawResponse, rawExchange, withTestServer } from './harness.ts';

function capture(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const push = (message: string): void => {
    lines.push(message);
  };
  return { logger: { info: push, warn: push, error: push }, lines };
}

test('one line per reason per interval, then the count of the ones held back', async () => {
  const { logger, lines } = capture();
  const log = createRateLimitedLog(logger, 300);
  for (let i = 0; i < 50; i++) log.warn('refused', `refused #${i}`);
  log.warn('other', 'another reason');
  assert.deepEqual(lines, ['refused #0', 'another reason']);
  await eventually(() => lines.length === 3, 5000, 'the window closed');
  assert.equal(lines[2], 'refused #49 (49 more suppressed in the last 300 ms)');
  // A steady flood keeps giving one line per window.
  log.warn('refused', 'refused again');
  log.warn('refused', 'refused again 2');
  await eventually(() => lines.length === 4, 5000, 'the next window closed');
  assert.match(lines[3] ?? '', /^refused again 2 \(2 more suppressed/);
  // Quiet windows end the state: the next line goes out at once.
  await new Promise((resolve) => setTimeout(resolve, 700));
  log.warn('refused', 'after a pause');
  assert.equal(lines.at(-1), 'after a pause');
  log.warn('refused', 'held');
  log.close();
  assert.match(lines.at(-1) ?? '', /^held \(1 more suppressed/, 'close() writes out what was held');
});

test('200 refused requests give two log lines, not 200', async () => {
  const { logger, lines } = capture();
  await withTestServer({ auth: false, logger }, async (server) => {
    for (let i = 0; i < 200; i++) {
      const raw = parseRawResponse(
        await rawExchange(
          server.port,
          `GET /status.json HTTP/1.1\r\nHost: rebound-${i}.example\r\nConnection: close\r\n\r\n`,
        ),
      );
      assert.match(raw.statusLine, /^HTTP\/1\.1 403/);
    }
  });
  const hostLines = lines.filter((line) => line.includes('for host'));
  assert.equal(hostLines.length, 2, hostLines.join('\n'));
  assert.match(hostLines[0] ?? '', /rebound-0\.example/);
  assert.match(
    hostLines[1] ?? '',
    /rebound-199\.example.*\(199 more suppressed in the last 10 s\)/,
  );
});

test('error-level reasons stay at error level, counted the same way', () => {
  const levels: string[] = [];
  const logger: Logger = {
    info: (message) => levels.push(`info ${message}`),
    warn: (message) => levels.push(`warn ${message}`),
    error: (message) => levels.push(`error ${message}`),
  };
  const log = createRateLimitedLog(logger, 60_000);
  log.error('request-failed', 'boom 1');
  log.error('request-failed', 'boom 2');
  log.warn('refused', 'no');
  log.close();
  assert.deepEqual(levels, [
    'error boom 1',
    'warn no',
    'error boom 2 (1 more suppressed in the last 60 s)',
  ]);
});
