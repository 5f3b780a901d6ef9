// The RTSP server at the protocol level over real sockets: auth (Basic, Digest, lockout shared with HTTP),
// error statuses for malformed or out-of-order requests, SDP, keyframe requests, consumer count, status,
// ports.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import net from 'node:net';
import { before, test } from 'node:test';
import { startBroadcastServer } from '../../server/index.ts';
import type { BroadcastServer } from '../../server/types.ts';
import type { VideoClip } from '../../server/cli/video-source.ts';
import { splitAnnexB } from '../../server/video/annex-b.ts';
import { loadClip, makeH264Clip, startVideoPublisher } from '../helpers/h264-clip.ts';
import { RtspTestClient } from '../helpers/rtsp-client.ts';
import {
  eventually,
  openStream,
  quietLogger,
  rawExchange,
  startTestServer,
  withKey,
} from './harness.ts';

let clip: VideoClip;
before(async () => {
  clip = await loadClip(makeH264Clip({ size: '320x240', seconds: 2 }).mp4);
});

async function withServer(
  body: (server: BroadcastServer, url: string) => Promise<void>,
  options: Parameters<typeof startTestServer>[0] = {},
): Promise<void> {
  const server = await startTestServer({ rtspPort: 0, ...options });
  const stop = startVideoPublisher(server, clip);
  try {
    await body(server, `rtsp://127.0.0.1:${server.rtspPort ?? 0}/live`);
  } finally {
    stop();
    await server.close();
  }
}

const basic = (key: string): Record<string, string> => ({
  Authorization: `Basic ${Buffer.from(`viewer:${key}`).toString('base64')}`,
});
const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

function digest(challenge: string, method: string, uri: string, key: string): string {
  const nonce = /nonce="([^"]+)"/.exec(challenge)?.[1] ?? '';
  const response = md5(`${md5(`viewer:LanCam:${key}`)}:${nonce}:${md5(`${method}:${uri}`)}`);
  return `Digest username="viewer", realm="LanCam", nonce="${nonce}", uri="${uri}", response="${response}"`;
}

test('OPTIONS needs no key; DESCRIBE without one gets 401 offering Digest then Basic', async () => {
  await withServer(async (server, url) => {
    const client = await RtspTestClient.connect(server.rtspPort ?? 0);
    const options = await client.request('OPTIONS', '*');
    assert.equal(options.status, 200);
    assert.match(options.headers.get('public')?.[0] ?? '', /DESCRIBE.*SETUP.*PLAY.*TEARDOWN/);
    assert.match(options.headers.get('public')?.[0] ?? '', /GET_PARAMETER/);
    const describe = await client.request('DESCRIBE', url);
    assert.equal(describe.status, 401);
    const challenges = describe.headers.get('www-authenticate') ?? [];
    assert.equal(challenges.length, 2);
    assert.match(challenges[0] ?? '', /^Digest realm="LanCam", nonce="[0-9a-f]+"/);
    assert.equal(challenges[1], 'Basic realm="LanCam"');
    client.close();
  });
});

