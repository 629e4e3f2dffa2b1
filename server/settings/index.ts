/** Public surface of the settings framework of `walt node config` / `walt device config`. */
export type { FinalMessage, Plan, PlanEnv, PlanUpdate, SettingsDevice, SettingValue } from "./types.ts";
export { CATEGORIES, CATEGORIES_BY_PRIORITY, mainCategory, type Category, type CategoryName } from "./categories.ts";
export { SETTINGS, showValue, type SettingDefinition } from "./definitions.ts";
export { parseExpose, type Redirect } from "./expose.ts";
export { parseSettingsArgs, planSettings, switchName } from "./apply.ts";
export { effectiveConfig, formatConfig, webApiConfig } from "./show.ts";
export { settingNamesFor } from "./names.ts";
export { DISK_TEMPLATES, parseVnodeDisks, parseVnodeNetworks, type NetworkRestrictions, type VnodeDisk } from "./vnode-values.ts";
export { MIN_BOOT_TIMEOUT, NETSETUP } from "./values.ts";
