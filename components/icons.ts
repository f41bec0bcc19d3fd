import { html } from 'lit';

/**
 * Inline SVG icons shown beside a control's label: drawn with `currentColor` (they follow the
 * theme and the button's state), `aria-hidden` (the label is the accessible name), no icon font
 * and no fetch. One 24×24 stroked path each; styled by `.icon` in styles/tokens.ts.
 */
const PATHS = {
  phone: 'M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2',
  hangup: 'M3 14.5c5-5 13-5 18 0l-2 3-4-1.5v-3a9 9 0 0 0-6 0v3L5 17.5z',
  hold: 'M9 5v14M15 5v14',
  retrieve: 'M7 5l12 7-12 7z',
  mic: 'M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3M5 11a7 7 0 0 0 14 0M12 18v3',
  micOff: 'M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3M5 11a7 7 0 0 0 14 0M12 18v3M3 3l18 18',
  keypad: 'M6 5h.01M12 5h.01M18 5h.01M6 11h.01M12 11h.01M18 11h.01M6 17h.01M12 17h.01M18 17h.01',
  transfer: 'M4 8h14l-4-4M20 16H6l4 4',
  more: 'M5 12h.01M12 12h.01M19 12h.01',
  record: 'M12 7a5 5 0 1 0 0 10a5 5 0 0 0 0-10',
  stop: 'M7 7h10v10H7z',
  inbound: 'M17 7L7 17M7 9v8h8',
  outbound: 'M7 17L17 7M9 7h8v8',
  user: 'M12 12a4 4 0 1 0 0-8a4 4 0 0 0 0 8M4 21a8 8 0 0 1 16 0',
} as const;

export type IconName = keyof typeof PATHS;

export const icon = (name: IconName) => html`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d=${PATHS[name]} /></svg>`;
