/**
 * WALT's "autoglob" (server/walt/server/autoglob.py): a compact glob describing a list of node models,
 * e.g. `rpi-b, rpi-2-b, rpi-3-b, qemu-arm, pc-x86-64, pc-x86-32` -> `rpi-[b,2-b,3-b],qemu-arm,pc-x86-[64,32]`.
 *
 * The algorithm is WALT's own (not a trie): it builds a graph with one state per distinct character,
 * one numbered transition per character occurrence, merges states having a single successor, then prints
 * the graph. Its output depends on the order of the words and on every iteration order, so this port keeps
 * Python's insertion-ordered dicts (as Maps) and its exact traversal order.
 */

const START = "__START__";
const END = "__END__";

interface State {
  name: string;
  readonly routes: Map<number, State>;
  refCount: number;
}

interface Graph {
  readonly states: Map<string, State>;
  readonly next: Map<number, number>;
  readonly start: State;
}

function must<T>(v: T | undefined): T {
  if (v === undefined) throw new Error("autoglob: inconsistent graph");
  return v;
}

function construct(words: readonly string[]): Graph {
  const states = new Map<string, State>();
  const next = new Map<number, number>();
  const register = (name: string): State => {
    const s: State = { name, routes: new Map(), refCount: 0 };
    states.set(name, s);
    return s;
  };
  const start = register(START);
  let prev: State | undefined;
  let transition = 0;
  for (const word of words) {
    for (const name of [START, ...word, END]) {
      const state = states.get(name) ?? register(name);
      if (name !== START) {
        must(prev).routes.set(transition, state);
        next.set(transition - 1, transition);
        state.refCount += 1;
      }
      prev = state;
      transition += 1;
    }
  }
  return { states, next, start };
}

/** Merge `state` with its unique successor state; true when the graph changed. */
function simplifyState(g: Graph, state: State): boolean {
  if (state.name === START || state.routes.size === 0) return false;
  const targets = new Set(state.routes.values());
  if (targets.size > 1) return false;
  const target = must([...targets][0]);
  if (target.name === END) return false;
  for (const transition of [...state.routes.keys()]) {
    const nextTransition = must(g.next.get(transition));
    state.routes.set(transition, must(target.routes.get(nextTransition)));
    target.routes.delete(nextTransition);
    target.refCount -= 1;
    const nextNext = g.next.get(nextTransition);
    if (nextNext === undefined) {
      g.next.delete(transition);
    } else {
      g.next.set(transition, nextNext);
      g.next.delete(nextTransition);
    }
  }
  state.name += target.name;
  return true;
}

function simplify(g: Graph): void {
  for (;;) {
    let changed = false;
    for (const [name, state] of [...g.states]) {
      if (state.refCount <= 0 && state.name !== START) {
        g.states.delete(name);
        changed = true;
      }
      if (simplifyState(g, state)) changed = true;
    }
    if (!changed) return;
  }
}

function render(g: Graph, state: State, current?: ReadonlySet<number | undefined>): string {
  if (state.name === END) return "";
  const selected = new Map<State, number[]>();
  for (const [transition, target] of state.routes) {
    if (current !== undefined && !current.has(transition)) continue;
    const list = selected.get(target) ?? [];
    list.push(transition);
    selected.set(target, list);
  }
  const globs: string[] = [];
  for (const [target, transitions] of selected) {
    globs.push(render(g, target, new Set(transitions.map((t) => g.next.get(t)))));
  }
  if (state.name === START) return globs.join(",");
  // `<value>` and `<empty>` mean `<value>` is optional: print `[<value>]`, not `[|<value>]`
  const optional = globs.length === 2 && globs.includes("");
  const inner = optional ? globs.filter((x) => x !== "") : globs;
  const option1 = `${state.name}[${inner.join("|")}]`;
  const option2 = globs.map((x) => state.name + x).join(",");
  const len1 = [...option1].length;
  const len2 = [...option2].length;
  if (len1 < len2) return option1;
  if (len1 > len2) return option2;
  // same length: the optional notation may be more readable, otherwise keep it simple and repeat the prefix
  return optional ? option1 : option2;
}

/** The compact glob of `words` (node models), as WALT shows in the `compatibility` column. */
export function autoglob(words: readonly string[]): string {
  if (words.length === 1) return words[0] ?? "";
  const graph = construct(words);
  simplify(graph);
  return render(graph, graph.start);
}
