/**
 * The canonical wire protocol (docs/protocol.md) as types: what a client sends and what the
 * server sends, over WebSocket and over REST polling. The server builds its frames as these
 * types, and the client reads them back with the guards of `client-reader.ts`, so both sides
 * of the wire are checked against one definition.
 */
import type { CanonicalEvent } from '../core/events.ts';
import type { Command } from '../core/commands.ts';
import type { CtiErrorInit } from '../core/errors.ts';
import type { Operation } from '../core/operations.ts';
import type { LoginFieldInfo } from '../core/connector.ts';

// --- client → server (WebSocket) ----------------------------------------------------------------

export interface HelloFrame {
  t: 'hello';
  agentId: string;
  /** The last `seq` the client applied; 0 or absent asks for a snapshot. */
  after?: number;
  /** Gateway mode only: the short-lived signed token (never in a URL). */
  token?: string;
}
export interface CommandFrame {
  t: 'command';
  id: string;
  command: Command;
}
export interface PingFrame {
  t: 'ping';
  id: string;
}
export type ClientFrame = HelloFrame | CommandFrame | PingFrame;

// --- server → client (WebSocket) ----------------------------------------------------------------

export interface WelcomeFrame {
  t: 'welcome';
  agentId: string;
  seq: number;
  /** The operations the server's connector supports (absent: all). */
  supports?: Operation[];
  /** The login form of the server's connector (a vendor's extension, password …; absent: none). */
  loginFields?: LoginFieldInfo[];
}
export interface EventFrame {
  t: 'event';
  seq: number;
  event: CanonicalEvent;
}
export interface SnapshotFrame {
  t: 'snapshot';
  seq: number;
  /** The whole state as events without their own `seq`; calls as one `calls` event. */
  events: CanonicalEvent[];
}
export type ResponseFrame =
  | { t: 'response'; id: string | undefined; ok: true }
  | { t: 'response'; id: string | undefined; ok: false; error: CtiErrorInit };
export interface PongFrame {
  t: 'pong';
  id: string | undefined;
}
export interface ErrorFrame {
  t: 'error';
  error: CtiErrorInit;
}
export type ServerFrame = WelcomeFrame | EventFrame | SnapshotFrame | ResponseFrame | PongFrame | ErrorFrame;

// --- REST polling -------------------------------------------------------------------------------

/** `GET /api/agents/{agentId}/events?after=&wait=` answers one of these. */
export type PollBody =
  | { seq: number; events: Array<{ seq: number; event: CanonicalEvent }>; more?: true }
  | { seq: number; snapshot: CanonicalEvent[] };

/** `POST /api/agents/{agentId}/commands` (and the error bodies of every REST endpoint). */
export type CommandReplyBody = { ok: true; id: string } | { ok: false; error: CtiErrorInit };
