import { createContext } from '@lit/context';
import type { Session } from '../src/core/session.ts';

/**
 * The session `<agent-bar>` provides to the elements it composes. A string key (not a Symbol)
 * so that two copies of the bundle on one page still find each other's provider.
 */
export const sessionContext = createContext<Session | undefined>('cti-session');

/**
 * What tells this bar's landmarks from another bar's on the page (`<agent-bar>`'s `label`, or its
 * agent id when several bars without a label share the page); undefined for a bar alone.
 */
export const landmarkContext = createContext<string | undefined>('cti-landmark');

/** A landmark's accessible name: `name`, or `name — <what tells this bar>` (see landmarkContext). */
export const landmarkName = (name: string, of: string | undefined): string => (of ? `${name} — ${of}` : name);
