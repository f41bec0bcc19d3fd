import { LitElement } from 'lit';
import { property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { updateWhenLocaleChanges } from '@lit/localize';
import type { Session } from '../src/core/session.ts';
import type { Snapshot } from '../src/core/model.ts';
import type { Operation } from '../src/core/operations.ts';
import type { CommandArgs } from '../src/core/commands.ts';
import { landmarkContext, landmarkName, sessionContext } from './session-context.ts';
import { SnapshotController } from './controllers/snapshot-controller.ts';

/**
 * Base of every element that `<agent-bar>` composes. Takes its session from the `session`
 * property (standalone use) or else from `<agent-bar>` by context; renders from the snapshot
 * only and sends intents through `session.command()`. Holds no telephony state: the only state
 * of its own is UI state (an open menu, a half-typed number).
 */
export abstract class CtiElement extends LitElement {
  /** The session to render and drive. Optional inside `<agent-bar>`, which provides one. */
  @property({ attribute: false }) session?: Session;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  protected contextSession?: Session;

  @consume({ context: landmarkContext, subscribe: true })
  @state()
  protected landmarkOf?: string;

  /**
   * The accessible name of a landmark (a named section or form): `name`, the contract's name, for
   * a bar alone on its page; `name — <label>` when the bar tells its landmarks from another bar's
   * (docs/elements.md, "Two bars on one page"), so no two landmarks of a page share a name.
   */
  protected landmark(name: string): string {
    return landmarkName(name, this.landmarkOf);
  }

  constructor() {
    super();
    // A new locale (the bar's `lang`) re-renders every element, whatever its snapshot selector says.
    updateWhenLocaleChanges(this);
  }

  protected readonly snapshots = new SnapshotController(
    this,
    () => this.session ?? this.contextSession,
    (snapshot) => this.selectSnapshot(snapshot),
  );

  /**
   * The parts of the snapshot this element renders; it re-renders only when one of them changes
   * (by identity: snapshots share unchanged parts). The default is the whole snapshot.
   */
  protected selectSnapshot(snapshot: Snapshot): readonly unknown[] {
    return [snapshot];
  }

  protected get snapshot(): Snapshot | undefined {
    return this.snapshots.snapshot;
  }

  /** Whether the control for `operation` is enabled (capability true and nothing in flight). */
  protected can(operation: Operation): boolean {
    return this.snapshot?.capabilities[operation] === true;
  }

  /**
   * Sends an intent. The session records a failure in `lastError` (shown by `<agent-bar>`'s
   * alert) and reports it as a host event, so the element only needs to know if it worked.
   */
  protected async run<O extends Operation>(operation: O, args: CommandArgs[O]): Promise<boolean> {
    const session = this.snapshots.session;
    if (!session) return false;
    try {
      await session.command(operation, args);
      return true;
    } catch {
      return false;
    }
  }
}
