import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  maskKeyInUrl,
  noH264Message,
  shareEndpoints,
  shareLines,
  videoShareLines,
} from '../../renderer/share-lines.ts';

const url = 'http://192.168.1.20:8080/?key=Abc-123_x';

describe('share lines', () => {
  it('derives the endpoints with the key', () => {
    assert.deepEqual(shareEndpoints(url), {
      page: url,
      stream: 'http://192.168.1.20:8080/stream.mjpg?key=Abc-123_x',
      snapshot: 'http://192.168.1.20:8080/snapshot.jpg?key=Abc-123_x',
      octoStream: 'http://192.168.1.20:8080/?action=stream&key=Abc-123_x',
      octoSnapshot: 'http://192.168.1.20:8080/?action=snapshot&key=Abc-123_x',
    });
  });

  it('works in open mode (no key)', () => {
    assert.equal(
      shareEndpoints('http://cam.local:8081/').stream,
      'http://cam.local:8081/stream.mjpg',
    );
  });

  it('builds a line for every app people use', () => {
    const lines = new Map(shareLines(url).map((line) => [line.id, line.text]));
    assert.equal(
      lines.get('vlc'),
      'vlc --network-caching=100 "http://192.168.1.20:8080/stream.mjpg?key=Abc-123_x"',
    );
    assert.match(
      lines.get('ffmpeg') ?? '',
      /^ffmpeg .*-i "http:\/\/192\.168\.1\.20:8080\/stream\.mjpg\?key=Abc-123_x" /,
    );
    assert.equal(
      lines.get('opencv'),
      'cap = cv2.VideoCapture("http://192.168.1.20:8080/stream.mjpg?key=Abc-123_x")',
    );
    assert.equal(lines.get('ha-stream'), 'http://192.168.1.20:8080/stream.mjpg?key=Abc-123_x');
    assert.equal(lines.get('ha-still'), 'http://192.168.1.20:8080/snapshot.jpg?key=Abc-123_x');
    assert.equal(
      lines.get('octoprint-stream'),
      'http://192.168.1.20:8080/?action=stream&key=Abc-123_x',
    );
    assert.equal(
      lines.get('octoprint-snapshot'),
      'http://192.168.1.20:8080/?action=snapshot&key=Abc-123_x',
    );
  });

  it('masks the key for display only', () => {
    assert.equal(maskKeyInUrl(url), 'http://192.168.1.20:8080/?key=••••••••');
    assert.equal(
      maskKeyInUrl('vlc "http://h/?action=stream&key=abc"'),
      'vlc "http://h/?action=stream&key=••••••••"',
    );
    assert.equal(maskKeyInUrl('http://h/'), 'http://h/');
  });

  it('masks the key in RTSP user info too, and leaves an open-mode RTSP URL alone', () => {
    assert.equal(
      maskKeyInUrl('vlc "rtsp://viewer:Abc-123_x@192.168.1.20:8554/live"'),
      'vlc "rtsp://viewer:••••••••@192.168.1.20:8554/live"',
    );
    assert.equal(maskKeyInUrl('rtsp://192.168.1.20:8554/live'), 'rtsp://192.168.1.20:8554/live');
  });
});

describe('RTSP (H.264) share lines', () => {
  const rtsp = 'rtsp://viewer:Abc-123_x@192.168.1.20:8554/live';

  it('gives Home Assistant a stream source and a still image URL', () => {
    const lines = new Map(videoShareLines(rtsp, url).map((line) => [line.id, line.text]));
    assert.equal(lines.get('rtsp'), rtsp);
    assert.equal(lines.get('ha-stream-source'), rtsp);
    assert.equal(
      lines.get('ha-still-image'),
      'http://192.168.1.20:8080/snapshot.jpg?key=Abc-123_x',
    );
    assert.equal(lines.get('synology'), rtsp);
    assert.equal(lines.get('blue-iris'), rtsp);
  });

  it('writes Frigate and go2rtc YAML with the URL quoted, and player/record commands', () => {
    const lines = new Map(videoShareLines(rtsp, url).map((line) => [line.id, line.text]));
    assert.equal(
      lines.get('frigate'),
      [
        'cameras:',
        '  lancam:',
        '    ffmpeg:',
        '      inputs:',
        `        - path: "${rtsp}"`,
        '          input_args: preset-rtsp-generic',
        '          roles: [detect, record]',
      ].join('\n'),
    );
    assert.equal(lines.get('go2rtc'), `streams:\n  lancam: "${rtsp}"`);
    assert.equal(lines.get('vlc-rtsp'), `vlc --rtsp-tcp --network-caching=300 "${rtsp}"`);
    assert.equal(
      lines.get('ffmpeg-rtsp'),
      `ffmpeg -rtsp_transport tcp -i "${rtsp}" -c copy lancam.mp4`,
    );
  });

  it('names every app of issue 11 §5 once, and drops the still image without a share URL', () => {
    const ids = videoShareLines(rtsp, url).map((line) => line.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ['ha-stream-source', 'frigate', 'go2rtc', 'synology', 'blue-iris', 'vlc-rtsp'])
      assert.ok(ids.includes(id), id);
    assert.equal(
      videoShareLines(rtsp, null).some((line) => line.id === 'ha-still-image'),
      false,
    );
    for (const line of videoShareLines(rtsp, url)) assert.ok(line.hint.length > 0, line.id);
  });

  it('says plainly when there is no H.264 encoder, and nothing when there is', () => {
    assert.equal(noH264Message(null), null);
    const message = noH264Message('this system has no H.264 encoder for 1280×720.');
    assert.match(message ?? '', /^H\.264 is off: this system has no H\.264 encoder/);
    assert.match(message ?? '', /MJPEG stream and the viewer page work as usual/);
  });
});
