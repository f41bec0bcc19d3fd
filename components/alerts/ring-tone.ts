/**
 * A telephone ring generated with Web Audio: no audio file, nothing fetched. The cadence is the
 * British double ring (400 + 450 Hz, 0.4 s on, 0.2 s off, 0.4 s on, 2 s off), recognisable as "a
 * phone" in any country. Part of the lazily loaded alerts module (`agent-bar-alerts.js`).
 */
const CYCLE_S = 3;
const BURSTS: readonly [start: number, length: number][] = [
  [0, 0.4],
  [0.6, 0.4],
];
const FREQUENCIES = [400, 450];
/** Quiet enough not to startle through headphones; the host can lower it with `ringVolume`. */
const DEFAULT_VOLUME = 0.15;

type AudioContextCtor = typeof AudioContext;

export class RingTone {
  #context: AudioContext | undefined;
  #output: GainNode | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #volume = DEFAULT_VOLUME;

  /** Whether Web Audio exists here at all (it does in every current browser). */
  static supported(): boolean {
    return typeof (globalThis as { AudioContext?: AudioContextCtor }).AudioContext === 'function';
  }

  /** Whether the tone is ringing now. */
  get playing(): boolean {
    return this.#timer !== undefined;
  }

  /** The audio context's state ('running' when the browser lets the page make sound). */
  get audioState(): AudioContextState | 'none' {
    return this.#context?.state ?? 'none';
  }

  set volume(value: number) {
    this.#volume = Math.min(1, Math.max(0, Number.isFinite(value) ? value : DEFAULT_VOLUME));
  }

  /**
   * Creates and resumes the audio context, then suspends it again. Call it from a user gesture
   * (the `Log in` click): browsers only let a page start audio after the user interacted with it,
   * and an unlocked context can ring later while the tab is in the background.
   */
  async unlock(): Promise<void> {
    const context = this.#ensureContext();
    if (!context) return;
    await context.resume().catch(() => {});
    if (!this.playing) await context.suspend().catch(() => {});
  }

  start(): void {
    if (this.playing) return;
    const context = this.#ensureContext();
    if (!context) return;
    void context.resume().catch(() => {});
    const cycle = () => {
      this.#scheduleCycle(context);
      this.#timer = setTimeout(cycle, CYCLE_S * 1000);
    };
    cycle();
  }

  stop(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    // Cut the burst in progress and release the audio device until the next ring.
    this.#output?.disconnect();
    this.#output = undefined;
    void this.#context?.suspend().catch(() => {});
  }

  /** Stops and frees the audio context (the bar is gone). */
  close(): void {
    this.stop();
    void this.#context?.close().catch(() => {});
    this.#context = undefined;
  }

  #ensureContext(): AudioContext | undefined {
    if (!RingTone.supported()) return undefined;
    this.#context ??= new AudioContext();
    return this.#context;
  }

  #scheduleCycle(context: AudioContext): void {
    const output = context.createGain();
    output.gain.value = 0;
    output.connect(context.destination);
    this.#output?.disconnect();
    this.#output = output;
    const t0 = context.currentTime + 0.02;
    for (const [start, length] of BURSTS) {
      // Short ramps: a tone switched on and off abruptly clicks.
      output.gain.setValueAtTime(0, t0 + start);
      output.gain.linearRampToValueAtTime(this.#volume, t0 + start + 0.02);
      output.gain.setValueAtTime(this.#volume, t0 + start + length - 0.02);
      output.gain.linearRampToValueAtTime(0, t0 + start + length);
    }
    for (const frequency of FREQUENCIES) {
      const oscillator = context.createOscillator();
      oscillator.frequency.value = frequency;
      oscillator.connect(output);
      oscillator.start(t0);
      oscillator.stop(t0 + BURSTS.at(-1)![0] + BURSTS.at(-1)![1]);
    }
  }
}
