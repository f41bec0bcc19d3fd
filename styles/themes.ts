import { unsafeCSS, type CSSResult } from 'lit';

/**
 * The themes of `<agent-bar theme="…">`: `light` (the default, the tokens' own values), `dark`,
 * `auto` (dark when the system prefers it, else light), `salesforce` (Lightning-like) and
 * `dynamics` (Fluent-like). A theme sets only the `--_cti-t-*` defaults behind the tokens
 * (styles/tokens.ts), which every element of the bar inherits; a `--cti-*` property the host sets
 * still wins. Every pair of text and background colours meets WCAG AA (4.5:1), as the element
 * tests' axe checks of every theme prove.
 *
 * Written as a table (name → token values) so that each theme costs the bundle its values only.
 */
const THEMES: Record<string, Record<string, string>> = {
  dark: {
    text: '#e8eaed',
    muted: '#aab2bd',
    surface: '#1f2329',
    'surface-alt': '#2c323a',
    border: '#7c8693',
    primary: '#8ab4f8',
    'on-primary': '#0b1f3a',
    danger: '#f28b82',
    'on-danger': '#2d0a07',
    success: '#81c995',
    'on-success': '#0b2512',
    focus: '#8ab4f8',
    'alert-bg': '#4c1d19',
    'alert-text': '#ffdad4',
  },
  salesforce: {
    text: '#181818',
    muted: '#5c5c5c',
    'surface-alt': '#f3f3f3',
    border: '#939393',
    primary: '#0176d3',
    danger: '#ba0517',
    success: '#2b7a45',
    focus: '#0176d3',
    'alert-bg': '#feded8',
    'alert-text': '#8c2118',
    radius: '4px',
    'font-family': "'Salesforce Sans', Arial, sans-serif",
  },
  dynamics: {
    text: '#242424',
    muted: '#616161',
    'surface-alt': '#f5f5f5',
    border: '#8a8886',
    primary: '#0f6cbd',
    danger: '#c50f1f',
    success: '#107c10',
    focus: '#0f6cbd',
    'alert-bg': '#fdf3f4',
    'alert-text': '#b10e1c',
    radius: '4px',
    'font-family': "'Segoe UI', 'Segoe UI Web (West European)', -apple-system, sans-serif",
  },
};

export const THEME_NAMES = ['light', 'dark', 'auto', ...Object.keys(THEMES).filter((t) => t !== 'dark')];

const declarations = (values: Record<string, string>) =>
  Object.entries(values)
    .map(([token, value]) => `--_cti-t-${token}:${value};`)
    .join('') + (values === THEMES['dark'] ? 'color-scheme:dark;' : '');

/** The rules, for `<agent-bar>`'s styles (its elements inherit the values). */
export const themeStyles: CSSResult = unsafeCSS(
  Object.entries(THEMES)
    .map(([name, values]) => `:host([theme='${name}']){${declarations(values)}}`)
    .join('') + `@media (prefers-color-scheme: dark){:host([theme='auto']){${declarations(THEMES['dark']!)}}}`,
);
