/** An image found by a search, whatever its location. */
export interface Found {
  user: string;
  /** `name:tag`. */
  nameTag: string;
  labels: Record<string, string>;
}

/** `user/name:tag` split, or undefined when the repository is not `<user>/<name>`. */
export function splitFullname(fullname: string): { user: string; nameTag: string } | undefined {
  const parts = fullname.split("/");
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { user: parts[0], nameTag: parts[1] };
}
