import { html, nothing } from 'lit';
import { CtiElement } from '../cti-element.ts';
import { defineElement } from '../define.ts';
import { elementStyles } from '../../styles/tokens.ts';

let loading: Promise<void> | undefined;

/** Loads `<recent-calls>` (a lazy module, dist/agent-bar-recent.js) and registers it, once. */
export function loadRecentCalls(): Promise<void> {
  loading ??= import('./recent-calls.ts').then((m) =>
    defineElement('recent-calls', m.recentCallsElement({ Base: CtiElement, html, nothing, styles: elementStyles })),
  );
  return loading;
}
