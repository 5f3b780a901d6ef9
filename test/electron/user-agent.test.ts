// describeUserAgent with real User-Agent strings as the devices and tools people watch with send them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeUserAgent } from '../../electron/main/user-agent.ts';

const cases: readonly (readonly [string, string])[] = [
  // RTSP clients (listed with the viewers).
  ['LibVLC/3.0.21 (LIVE555 Streaming Media v2016.11.28)', 'VLC'],
  ['go2rtc/1.9.4', 'go2rtc'],
  ['gortsplib', 'MediaMTX'],
  ['Lavf60.16.100', 'ffmpeg'],
  [
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    'iPhone · Safari',
  ],
  [
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
    'Android phone · Chrome',
  ],
  [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0',
    'Windows PC · Edge',
  ],
  [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    'Windows PC · Chrome',
  ],
  [
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
    'Mac · Safari',
  ],
  [
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0',
    'Mac · Firefox',
  ],
  ['VLC/3.0.20 LibVLC/3.0.20', 'VLC'],
  ['Lavf/60.16.100', 'ffmpeg'],
  ['curl/8.5.0', 'curl'],
  [
    'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1',
    'iPad · Chrome',
  ],
  [
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    'Linux PC · Chrome',
  ],
  ['', 'Unknown app'],
  ['MyRecorder/2.1 (custom)', 'MyRecorder'],
];

for (const [userAgent, expected] of cases) {
  test(`${expected} from ${userAgent.slice(0, 40) || '(empty)'}`, () => {
    assert.equal(describeUserAgent(userAgent), expected);
  });
}
