/**
 * Version identity of this build. build.ts replaces the two globals through `define`;
 * when running from source they fall back to the development values below.
 */
declare const WALT_BUILD_VERSION: string | undefined;
declare const WALT_BUILD_API_VERSION: string | undefined;

/** Product version, printed by `walt` and `walt agent`. */
export const VERSION: string = typeof WALT_BUILD_VERSION === "string" ? WALT_BUILD_VERSION : "0.1.0-dev";

/**
 * Version of the CLI <-> server contract (src/api). Bumped whenever an endpoint changes shape;
 * client and server refuse to talk across different values, with a message saying which one to upgrade.
 */
export const API_VERSION: string = typeof WALT_BUILD_API_VERSION === "string" ? WALT_BUILD_API_VERSION : "1";
