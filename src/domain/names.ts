/**
 * Name validators of WALT, each returning WALT's exact error message (without the trailing newline WALT
 * writes to stderr), or undefined when the name is valid. The `assert*` variants throw a WaltError USAGE.
 *
 * WALT tests these rules with Python's `re.match(...$)`, where `$` also matches before a final newline;
 * a name ending with a newline is refused here.
 */
import { WaltError } from "../errors.ts";

/** server/.../devices/manager.py NEW_NAME_ERROR_AND_GUIDELINES. */
export const NEW_NAME_ERROR_AND_GUIDELINES =
  "Failed: invalid new name.\n" +
  "This name must be a valid network hostname.\n" +
  "Only alphanumeric characters and '-' are allowed.\n" +
  "The 1st character must be an alphabet letter.\n" +
  "The name must be at least 2-chars long.\n" +
  "(Example: rpi-D327)";

/** client/walt/client/log.py MSG_INVALID_CHECKPOINT_NAME. */
export const INVALID_CHECKPOINT_NAME =
  "Invalid checkpoint name:\n" +
  "* Only alnum and dash(-) characters are allowed.\n" +
  "* dash(-) is not allowed as the 1st character.";

/** server/.../images/image.py ERROR_BAD_IMAGE_NAME. */
export const BAD_IMAGE_NAME =
  "Bad name: expected format is <name> or <name>:<tag>.\n" +
  "Only lowercase letters, digits and dash(-) characters are allowed in <name> and <tag>.";

/** server/.../images/image.py ERROR_DEFAULT_IMAGE_RESERVED. */
export const DEFAULT_IMAGE_RESERVED = "Sorry 'default' is a reserved keyword.";

/** WALT's message when a new device name is already taken (uniqueness is checked by the caller). */
export function deviceNameExistsMessage(name: string): string {
  return `Failed: a device with name '${name}' already exists.`;
}

/** A new device / node name (rename, vnode creation): ≥ 2 chars, a letter then letters, digits or dashes. */
export function validateDeviceName(name: string): string | undefined {
  return name.length >= 2 && /^[a-zA-Z][a-zA-Z0-9-]*$/.test(name) ? undefined : NEW_NAME_ERROR_AND_GUIDELINES;
}

/** Whether `name` is a valid checkpoint name (`^[a-zA-Z0-9]+[a-zA-Z0-9\-]+$`, so at least 2 characters). */
export function isValidCheckpointName(name: string): boolean {
  return /^[a-zA-Z0-9]+[a-zA-Z0-9-]+$/.test(name);
}

/** A checkpoint name (`walt log add-checkpoint`). */
export function validateCheckpointName(name: string): string | undefined {
  return isValidCheckpointName(name) ? undefined : INVALID_CHECKPOINT_NAME;
}

/**
 * A new image name (`validate_image_name`): `default` is reserved; otherwise at most one `:` and only
 * `[a-z0-9-]` around it (WALT accepts an empty part, e.g. `name:`).
 */
export function validateImageName(name: string): string | undefined {
  if (name === "default") return DEFAULT_IMAGE_RESERVED;
  const colons = name.split(":").length - 1;
  return colons <= 1 && /^[a-z0-9-]+$/.test(name.replace(":", "")) ? undefined : BAD_IMAGE_NAME;
}

function orThrow(message: string | undefined): void {
  if (message !== undefined) throw new WaltError("USAGE", message);
}

/** Throw WaltError USAGE with WALT's message unless `name` is a valid new device name. */
export function assertValidDeviceName(name: string): void {
  orThrow(validateDeviceName(name));
}

/** Throw WaltError USAGE with WALT's message unless `name` is a valid checkpoint name. */
export function assertValidCheckpointName(name: string): void {
  orThrow(validateCheckpointName(name));
}

/** Throw WaltError USAGE with WALT's message unless `name` is a valid new image name. */
export function assertValidImageName(name: string): void {
  orThrow(validateImageName(name));
}
