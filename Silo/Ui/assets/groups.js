import { api, el, nav, poll, params, number, topicLink } from "./efflux.js";
import { lineChart } from "./chart.js";

const ns = params.get("ns") ?? "";
const topic = params.get("topic") ?? "";
const $ = id => document.getElementById(id);

nav("");
document.title = `Efflux — groups of ${ns}/${topic}`;
$("title").textContent = `Consumer groups of ${ns}/${topic}`;
$("topic-link").href = topicLink(ns, topic);

const palette = ["#2b7de9", "#e9812b", "#35a853", "#c2185b", "#7e57c2", "#00897b"];

poll(async () => {
  const data = await api(`/ui/api/topics/${encodeURIComponent(ns)}/${encodeURIComponent(topic)}`);
  $("no-groups").hidden = data.groups.length > 0;
  $("groups").replaceChildren(...data.groups.map((g, i) => {
    const chart = el("div", { class: "chart-box" });
    const section = el("section", { class: "group", "data-group": g.group.group },
      el("h2", {}, g.group.group, el("span", { class: "tag lag" }, `lag ${number(g.group.lag)}`)),
      el("div", { class: "split" },
        el("table", {},
          el("thead", {}, el("tr", {}, el("th", {}, "Partition"), el("th", { class: "n" }, "Committed"), el("th", { class: "n" }, "End"), el("th", { class: "n" }, "Lag"))),
          el("tbody", {}, g.group.partitions.map(p => el("tr", { "data-partition": p.partition },
            el("td", {}, p.partition),
            el("td", { class: "n committed" }, p.committed === null || p.committed === undefined ? "—" : number(p.committed)),
            el("td", { class: "n end" }, number(p.end)),
            el("td", { class: "n lag" }, number(p.lag)))))),
        chart));
    queueMicrotask(() => lineChart(chart, [{ name: "lag (messages)", color: palette[i % palette.length], points: g.history.map(p => ({ t: p.t, v: p.lag })) }]));
    return section;
  }));
});
