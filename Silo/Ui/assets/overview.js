import { api, el, nav, poll, rows, number, rate, bytes, time, topicLink } from "./efflux.js";
import { lineChart } from "./chart.js";

nav("index.html");

// Sums the per-topic rate series into one, by sample time.
function total(topics, field) {
  const sums = new Map();
  for (const t of topics) for (const p of t.history) sums.set(p.t, (sums.get(p.t) ?? 0) + p[field]);
  return [...sums.entries()].sort(([a], [b]) => new Date(a) - new Date(b)).map(([t, v]) => ({ t, v }));
}

poll(async () => {
  const overview = await api("/ui/api/overview");
  rows(document.querySelector("#silos tbody"), overview.silos.map(s =>
    el("tr", { "data-silo": s.name },
      el("td", {}, s.name, s.self ? el("span", { class: "tag" }, "this silo") : null),
      el("td", {}, s.endpoint),
      el("td", {}, el("span", { class: "status " + s.status.toLowerCase() }, s.status)),
      el("td", {}, time(s.heartbeat)))));

  rows(document.querySelector("#topics tbody"), overview.topics.map(t => {
    const spark = el("div", { class: "spark" });
    const row = el("tr", { "data-topic": `${t.namespace}/${t.topic}` },
      el("td", {}, el("a", { href: topicLink(t.namespace, t.topic) }, `${t.namespace}/${t.topic}`)),
      el("td", { class: "n in" }, rate(t.in)),
      el("td", { class: "n out" }, rate(t.out)),
      el("td", {}, spark),
      el("td", { class: "n stored" }, number(t.stored)),
      el("td", { class: "n" }, bytes(t.bytes)),
      el("td", { class: "n" }, el("a", { href: topicLink(t.namespace, t.topic, "groups.html") }, number(t.groups))),
      el("td", { class: "homes" }, t.partitions.map(p => el("span", { class: "home" }, `${p.partition}→${p.silo}`))));
    queueMicrotask(() => lineChart(spark, [
      { name: "in", color: "#2b7de9", points: t.history.map(p => ({ t: p.t, v: p.in })) },
      { name: "out", color: "#e9812b", points: t.history.map(p => ({ t: p.t, v: p.out })) },
    ], { compact: true }));
    return row;
  }));
  document.getElementById("no-topics").hidden = overview.topics.length > 0;
  lineChart(document.getElementById("rates-chart"), [
    { name: "in (appended)", color: "#2b7de9", points: total(overview.topics, "in") },
    { name: "out (read)", color: "#e9812b", points: total(overview.topics, "out") },
  ], { unit: "messages/s" });
});
