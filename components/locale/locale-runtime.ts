import { configureLocalization } from '@lit/localize/init/runtime.js';
import { allLocales, sourceLocale } from '../locales/locale-codes.ts';
import { translateError } from './error-messages.ts';

/**
 * The part of localisation a page in English never needs (dist/agent-bar-locale.js, fetched by
 * components/locale/localization.ts when a bar first asks for another language): @lit/localize's
 * runtime, which installs the loaded translations into the main bundle's `msg` (the build hands
 * this module the main bundle's @lit/localize install hook through the element kit, so there is
 * one `msg`), and the translator of our own error messages.
 */
export interface LocaleRuntime {
  getLocale(): string;
  setLocale(locale: string): Promise<void>;
  translateError(error: { message: string }): string;
}

let runtime: LocaleRuntime | undefined;

/** Configures @lit/localize once (it may be configured only once per page). */
export function localeRuntime(): LocaleRuntime {
  if (runtime) return runtime;
  const { getLocale, setLocale } = configureLocalization({
    sourceLocale,
    targetLocales: allLocales.filter((l) => l !== sourceLocale),
    // Each language's table is its own module next to dist/agent-bar.js (agent-bar-locale-es.js).
    loadLocale: () => import('../locales/es.ts'),
  });
  return (runtime = { getLocale, setLocale, translateError });
}
