import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { CtiElement } from '../cti-element.ts';
import { defineElement } from '../define.ts';
import { elementStyles } from '../../styles/tokens.ts';
import { currentLocale } from '../locale/localization.ts';
import { sourceLocale } from '../locales/locale-codes.ts';

let loading: Promise<void> | undefined;

/** Loads `<recent-calls>` (a lazy module, dist/agent-bar-recent.js) and registers it, once. */
export function loadRecentCalls(): Promise<void> {
  loading ??= import('./recent-calls.ts').then((m) =>
    defineElement('recent-calls', m.recentCallsElement({
      Base: CtiElement,
      html,
      nothing,
      styles: elementStyles,
      // A function: @lit/localize replaces `msg` when a locale's translations are installed.
      msg: ((...args: Parameters<typeof msg>) => msg(...args)) as typeof msg,
      str,
      // English keeps the browser's own time format, as before there were locales.
      locale: () => (currentLocale() === sourceLocale ? undefined : currentLocale()),
    })),
  );
  return loading;
}
