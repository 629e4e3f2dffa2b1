/**
 * Parsing of the WWW-Authenticate header (RFC 7235) as registries send it, e.g.
 * `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/x:pull"`
 * or `Basic realm="basic-realm"`. Several challenges may share one header, separated by commas.
 */

export interface Challenge {
  /** Lower-cased scheme: "basic", "bearer", ... */
  scheme: string;
  /** Parameters with lower-cased names. */
  params: Record<string, string>;
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;

export function parseWwwAuthenticate(header: string): Challenge[] {
  const out: Challenge[] = [];
  let i = 0;
  const n = header.length;
  const skip = (chars: string): void => {
    while (i < n && chars.includes(header[i] as string)) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < n && TOKEN.test(header[i] as string)) i++;
    return header.slice(start, i);
  };
  const quoted = (): string => {
    let v = "";
    i++; // opening quote
    while (i < n && header[i] !== '"') {
      if (header[i] === "\\" && i + 1 < n) i++;
      v += header[i];
      i++;
    }
    i++; // closing quote
    return v;
  };
  // Unquoted values should be tokens; be lenient (an unquoted URL realm) and stop at a comma or a space.
  const bare = (): string => {
    const start = i;
    while (i < n && !", \t".includes(header[i] as string)) i++;
    return header.slice(start, i);
  };
  // True when a `name=` auth-param starts at i (as opposed to the next challenge's scheme).
  const paramAhead = (): boolean => {
    const m = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+[ \t]*=(?!=)/.exec(header.slice(i));
    return m !== null;
  };

  while (i < n) {
    skip(" \t,");
    if (i >= n) break;
    const scheme = token();
    if (!scheme) {
      i++; // stray character: ignore it rather than loop forever
      continue;
    }
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} };
    out.push(challenge);
    skip(" \t");
    for (;;) {
      skip(" \t");
      if (i < n && header[i] === ",") {
        const save = i;
        i++;
        skip(" \t,");
        if (!paramAhead()) {
          i = save;
          break;
        }
      }
      if (!paramAhead()) {
        // token68 form (`Negotiate abc==`): keep it, registries do not use it
        const start = i;
        while (i < n && header[i] !== ",") i++;
        const t = header.slice(start, i).trim();
        if (t) challenge.params["token68"] = t;
        break;
      }
      const name = token().toLowerCase();
      skip(" \t");
      i++; // '='
      skip(" \t");
      challenge.params[name] = header[i] === '"' ? quoted() : bare();
    }
  }
  return out;
}