test('Basic and Digest with the key get the SDP; wrong keys, forged nonces and a wrong realm get 401', async () => {
  await withServer(async (server, url) => {
    const key = server.key ?? '';
    const client = await RtspTestClient.connect(server.rtspPort ?? 0);
    assert.equal((await client.request('DESCRIBE', url, basic('wrong'))).status, 401);
    const first = await client.request('DESCRIBE', url);
    const challenge = first.headers.get('www-authenticate')?.[0] ?? '';
    const wrong = await client.request('DESCRIBE', url, {
      Authorization: digest(challenge, 'DESCRIBE', url, 'wrong'),
    });
    assert.equal(wrong.status, 401);
    const forged = digest(
      challenge.replace(/nonce="[0-9a-f]{4}/, 'nonce="0000'),
      'DESCRIBE',
      url,
      key,
    );
    assert.equal((await client.request('DESCRIBE', url, { Authorization: forged })).status, 401);
    const otherRealm = digest(challenge, 'DESCRIBE', url, key).replace(
      'realm="LanCam"',
      'realm="x"',
    );
    assert.equal(
      (await client.request('DESCRIBE', url, { Authorization: otherRealm })).status,
      401,
    );
    const ok = await client.request('DESCRIBE', url, {
      Authorization: digest(challenge, 'DESCRIBE', url, key),
    });
    assert.equal(ok.status, 200);
    client.close();

    const basicClient = await RtspTestClient.connect(server.rtspPort ?? 0);
    const described = await basicClient.request('DESCRIBE', url, basic(key));
    assert.equal(described.status, 200);
    assert.equal(described.headers.get('content-type')?.[0], 'application/sdp');
    assert.equal(described.headers.get('content-base')?.[0], `${url}/`);
    const sdp = described.body.toString();
    const [sps, pps] = splitAnnexB(clip.units[0]!.data);
    assert.match(sdp, /^m=video 0 RTP\/AVP 96$/m);
    assert.match(sdp, /^a=rtpmap:96 H264\/90000$/m);
    assert.ok(
      sdp.includes(
        `sprop-parameter-sets=${Buffer.from(sps!).toString('base64')},${Buffer.from(pps!).toString('base64')}`,
      ),
      sdp,
    );
    assert.ok(
      sdp.includes(
        `profile-level-id=${Buffer.from(sps!.subarray(1, 4)).toString('hex').toUpperCase()}`,
      ),
    );
    assert.match(sdp, /packetization-mode=1/);
    basicClient.close();

    // ?key= in the URL works too, for NVRs that cannot send credentials.
    const queryClient = await RtspTestClient.connect(server.rtspPort ?? 0);
    const byQuery = await queryClient.request('DESCRIBE', `${url}?key=${encodeURIComponent(key)}`);
    assert.equal(byQuery.status, 200);
    queryClient.close();
  });
});

test('wrong keys lock the address out of RTSP and HTTP alike (one shared gate)', async () => {
  // A short custom key: the lockout refuses everything from the address, even the right key.
  await withServer(
    async (server, url) => {
      const client = await RtspTestClient.connect(server.rtspPort ?? 0);
      for (let i = 0; i < 10; i++) {
        assert.equal((await client.request('DESCRIBE', url, basic(`wrong-${i}`))).status, 401);
      }
      assert.equal((await client.request('DESCRIBE', url, basic(server.key ?? ''))).status, 403);
      const http = await fetch(withKey(server, '/status.json'));
      assert.equal(http.status, 429);
      await http.body?.cancel();
      client.close();
    },
    { key: 'short-key' },
  );
  // The generated (strong) key: wrong keys are refused, the right one still passes, on both protocols.
  await withServer(async (server, url) => {
    const client = await RtspTestClient.connect(server.rtspPort ?? 0);
    for (let i = 0; i < 10; i++) {
      assert.equal((await client.request('DESCRIBE', url, basic(`wrong-${i}`))).status, 401);
    }
    assert.equal((await client.request('DESCRIBE', url, basic('wrong-again'))).status, 403);
    assert.equal((await client.request('DESCRIBE', url, basic(server.key ?? ''))).status, 200);
    const http = await fetch(withKey(server, '/status.json'));
    assert.equal(http.status, 200);
    await http.body?.cancel();
    client.close();
  });
});

test('malformed and out-of-order requests get RTSP error statuses, and the server keeps serving', async () => {
  await withServer(async (server, url) => {
    const port = server.rtspPort ?? 0;
    const auth = basic(server.key ?? '');
    const statusOf = async (request: string | Buffer): Promise<string> => {
      const bytes = await rawExchange(port, request, { timeoutMs: 2000 });
      return bytes.toString('latin1').split('\r\n')[0] ?? '';
    };
    assert.equal(
      await statusOf(Buffer.from([0x16, 3, 1, 0, 0xff, 1, 2, 3, 10])),
      'RTSP/1.0 400 Bad Request',
    );
    assert.equal(await statusOf('hello there\r\n\r\n'), 'RTSP/1.0 400 Bad Request');
    assert.equal(
      await statusOf(`OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nX: ${'a'.repeat(20_000)}\r\n\r\n`),
      'RTSP/1.0 400 Bad Request',
    );
    assert.equal(
      await statusOf('OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nContent-Length: x\r\n\r\n'),
      'RTSP/1.0 400 Bad Request',
    );
    assert.equal(await statusOf('OPTIONS * RTSP/1.0\r\n\r\n'), 'RTSP/1.0 400 Bad Request');
    assert.equal(
      await statusOf('OPTIONS * RTSP/2.0\r\nCSeq: 1\r\n\r\n'),
      'RTSP/1.0 505 RTSP Version not supported',
    );

    const client = await RtspTestClient.connect(port);
    assert.equal((await client.request('FROBNICATE', url, auth)).status, 501);
    const required = await client.request('OPTIONS', url, { Require: 'funky-feature' });
    assert.equal(required.status, 551);
    assert.equal(required.headers.get('unsupported')?.[0], 'funky-feature');
    assert.equal((await client.request('ANNOUNCE', url, auth)).status, 405);
    assert.equal((await client.request('RECORD', url, auth)).status, 405);
    assert.equal(
      (await client.request('DESCRIBE', `rtsp://127.0.0.1:${port}/nope`, auth)).status,
      404,
    );
    assert.equal((await client.request('DESCRIBE', 'http://[bad', auth)).status, 400);
    assert.equal((await client.request('PLAY', url, auth)).status, 455, 'PLAY before SETUP');
    assert.equal((await client.request('PLAY', url, { ...auth, Session: 'abc' })).status, 454);
    const multicast = await client.request('SETUP', `${url}/trackID=0`, {
      ...auth,
      Transport: 'RTP/AVP;multicast;port=5000-5001',
    });
    assert.equal(multicast.status, 461);
    assert.equal(
      (
        await client.request('SETUP', `${url}/trackID=0`, {
          ...auth,
          Transport: 'RTP/SAVP;unicast',
        })
      ).status,
      461,
    );
    const setup = await client.request('SETUP', `${url}/trackID=0`, {
      ...auth,
      Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1',
    });
    assert.equal(setup.status, 200);
    const session = (setup.headers.get('session')?.[0] ?? '').split(';')[0] ?? '';
    assert.match(setup.headers.get('session')?.[0] ?? '', /;timeout=60$/);
    assert.equal(
      (
        await client.request('SETUP', `${url}/trackID=0`, {
          ...auth,
          Session: session,
          Transport: 'RTP/AVP/TCP;interleaved=2-3',
        })
      ).status,
      459,
    );
    assert.equal((await client.request('PLAY', url, { ...auth, Session: 'other' })).status, 454);
    assert.equal(
      (await client.request('GET_PARAMETER', url, { ...auth, Session: session })).status,
      200,
    );
    assert.equal(
      (await client.request('TEARDOWN', url, { ...auth, Session: session })).status,
      200,
    );
    assert.equal(
      (await client.request('TEARDOWN', url, { ...auth, Session: session })).status,
      454,
    );
    client.close();

    const healthy = await RtspTestClient.connect(port);
    await healthy.play(url, server.key);
    await eventually(() => healthy.accessUnits >= 10, 10_000, '10 access units after the abuse');
    healthy.close();
  });
});

test('UDP SETUP answers with the server port pair; RTP arrives on the client port', async () => {
  await withServer(async (server, url) => {
    const { createSocket } = await import('node:dgram');
    const rtp = createSocket('udp4');
    await new Promise<void>((resolve) => rtp.bind(0, '127.0.0.1', resolve));
    const rtpPort = rtp.address().port;
    let packets = 0;
    let markers = 0;
    rtp.on('message', (message) => {
      packets += 1;
      if (((message[1] ?? 0) & 0x80) !== 0) markers += 1;
    });
    const client = await RtspTestClient.connect(server.rtspPort ?? 0);
    const auth = basic(server.key ?? '');
    const setup = await client.request('SETUP', `${url}/trackID=0`, {
      ...auth,
      Transport: `RTP/AVP;unicast;client_port=${rtpPort}-${rtpPort + 1}`,
    });
    assert.equal(setup.status, 200);
    const transport = setup.headers.get('transport')?.[0] ?? '';
    const serverPorts = /server_port=(\d+)-(\d+)/.exec(transport);
    assert.ok(serverPorts, transport);
    assert.equal(Number(serverPorts[2]), Number(serverPorts[1]) + 1);
    assert.equal(Number(serverPorts[1]) % 2, 0, 'RTP on an even port');
    const session = (setup.headers.get('session')?.[0] ?? '').split(';')[0] ?? '';
    const play = await client.request('PLAY', url, { ...auth, Session: session });
    assert.equal(play.status, 200);
    assert.match(play.headers.get('rtp-info')?.[0] ?? '', /url=.*\/trackID=0;seq=\d+;rtptime=\d+/);
    await eventually(() => markers >= 30, 10_000, '30 access units over UDP');
    assert.ok(packets >= markers);
    const [stats] = server.status().rtspClients ?? [];
    assert.equal(stats?.transport, 'udp');
    client.close();
    rtp.close();
  });
});

test('a joining client asks for a keyframe, counts as a consumer, and shows in the status', async () => {
  await withServer(async (server, url) => {
    let requests = 0;
    const off = server.onKeyframeRequest(() => (requests += 1));
    assert.equal(server.videoConsumers, 0);
    const client = await RtspTestClient.connect(server.rtspPort ?? 0);
    const session = await client.play(url, server.key);
    await eventually(() => client.accessUnits >= 15, 10_000, 'access units');
    assert.equal(server.videoConsumers, 1);
    assert.ok(requests >= 1, 'keyframe requested on join');
    assert.equal(client.sequenceJumps, 0, 'contiguous RTP sequence numbers');
    assert.equal(
      client.unitFirstNalTypes[0],
      7,
      'the first unit is a keyframe, opening with its SPS',
    );
    assert.ok(client.rtcpPackets >= 1, 'an RTCP sender report arrived');
    const status = server.status();
    const [entry] = status.rtspClients ?? [];
    assert.equal(entry?.protocol, 'rtsp');
    assert.equal(entry.transport, 'tcp');
    assert.equal(entry.address, '127.0.0.1');
    assert.equal(entry.userAgent, 'lancam-test');
    assert.ok(entry.bytesSent > 0 && entry.framesSent >= 15);
    assert.equal(status.videoConsumers, 1);
    const json = (await (await fetch(withKey(server, '/status.json'))).json()) as {
      rtspClients: { protocol: string }[];
    };
    assert.equal(json.rtspClients[0]?.protocol, 'rtsp');
    const auth = basic(server.key ?? '');
    assert.equal((await client.request('PAUSE', url, { ...auth, Session: session })).status, 200);
    await eventually(() => server.videoConsumers === 0, 5000, 'a paused session is no consumer');
    const unitsAtPause = client.unitFirstNalTypes.length;
    assert.equal((await client.request('PLAY', url, { ...auth, Session: session })).status, 200);
    await eventually(
      () => client.unitFirstNalTypes.length > unitsAtPause,
      10_000,
      'units after PLAY',
    );
    assert.equal(client.unitFirstNalTypes[unitsAtPause], 7, 'resumes at a keyframe');
    assert.equal(
      (await client.request('TEARDOWN', url, { ...auth, Session: session })).status,
      200,
    );
    await eventually(() => server.videoConsumers === 0, 5000, 'consumer gone after TEARDOWN');
    off();
    client.close();
  });
});

test('DESCRIBE before any video waits for the keyframe it asked for', async () => {
  const server = await startTestServer({ rtspPort: 0 });
  try {
    // The encoder starts when asked, as the renderer's does when a consumer joins.
    server.onKeyframeRequest(() => {
      const unit = clip.units[0]!;
      setTimeout(() => server.publishVideo({ data: unit.data, isKey: true, timestampUs: 0 }), 100);
    });
    const client = await RtspTestClient.connect(server.rtspPort ?? 0);
    const url = `rtsp://127.0.0.1:${server.rtspPort ?? 0}/stream`;
    const described = await client.request('DESCRIBE', url, basic(server.key ?? ''));
    assert.equal(described.status, 200);
    assert.match(described.body.toString(), /sprop-parameter-sets=/);
    client.close();
  } finally {
    await server.close();
  }
});

test('ports: 8554 by default with fallback, an explicit busy port is a clear error, rtsp: false', async () => {
  const first = await startTestServer();
  try {
    assert.ok((first.rtspPort ?? 0) >= 8554, `default from 8554, got ${first.rtspPort}`);
    assert.match(
      first.rtspUrls[0] ?? '',
      new RegExp(`^rtsp://viewer:[^@]+@127\\.0\\.0\\.1:${first.rtspPort}/live$`),
    );
    await assert.rejects(
      startTestServer({ rtspPort: first.rtspPort ?? 0 }),
      new RegExp(`Port ${first.rtspPort} is already in use`),
    );
    const second = await startTestServer();
    assert.notEqual(second.rtspPort, first.rtspPort, 'falls back to the next free port');
    await second.close();
  } finally {
    await first.close();
  }
  const off = await startTestServer({ rtsp: false });
  assert.equal(off.rtspPort, null);
  assert.deepEqual(off.rtspUrls, []);
  assert.equal(off.publishVideo({ data: clip.units[0]!.data, isKey: true, timestampUs: 0 }), true);
  await off.close();
  const open = await startBroadcastServer({
    host: '127.0.0.1',
    port: 0,
    rtspPort: 0,
    auth: false,
    logger: quietLogger,
  });
  assert.match(open.rtspUrls[0] ?? '', /^rtsp:\/\/127\.0\.0\.1:\d+\/live$/);
  await open.close();
  const probe = net.connect(open.rtspPort ?? 0, '127.0.0.1');
  const refused = await new Promise<boolean>((resolve) => {
    probe.once('error', () => {
      resolve(true);
    });
    probe.once('connect', () => {
      resolve(false);
    });
  });
  probe.destroy();
  assert.equal(refused, true, 'close() frees the RTSP port');
});

test('with an encoder that honours keyframe requests, a new client starts at once despite a long GOP', async () => {
  // One keyframe in 10 s: without the request a joining client would wait up to that long.
  const longGop = await loadClip(makeH264Clip({ size: '320x240', seconds: 10, gop: 300 }).mp4);
  const server = await startTestServer({ rtspPort: 0 });
  let isKeyWanted = true;
  server.onKeyframeRequest(() => (isKeyWanted = true));
  let index = 0;
  const timer = setInterval(() => {
    // A stand-in encoder: the next unit is a keyframe when one was asked for, else the clip's next delta.
    const unit = isKeyWanted ? longGop.units[0]! : longGop.units[1 + (index % 200)]!;
    server.publishVideo({ data: unit.data, isKey: isKeyWanted, timestampUs: index * 33_333 });
    isKeyWanted = false;
    index += 1;
  }, 33);
  try {
    await eventually(() => index > 60, 10_000, 'two seconds of video');
    const client = await RtspTestClient.connect(server.rtspPort ?? 0);
    const url = `rtsp://127.0.0.1:${server.rtspPort ?? 0}/live`;
    await client.play(url, server.key);
    const playedAtMs = Date.now();
    await eventually(() => client.accessUnits > 0, 5000, 'a first unit well before the next GOP');
    assert.equal(client.unitFirstNalTypes[0], 7, 'it is a keyframe');
    const waitedMs = (client.unitTimesMs[0] ?? Infinity) - playedAtMs;
    // The target is 0.5 s; the bound here only has to be far below the 10 s GOP on a busy machine.
    assert.ok(waitedMs < 3000, `first keyframe ${waitedMs} ms after PLAY`);
    client.close();
  } finally {
    clearInterval(timer);
    await server.close();
  }
});

test('disconnectViewer and disconnectAll end RTSP sessions too; RTSP ids never collide with viewer ids', async () => {
  await withServer(async (server, url) => {
    const viewer = await openStream(withKey(server, '/stream.mjpg'));
    const first = await RtspTestClient.connect(server.rtspPort ?? 0);
    const second = await RtspTestClient.connect(server.rtspPort ?? 0);
    await first.play(url, server.key);
    await second.play(url, server.key);
    await eventually(
      () =>
        (server.status().rtspClients ?? []).length === 2 && server.status().viewers.length === 1,
      10_000,
      'two RTSP clients and one MJPEG viewer',
    );
    const rtspIds = (server.status().rtspClients ?? []).map((client) => client.id);
    const viewerIds = server.status().viewers.map((entry) => entry.id);
    assert.equal(new Set([...rtspIds, ...viewerIds]).size, 3, 'one id space');
    const [firstId] = rtspIds;
    assert.equal(server.disconnectViewer(firstId ?? -1), true);
    await first.closed;
    await eventually(() => (server.status().rtspClients ?? []).length === 1, 5000, 'one left');
    const unitsBefore = second.accessUnits;
    await eventually(() => second.accessUnits > unitsBefore + 5, 10_000, 'the other plays on');
    assert.equal(server.disconnectViewer(firstId ?? -1), false, 'already gone');
    assert.equal(server.disconnectAll(), 2, 'the MJPEG viewer and the second RTSP client');
    await second.closed;
    await eventually(() => server.videoConsumers === 0, 5000, 'no consumer left');
    viewer.close();
  });
});
