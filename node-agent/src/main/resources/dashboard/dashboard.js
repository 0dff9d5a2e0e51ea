// Hotaru dashboard: one server-sent event stream (/api/events) gives the whole state first
// ("snapshot"), then each change; everything is drawn as hand-written SVG, no library.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"];
const SERIES_MAX = 1200;
let state = null;
let drawPending = false;

function el(tag, attrs, parent, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  if (parent) parent.appendChild(e);
  return e;
}

function html(tag, attrs, parent, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  if (parent) parent.appendChild(e);
  return e;
}

function fmt(v, digits) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  const a = Math.abs(v);
  if (a >= 1e6) return (v / 1e6).toFixed(2) + " M";
  if (a >= 1e3) return (v / 1e3).toFixed(1) + " k";
  return v.toFixed(digits === undefined ? 0 : digits);
}

function time(ms) {
  return new Date(ms).toISOString().substring(11, 19);
}

function linkColour(i) {
  return COLOURS[i % COLOURS.length];
}

/** The state a link is drawn in: alarm, keygen, starting, stopped, nodata. */
function linkClass(link) {
  for (const a of Object.values(state.alarms)) {
    if (a.links && Object.prototype.hasOwnProperty.call(a.links, link.id)) return "alarm";
  }
  for (const end of [link.a, link.b]) {
    const s = state.nodes[end];
    if (s && s.state === "offline") return "stopped";
  }
  const latest = state.links[link.id];
  let st = latest ? latest.state : null;
  if (!st) {
    for (const end of [link.a, link.b]) {
      const s = state.nodes[end];
      if (s && s.links && s.links[link.id]) st = s.links[link.id];
    }
  }
  if (!st) return "nodata";
  if (st === "KEYGEN") return "keygen";
  if (st === "ALARM") return "alarm";
  if (st === "STOPPED") return "stopped";
  return "starting";
}

const CLASS_COLOUR = { keygen: "#2e9e5b", starting: "#e0a030", alarm: "#d64545", stopped: "#888", nodata: "#ccc" };

/**
 * Node positions: the order of the nodes east to west and north to south is kept, but they are
 * spread evenly (a metro network's nodes are kilometres apart, its ground stations a hundred), and
 * pushed apart until readable; satellites go above their stations.
 */
function layout(topology, width, height) {
  const pos = {};
  const placed = topology.nodes.filter(n => n.lat !== undefined);
  const pad = 60, top = 110;
  const rank = (key) => {
    const sorted = placed.slice().sort((p, q) => p[key] - q[key]);
    const r = {};
    sorted.forEach((n, i) => { r[n.id] = sorted.length > 1 ? i / (sorted.length - 1) : 0.5; });
    return r;
  };
  const xr = rank("lon"), yr = rank("lat");
  for (const n of placed) {
    pos[n.id] = { x: pad + xr[n.id] * (width - 2 * pad), y: height - pad - yr[n.id] * (height - pad - top) };
  }
  const others = topology.nodes.filter(n => n.lat === undefined);
  others.forEach((n, i) => {
    const ends = topology.links.filter(l => l.a === n.id || l.b === n.id)
      .map(l => pos[l.a === n.id ? l.b : l.a]).filter(p => p);
    const x = ends.length ? ends.reduce((s, p) => s + p.x, 0) / ends.length : width / 2 + i * 40;
    pos[n.id] = { x: x, y: 40 };
  });
  const ids = Object.keys(pos);
  for (let round = 0; round < 200; round++) {
    let moved = false;
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const p = pos[ids[i]], q = pos[ids[j]];
        const dx = q.x - p.x, dy = q.y - p.y, d = Math.hypot(dx, dy) || 1;
        if (d < 90) {
          const push = (90 - d) / 2, ux = d > 1 ? dx / d : 1, uy = d > 1 ? dy / d : 0;
          p.x -= ux * push; p.y -= uy * push; q.x += ux * push; q.y += uy * push;
          moved = true;
        }
      }
    }
    if (!moved) break;
  }
  for (const p of Object.values(pos)) {
    p.x = Math.min(width - 30, Math.max(30, p.x));
    p.y = Math.min(height - 30, Math.max(30, p.y));
  }
  return pos;
}

