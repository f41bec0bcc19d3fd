import { sourceLocale } from '../locales/locale-codes.ts';
import { currentLocale } from './localization.ts';

interface DurationFormatter {
  format(duration: { hours: number; minutes: number; seconds: number }): string;
}
type DurationFormatCtor = new (locale: string, options: Record<string, string>) => DurationFormatter;
/** Intl.DurationFormat (Chromium 129+, Safari 16.4+, Firefox 136+); not in every browser yet. */
const DurationFormat = (Intl as unknown as { DurationFormat?: DurationFormatCtor }).DurationFormat;
const formats = new Map<string, DurationFormatter>();

/**
 * A timer's text: `m:ss`, or `h:mm:ss` past an hour; negative spans (clock skew) show as `0:00`.
 * Other locales than English use `Intl.DurationFormat` (digital) where the browser has it; English
 * keeps this exact `m:ss` (Intl's `mm:ss` would change the text integrators and tests read), as
 * does any locale in a browser without it.
 */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const locale = currentLocale();
  if (DurationFormat && locale !== sourceLocale) {
    let format = formats.get(locale);
    if (!format) formats.set(locale, (format = new DurationFormat(locale, { style: 'digital', hoursDisplay: 'auto' })));
    return format.format({ hours: h, minutes: m, seconds: total % 60 });
  }
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
