/**
 * The default way a bridge loads its CRM's library: one classic `<script>` element, resolved on
 * `load`, rejected on `error`. Pages replace it with `crmOptions.loadScript` (tests load a fake;
 * a page may already have the library).
 */
export function injectScript(url: string, attributes: Record<string, string> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
    script.src = url;
    script.addEventListener('load', () => resolve(), { once: true });
    script.addEventListener('error', () => reject(new Error(`Could not load ${url}.`)), { once: true });
    document.head.append(script);
  });
}

/**
 * The origin of `candidate` if it is an https origin on one of `domains` (e.g. `.force.com`),
 * else undefined: a bridge loads its CRM's code only from the CRM's own domains.
 */
export function trustedOrigin(candidate: string | null | undefined, domains: readonly string[]): string | undefined {
  if (!candidate) return undefined;
  try {
    const url = new URL(candidate);
    if (url.protocol !== 'https:') return undefined;
    return domains.some((d) => url.hostname.endsWith(d)) ? url.origin : undefined;
  } catch {
    return undefined;
  }
}
