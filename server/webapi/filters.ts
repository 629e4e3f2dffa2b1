/**
 * Query parameters of the web API, decoded as WALT does: a value of a non-string field is JSON-decoded
 * then converted with Python's type constructor (so `booted=true`, `booted=1`, `from=1.7e9` all work),
 * an empty value is ignored, an unknown field is refused.
 */
import { badRequest } from "./errors.ts";
import { pyBool, pyFloat, pyJsonLoads, pyStr } from "./python.ts";

export type FieldType = "str" | "bool" | "float";
export type FieldValue = string | boolean | number;

/**
 * The query parameters in order of first appearance; a repeated parameter keeps its last value
 * (bottle's `dict(request.query)`).
 */
export function queryParams(url: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const [k, v] of new URL(url).searchParams) params.set(k, v);
  return params;
}

/** Convert one value (WALT's convert_query_param_value); a 400 with WALT's message when it cannot be. */
export function convertValue(value: string, type: FieldType): FieldValue {
  if (type === "str") return value;
  const decoded = pyJsonLoads(value);
  const fail = (shown: string) => badRequest(`cannot interpret '${shown}' as a '${type}'.`);
  if (decoded === undefined) throw fail(value);
  if (type === "bool") return pyBool(decoded);
  const n = pyFloat(decoded);
  // Python formats the message with the value as decoded (e.g. `null` is shown as `None`).
  if (n === undefined) throw fail(pyStr(decoded));
  return n;
}

/**
 * Keep the items whose fields equal every non-empty filter (WALT's filter_items_with_query_params).
 * Parameters are checked in order, so the first invalid one names the error.
 */
export function filterItems<T extends object>(
  items: readonly T[],
  types: Readonly<Record<string, FieldType>>,
  params: ReadonlyMap<string, string>,
): T[] {
  let out = [...items];
  for (const [field, value] of params) {
    const type = Object.hasOwn(types, field) ? types[field] : undefined;
    if (type === undefined) throw badRequest(`'${field}' is not a valid filtering field.`);
    if (value === "") continue;
    const wanted = convertValue(value, type);
    out = out.filter((item) => (item as Record<string, unknown>)[field] === wanted);
  }
  return out;
}