function drawMap() {
  const svg = document.getElementById("map");
  svg.replaceChildren();
  const topo = state.topology;
  const pos = layout(topo, 640, 420);
  const maxPool = Math.max(1, ...Object.values(state.links).map(l => l.key_pool_bits || 0));
  for (const link of topo.links) {
    const p = pos[link.a], q = pos[link.b];
    const cls = linkClass(link);
    el("line", {
      x1: p.x, y1: p.y, x2: q.x, y2: q.y, stroke: CLASS_COLOUR[cls],
      class: "link " + cls + (link.satellite ? " satellite" : ""), "data-link": link.id, "data-state": cls,
    }, svg);
    const mx = (p.x + q.x) / 2, my = (p.y + q.y) / 2;
    const latest = state.links[link.id];
    const pool = latest ? latest.key_pool_bits : null;
    el("text", { x: mx + 6, y: my - 4 }, svg, link.id + (pool !== null && pool !== undefined ? " " + fmt(pool) + "b" : ""));
    el("rect", { x: mx + 6, y: my, width: 40, height: 5, class: "pool-frame" }, svg);
    el("rect", { x: mx + 6, y: my, width: pool ? Math.max(1, 40 * pool / maxPool) : 0, height: 5, class: "pool-bar",
      "data-pool-link": link.id }, svg);
  }
  for (const n of topo.nodes) {
    const p = pos[n.id];
    const st = state.nodes[n.id];
    const g = el("g", { class: "node " + n.kind + (st && st.state === "offline" ? " offline" : ""),
      "data-node": n.id, transform: `translate(${p.x},${p.y})` }, svg);
    const fill = n.kind === "satellite" ? "#ffd166" : n.kind === "ground-station" ? "#a0c4ff" : "#ffffff";
    if (n.kind === "satellite") el("rect", { x: -9, y: -9, width: 18, height: 18, fill: fill }, g);
    else el("circle", { r: n.kind === "ground-station" ? 8 : 11, fill: fill }, g);
    el("text", { x: 0, y: -15, "text-anchor": "middle" }, g, n.id);
  }
}

function drawLinksTable() {
  const body = document.querySelector("#links tbody");
  body.replaceChildren();
  for (const link of state.topology.links) {
    const l = state.links[link.id] || {};
    const tr = html("tr", { "data-link-row": link.id }, body);
    html("td", {}, tr, link.id);
    html("td", {}, tr, link.a + " → " + link.b);
    const cls = linkClass(link);
    html("td", { class: "state-" + cls }, tr, (l.state || cls) + (cls === "alarm" && l.state !== "ALARM" ? " (alarm)" : ""));
    html("td", { class: "num" }, tr, l.qber === null || l.qber === undefined ? "–" : (100 * l.qber).toFixed(2) + " %");
    html("td", { class: "num" }, tr, fmt(l.secret_bps) + "bit/s");
    html("td", { class: "num" }, tr, fmt(l.key_pool_bits) + "bit");
    html("td", { class: "num", "data-receiver-idle": link.id }, tr,
      l.receiver_idle === null || l.receiver_idle === undefined ? "–" : (100 * l.receiver_idle).toFixed(0) + " %");
  }
}

/**
 * A time chart of one figure (column) of every link's series; on a logarithmic axis (decades) when
 * {@code log}, where zero and unknown values are left out.
 */
