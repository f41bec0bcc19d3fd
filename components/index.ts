/**
 * Registers every element of the main bundle (idempotent: loading this module, or the bundle, twice is harmless)
 * and re-exports the classes and event types for integrators who want them.
 */
import { defineElement } from './define.ts';
import { AgentBar } from './agent-bar/agent-bar.ts';
import { CallPanel } from './call-panel/call-panel.ts';
import type { ContactMatches } from './contact-matches/contact-matches.ts';
import type { CustomerCard } from './customer-card/customer-card.ts';
import { DialBox } from './dial-box/dial-box.ts';
import type { DispositionPicker } from './disposition-picker/disposition-picker.ts';
import type { PreviewCard } from './preview-card/preview-card.ts';
import { StatusMenu } from './status-menu/status-menu.ts';
import type { TransferDialog } from './transfer-dialog/transfer-dialog.ts';

export const ELEMENTS = {
  'agent-bar': AgentBar,
  'call-panel': CallPanel,
  'dial-box': DialBox,
  'status-menu': StatusMenu,
} as const;

export function defineAll(): void {
  for (const [tag, ctor] of Object.entries(ELEMENTS)) defineElement(tag, ctor);
}

defineAll();

export { AgentBar, CallPanel, DialBox, StatusMenu };
// In lazy modules of their own (components/lazy/load-element.ts): their types here, their classes
// once loaded (`await loadElement('transfer-dialog')`, or `loadAllElements()` for standalone use).
export type { ContactMatches, CustomerCard, DispositionPicker, PreviewCard, TransferDialog };
export { loadElement, loadAllElements, LAZY_ELEMENT_TAGS, type LazyElementTag } from './lazy/load-element.ts';
export { defineElement } from './define.ts';
export { loadRecentCalls } from './recent-calls/load-recent-calls.ts';
export { sessionContext } from './session-context.ts';
export { SnapshotController } from './controllers/snapshot-controller.ts';
export { clockText, activeClockCount, type ClockTextFormat } from './directives/clock-text.ts';
export { CTI_EVENT_NAMES, type CtiEventMap, type CtiEventName, type CtiEventDetail } from './events.ts';

declare global {
  interface HTMLElementTagNameMap {
    'agent-bar': AgentBar;
    'call-panel': CallPanel;
    'contact-matches': ContactMatches;
    'customer-card': CustomerCard;
    'dial-box': DialBox;
    'disposition-picker': DispositionPicker;
    'preview-card': PreviewCard;
    'status-menu': StatusMenu;
    'transfer-dialog': TransferDialog;
  }
}
