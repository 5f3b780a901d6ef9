import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskKeyInUrl, shareEndpoints, shareLines } from '../../renderer/share-lines.ts';

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
});
