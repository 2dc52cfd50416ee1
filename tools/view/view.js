/* tools/view/view.js: fetches the trace's lines from the server (/events, a poll every
 * 200 ms), keeps them all, and shows the machine at the cursor: the newest line while
 * live; any earlier one when paused, stepped or scrubbed back. */
"use strict";

const records = [];
let header = {frames: null}, cursor = 0, live = true, machine = null, finished = false;
let picked = null;      // the frame whose mappers are shown
const $ = id => document.getElementById(id);

/* The machine after the first n lines: replayed on from where it is, or from the start
 * when the cursor went back. */
function machineAt(n) {
  if (!machine || machine.applied > n) machine = new Machine(header.frames || 0);
  while (machine.applied < n) machine.apply(records[machine.applied]);
  return machine;
}

function showFrame(m, f) {
  const v = m.frameView(f), mappers = m.mappersOf(f);
  const lines = ["frame " + f + " (physical 0x" + (f * 4096).toString(16) + "): " + m.state[f] +
                 (v.pid !== null ? ", owner pid " + v.pid + " " + m.proc(v.pid).name : "") +
                 (v.kind === "shared" ? ", shared" : "")];
  for (const {pid, page, pte} of mappers)
    lines.push("  mapped by pid " + pid + " " + m.proc(pid).name + " at " + hex(page * 4096) +
               ", PTE " + pteBits(pte));
  if (!mappers.length) lines.push("  no mappings");
  $("frame-info").textContent = lines.join("\n");
}

function showPage(p, page) {
  const e = p.pages.get(page);
  $("page-info").textContent = "pid " + p.pid + " page " + hex(page * 4096) + ": " +
    (!e ? "untouched (not resident, not on swap)" : e.where === "resident"
      ? "resident in frame " + e.frame + ", PTE " + pteBits(e.pte)
      : "on swap (last in frame " + e.last + "; PTE then " + pteBits(e.pte) + ")");
}

function render() {
  if (header.frames === null) return;
  const m = machineAt(cursor);
  $("frames-count").textContent = "(" + m.nframes + ", user pages may use " +
    header.user_frames_limit + ")";
  $("grid").dataset.frames = m.nframes;
  drawGrid($("grid"), m);
  drawSpaces($("spaces"), m, showPage);
  drawTimeline($("timeline"), records, cursor);
  drawRate($("rate"), records, cursor);
  drawCounters($("counters"), m);
  drawLog($("log"), records, cursor);
  if (picked !== null) showFrame(m, picked);
  $("scrub").max = records.length;
  $("scrub").value = cursor;
  $("position").textContent = "line " + cursor + " of " + records.length + (live ? " (live)" : "");
}

async function poll() {
  try {
    const answer = await (await fetch("/events?from=" + records.length)).json();
    header = answer.header;
    records.push(...answer.records);
    finished = answer.finished;
    $("status").textContent = answer.status === "running" ? "kernel running"
      : answer.status.startsWith("exited") ? "kernel " + answer.status + (finished ? ", all read" : "")
      : "following the trace file";
    $("status").className = answer.status.startsWith("exited") ? "exited" : "";
    if (live) cursor = records.length;
    if (answer.records.length || live) render();
  } catch (err) {
    $("status").textContent = "server gone (" + err + ")";
  }
  if (!finished) setTimeout(poll, 200);
}

function legend() {
  const entries = [["free", "free"], ["reserved", "reserved (not RAM, kernel image)"],
    ["kernel", "kernel (heap, stacks)"], ["pgtable", "page table"], ["busy", "busy (I/O)"],
    ["shared", "shared by several processes"]];
  for (const [k, label] of entries) {
    const s = document.createElement("span");
    s.innerHTML = "<i></i>";
    s.firstChild.style.background = STATE_COLOURS[k];
    s.append(label);
    $("legend").appendChild(s);
  }
  const s = document.createElement("span");
  s.textContent = "user: its owner's colour; pinned: a black dot in it; cached: a white dot; " +
                  "black ring: the hand";
  $("legend").appendChild(s);
}

function setCursor(n, stayLive) {
  live = stayLive;
  cursor = Math.max(0, Math.min(records.length, n));
  $("pause").textContent = live ? "pause" : "paused";
  render();
}

$("pause").onclick = () => setCursor(cursor, false);
$("live").onclick = () => setCursor(records.length, true);
$("step").onclick = () => setCursor(cursor + 1, false);
$("back").onclick = () => setCursor(cursor - 1, false);
$("scrub").oninput = () => setCursor(Number($("scrub").value), false);
$("grid").addEventListener("click", ev => {
  const g = gridShape(machine.nframes);
  const f = Math.floor(ev.offsetY / g.cell) * g.columns + Math.floor(ev.offsetX / g.cell);
  if (f < machine.nframes) {
    picked = f;
    showFrame(machineAt(cursor), f);
  }
});

/* For tests and the curious: the page's state, and where a frame's cell is. */
window.pagoda = {
  records, get cursor() { return cursor; }, get machine() { return machineAt(cursor); },
  cell(f) {
    const g = gridShape(machine.nframes), r = $("grid").getBoundingClientRect();
    return {x: r.left + 1 + (f % g.columns + 0.5) * g.cell,
            y: r.top + 1 + (Math.floor(f / g.columns) + 0.5) * g.cell};
  },
};

legend();
poll();
