import { html, css, nothing } from 'lit';
import { str } from '@lit/localize';
import { liveMsg } from '../locale/live-msg.ts';
import { _installMsgImplementation } from '@lit/localize/init/install.js';
import { property, state } from 'lit/decorators.js';
import { CtiElement } from '../cti-element.ts';
import { radioGroupName } from '../directives/radio-group-name.ts';
import { clockText } from '../directives/clock-text.ts';
import { defineElement } from '../define.ts';
import { formatDuration } from '../locale/duration.ts';
import { errorText } from '../locale/localization.ts';
import { controls, elementStyles, tokens } from '../../styles/tokens.ts';

/**
 * What a lazy element module (dist/agent-bar-<name>.js, scripts/lazy-builds.mjs `kit: true`) is
 * built on: the main bundle's own Lit, element base, clock, radio-group directive, styles and
 * `msg`/`str` of `@lit/localize` (one copy, so one active locale and one table of translations)
 * and `errorText` (our own error messages in that locale, by the runtime the main bundle loaded).
 * The build resolves the element's imports of `lit`, `lit/decorators.js`, `@lit/localize` and these
 * shared modules to
 * this object (vite.config.ts, `elementKit`), so the lazy module carries no second Lit, its
 * elements share the main bundle's one-second clock and context, and its source stays an ordinary
 * Lit element (tests, types and custom-elements.json see a plain class).
 */
const ELEMENT_KIT = {
  html,
  css,
  nothing,
  property,
  state,
  msg: liveMsg,
  str,
  _installMsgImplementation,
  formatDuration,
  errorText,
  CtiElement,
  radioGroupName,
  clockText,
  defineElement,
  controls,
  elementStyles,
  tokens,
};

/**
 * Where a lazy module finds the kit: a registered symbol, because the module is evaluated before
 * any function of it could be called. Set once, before the first lazy element is imported; a
 * second copy of the bundle on the page keeps the first one's kit, as it keeps its elements.
 */
export const ELEMENT_KIT_KEY = Symbol.for('agent-bar.element-kit');

export function provideElementKit(): void {
  (globalThis as Record<symbol, unknown>)[ELEMENT_KIT_KEY] ??= ELEMENT_KIT;
}
