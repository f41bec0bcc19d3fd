/**
 * The one way the server writes to a WebSocket. Whatever the frame — an event, a welcome, a
 * response, a pong, an error — it is queued only while the socket's backlog stays under the
 * bound; a client that stops reading is cut off instead of holding the server's memory (it
 * reconnects and resumes from its last `seq`). Replies used to skip this check, so a client that
 * sent requests and never read the answers grew the server by hundreds of megabytes.
 */
import type { WebSocket } from 'ws';

export interface BoundedSenderOptions {
  maxBufferedBytes: number;
  /** Told once per socket cut off (logging, metrics). */
  onCutOff?: (ws: WebSocket) => void;
}

export class BoundedSender {
  readonly maxBufferedBytes: number;
  #onCutOff: (ws: WebSocket) => void;

  constructor(options: BoundedSenderOptions) {
    this.maxBufferedBytes = options.maxBufferedBytes;
    this.#onCutOff = options.onCutOff ?? (() => {});
  }

  /** Sends `text` when the socket is open and can take it; returns whether it was queued. */
  send(ws: WebSocket, text: string): boolean {
    if (ws.readyState !== ws.OPEN) return false;
    // `text.length` undercounts multi-byte characters at most 3×; the bound is a backstop, not
    // an accounting, and measuring UTF-8 would cost a pass over every frame.
    if (ws.bufferedAmount + text.length > this.maxBufferedBytes) {
      this.#onCutOff(ws);
      ws.terminate();
      return false;
    }
    ws.send(text);
    return true;
  }
}
