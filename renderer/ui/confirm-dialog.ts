// A modal yes/no question on a <dialog> of the page: resolves true only for the confirm button.
import { byId } from './dom.ts';

export class ConfirmDialog {
  readonly #dialog: HTMLDialogElement;
  #answer: ((isConfirmed: boolean) => void) | null = null;

  /** The dialog and its two buttons, by id; Escape and the cancel button both answer "no". */
  constructor(dialogId: string, confirmId: string, cancelId: string) {
    this.#dialog = byId(dialogId, HTMLDialogElement);
    byId(confirmId, HTMLButtonElement).addEventListener('click', () => {
      this.#dialog.close('confirm');
    });
    byId(cancelId, HTMLButtonElement).addEventListener('click', () => {
      this.#dialog.close('cancel');
    });
    // Fires for the buttons and for Escape alike (Escape leaves returnValue empty).
    this.#dialog.addEventListener('close', () => {
      const answer = this.#answer;
      this.#answer = null;
      answer?.(this.#dialog.returnValue === 'confirm');
    });
  }

  /** Opens the dialog (focus goes to its autofocus button, the safe choice) and waits for the answer. */
  ask(): Promise<boolean> {
    if (this.#dialog.open) return Promise.resolve(false);
    this.#dialog.returnValue = '';
    return new Promise((resolve) => {
      this.#answer = resolve;
      this.#dialog.showModal();
    });
  }
}
