/**
 * A list of handlers where one throwing handler can neither break the transport nor starve the
 * others: the error is reported (the page's `reportError`, else the console) and delivery goes on.
 */
export class Listeners<T> {
  #handlers = new Set<(value: T) => void>();

  add(handler: (value: T) => void): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  emit(value: T): void {
    for (const handler of [...this.#handlers]) {
      try {
        handler(value);
      } catch (error) {
        report(error);
      }
    }
  }

  clear(): void {
    this.#handlers.clear();
  }
}

function report(error: unknown): void {
  const reportError = (globalThis as { reportError?: (e: unknown) => void }).reportError;
  if (typeof reportError === 'function') reportError(error);
  else console.error(error);
}
