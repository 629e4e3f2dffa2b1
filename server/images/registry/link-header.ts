/**
 * Link header (RFC 8288) as used by registry pagination: `</v2/_catalog?last=b&n=100>; rel="next"`.
 * The target is relative to the URL of the response that carried it.
 */

export interface Link {
  url: string;
  params: Record<string, string>;
}

export function parseLinkHeader(header: string): Link[] {
  const out: Link[] = [];
  let i = 0;
  while (i < header.length) {
    const open = header.indexOf("<", i);
    if (open < 0) break;
    const close = header.indexOf(">", open);
    if (close < 0) break;
    const link: Link = { url: header.slice(open + 1, close), params: {} };
    i = close + 1;
    // parameters up to the next comma that is outside quotes
    for (;;) {
      const m = /^\s*;\s*([^=;,\s]+)\s*(?:=\s*(?:"((?:[^"\\]|\\.)*)"|([^;,\s]*)))?/.exec(header.slice(i));
      if (!m) break;
      link.params[(m[1] as string).toLowerCase()] = (m[2] ?? m[3] ?? "").replace(/\\(.)/g, "$1");
      i += m[0].length;
    }
    out.push(link);
    const comma = header.indexOf(",", i);
    if (comma < 0) break;
    i = comma + 1;
  }
  return out;
}

/** The absolute URL of the rel="next" link, resolved against `base`, or undefined on the last page. */
export function nextPageUrl(header: string | null, base: string): string | undefined {
  if (!header) return undefined;
  const next = parseLinkHeader(header).find((l) => (l.params["rel"] ?? "").split(/\s+/).includes("next"));
  return next ? new URL(next.url, base).toString() : undefined;
}