function drawSeriesChart(id, column, log) {
  const svg = document.getElementById(id);
  svg.replaceChildren();
  const W = 640, H = 220, L = 50, R = 10, T = 10, B = 25;
  const shown = v => v !== null && (!log || v > 0);
  let t0 = Infinity, t1 = -Infinity, vmin = Infinity, vmax = 0, count = 0;
  for (const pts of Object.values(state.series)) {
    for (const p of pts) {
      if (!shown(p[column])) continue;
      t0 = Math.min(t0, p[0]); t1 = Math.max(t1, p[0]);
      vmin = Math.min(vmin, p[column]); vmax = Math.max(vmax, p[column]);
    }
  }
  el("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, class: "axis" }, svg);
  el("line", { x1: L, y1: T, x2: L, y2: H - B, class: "axis" }, svg);
  if (t0 === Infinity) {
    el("text", { x: L + 10, y: H / 2 }, svg, "waiting for telemetry…");
    svg.setAttribute("data-points", "0");
    return;
  }
  if (t1 === t0) t1 = t0 + 1000;
  const x = t => L + (t - t0) / (t1 - t0) * (W - L - R);
  let y;
  if (log) {
    const lo = Math.floor(Math.log10(vmin)), hi = Math.max(lo + 1, Math.ceil(Math.log10(vmax)));
    y = v => H - B - (Math.log10(v) - lo) / (hi - lo) * (H - B - T);
    for (let d = lo; d <= hi; d++) {
      el("text", { x: L - 4, y: y(Math.pow(10, d)) + 4, "text-anchor": "end" }, svg, fmt(Math.pow(10, d)));
    }
  } else {
    if (vmax <= 0) vmax = 1;
    y = v => H - B - v / vmax * (H - B - T);
    el("text", { x: L - 4, y: T + 8, "text-anchor": "end" }, svg, fmt(vmax, 3));
    el("text", { x: L - 4, y: H - B, "text-anchor": "end" }, svg, "0");
  }
  el("text", { x: L, y: H - 8 }, svg, time(t0));
  el("text", { x: W - R, y: H - 8, "text-anchor": "end" }, svg, time(t1));
  state.topology.links.forEach((link, i) => {
    const pts = (state.series[link.id] || []).filter(p => shown(p[column]));
    if (pts.length === 0) return;
    count += pts.length;
    el("polyline", { points: pts.map(p => x(p[0]).toFixed(1) + "," + y(p[column]).toFixed(1)).join(" "),
      stroke: linkColour(i), "data-series": link.id, "data-points": pts.length }, svg);
    const last = pts[pts.length - 1];
    el("text", { x: Math.min(x(last[0]) + 2, W - 40), y: y(last[column]) - 2, fill: linkColour(i) }, svg, link.id);
  });
  svg.setAttribute("data-points", String(count));
}

function drawSatellite() {
  const svg = document.getElementById("elevation-chart");
  svg.replaceChildren();
  const W = 640, H = 220, L = 40, R = 10, T = 10, B = 25;
  const tracks = Object.values(state.satellite || {});
  const now = Date.now();
  let t0 = Infinity, t1 = -Infinity, count = 0;
  for (const tr of tracks) for (const p of tr.passes) { t0 = Math.min(t0, p.aos); t1 = Math.max(t1, p.los); }
  el("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, class: "axis" }, svg);
  el("line", { x1: L, y1: T, x2: L, y2: H - B, class: "axis" }, svg);
  const body = document.querySelector("#passes tbody");
  body.replaceChildren();
  if (t0 === Infinity) {
    el("text", { x: L + 10, y: H / 2 }, svg, "no satellite pass in this run");
    return;
  }
  const x = t => L + (t - t0) / Math.max(1, t1 - t0) * (W - L - R);
  const y = e => H - B - e / 90 * (H - B - T);
  el("text", { x: L - 4, y: T + 8, "text-anchor": "end" }, svg, "90°");
  el("text", { x: L - 4, y: H - B, "text-anchor": "end" }, svg, "0°");
  el("text", { x: L, y: H - 8 }, svg, time(t0));
  el("text", { x: W - R, y: H - 8, "text-anchor": "end" }, svg, time(t1));
  tracks.forEach((tr, i) => {
    const colour = linkColour(state.topology.links.findIndex(l => l.id === tr.link));
    for (const p of tr.passes) {
      count += p.elevation.length;
      el("polyline", { points: p.elevation.map(s => x(s[0]).toFixed(1) + "," + y(s[1]).toFixed(1)).join(" "),
        stroke: colour, "data-pass-link": tr.link }, svg);
      const row = html("tr", {}, body);
      html("td", {}, row, tr.link);
      html("td", {}, row, time(p.aos));
      html("td", {}, row, time(p.los));
      html("td", { class: "num" }, row, p.max_elevation_deg.toFixed(1) + "°");
      html("td", { class: "num", "data-pass-key": tr.link }, row, fmt(p.key_bits) + "bit");
    }
  });
  if (now >= t0 && now <= t1) el("line", { x1: x(now), y1: T, x2: x(now), y2: H - B, class: "now" }, svg);
  svg.setAttribute("data-points", String(count));
}

function drawAlarms() {
  const ul = document.getElementById("alarms");
  ul.replaceChildren();
  const list = Object.entries(state.alarms);
  if (list.length === 0) {
    html("li", { class: "none" }, ul, "none");
    return;
  }
  for (const [key, a] of list) {
    const li = html("li", { "data-alarm": key, "data-alarm-kind": a.kind }, ul);
    html("span", { class: "severity" }, li, a.severity);
    const links = Object.entries(a.links || {}).map(([l, d]) => l + (d.message ? " (" + d.message + ")" : ""));
    li.appendChild(document.createTextNode(a.kind + " at " + a.node + ": " + links.join(", ")));
  }
}

function drawAudit() {
  const ol = document.getElementById("audit");
  ol.replaceChildren();
  for (const r of state.audit.slice().reverse()) {
    html("li", { "data-audit-seq": r.seq }, ol, `${r.time} ${r.node} ${r.kind} ${r.subject}`);
  }
}

function draw() {
  drawPending = false;
  if (!state) return;
  document.getElementById("network-name").textContent = state.topology.name;
  const c = state.clock;
  const sim = Date.parse(c.sim_start) + (Date.now() - c.wall_start) * c.time_scale;
  document.getElementById("sim-time").textContent = new Date(sim).toISOString().substring(0, 19) + "Z";
  document.getElementById("time-scale").textContent = c.time_scale;
  drawMap();
  drawLinksTable();
  drawSeriesChart("qber-chart", 1, false);
  drawSeriesChart("rate-chart", 2, true);
  drawSatellite();
  drawAlarms();
  drawAudit();
}

function redraw() {
  if (!drawPending) {
    drawPending = true;
    setTimeout(draw, 200);
  }
}

const handlers = {
  snapshot: d => { state = d; },
  status: d => { state.nodes[d.node] = d.status; },
  telemetry: d => {
    state.links[d.link] = d.latest;
    const s = state.series[d.link] || (state.series[d.link] = []);
    s.push(d.point);
    if (s.length > SERIES_MAX) s.shift();
  },
  alarm: d => { if (d.active) state.alarms[d.key] = d.alarm; else delete state.alarms[d.key]; },
  audit: d => { state.audit = state.audit.concat(d.records).slice(-40); },
  pass: d => { state.satellite[d.link] = d.track; },
};

function connect() {
  const conn = document.getElementById("connection");
  const source = new EventSource("api/events");
  source.onopen = () => { conn.textContent = "live"; conn.className = "up"; };
  source.onerror = () => { conn.textContent = "reconnecting…"; conn.className = "down"; };
  for (const [name, apply] of Object.entries(handlers)) {
    source.addEventListener(name, e => {
      if (!state && name !== "snapshot") return;
      apply(JSON.parse(e.data));
      redraw();
    });
  }
  setInterval(redraw, 1000); // the clock and the "now" marker move without events
}

connect();
