// The state pill, the big Start/Stop button, the preview stage and the error/notice area.
import type { BroadcastView } from '../broadcast-view.ts';
import type { CameraProblem } from '../camera-errors.ts';
import { byId } from './dom.ts';

export interface StatusViewHandlers {
  readonly toggle: () => void;
  readonly retry: () => void;
  readonly openPreview: () => void;
}

export class StatusView {
  readonly #state = byId('state', HTMLElement);
  readonly #stateLabel = byId('state-label', HTMLElement);
  readonly #toggle = byId('toggle', HTMLButtonElement);
  readonly #preview = byId('preview', HTMLVideoElement);
  readonly #placeholder = byId('stage-placeholder', HTMLElement);
  readonly #badge = byId('stage-badge', HTMLElement);
  readonly #message = byId('message', HTMLElement);
  readonly #messageTitle = byId('message-title', HTMLElement);
  readonly #messageDetail = byId('message-detail', HTMLElement);
  readonly #messageSteps = byId('message-steps', HTMLOListElement);
  readonly #retry = byId('message-retry', HTMLButtonElement);
  readonly #notice = byId('notice', HTMLElement);
  readonly #viewerPreview = byId('preview-as-viewer', HTMLButtonElement);

  constructor(handlers: StatusViewHandlers) {
    this.#toggle.addEventListener('click', handlers.toggle);
    this.#retry.addEventListener('click', handlers.retry);
    this.#viewerPreview.addEventListener('click', handlers.openPreview);
  }

  get preview(): HTMLVideoElement {
    return this.#preview;
  }

  render(
    view: BroadcastView,
    hasPicture: boolean,
    badge: string | null,
    isMirrored: boolean,
  ): void {
    this.#state.dataset.state = view.state;
    this.#stateLabel.textContent = view.label;
    document.title = view.state === 'live' ? 'LanCam · Live' : 'LanCam';
    this.#toggle.dataset.action = view.action;
    this.#toggle.textContent = view.action === 'start' ? 'Start broadcast' : 'Stop broadcast';
    this.#toggle.disabled = view.isActionBusy;
    this.#toggle.setAttribute('aria-busy', String(view.isActionBusy));
    this.#viewerPreview.disabled = view.state !== 'live' && view.state !== 'paused';
    this.#placeholder.hidden = hasPicture;
    this.#preview.classList.toggle('mirrored', isMirrored);
    this.#badge.hidden = badge === null;
    this.#badge.textContent = badge ?? '';
    this.#placeholderText(view.state);
  }

  showProblem(problem: CameraProblem | null, canRetry: boolean): void {
    this.#message.hidden = problem === null;
    if (!problem) return;
    this.#messageTitle.textContent = problem.title;
    this.#messageDetail.textContent = problem.detail;
    this.#messageSteps.replaceChildren(
      ...problem.steps.map((step) => {
        const item = document.createElement('li');
        item.textContent = step;
        return item;
      }),
    );
    this.#retry.hidden = !canRetry;
  }

  showNotice(text: string | null): void {
    this.#notice.hidden = text === null;
    this.#notice.textContent = text ?? '';
  }

  #placeholderText(state: BroadcastView['state']): void {
    const [title, hint] =
      state === 'paused'
        ? ['Camera unavailable', 'Viewers see a "paused" picture until the camera is back.']
        : state === 'starting'
          ? ['Opening the camera…', 'Allow camera access if your system asks.']
          : state === 'error'
            ? ['No picture', 'See the message below.']
            : ['Camera off', 'Press Start to open the camera and go live on your network.'];
    const titleNode = this.#placeholder.querySelector('.stage-title');
    const hintNode = this.#placeholder.querySelector('.stage-hint');
    if (titleNode) titleNode.textContent = title;
    if (hintNode) hintNode.textContent = hint;
  }
}
