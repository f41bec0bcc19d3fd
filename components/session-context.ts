import { createContext } from '@lit/context';
import type { Session } from '../src/core/session.ts';

/**
 * The session `<agent-bar>` provides to the elements it composes. A string key (not a Symbol)
 * so that two copies of the bundle on one page still find each other's provider.
 */
export const sessionContext = createContext<Session | undefined>('cti-session');
