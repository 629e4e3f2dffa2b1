import { describe, expect, test } from "bun:test";
import { mountArgs } from "./sys.ts";

describe("mount arguments", () => {
  test.each([
    ["proc", "/proc", "proc", "", ["-t", "proc", "proc", "/proc"]],
    ["tmpfs", "/run/walt/rw", "tmpfs", "size=50%,mode=0755", ["-t", "tmpfs", "-o", "size=50%,mode=0755", "tmpfs", "/run/walt/rw"]],
    ["/", "/run/walt/lower", "none", "bind", ["--bind", "/", "/run/walt/lower"]],
    ["/mnt/run", "/run", "", "move", ["--move", "/mnt/run", "/run"]],
    ["tmpfs", "/run/walt/rw", "none", "remount,size=8G", ["-o", "remount,size=8G", "/run/walt/rw"]],
    ["/dev/sda1", "/mnt", "", "", ["/dev/sda1", "/mnt"]],
  ])("mount %s on %s (%s, %s)", (source, target, fstype, options, expected) => {
    expect(mountArgs(source, target, fstype, options)).toEqual(expected);
  });
});
