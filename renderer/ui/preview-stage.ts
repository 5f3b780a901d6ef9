// The preview as viewers get it: the video turned and mirrored like the encoder does (frame-geometry.ts),
// boxed to the output's shape, with the time & name overlay laid out by the encoder's own rule.
import type { Rotation } from '../../electron/ipc.ts';
import { outputSize, type Size } from '../shared/frame-geometry.ts';
import { overlayFont, overlayLayout } from '../shared/overlay-layout.ts';
import { overlayText } from '../shared/overlay-text.ts';
import { byId } from './dom.ts';

export interface PreviewLook {
  readonly rotation: Rotation;
  readonly mirror: boolean;
  /** The overlay's name, or null when the overlay is off. */
  readonly overlayName: string | null;
}

export class PreviewStage {
  readonly #stage = byId('stage', HTMLElement);
  readonly #frame = byId('preview-frame', HTMLElement);
  readonly #video = byId('preview', HTMLVideoElement);
  readonly #overlay = byId('preview-overlay', HTMLElement);
  readonly #measure = new OffscreenCanvas(1, 1).getContext('2d');
  #look: PreviewLook = { rotation: 0, mirror: false, overlayName: null };

  constructor() {
    new ResizeObserver(() => {
      this.update();
    }).observe(this.#stage);
    this.#video.addEventListener('loadedmetadata', () => {
      this.update();
    });
    this.#video.addEventListener('resize', () => {
      this.update();
    });
  }

  get video(): HTMLVideoElement {
    return this.#video;
  }

  /** The encoded frame size for the camera's current size, or null before the camera delivers. */
  get outputSize(): Size | null {
    const source = this.#sourceSize();
    return source ? outputSize(source, this.#look.rotation) : null;
  }

  setLook(look: PreviewLook): void {
    this.#look = look;
    this.update();
  }

  /** Re-lays the frame (and the overlay clock); cheap enough for every stats tick. */
  update(): void {
    const source = this.#sourceSize();
    const out = this.outputSize;
    if (!source || !out) {
      this.#frame.style.width = '100%';
      this.#frame.style.height = '100%';
      this.#overlay.hidden = true;
      return;
    }
    const stageWidth = this.#stage.clientWidth;
    const stageHeight = this.#stage.clientHeight;
    const scale = Math.min(stageWidth / out.width, stageHeight / out.height);
    const frameWidth = out.width * scale;
    const frameHeight = out.height * scale;
    this.#frame.style.width = `${frameWidth}px`;
    this.#frame.style.height = `${frameHeight}px`;
    const { rotation, mirror } = this.#look;
    const isTurned = rotation === 90 || rotation === 270;
    // The video keeps the source's shape; turned, its width lies along the frame's height.
    this.#video.style.width = `${isTurned ? frameHeight : frameWidth}px`;
    this.#video.style.height = `${isTurned ? frameWidth : frameHeight}px`;
    // CSS applies the right-most function first: mirror, then rotate clockwise, as frameTransform does.
    this.#video.style.transform =
      `translate(-50%, -50%) rotate(${rotation}deg)` + (mirror ? ' scaleX(-1)' : '');
    this.#renderOverlay(out, scale);
  }

  #renderOverlay(out: Size, scale: number): void {
    const name = this.#look.overlayName;
    this.#overlay.hidden = name === null || this.#measure === null;
    if (name === null || this.#measure === null) return;
    const text = overlayText(name, new Date());
    this.#measure.font = overlayFont(100);
    const layout = overlayLayout(out, this.#measure.measureText(text).width / 100);
    const style = this.#overlay.style;
    style.left = `${layout.pad * scale}px`;
    style.top = `${layout.pad * scale}px`;
    style.width = `${layout.boxWidth * scale}px`;
    style.height = `${layout.boxHeight * scale}px`;
    style.fontSize = `${layout.fontPx * scale}px`;
    style.paddingLeft = `${(layout.textX - layout.pad) * scale}px`;
    style.paddingTop = `${(layout.textY - layout.pad) * scale}px`;
    this.#overlay.textContent = text;
  }

  #sourceSize(): Size | null {
    const { videoWidth: width, videoHeight: height } = this.#video;
    return width > 0 && height > 0 ? { width, height } : null;
  }
}
