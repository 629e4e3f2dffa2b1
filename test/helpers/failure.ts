/**
 * What a promise rejects with, for tests (a resolved promise gives an Error that matches nothing expected):
 * `expect(await failure(p)).toBeInstanceOf(...)`, `expect(await failureMessage(p)).toBe("…")`.
 */
export const failure = (p: Promise<unknown>): Promise<unknown> => p.then(() => new Error("expected a failure, got success"), (e: unknown) => e);

/** The message a promise rejects with ("resolved" when it does not). */
export const failureMessage = (p: Promise<unknown>): Promise<string> => p.then(() => "resolved", (e: unknown) => (e instanceof Error ? e.message : String(e)));
