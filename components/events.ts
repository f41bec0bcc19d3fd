import type { HostEventMap, HostEventType } from '../src/core/host-events.ts';
import { HOST_EVENT_TYPES } from '../src/core/host-events.ts';

/**
 * The DOM events `<agent-bar>` dispatches: each session host event `x` becomes `cti-x`, bubbling
 * and composed (it leaves the shadow root, so a CRM page can listen on `document`), with the host
 * event's detail. Only `cti-screen-pop` is cancelable: the host page may veto the pop.
 */
export type CtiEventName = `cti-${HostEventType}`;

export type CtiEventMap = {
  [K in HostEventType as `cti-${K}`]: CustomEvent<HostEventMap[K]>;
};

export type CtiEventDetail<N extends CtiEventName> = N extends `cti-${infer K extends HostEventType}` ? HostEventMap[K] : never;

/** Every `cti-` event name, for hosts that log or forward them all. */
export const CTI_EVENT_NAMES: readonly CtiEventName[] = HOST_EVENT_TYPES.map((t) => `cti-${t}` as const);

/** Host events the page may veto with `preventDefault()`. */
const CANCELABLE: ReadonlySet<HostEventType> = new Set(['screen-pop']);

export function createCtiEvent<K extends HostEventType>(type: K, detail: HostEventMap[K]): CustomEvent<HostEventMap[K]> {
  return new CustomEvent(`cti-${type}`, { detail, bubbles: true, composed: true, cancelable: CANCELABLE.has(type) });
}

declare global {
  // Typed `addEventListener('cti-…', e => e.detail …)` on elements, documents and windows.
  interface GlobalEventHandlersEventMap extends CtiEventMap {}
}
