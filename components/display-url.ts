/**
 * Query or fragment parameters that carry a credential: an access token, an API key, a
 * password, a signature. Customer data is shown to the agent, read over shoulders and captured
 * in screenshots; a credential in it must not be.
 */
const SECRET_PARAM = /^(?:\w*token|\w*key|pass(?:word|wd)?|pwd|\w*secret|sig(?:nature)?|x-amz-signature|auth(?:orization)?|jwt|sid|session_?id|code)$/i;

/**
 * A URL as the agent may see it: without `user:password@` and without credential parameters
 * (`?token=…`, `#access_token=…`). Text that is not a URL, or a URL with nothing to hide, comes
 * back exactly as given. Only for display: a link keeps its real target.
 */
export function withoutCredentials(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return value;
  }
  const before = url.href;
  url.username = url.password = '';
  for (const part of ['search', 'hash'] as const) {
    const params = new URLSearchParams(url[part].slice(1));
    const secret = [...params.keys()].filter((key) => SECRET_PARAM.test(key));
    if (secret.length === 0) continue;
    for (const key of secret) params.delete(key);
    url[part] = params.toString();
  }
  return url.href === before ? value : url.href;
}
