import { css } from 'lit';

/**
 * Design tokens. A host page themes the bar by setting the global `--cti-*` custom properties on
 * any ancestor (they inherit through shadow roots); each element reads them through private
 * `--_cti-*` properties with a default, so that an unset token never leaves a control unstyled
 * and nothing here leaks into the page. Defaults meet WCAG AA contrast on `--cti-color-surface`.
 *
 * Global tokens:
 * `--cti-color-text`, `--cti-color-muted`, `--cti-color-surface`, `--cti-color-surface-alt`,
 * `--cti-color-border`, `--cti-color-primary`, `--cti-color-on-primary`, `--cti-color-danger`,
 * `--cti-color-on-danger`, `--cti-color-success`, `--cti-color-on-success`, `--cti-color-focus`,
 * `--cti-color-alert-bg`, `--cti-color-alert-text`, `--cti-space-1` … `--cti-space-4`,
 * `--cti-radius`, `--cti-font-family`, `--cti-font-size`, `--cti-font-size-small`.
 */
export const tokens = css`
  :host {
    --_cti-text: var(--cti-color-text, #1b1f24);
    --_cti-muted: var(--cti-color-muted, #4a5361);
    --_cti-surface: var(--cti-color-surface, #ffffff);
    --_cti-surface-alt: var(--cti-color-surface-alt, #f1f3f6);
    --_cti-border: var(--cti-color-border, #8a94a3);
    --_cti-primary: var(--cti-color-primary, #1b5fc1);
    --_cti-on-primary: var(--cti-color-on-primary, #ffffff);
    --_cti-danger: var(--cti-color-danger, #b42318);
    --_cti-on-danger: var(--cti-color-on-danger, #ffffff);
    --_cti-success: var(--cti-color-success, #1d7333);
    --_cti-on-success: var(--cti-color-on-success, #ffffff);
    --_cti-focus: var(--cti-color-focus, #1b5fc1);
    --_cti-alert-bg: var(--cti-color-alert-bg, #fdecea);
    --_cti-alert-text: var(--cti-color-alert-text, #7a1a10);
    --_cti-space-1: var(--cti-space-1, 4px);
    --_cti-space-2: var(--cti-space-2, 8px);
    --_cti-space-3: var(--cti-space-3, 12px);
    --_cti-space-4: var(--cti-space-4, 16px);
    --_cti-radius: var(--cti-radius, 6px);
    --_cti-font-family: var(--cti-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_cti-font-size: var(--cti-font-size, 14px);
    --_cti-font-size-small: var(--cti-font-size-small, 12px);
    font-family: var(--_cti-font-family);
    font-size: var(--_cti-font-size);
    color: var(--_cti-text);
    box-sizing: border-box;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
`;

/** Buttons, inputs, panels and timers shared by every element (exposed as the same parts). */
export const controls = css`
  button {
    font: inherit;
    min-height: 32px;
    padding: var(--_cti-space-1) var(--_cti-space-3);
    border: 1px solid var(--_cti-border);
    border-radius: var(--_cti-radius);
    background: var(--_cti-surface-alt);
    color: var(--_cti-text);
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    border-color: var(--_cti-text);
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.55;
  }
  button.primary {
    background: var(--_cti-primary);
    border-color: var(--_cti-primary);
    color: var(--_cti-on-primary);
  }
  button.danger {
    background: var(--_cti-danger);
    border-color: var(--_cti-danger);
    color: var(--_cti-on-danger);
  }
  button.success {
    background: var(--_cti-success);
    border-color: var(--_cti-success);
    color: var(--_cti-on-success);
  }
  /* Disabled looks neutral whatever its variant, so a coloured button always means "you can". */
  button.primary:disabled,
  button.danger:disabled,
  button.success:disabled {
    background: var(--_cti-surface-alt);
    border-color: var(--_cti-border);
    color: var(--_cti-muted);
  }
  button[aria-pressed='true'],
  button[aria-expanded='true'] {
    box-shadow: inset 0 0 0 2px var(--_cti-primary);
  }
  input,
  select,
  textarea {
    font: inherit;
    color: var(--_cti-text);
    background: var(--_cti-surface);
    border: 1px solid var(--_cti-border);
    border-radius: var(--_cti-radius);
    padding: var(--_cti-space-1) var(--_cti-space-2);
    min-height: 32px;
  }
  /* Agents work by keyboard all day: focus is always visible, never only a colour change. */
  :focus-visible {
    outline: 2px solid var(--_cti-focus);
    outline-offset: 2px;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_cti-space-2);
    align-items: center;
  }
  .muted {
    color: var(--_cti-muted);
  }
  .timer {
    font-variant-numeric: tabular-nums;
  }
  label {
    display: inline-flex;
    gap: var(--_cti-space-1);
    align-items: center;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;

/**
 * What every element's styles start with: the tokens, the shared controls, and a block host (a
 * custom element is inline by default, which no part of the bar wants).
 */
export const elementStyles = [
  tokens,
  controls,
  css`
    :host {
      display: block;
    }
  `,
];
