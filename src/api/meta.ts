/** Identity and handshake endpoints. */
import { z } from "zod";
import { call } from "./endpoint.ts";

/** Server identity; callable without a token (first contact, version check). */
export const serverInfo = call(
  "server.info",
  z.object({}).strict(),
  z.object({ version: z.string(), apiVersion: z.string(), timeUs: z.number(), serverName: z.string() }),
  { auth: false },
);

/** User names: what WALT allows for image owners (lowercase, digits, dash, underscore). */
export const UserName = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,31}$/, "a user name starts with a lowercase letter, then lowercase letters, digits, '-' or '_' (32 at most)");

/**
 * First contact: the server creates the user and returns a token, shown once and stored in the client
 * config. A name already registered is refused (the token is the identity, not the name).
 */
export const registerUser = call(
  "users.register",
  z.object({ username: UserName }).strict(),
  z.object({ username: z.string(), token: z.string() }),
  { auth: false },
);

/** Who the token belongs to. */
export const whoami = call("users.whoami", z.object({}).strict(), z.object({ username: z.string() }));
