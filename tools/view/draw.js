/* tools/view/draw.js: draws a Machine (model.js): the frame grid, a strip of pages per
 * region of each process, the timeline of events with the hand, the fault rate, the
 * counters and the latest lines. Colours: STATE_COLOURS, and one hue per process. */
"use strict";

const STATE_COLOURS = {
  free: "#ffffff", reserved: "#3b3b3b", kernel: "#8a9bb0", pgtable: "#c8962e",
  busy: "#ff0000", shared: "#fff200",
};
const KIND_COLOURS = {
  zero_fill: "#2ca02c", file_fill: "#1f77b4", swap_in: "#9467bd", cow_copy: "#ff7f0e",
  cow_reuse: "#e0b000", segv: "#d62728", swap_out: "#8c564b", writeback_avoided: "#e377c2",
  clean_drop: "#7f7f7f", cache_hit: "#17becf", file_writeback: "#bcbd22", uffd_fill: "#393b79",
  error: "#ff00ff",
};
const PAGE_COLOURS = {swapped: "#9467bd", untouched: "#e4e4e4"};

/* A hue per process: the golden angle apart, so neighbouring pids never look alike. */
function pidColour(pid) {
  return "hsl(" + Math.round((pid * 137.508 + 200) % 360) + ", 70%, 45%)";
}

/* The grid's shape: about twice as wide as tall, cells of 2 to 12 pixels. */
function gridShape(nframes) {
  const columns = Math.ceil(Math.sqrt(nframes * 2) / 16) * 16;
  const cell = Math.max(2, Math.min(12, Math.floor(960 / columns)));
  return {columns, cell, rows: Math.ceil(nframes / columns)};
}

function cellColour(view) {
  return view.pid === null ? STATE_COLOURS[view.kind] : pidColour(view.pid);
}

function drawGrid(canvas, m) {
  const g = gridShape(m.nframes);
  canvas.width = g.columns * g.cell;
  canvas.height = g.rows * g.cell;
  const c = canvas.getContext("2d");
  c.fillStyle = "#dddddd";
  c.fillRect(0, 0, canvas.width, canvas.height);
  const gap = g.cell >= 4 ? 1 : 0;
  for (let f = 0; f < m.nframes; f++) {
    const v = m.frameView(f), x = (f % g.columns) * g.cell, y = Math.floor(f / g.columns) * g.cell;
    c.fillStyle = cellColour(v);
    c.fillRect(x, y, g.cell - gap, g.cell - gap);
    if (v.kind === "pinned" || v.kind === "cached") {     /* a mark inside the owner's colour */
      c.fillStyle = v.kind === "pinned" ? "#000000" : "#ffffff";
      const s = Math.max(1, Math.floor(g.cell / 3));
      c.fillRect(x + s, y + s, Math.max(1, g.cell - gap - 2 * s), Math.max(1, g.cell - gap - 2 * s));
    }
  }
  if (m.hand !== null) {                                  /* the hand: a ring on its frame */
    c.strokeStyle = "#000000";
    c.lineWidth = 1;
    c.strokeRect((m.hand % g.columns) * g.cell - 1.5, Math.floor(m.hand / g.columns) * g.cell - 1.5,
                 g.cell + 2, g.cell + 2);
  }
}

function hex(n) {
  return (n >>> 0).toString(16).padStart(8, "0");
}

/* One row per region: its pages as cells, resident in the owner's colour. */
function drawRegion(canvas, m, p, [start, end]) {
  const pages = (end - start) >>> 12, cell = Math.max(1, Math.min(8, Math.floor(640 / pages)));
  canvas.width = Math.min(pages * cell, 640);
  canvas.height = 10;
  canvas.dataset.cell = cell;
  const c = canvas.getContext("2d");
  c.fillStyle = PAGE_COLOURS.untouched;
  c.fillRect(0, 0, canvas.width, canvas.height);
  for (const [page, e] of p.pages) {
    const i = page - (start >>> 12);
    if (i < 0 || i >= pages) continue;
    c.fillStyle = e.where === "resident" ? pidColour(p.pid) : PAGE_COLOURS.swapped;
    c.fillRect(Math.floor(i * canvas.width / pages), 0, Math.max(1, cell - (cell > 3)), 10);
  }
}

function drawSpaces(div, m, onPage) {
  div.textContent = "";
  for (const p of [...m.procs.values()].filter(p => p.pid && !p.exited)) {
    const box = document.createElement("div");
    box.className = "space";
    const title = document.createElement("div");
    title.className = "space-title";
    title.style.color = pidColour(p.pid);
    const resident = [...p.pages.values()].filter(e => e.where === "resident").length;
    const swapped = p.pages.size - resident;
    title.textContent = "pid " + p.pid + " " + p.name + ": " + resident + " resident, " +
                        swapped + " swapped";
    box.appendChild(title);
    for (const r of p.regions) {
      const row = document.createElement("div");
      row.className = "region";
      const label = document.createElement("span");
      label.textContent = hex(r[0]) + "-" + hex(r[1]) + " " + r[2] + " " + r[3];
      const canvas = document.createElement("canvas");
      drawRegion(canvas, m, p, r);
      canvas.addEventListener("click", ev => {
        const pages = (r[1] - r[0]) >>> 12;
        onPage(p, (r[0] >>> 12) + Math.floor(ev.offsetX * pages / canvas.width));
      });
      row.append(label, canvas);
      box.appendChild(row);
    }
    div.appendChild(box);
  }
}

