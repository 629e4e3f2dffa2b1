/** The registry client's public surface (see client.ts for the client, clonable.ts for WALT's links). */
export { RegistryClient, type InspectResult, type RegistryClientOptions } from "./client.ts";
export type { PullOptions, PullResult } from "./pull.ts";
export type { PushOptions } from "./push.ts";
export type { BlobSink, BlobSource, Credentials, Descriptor, FetchedManifest, FetchFn, OnProgress, Platform, Progress, ProgressPhase } from "./types.ts";
export { clonableFullname, clonableLocations, fixImageName, formatClonableLink, invalidLinkMessage, ownImageLinkMessage, parseClonableLink, type ClonableLink } from "./clonable.ts";
export { DOCKER_HUB_HOST, formatReference, parseReference, referenceRef, registryBaseUrl, type ImageReference } from "./reference.ts";
export { hostPlatform, MEDIA, parseManifest, resolvePlatform, type ImageIndex, type ImageManifest } from "./manifest.ts";
