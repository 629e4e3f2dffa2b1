/**
 * What a command receives: the terminal (`io`), a lazily configured API client, and UI helpers.
 * The first command that needs the server runs WALT's new-user flow if the client is not configured.
 */
import { registerUser, serverInfo } from "../src/api/meta.ts";
import { CancelledError, WaltError } from "../src/errors.ts";
import { ApiClient, type FetchLike } from "./client.ts";
import { configPath, loadConfig, saveConfig, serverUrl, type ClientConfig } from "./config.ts";
import type { Io } from "./ui/io.ts";
import { withSpinner } from "./ui/spinner.ts";
import { confirm, prompt } from "./ui/confirm.ts";

export interface CliDeps {
  /** Replaces global fetch (tests route requests to an in-process server). */
  fetch?: FetchLike;
}

export class CliContext {
  private client: ApiClient | undefined;
  private cfg: ClientConfig | undefined;

  constructor(
    readonly io: Io,
    private readonly deps: CliDeps = {},
  ) {}

  /** The configured client (runs the first-contact flow when needed). */
  async api(): Promise<ApiClient> {
    if (this.client) return this.client;
    const cfg = await this.ensureConfig();
    this.client = new ApiClient(serverUrl(cfg.server), cfg.token, this.deps.fetch);
    return this.client;
  }

  async username(): Promise<string> {
    await this.api();
    return this.cfg?.username ?? "";
  }

  /** Run `fn` with WALT's busy indicator (default label `Server is working`). */
  busy<T>(fn: () => Promise<T>, label = "Server is working"): Promise<T> {
    return withSpinner(this.io, label, fn);
  }

  /** WALT's `Are you sure? (y/n): ` confirmation; throws CancelledError on "n". */
  async confirmOrAbort(): Promise<void> {
    if (!(await confirm(this.io))) throw new CancelledError();
  }

  private async ensureConfig(): Promise<ClientConfig> {
    const env = this.io.env;
    const path = configPath(env);
    const partial = loadConfig(path, env) ?? {};
    if (partial.server && partial.username && partial.token) return (this.cfg = partial as ClientConfig);
    const out = this.io.stdout;
    const automatic = env["WALT_USER"] !== undefined && partial.server !== undefined;
    if (!automatic) out.write("You are a new user of this WalT platform, and this command requires a few configuration items.\n");
    const server = partial.server ?? (await this.ask("IP or hostname of WalT server: "));
    const username = partial.username ?? env["WALT_USER"] ?? (await this.ask("Please choose a username for this walt platform: "));
    if (!automatic) out.write("Testing provided configuration... ");
    const anon = new ApiClient(serverUrl(server), undefined, this.deps.fetch);
    try {
      await anon.call(serverInfo, {});
    } catch (e) {
      if (!automatic) out.write("FAILED. The value of 'walt.server' you entered seems invalid (or the server is down?).\n");
      throw e;
    }
    if (!automatic) out.write("OK.\n");
    const { token } = await anon.call(registerUser, { username });
    const cfg: ClientConfig = { server, username, token };
    saveConfig(path, cfg);
    out.write(`Configuration was updated in ${path}.\n`);
    return (this.cfg = cfg);
  }

  private async ask(question: string): Promise<string> {
    const answer = await prompt(this.io, question);
    if (answer === undefined) {
      throw new WaltError("USAGE", "The walt client is not configured and no terminal is available to ask for the settings.", {
        hint: `set WALT_SERVER and WALT_USER, or write ${configPath(this.io.env)} (see: walt help show client-config)`,
      });
    }
    return answer.trim();
  }
}