const MARKED = FAULTS.concat(["segv"], EVICTIONS, ["error"]);

/* The last events up to the cursor, newest at the right: faults above the middle line,
 * evictions below; the hand's frame as a dot in the band at the bottom. */
function drawTimeline(canvas, records, cursor) {
  const c = canvas.getContext("2d"), w = canvas.width, h = canvas.height, mid = 60;
  c.fillStyle = "#ffffff";
  c.fillRect(0, 0, w, h);
  c.strokeStyle = "#cccccc";
  c.beginPath(); c.moveTo(0, mid); c.lineTo(w, mid); c.moveTo(0, 100); c.lineTo(w, 100); c.stroke();
  const shown = [];
  for (let i = cursor - 1; i >= 0 && shown.length < w / 3; i--)
    if (MARKED.includes(records[i].kind)) shown.push(records[i]);
  const hands = shown.filter(r => EVICTIONS.includes(r.kind)).map(r => r.frame);
  const lo = Math.min(...hands), hi = Math.max(...hands);
  shown.forEach((r, k) => {
    const x = w - 3 * (k + 1);
    c.fillStyle = KIND_COLOURS[r.kind];
    if (EVICTIONS.includes(r.kind)) {
      c.fillRect(x, mid + 2, 2, 30);
      c.fillStyle = "#000000";
      c.fillRect(x, 128 - (hi > lo ? (r.frame - lo) * 24 / (hi - lo) : 12), 2, 2);
    } else {
      c.fillRect(x, mid - 32, 2, 30);
    }
  });
  c.fillStyle = "#333333";
  c.font = "11px sans-serif";
  c.textAlign = "right";
  c.fillText("faults (newest at the right)", w - 4, 12);
  c.fillText("evictions", w - 4, mid + 44);
  c.fillText(hands.length ? "hand (the frame chosen): " + lo + " to " + hi
             : "hand: no eviction yet", w - 4, h - 2);
  c.textAlign = "left";
}

/* Faults per million TSC cycles, in 60 bins from the first line to the cursor. */
function drawRate(canvas, records, cursor) {
  const c = canvas.getContext("2d"), w = canvas.width, h = canvas.height, bins = 60;
  c.fillStyle = "#ffffff";
  c.fillRect(0, 0, w, h);
  const faults = records.slice(0, cursor).filter(r => FAULTS.includes(r.kind));
  if (!faults.length) return;
  const t0 = records[0].time, t1 = Math.max(faults[faults.length - 1].time, t0 + 1);
  const counts = new Array(bins).fill(0);
  for (const r of faults) counts[Math.min(bins - 1, Math.floor((r.time - t0) * bins / (t1 - t0)))]++;
  const perMillion = counts.map(n => n / ((t1 - t0) / bins / 1e6)), top = Math.max(...perMillion);
  c.fillStyle = "#1f77b4";
  perMillion.forEach((v, i) => {
    const bh = (h - 16) * v / top;
    c.fillRect(i * w / bins, h - 14 - bh, w / bins - 1, bh);
  });
  c.fillStyle = "#333333";
  c.font = "11px sans-serif";
  c.fillText("faults per million cycles (top " + top.toPrecision(3) + ")", 4, 11);
  c.fillText("time: TSC " + t0 + " to " + t1, 4, h - 2);
}

function drawCounters(table, m) {
  const kinds = FAULTS.concat(["segv"], EVICTIONS, ["fork", "exec", "exit", "unmap", "error"]);
  table.textContent = "";
  for (const k of kinds) {
    const row = table.insertRow();
    row.insertCell().textContent = k;
    row.insertCell().textContent = m.counts[k] || 0;
    row.cells[0].style.color = KIND_COLOURS[k] || "#000000";
  }
}

function describe(r) {
  if (r.kind === "error") return "line " + r.line + ": cannot read it (" + r.error + "): " + r.text;
  if (r.kind === "regions")
    return r.time + " pid " + r.pid + " regions " +
           r.arg.map(([start, end, prot, kind]) => hex(start) + "-" + hex(end) + " " + prot + " " + kind).join(", ");
  if (r.kind === "frames")
    return r.time + " frames " + r.arg[0] + (r.arg[1] > 1 ? " to " + (r.arg[0] + r.arg[1] - 1) : "") +
           " " + r.arg[2];
  const args = r.va !== null ? hex(r.va) + " frame " + (r.frame === null ? "-" : r.frame) +
               " " + r.access : JSON.stringify(r.arg);
  return r.time + " pid " + r.pid + " " + r.kind + " " + args;
}

/* The latest lines up to the cursor, newest first; a line that could not be read is a
 * red row. */
function drawLog(table, records, cursor) {
  table.textContent = "";
  for (let i = cursor - 1; i >= 0 && i >= cursor - 25; i--) {
    const row = table.insertRow();
    row.className = records[i].kind === "error" ? "error" : "";
    row.insertCell().textContent = records[i].line;
    row.insertCell().textContent = describe(records[i]);
  }
}
