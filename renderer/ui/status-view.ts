// The LIVE marker (with how long), the big Start/Stop button, the preview stage and the message/notice area.
import type { BroadcastView } from '../broadcast-view.ts';
import type { CameraProblem } from '../camera-errors.ts';
import { formatDuration } from '../format.ts';
import { byId } from './dom.ts';
import { PreviewStage, type PreviewLook } from './preview-stage.ts';

export interface StatusViewHandlers {
  readonly toggle: () => void;
  readonly openPreview: () => void;
}

/** The one button a message offers: the action that fixes it (never a retry that fails the same way). */
export interface MessageAction {
  readonly label: string;
  readonly run: () => void;
}

export class StatusView {
  readonly #state = byId('state', HTMLElement);
  readonly #stateLabel = byId('state-label', HTMLElement);
  readonly #liveFor = byId('live-for', HTMLElement);
  readonly #toggle = byId('toggle', HTMLButtonElement);
  readonly #stage = new PreviewStage();
  readonly #placeholder = byId('stage-placeholder', HTMLElement);
  readonly #badge = byId('stage-badge', HTMLElement);
  readonly #message = byId('message', HTMLElement);
  readonly #messageTitle = byId('message-title', HTMLElement);
  readonly #messageDetail = byId('message-detail', HTMLElement);
  readonly #messageSteps = byId('message-steps', HTMLOListElement);
  readonly #action = byId('message-action', HTMLButtonElement);
  readonly #notice = byId('notice', HTMLElement);
  readonly #keepUp = byId('keep-up', HTMLElement);
  readonly #viewerPreview = byId('preview-as-viewer', HTMLButtonElement);
  #runAction: (() => void) | null = null;

  constructor(handlers: StatusViewHandlers) {
    this.#toggle.addEventListener('click', handlers.toggle);
    this.#action.addEventListener('click', () => {
      this.#runAction?.();
    });
    this.#viewerPreview.addEventListener('click', handlers.openPreview);
  }

  get preview(): HTMLVideoElement {
    return this.#stage.video;
  }

  get stage(): PreviewStage {
    return this.#stage;
  }

  render(view: BroadcastView, hasPicture: boolean, look: PreviewLook): void {
    this.#state.dataset.state = view.state;
    this.#stateLabel.textContent = view.label;
    document.title = view.state === 'live' ? 'LanCam · Live' : 'LanCam';
    this.#toggle.dataset.action = view.action;
    this.#toggle.textContent = view.action === 'start' ? 'Start broadcast' : 'Stop broadcast';
    // aria-disabled, not disabled: a disabled button drops keyboard focus to <body> mid-request.
    this.#toggle.setAttribute('aria-disabled', String(view.isActionBusy));
    this.#toggle.setAttribute('aria-busy', String(view.isActionBusy));
    this.#viewerPreview.disabled = view.state !== 'live' && view.state !== 'paused';
    this.#placeholder.hidden = hasPicture;
    this.#stage.setLook(look);
    this.#placeholderText(view.state);
  }

  /** Ticks every second: how long live, the measured output badge, the overlay clock. */
  renderClock(liveForMs: number | null, badge: string | null): void {
    this.#liveFor.hidden = liveForMs === null;
    this.#liveFor.textContent = liveForMs === null ? '' : `for ${formatDuration(liveForMs)}`;
    this.#badge.hidden = badge === null;
    this.#badge.textContent = badge ?? '';
    this.#stage.update();
  }

  showProblem(problem: CameraProblem | null, action: MessageAction | null): void {
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
    this.#action.hidden = action === null;
    this.#action.textContent = action?.label ?? '';
    this.#runAction = action?.run ?? null;
  }

  showNotice(text: string | null): void {
    this.#notice.hidden = text === null;
    this.#notice.textContent = text ?? '';
  }

  showKeepUp(text: string | null): void {
    this.#keepUp.hidden = text === null;
    this.#keepUp.textContent = text ?? '';
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
