import { css } from 'lit';

/**
 * Design tokens. A host page themes the bar by setting the global `--cti-*` custom properties on
 * any ancestor (they inherit through shadow roots); each element reads them through private
 * `--_cti-*` properties with a default, so that an unset token never leaves a control unstyled
 * and nothing here leaks into the page. Defaults meet WCAG AA contrast on `--cti-color-surface`.
 *
 * A theme (`<agent-bar theme="dark">`, styles/themes.ts) only changes the defaults (`--_cti-t-*`):
 * a `--cti-*` value the host sets always wins.
 *
 * Global tokens:
 * `--cti-color-text`, `--cti-color-muted`, `--cti-color-surface`, `--cti-color-surface-alt`,
 * `--cti-color-border`, `--cti-color-primary`, `--cti-color-on-primary`, `--cti-color-danger`,
 * `--cti-color-on-danger`, `--cti-color-success`, `--cti-color-on-success`, `--cti-color-focus`,
 * `--cti-color-alert-bg`, `--cti-color-alert-text`, `--cti-space-1` … `--cti-space-4`,
 * `--cti-radius`, `--cti-font-family`, `--cti-font-size`, `--cti-font-size-small`, `--cti-target-size`.
 */
export const tokens = css`
  :host {
    /* Each token: the host's --cti-* value, else the theme's (--_cti-t-*, set by <agent-bar theme>,
       styles/themes.ts), else the light default. */
    --_cti-text: var(--cti-color-text, var(--_cti-t-text, #1b1f24));
    --_cti-muted: var(--cti-color-muted, var(--_cti-t-muted, #4a5361));
    --_cti-surface: var(--cti-color-surface, var(--_cti-t-surface, #ffffff));
    --_cti-surface-alt: var(--cti-color-surface-alt, var(--_cti-t-surface-alt, #f1f3f6));
    --_cti-border: var(--cti-color-border, var(--_cti-t-border, #8a94a3));
    --_cti-primary: var(--cti-color-primary, var(--_cti-t-primary, #1b5fc1));
    --_cti-on-primary: var(--cti-color-on-primary, var(--_cti-t-on-primary, #ffffff));
    --_cti-danger: var(--cti-color-danger, var(--_cti-t-danger, #b42318));
    --_cti-on-danger: var(--cti-color-on-danger, var(--_cti-t-on-danger, #ffffff));
    --_cti-success: var(--cti-color-success, var(--_cti-t-success, #1d7333));
    --_cti-on-success: var(--cti-color-on-success, var(--_cti-t-on-success, #ffffff));
    --_cti-focus: var(--cti-color-focus, var(--_cti-t-focus, #1b5fc1));
    --_cti-alert-bg: var(--cti-color-alert-bg, var(--_cti-t-alert-bg, #fdecea));
    --_cti-alert-text: var(--cti-color-alert-text, var(--_cti-t-alert-text, #7a1a10));
    --_cti-space-1: var(--cti-space-1, 4px);
    --_cti-space-2: var(--cti-space-2, 8px);
    --_cti-space-3: var(--cti-space-3, 12px);
    --_cti-space-4: var(--cti-space-4, 16px);
    --_cti-radius: var(--cti-radius, var(--_cti-t-radius, 6px));
    --_cti-font-family: var(--cti-font-family, var(--_cti-t-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif));
    --_cti-font-size: var(--cti-font-size, 14px);
    --_cti-font-size-small: var(--cti-font-size-small, 12px);
    /* Touch and pointer targets: 44 px (WCAG 2.5.5), --cti-target-size to change. */
    --_cti-target: var(--cti-target-size, 44px);
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
    min-height: var(--_cti-target);
    min-width: var(--_cti-target);
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: var(--_cti-space-1);
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
    min-height: var(--_cti-target);
  }
  /* Inline SVG icons beside labels (components/icons.ts): decorative, the label names the control. */
  .icon {
    width: 1.15em;
    height: 1.15em;
    flex: none;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
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
