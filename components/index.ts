/**
 * Registers every element (idempotent: loading this module, or the bundle, twice is harmless)
 * and re-exports the classes and event types for integrators who want them.
 */
import { defineElement } from './define.ts';
import { AgentBar } from './agent-bar/agent-bar.ts';
import { CallPanel } from './call-panel/call-panel.ts';
import { ContactMatches } from './contact-matches/contact-matches.ts';
import { CustomerCard } from './customer-card/customer-card.ts';
import { DialBox } from './dial-box/dial-box.ts';
import { DispositionPicker } from './disposition-picker/disposition-picker.ts';
import { PreviewCard } from './preview-card/preview-card.ts';
import { StatusMenu } from './status-menu/status-menu.ts';
import { TransferDialog } from './transfer-dialog/transfer-dialog.ts';

export const ELEMENTS = {
  'agent-bar': AgentBar,
  'call-panel': CallPanel,
  'contact-matches': ContactMatches,
  'customer-card': CustomerCard,
  'dial-box': DialBox,
  'disposition-picker': DispositionPicker,
  'preview-card': PreviewCard,
  'status-menu': StatusMenu,
  'transfer-dialog': TransferDialog,
} as const;

export function defineAll(): void {
  for (const [tag, ctor] of Object.entries(ELEMENTS)) defineElement(tag, ctor);
}

defineAll();

export { AgentBar, CallPanel, ContactMatches, CustomerCard, DialBox, DispositionPicker, PreviewCard, StatusMenu, TransferDialog };
export { defineElement } from './define.ts';
export { loadRecentCalls } from './recent-calls/load-recent-calls.ts';
export { sessionContext } from './session-context.ts';
export { SnapshotController } from './controllers/snapshot-controller.ts';
export { ClockController } from './controllers/clock-controller.ts';
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
