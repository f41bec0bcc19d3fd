import { msg } from '@lit/localize';

/**
 * `msg` for code handed it as a value (the element kit of the lazy modules, `<recent-calls>`):
 * @lit/localize replaces its `msg` when a locale's translations are installed (a live binding),
 * so a copy taken earlier would stay English. This one always calls the current `msg`. (Through
 * `Reflect.apply`: the `lit-localize` extractor reads a direct call as a message to translate.)
 */
export const liveMsg = ((...args: Parameters<typeof msg>) => Reflect.apply(msg, undefined, args)) as typeof msg;
