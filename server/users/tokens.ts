/**
 * Identity beyond WALT's honor system: the server issues a token at a user's first contact and keeps
 * only its SHA-256. Every CLI request carries the token; the user name comes from it, not from the client.
 */
import { eq } from "drizzle-orm";
import { conflict } from "../../src/errors.ts";
import type { Clock } from "../../src/clock.ts";
import type { Db } from "../db/db.ts";

const hash = (token: string): string => new Bun.CryptoHasher("sha256").update(token).digest("hex");

export class UserRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Create a user and return its token. Refuses an existing name. */
  async register(name: string): Promise<string> {
    const t = this.db.t.users;
    const existing = await this.db.orm.select({ name: t.name }).from(t).where(eq(t.name, name));
    if (existing.length) {
      throw conflict(
        `User name '${name}' is already registered on this server.`,
        "copy the token from that user's client config (~/.config/walt/config), or choose another name",
      );
    }
    const token = Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString("base64url");
    await this.db.orm.insert(t).values({ name, tokenHash: hash(token), createdUs: this.clock.nowUs() });
    return token;
  }

  /** User name owning `token`, or undefined. */
  async resolve(token: string): Promise<string | undefined> {
    const t = this.db.t.users;
    const rows = await this.db.orm.select({ name: t.name }).from(t).where(eq(t.tokenHash, hash(token)));
    return rows[0]?.name;
  }
}
