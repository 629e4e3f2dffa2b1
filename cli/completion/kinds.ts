/**
 * What a positional argument or a switch value is, for completion (WALT annotates its `main()` arguments
 * with client/walt/client/types.py classes; we derive the same from argument names and switch metavars).
 */

export type CompletionKind =
  | "NODE"
  | "SET_OF_NODES"
  | "IMAGE"
  | "IMAGE_OR_DEFAULT"
  | "CONFIG_PARAM"
  | "DEVICE"
  | "SWITCH"
  | "SET_OF_DEVICES"
  | "RESCAN_SET_OF_DEVICES"
  | "SET_OF_ISSUERS"
  | "LOG_CHECKPOINT"
  | "HISTORY_RANGE"
  | "HELP_TOPIC"
  | "LOG_WAIT_MODE";

const BY_ARG_NAME: Readonly<Record<string, CompletionKind>> = {
  node_set: "SET_OF_NODES",
  node_name: "NODE",
  old_node_name: "NODE",
  image_name_or_default: "IMAGE_OR_DEFAULT",
  image_name: "IMAGE",
  device_name: "DEVICE",
  old_name: "DEVICE",
  device_set: "SET_OF_DEVICES",
  switch_name: "SWITCH",
  configuration: "CONFIG_PARAM",
  checkpoint_name: "LOG_CHECKPOINT",
  topic: "HELP_TOPIC",
};

/** `<category> <command> <arg>` whose meaning differs from the general rule (null: a new name, not completed). */
const OVERRIDES: Readonly<Record<string, CompletionKind | null>> = {
  "node save image_name": null,
  "image build image_name": null,
  "image clone image_name": null,
  "log add-checkpoint checkpoint_name": null,
  "device rescan device_set": "RESCAN_SET_OF_DEVICES",
  "device port-config configuration": null,
};

const BY_METAVAR: Readonly<Record<string, CompletionKind>> = {
  SET_OF_ISSUERS: "SET_OF_ISSUERS",
  HISTORY_RANGE: "HISTORY_RANGE",
  LOG_WAIT_MODE: "LOG_WAIT_MODE",
};

export function argKind(category: string, command: string, arg: string): CompletionKind | undefined {
  const key = `${category} ${command} ${arg}`;
  if (Object.hasOwn(OVERRIDES, key)) return OVERRIDES[key] ?? undefined;
  return Object.hasOwn(BY_ARG_NAME, arg) ? BY_ARG_NAME[arg] : undefined;
}

/** The kind of a switch value from its metavar (`SET_OF_ISSUERS:str` → SET_OF_ISSUERS). */
export function switchKind(metavar: string): CompletionKind | undefined {
  const name = metavar.split(":")[0] ?? "";
  return Object.hasOwn(BY_METAVAR, name) ? BY_METAVAR[name] : undefined;
}
