/**
 * The desktop notification of a ringing call. A plain `Notification` (no service worker: the bar
 * lives in the host's page and cannot register one there), so it has no action buttons: clicking
 * the notification itself is the Answer (it brings the page forward and answers). Permission is
 * asked only when the agent logs in (a click), never on page load.
 */
export class DesktopNotifier {
  #notification: Notification | undefined;

  static supported(): boolean {
    return typeof (globalThis as { Notification?: unknown }).Notification === 'function';
  }

  static get permission(): NotificationPermission | 'unsupported' {
    return DesktopNotifier.supported() ? Notification.permission : 'unsupported';
  }

  get showing(): boolean {
    return this.#notification !== undefined;
  }

  /** Asks once: only while the agent has not decided (a refusal is respected). */
  async requestPermission(): Promise<NotificationPermission | 'unsupported'> {
    if (!DesktopNotifier.supported()) return 'unsupported';
    if (Notification.permission !== 'default') return Notification.permission;
    return Notification.requestPermission().catch(() => Notification.permission);
  }

  /**
   * Shows `title`/`body` (text only: notifications render no markup) when permitted. `onAnswer`
   * runs when the agent clicks it.
   */
  show(options: { title: string; body: string; tag: string; onAnswer: () => void }): boolean {
    this.close();
    if (DesktopNotifier.permission !== 'granted') return false;
    let notification: Notification;
    try {
      notification = new Notification(options.title, { body: options.body, tag: options.tag, requireInteraction: true });
    } catch {
      // Some browsers (Chrome on Android) allow only service-worker notifications.
      return false;
    }
    notification.onclick = () => {
      globalThis.focus?.();
      options.onAnswer();
      this.close();
    };
    notification.onclose = () => {
      if (this.#notification === notification) this.#notification = undefined;
    };
    this.#notification = notification;
    return true;
  }

  close(): void {
    const notification = this.#notification;
    this.#notification = undefined;
    if (notification) {
      notification.onclick = null;
      notification.close();
    }
  }
}
