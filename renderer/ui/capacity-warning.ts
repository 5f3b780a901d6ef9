// The "capture cannot keep up" line under the live stats (text from capture-capacity.ts).
import { byId } from './dom.ts';

export class CapacityWarning {
  readonly #line = byId('capacity-warning', HTMLParagraphElement);

  render(advice: string | null): void {
    this.#line.hidden = advice === null;
    this.#line.textContent = advice ?? '';
  }
}
