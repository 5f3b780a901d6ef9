// The renderer side of screens as a source (renderer/screen-sources.ts) and its error help (camera-errors.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeScreenError } from '../../renderer/camera-errors.ts';
import {
  displayMediaOptions,
  isScreenSourceId,
  screenPickerEntry,
} from '../../renderer/screen-sources.ts';

describe('screen sources in the renderer', () => {
  it('tells screen and window ids from camera deviceIds', () => {
    assert.equal(isScreenSourceId('screen:0:0'), true);
    assert.equal(isScreenSourceId('window:77:0'), true);
    assert.equal(isScreenSourceId('9f86d081884c7d659a2feaa0c55ad015'), false);
    assert.equal(isScreenSourceId(null), false);
  });

  it('labels picker entries by kind', () => {
    assert.deepEqual(
      screenPickerEntry({ id: 'screen:0:0', name: 'Entire screen', kind: 'screen' }),
      {
        deviceId: 'screen:0:0',
        label: 'Screen: Entire screen',
      },
    );
    assert.equal(
      screenPickerEntry({ id: 'window:1:0', name: 'Notes', kind: 'window' }).label,
      'Window: Notes',
    );
  });

  it('asks for the screen scaled down to the preset, never up, and no audio', () => {
    assert.deepEqual(displayMediaOptions({ cameraId: 'screen:0:0', resolution: '720p', fps: 15 }), {
      video: { frameRate: { max: 15 }, width: { max: 1280 }, height: { max: 720 } },
      audio: false,
    });
    assert.deepEqual(displayMediaOptions({ cameraId: 'screen:0:0', resolution: 'max', fps: 30 }), {
      video: { frameRate: { max: 30 } },
      audio: false,
    });
  });

  it('explains screen failures, macOS Screen Recording included', () => {
    const mac = describeScreenError({ name: 'NotAllowedError' }, 'macos');
    assert.equal(mac.title, 'Screen recording is blocked');
    assert.match(mac.steps.join(' '), /Screen & System Audio Recording/);
    assert.equal(
      describeScreenError({ name: 'NotFoundError' }, 'windows').title,
      'That screen or window is gone',
    );
    assert.equal(describeScreenError(new Error('x'), 'linux').detail, 'x');
  });
});
