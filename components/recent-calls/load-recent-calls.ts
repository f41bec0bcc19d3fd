import { html, nothing } from 'lit';
import { str } from '@lit/localize';
import { liveMsg } from '../locale/live-msg.ts';
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
      msg: liveMsg,
      str,
      // English keeps the browser's own time format, as before there were locales.
      locale: () => (currentLocale() === sourceLocale ? undefined : currentLocale()),
    })),
  );
  return loading;
}
