"use strict";
// dockscale's dashboard. Per service, the last 15 minutes of /api/v1/services/{name}/history drawn
// with uPlot, scale decisions as markers; kept live by /api/v1/events: each decision event fetches
// the service's history since its newest point. It only reads.
(() => {
  const API = "/api/v1";
  const WINDOW_MS = 15 * 60 * 1000;
  const TABLE_ROWS = 50;
  const COLORS = { "scale-up": "#2e7d32", "scale-down": "#e65100" };
  const CHARTS = [
    { title: "replicas", step: true, series: [["desired", "#1565c0"], ["ready", "#2e7d32"]] },
    { title: "CPU and memory, % of the limits", series: [["cpu", "#c62828", "cpu %"], ["memory", "#6a1b9a", "memory %"]] },
    { title: "requests/s per replica", series: [["rps", "#ef6c00", "rps"]] },
    { title: "p95 latency, ms", series: [["latency", "#4e342e", "p95 ms"]] },
  ];
  const COLUMNS = ["t", "desired", "ready", "cpu", "memory", "rps", "latency"];

  // Every service shown: its columns, its scale markers and its uPlot charts (tests read it too).
  const services = new Map();
  window.dockscale = { services };

  const el = (tag, attrs = {}, text) => {
    const e = document.createElement(tag);
    Object.entries(attrs).forEach(([k, v]) => e.setAttribute(k, v));
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const clock = (t) => new Date(t).toISOString().slice(11, 19);
  const describe = (m) => `${clock(m.t)} ${m.action} ${m.from}→${m.to}: ${m.reason}`;

  function status(text, problem) {
    const s = document.getElementById("status");
    s.textContent = text;
    s.classList.toggle("problem", Boolean(problem));
  }

  function chartWidth(svc) {
    return Math.max(300, Math.floor((svc.grid.clientWidth - 8) / 2));
  }

  function drawMarkers(u, svc, pins) {
    const { left, top, width, height } = u.bbox;
    const ctx = u.ctx;
    ctx.save();
    ctx.lineWidth = 2;
    ctx.setLineDash([5, 4]);
    if (pins) pins.replaceChildren();
    for (const m of svc.scales) {
      const x = Math.round(u.valToPos(m.t / 1000, "x", true));
      if (!(x >= left && x <= left + width)) continue; // outside the plot, or no x range yet
      ctx.strokeStyle = COLORS[m.action];
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      if (pins) {
        const pin = el("div", { class: "marker " + m.action, title: describe(m), "data-seq": m.seq });
        pin.style.left = u.valToPos(m.t / 1000, "x") + "px";
        pin.addEventListener("mouseenter", () => (svc.info.textContent = describe(m)));
        pins.appendChild(pin);
      }
    }
    ctx.restore();
  }

  function makeChart(svc, spec, index) {
    const pins = index === 0 ? el("div", { class: "markers" }) : null;
    const series = spec.series.map(([key, stroke, label]) => {
      const s = { label: label || key, stroke, width: 2 };
      if (spec.step) s.paths = uPlot.paths.stepped({ align: 1 });
      return s;
    });
    const u = new uPlot(
      {
        title: spec.title,
        width: chartWidth(svc),
        height: 170,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
        scales: { x: { time: true } },
        series: [{}, ...series],
        axes: [{}, { size: 56 }],
        hooks: { draw: [(chart) => drawMarkers(chart, svc, pins)] },
      },
      data(svc, spec),
      svc.grid.appendChild(el("div", { class: "chart" })),
    );
    if (pins) u.over.appendChild(pins);
    return { u, spec };
  }

  function data(svc, spec) {
    return [svc.columns.t.map((t) => t / 1000), ...spec.series.map(([key]) => svc.columns[key])];
  }

  function addService(name) {
    if (services.has(name)) return services.get(name);
    const section = el("section", { class: "service", "data-service": name });
    const heading = section.appendChild(el("h2", {}, name));
    const svc = {
      name,
      columns: Object.fromEntries(COLUMNS.map((c) => [c, []])),
      scales: [],
      now: heading.appendChild(el("span", { class: "now" })),
      grid: section.appendChild(el("div", { class: "charts" })),
      info: section.appendChild(el("p", { class: "marker-info" }, "hover a marker for its reason")),
      charts: [],
      loading: false,
      again: false,
    };
    document.getElementById("services").appendChild(section);
    services.set(name, svc);
    svc.charts = CHARTS.map((spec, i) => makeChart(svc, spec, i));
    refresh(svc);
    return svc;
  }

  // Appends the points and markers newer than those held, and drops those older than 15 minutes.
  function merge(svc, h) {
    const c = svc.columns;
    const last = c.t.length ? c.t[c.t.length - 1] : -Infinity;
    h.t.forEach((t, i) => {
      if (t > last) COLUMNS.forEach((k) => c[k].push(h[k][i]));
    });
    const lastSeq = svc.scales.length ? svc.scales[svc.scales.length - 1].seq : 0;
    h.scales.forEach((m) => m.seq > lastSeq && svc.scales.push({ ...m, service: svc.name }));
    const from = (c.t.length ? c.t[c.t.length - 1] : 0) - WINDOW_MS;
    const old = c.t.findIndex((t) => t >= from);
    if (old > 0) COLUMNS.forEach((k) => c[k].splice(0, old));
    svc.scales = svc.scales.filter((m) => m.t >= from);
    svc.charts.forEach(({ u, spec }) => u.setData(data(svc, spec)));
  }

  async function load(svc) {
    const held = svc.columns.t;
    const since = held.length ? "?since=" + new Date(held[held.length - 1]).toISOString() : "";
    const r = await fetch(`${API}/services/${encodeURIComponent(svc.name)}/history${since}`);
    const body = await r.json();
    if (!r.ok) throw new Error(body.error || `HTTP ${r.status}`);
    merge(svc, body);
    table();
  }

  // At most one history request per service in flight; events meanwhile ask for one more after it.
  function refresh(svc) {
    if (svc.loading) {
      svc.again = true;
      return;
    }
    svc.loading = true;
    load(svc)
      .catch((e) => status(`cannot read ${svc.name}'s history: ${e.message}`, true))
      .finally(() => {
        svc.loading = false;
        if (svc.again) {
          svc.again = false;
          refresh(svc);
        }
      });
  }

  function table() {
    const rows = [...services.values()]
      .flatMap((s) => s.scales)
      .sort((a, b) => b.t - a.t || b.seq - a.seq)
      .slice(0, TABLE_ROWS)
      .map((m) => {
        const tr = el("tr", { "data-seq": m.seq });
        tr.append(
          el("td", {}, new Date(m.t).toISOString().replace("T", " ").slice(0, 19)),
          el("td", {}, m.service),
          el("td", { class: m.action }, m.action),
          el("td", {}, `${m.from} → ${m.to}`),
          el("td", {}, m.reason),
        );
        return tr;
      });
    document.getElementById("decisions").replaceChildren(...rows);
  }

  function listen() {
    const events = new EventSource(`${API}/events`);
    events.addEventListener("open", () => {
      status("live");
      services.forEach(refresh);
    });
    events.addEventListener("error", () =>
      events.readyState === EventSource.CLOSED
        ? status("live updates refused (see /api/v1/events); reload the page to try again", true)
        : status("reconnecting…", true),
    );
    events.addEventListener("decision", (e) => {
      const d = JSON.parse(e.data);
      const svc = services.get(d.service);
      if (svc) refresh(svc);
      else addService(d.service);
    });
    events.addEventListener("tick", (e) => {
      for (const s of JSON.parse(e.data).services) {
        const svc = addService(s.name);
        svc.now.textContent = `desired ${s.desired} · ready ${s.ready}` + (s.paused ? " · paused" : "");
      }
    });
  }

  async function start() {
    try {
      const r = await fetch(`${API}/services`);
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      (await r.json()).forEach((s) => {
        addService(s.name).now.textContent = `desired ${s.desired} · ready ${s.replicas.filter((x) => x.state === "ready").length}`;
      });
    } catch (e) {
      status(`cannot read /api/v1/services: ${e.message}`, true);
    }
    listen();
    addEventListener("resize", () =>
      services.forEach((svc) => svc.charts.forEach(({ u }) => u.setSize({ width: chartWidth(svc), height: 170 }))),
    );
  }

  start();
})();
