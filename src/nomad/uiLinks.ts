/**
 * Links into the Nomad and Consul web UIs built from cluster strings (a job id, a group, a service, a
 * datacenter). Each cluster string is one path segment and stays one: the link is checked to keep the
 * route it was built for, as a browser will resolve it. VS Code's Uri decodes `%2F` to `/` before a link
 * is opened and browsers resolve `.`/`..` segments (also encoded) and read `\` as `/`, so a segment that
 * holds `/` or `\`, or is `.`/`..`, cannot be linked safely: such a link is not built at all (undefined),
 * rather than one that leaves `/ui/`. Pure: no `vscode`.
 */

/** A path segment from a cluster string (untrusted); plain strings in a route are our own literals. */
export interface UiSegment {
  readonly value: string;
}
export const segment = (value: string): UiSegment => ({ value });

function unsafe(value: string): boolean {
  // as given, and as anything on the way (VS Code's Uri, a browser, the UI's router) may decode it
  let v = value;
  for (let i = 0; i < 4; i++) {
    if (v === '' || /[/\\]/.test(v)) return true;
    // what a URL parser treats as a dot segment: ".", "..", and their percent-encoded spellings
    const dots = v.replace(/%2e/gi, '.');
    if (dots === '.' || dots === '..') return true;
    let next: string;
    try {
      next = decodeURIComponent(v);
    } catch {
      return false;
    }
    if (next === v) return false;
    v = next;
  }
  return true;
}

/**
 * `base` + the route, each cluster segment percent-encoded, or undefined when a segment cannot be a
 * single segment. `query` values are cluster strings too (encoded).
 */
export function uiLink(
  base: string,
  route: readonly (string | UiSegment)[],
  query?: Readonly<Record<string, string>>,
): string | undefined {
  const parts: string[] = [];
  for (const r of route) {
    if (typeof r === 'string') {
      parts.push(r);
      continue;
    }
    if (unsafe(r.value)) return undefined;
    // encodeURIComponent leaves . ! ' ( ) * ~ alone; encode "%" sequences the decoder would read twice
    parts.push(encodeURIComponent(r.value).replace(/[!'()*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
  }
  const q = query
    ? Object.entries(query)
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
        .join('&')
    : '';
  const root = base.replace(/\/+$/, '');
  const url = `${root}/${parts.join('/')}${q ? `?${q}` : ''}`;
  // as a browser reads it (dot segments resolved, "\" as "/"), and as VS Code's Uri would hand it over
  // (each %XX decoded once): the path is still exactly the route, segment for segment
  let parsed: URL, rootPath: string;
  try {
    parsed = new URL(url);
    rootPath = new URL(root).pathname.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
  const expected = `${rootPath}/${parts.join('/')}`;
  if (parsed.pathname !== expected) return undefined;
  const decoded = parts.map(p => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  if (decoded.some((d, i) => typeof route[i] !== 'string' && unsafe(d))) return undefined;
  return url;
}
