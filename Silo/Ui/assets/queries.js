import { api, el, nav, poll, number, rate, topicLink } from "./efflux.js";
import { lineChart } from "./chart.js";

const $ = id => document.getElementById(id);
const Keep = 20;

nav("queries.html");

// One section per query, kept across polls so the output rows (fed by Server-Sent Events) are not redrawn.
const sections = new Map();

function section(q) {
  const key = `${q.namespace}/${q.name}`;
  let s = sections.get(key);
  if (s) return s;
  s = {
    root: el("section", { class: "query", "data-query": key }),
    head: el("h2", {}),
    stats: el("dl", { class: "summary" }),
    chart: el("div", { class: "chart-box" }),
    text: el("pre", { class: "query-text" }, q.text),
    rows: el("tbody", {}),
    streams: [],
  };
  s.root.append(s.head, el("div", { class: "split" }, s.stats, s.chart), s.text,
    el("h3", {}, "Latest output rows"),
    el("table", { class: "rows" }, el("thead", {}, el("tr", {}, el("th", {}, "Output"), el("th", {}, "Event time"), el("th", {}, "Row"))), s.rows));
  for (const output of q.outputs) follow(s, q.namespace, output);
  sections.set(key, s);
  return s;
}

// Follows every partition of an output topic from a few rows before its end, newest rows on top.
async function follow(s, ns, output) {
  let info;
  for (;;) {
    try {
      info = await api(`/v1/topics/${encodeURIComponent(ns)}/${encodeURIComponent(output)}`);
      break;
    } catch {
      // The output topic appears with the query's first row.
      await new Promise(resolve => setTimeout(resolve, 2000));
    }
  }
  for (const p of info.partitions) {
    const from = Math.max(p.startOffset, p.nextOffset - Keep);
    const source = new EventSource(`/v1/topics/${encodeURIComponent(ns)}/${encodeURIComponent(output)}/partitions/${p.partition}/stream?from=${from}`);
    source.addEventListener("message", event => {
      const m = JSON.parse(event.data);
      s.rows.prepend(el("tr", { "data-output": output, "data-offset": m.offset },
        el("td", {}, el("a", { href: topicLink(ns, output) }, output)),
        el("td", {}, new Date(m.timestamp).toLocaleString("en-GB")),
        el("td", { class: "mono" }, JSON.stringify(m.data ?? m.dataBase64))));
      while (s.rows.children.length > Keep) s.rows.lastElementChild.remove();
    });
    s.streams.push(source);
  }
}

poll(async () => {
  const data = await api("/ui/api/queries");
  const seen = new Set();
  const list = data.queries.map(entry => {
    const q = entry.query;
    const s = section(q);
    seen.add(`${q.namespace}/${q.name}`);
    s.head.replaceChildren(`${q.namespace}/${q.name}`, el("span", { class: "status " + q.status.toLowerCase() }, q.status));
    s.stats.replaceChildren(...[
      ["Lag", number(entry.lag)],
      ["Events in/s", rate(entry.in)],
      ["Rows out/s", rate(entry.out)],
      ["Events in", number(q.eventsIn)],
      ["Rows out", number(q.rowsOut)],
      ["Watermark", q.watermark === null || q.watermark === undefined ? "—" : new Date(q.watermark).toLocaleString("en-GB")],
      ["Late", number(q.late)],
      ["Last error", q.lastError ?? "none"],
    ].flatMap(([k, v]) => [el("dt", {}, k), el("dd", { "data-field": k }, v)]));
    lineChart(s.chart, [
      { name: "events in/s", color: "#2b7de9", points: entry.history.map(p => ({ t: p.t, v: p.in })) },
      { name: "rows out/s", color: "#35a853", points: entry.history.map(p => ({ t: p.t, v: p.out })) },
    ]);
    return s.root;
  });
  for (const [key, s] of sections) {
    if (!seen.has(key)) {
      s.streams.forEach(source => source.close());
      sections.delete(key);
    }
  }
  $("queries").replaceChildren(...list);
  $("no-queries").hidden = list.length > 0;
});
