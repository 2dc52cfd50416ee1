/* tools/view/model.js: the machine as the trace describes it after any number of its
 * lines: each frame's state and its mappers (the reverse map), each process's regions and
 * pages, the counters and the policy's hand. Replayed line by line, as
 * tools/vmtrace-src/replay.py does (docs/tracing.md says why the replay is exact). */
"use strict";

const FAULTS = ["zero_fill", "file_fill", "swap_in", "cow_copy", "cow_reuse", "cache_hit",
                "uffd_fill"];
const EVICTIONS = ["swap_out", "writeback_avoided", "clean_drop"];
const USER_STATES = ["user", "cached", "pinned", "busy"];

class Machine {
  constructor(nframes) {
    this.nframes = nframes;
    this.state = new Array(nframes).fill("free");  // "frames" lines: the kernel's own word
    this.mappers = new Map();   // frame -> Map("pid:page" -> {pid, page})
    this.procs = new Map();     // pid -> {pid, name, regions, pages: Map(page -> {...}), exited}
    this.counts = {};           // event kind -> lines
    this.hand = null;           // the frame the policy chose last
    this.applied = 0;           // lines replayed
    this.errors = 0;            // lines that could not be read
  }

  proc(pid) {
    if (!this.procs.has(pid))
      this.procs.set(pid, {pid, name: "?", regions: [], pages: new Map(), exited: false});
    return this.procs.get(pid);
  }

  /* Page `page` of pid is now in frame, with these PTE bits. */
  map(pid, page, frame, pte) {
    this.drop(pid, page, null);
    this.proc(pid).pages.set(page, {where: "resident", frame, pte});
    if (!this.mappers.has(frame)) this.mappers.set(frame, new Map());
    this.mappers.get(frame).set(pid + ":" + page, {pid, page});
  }

  /* It is no longer resident: out on swap (where "swapped"), or gone (where null). */
  drop(pid, page, where, pte) {
    const p = this.proc(pid), old = p.pages.get(page);
    if (old && old.where === "resident") {
      const m = this.mappers.get(old.frame);
      m.delete(pid + ":" + page);
      if (!m.size) this.mappers.delete(old.frame);
    }
    if (where) p.pages.set(page, {where, frame: null, pte: pte === undefined ? null : pte,
                                  last: old ? old.frame : null});
    else p.pages.delete(page);
  }

  dropWhere(pid, keep) {
    for (const page of [...this.proc(pid).pages.keys()])
      if (!keep(page)) this.drop(pid, page, null);
  }

  fork(child, parent) {
    const c = this.proc(child), p = this.proc(parent);
    c.name = p.name;
    this.dropWhere(child, () => false);
    for (const [page, e] of p.pages)      /* the swapped pages' slots are shared now */
      if (e.where === "swapped") c.pages.set(page, Object.assign({}, e));
  }

  evict(r) {
    const e = this.proc(r.pid).pages.get(r.va >>> 12);
    if (e && e.where === "resident" && e.frame === r.frame)
      this.drop(r.pid, r.va >>> 12, r.kind === "clean_drop" ? null : "swapped", r.pte);
    this.hand = r.frame;
  }

  apply(r) {
    this.applied++;
    this.counts[r.kind] = (this.counts[r.kind] || 0) + 1;
    if (r.kind === "error") {
      this.errors++;
    } else if (r.kind === "frames") {
      const [first, count, st] = r.arg;
      for (let f = first; f < first + count && f < this.nframes; f++) this.state[f] = st;
    } else if (r.kind === "regions") {
      this.proc(r.pid).regions = r.arg;
    } else if (r.kind === "fork") {
      this.fork(r.pid, r.arg);
    } else if (r.kind === "exec") {
      this.proc(r.pid).name = r.arg;
      this.dropWhere(r.pid, () => false);
    } else if (r.kind === "exit") {
      this.dropWhere(r.pid, () => false);
      this.proc(r.pid).exited = true;
    } else if (r.kind === "unmap") {
      const [start, end] = r.arg;
      this.dropWhere(r.pid, page => page < start >>> 12 || page >= end >>> 12);
    } else if (r.kind === "map" || FAULTS.includes(r.kind)) {
      this.map(r.pid, r.va >>> 12, r.frame, r.pte);
    } else if (EVICTIONS.includes(r.kind)) {
      this.evict(r);
    }
  }

  /* Who maps frame f: [{pid, page, pte}], lowest pid first. */
  mappersOf(f) {
    const m = this.mappers.get(f);
    if (!m) return [];
    return [...m.values()].map(({pid, page}) =>
      ({pid, page, pte: this.proc(pid).pages.get(page).pte})).sort((a, b) => a.pid - b.pid);
  }

  /* What the grid shows for frame f: {kind, pid}. A user frame that nobody maps is
   * between its allocation and its fault's line, or being written out: busy. */
  frameView(f) {
    const st = this.state[f];
    if (!USER_STATES.includes(st)) return {kind: st, pid: null};
    const pids = new Set(this.mappersOf(f).map(m => m.pid));
    if (pids.size > 1) return {kind: "shared", pid: null};
    if (pids.size === 0) return {kind: "busy", pid: null};
    return {kind: st, pid: [...pids][0]};
  }
}

/* The PTE's flag bits by name (mm/mmu.h). */
function pteBits(pte) {
  if (pte === null || pte === undefined) return "unknown";
  const names = [[0x1, "P present"], [0x2, "W writable"], [0x4, "U user"], [0x20, "A accessed"],
                 [0x40, "D dirty"]];
  const on = names.filter(([bit]) => pte & bit).map(([, name]) => name);
  return "0x" + pte.toString(16).padStart(3, "0") + (on.length ? " (" + on.join(", ") + ")" : "");
}
