// Control window entry: finds the bridge, detects the platform for error help, starts the controller.
import { BroadcastController } from './broadcast-controller.ts';
import { platformOf } from './camera-errors.ts';

function platformHint(): string {
  const data: unknown = Reflect.get(navigator, 'userAgentData');
  if (
    typeof data === 'object' &&
    data !== null &&
    'platform' in data &&
    typeof data.platform === 'string'
  ) {
    return data.platform;
  }
  return navigator.userAgent;
}

function main(): void {
  const controller = new BroadcastController(window.lancam, platformOf(platformHint()));
  controller.init().catch((error: unknown) => {
    console.error('LanCam control window failed to start', error);
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', main);
else main();
