/**
 * Alternates the page's title with a message once a second, so a ringing call shows in the tab
 * strip and the taskbar while the agent works in another tab or window. Restores the title on
 * stop; a title the host page sets meanwhile is kept (it becomes the one restored).
 */
export class TitleFlasher {
  readonly #document: Document;
  #timer: ReturnType<typeof setInterval> | undefined;
  #original = '';
  #message = '';

  constructor(doc: Document = document) {
    this.#document = doc;
  }

  get flashing(): boolean {
    return this.#timer !== undefined;
  }

  start(message: string): void {
    this.#message = message;
    if (this.#timer !== undefined) return;
    this.#original = this.#document.title;
    this.#document.title = message;
    this.#timer = setInterval(() => {
      const title = this.#document.title;
      if (title !== this.#message && title !== this.#original) this.#original = title;
      this.#document.title = title === this.#message ? this.#original : this.#message;
    }, 1000);
  }

  stop(): void {
    if (this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#document.title === this.#message) this.#document.title = this.#original;
  }
}
