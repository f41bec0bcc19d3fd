import { provideElementKit } from './element-kit.ts';

/**
 * The elements that live in lazy modules of their own (dist/agent-bar-<name>.js) because few
 * sessions need them at once: `<agent-bar>` loads each when its state first calls for it
 * (`LazyElementsController`), `<call-panel>` the transfer dialog when it is opened.
 */
const LOADERS = {
  'transfer-dialog': () => import('../transfer-dialog/transfer-dialog.ts'),
  'preview-card': () => import('../preview-card/preview-card.ts'),
  'disposition-picker': () => import('../disposition-picker/disposition-picker.ts'),
  'customer-card': () => import('../customer-card/customer-card.ts'),
  'contact-matches': () => import('../contact-matches/contact-matches.ts'),
  'phone-panel': () => import('../phone-panel/phone-panel.ts'),
} as const;

export type LazyElementTag = keyof typeof LOADERS;
export const LAZY_ELEMENT_TAGS = Object.keys(LOADERS) as LazyElementTag[];

const loading = new Map<LazyElementTag, Promise<void>>();

/**
 * Loads the module of a lazy element (once) and resolves when the tag is defined. Until then the
 * element is an empty unknown element in the DOM; properties set on it meanwhile are taken over
 * when it upgrades (Lit does that). A module that fails to load is tried again on the next call.
 */
export function loadElement(tag: LazyElementTag): Promise<void> {
  let promise = loading.get(tag);
  if (!promise) {
    provideElementKit();
    promise = LOADERS[tag]().then(
      () => customElements.whenDefined(tag).then(() => undefined),
      (error: unknown) => {
        loading.delete(tag);
        throw error;
      },
    );
    loading.set(tag, promise);
  }
  return promise;
}

/** Loads every lazy element (for a page that uses them standalone, outside `<agent-bar>`). */
export function loadAllElements(): Promise<void> {
  return Promise.all(LAZY_ELEMENT_TAGS.map(loadElement)).then(() => undefined);
}
