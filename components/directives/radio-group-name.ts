import { AsyncDirective } from 'lit/async-directive.js';
import { directive, PartType, type PartInfo, type AttributePart } from 'lit/directive.js';

/**
 * The `name` of a radio button that leaves its group before Lit takes it out of the DOM.
 *
 * Why: Chromium keeps every named radio of a shadow root in that tree scope's radio-button group.
 * A radio that Lit removes together with its template (the wrap-up form after `Wrap up`, the
 * transfer destinations after a transfer) stayed in the group, and through it the whole detached
 * section stayed alive: about 110 nodes and 10 listeners per call. Lit tells a directive that its
 * part is going away before it removes the nodes, so clearing the name then takes the radio out
 * of the group while it is still in the tree, and nothing holds the section any more. The name
 * comes back if the same nodes are put back (Lit's reconnection, e.g. the host re-attached).
 *
 * Usage: `<input type="radio" name=${radioGroupName('disposition')}>`.
 */
class RadioGroupName extends AsyncDirective {
  #element: Element | undefined;
  #name = '';

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ATTRIBUTE || part.name !== 'name') {
      throw new Error('radioGroupName() belongs in the name attribute of a radio button.');
    }
  }

  override render(name: string): string {
    return name;
  }

  override update(part: AttributePart, [name]: [string]): string {
    this.#element = part.element;
    this.#name = name;
    return name;
  }

  protected override disconnected(): void {
    this.#element?.removeAttribute('name');
  }

  protected override reconnected(): void {
    this.#element?.setAttribute('name', this.#name);
  }
}

export const radioGroupName = directive(RadioGroupName);
