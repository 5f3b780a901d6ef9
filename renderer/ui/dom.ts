// Typed element lookup and the small DOM helpers every panel uses.

export function byId<T extends HTMLElement>(id: string, type: abstract new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`#${id} is missing or not a ${type.name}`);
  return element;
}

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string; title?: string } = {},
  children: readonly Node[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  if (props.title) node.title = props.title;
  node.append(...children);
  return node;
}

/** A "Copy" button that shows "Copied" briefly after `copy` succeeds. */
export function copyButton(
  label: string,
  copy: () => Promise<boolean>,
  ariaLabel?: string,
): HTMLButtonElement {
  const button = element('button', { className: 'button small', text: label });
  button.type = 'button';
  if (ariaLabel) button.setAttribute('aria-label', ariaLabel);
  button.addEventListener('click', () => {
    void copy().then((isCopied) => {
      flash(button, isCopied ? 'Copied' : 'Failed', label);
    });
  });
  return button;
}

export function flash(button: HTMLButtonElement, text: string, restore: string): void {
  button.textContent = text;
  button.classList.add('copied');
  setTimeout(() => {
    button.textContent = restore;
    button.classList.remove('copied');
  }, 1500);
}
