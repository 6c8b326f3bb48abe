import { api, el, nav, poll, rows, params, number, rate, bytes, topicLink, banner } from "./efflux.js";
import { lineChart } from "./chart.js";

const ns = params.get("ns") ?? "";
const topic = params.get("topic") ?? "";
const base = `/v1/topics/${encodeURIComponent(ns)}/${encodeURIComponent(topic)}`;
const $ = id => document.getElementById(id);
const PageSize = 25;

nav("");
document.title = `Efflux — ${ns}/${topic}`;
$("title").textContent = `${ns}/${topic}`;
$("groups-link").href = topicLink(ns, topic, "groups.html");

let partitions = [];

// ---- Summary, rates and partitions, refreshed by polling ----
poll(async () => {
  const data = await api(`/ui/api/topics/${encodeURIComponent(ns)}/${encodeURIComponent(topic)}`);
  const t = data.topic;
  partitions = t.partitions;
  const config = t.config;
  const summary = [
    ["Partitions", config.partitions],
    ["Stored", number(t.partitions.reduce((s, p) => s + p.nextOffset - p.startOffset, 0))],
    ["Bytes", bytes(t.partitions.reduce((s, p) => s + p.bytes, 0))],
    ["In/s", rate(data.in)],
    ["Out/s", rate(data.out)],
    ["Retention", config.retention ?? "forever"],
    ["Retention bytes", config.retentionBytes ? bytes(config.retentionBytes) : "none"],
    ["Max message", config.maxMessageBytes ? bytes(config.maxMessageBytes) : "silo default"],
    ["Segment size", config.segmentBytes ? bytes(config.segmentBytes) : "silo default"],
    ["Created", new Date(t.created).toLocaleString("en-GB")],
  ];
  $("summary").replaceChildren(...summary.flatMap(([k, v]) => [el("dt", {}, k), el("dd", { "data-field": k }, v)]));
  lineChart($("rates-chart"), [
    { name: "in (appended)", color: "#2b7de9", points: data.history.map(p => ({ t: p.t, v: p.in })) },
    { name: "out (read)", color: "#e9812b", points: data.history.map(p => ({ t: p.t, v: p.out })) },
  ], { unit: "messages/s" });
  updatePartitions(t.partitions);
  fillPartitionSelect(t.partitions);
  if ($("mode").value === "newest" && $("follow").checked) await showMessages();
});

const verifying = new Map();

function updatePartitions(list) {
  rows($("partitions").querySelector("tbody"), list.map(p => {
    const headUrl = `${base}/partitions/${p.partition}/head`;
    const verify = verifying.get(p.partition) ?? { text: "" };
    return el("tr", { "data-partition": p.partition },
      el("td", {}, p.partition),
      el("td", {}, p.silo),
      el("td", { class: "n start" }, number(p.startOffset)),
      el("td", { class: "n next" }, number(p.nextOffset)),
      el("td", { class: "n" }, p.segments),
      el("td", { class: "n" }, bytes(p.bytes)),
      el("td", { class: "mono", title: p.headFingerprint }, p.headFingerprint.slice(0, 16) + "…", p.readOnly ? el("span", { class: "tag bad" }, "read-only") : null),
      el("td", { class: "actions" },
        el("button", { type: "button", class: "verify", disabled: verify.running, onclick: () => verifyPartition(p) }, "Verify"),
        el("a", { href: headUrl, download: `${ns}-${topic}-${p.partition}-head.json`, class: "download" }, "Signed head"),
        el("progress", { class: "verify-progress", max: 1, value: verify.progress ?? 0, hidden: !verify.running }),
        el("span", { class: "verify-result " + (verify.ok === false ? "bad" : verify.ok ? "good" : "") }, verify.text)));
  }));
}

// Verifies a partition in slices so the page can show progress; every slice is checked against the one before by the
// silo (each slice re-hashes its records and checks the link to the record before it).
async function verifyPartition(p) {
  const state = { running: true, progress: 0, text: "verifying…" };
  verifying.set(p.partition, state);
  updatePartitions(partitions);
  try {
    const start = p.startOffset;
    const end = p.nextOffset;
    const total = end - start;
    if (total === 0) {
      const r = await api(`${base}/partitions/${p.partition}/verify`);
      Object.assign(state, { ok: r.ok, text: r.ok ? "ok: 0 records" : `failed: ${r.reason}` });
    } else {
      const slice = Math.max(1000, Math.ceil(total / 50));
      let checked = 0;
      let failed = null;
      for (let from = start; from < end && !failed; from += slice) {
        const to = Math.min(from + slice, end) - 1;
        const r = await api(`${base}/partitions/${p.partition}/verify?from=${from}&to=${to}`);
        checked += r.records;
        if (!r.ok) failed = r;
        state.progress = (to - start + 1) / total;
        state.text = `${number(checked)} of ${number(total)} records`;
        updatePartitions(partitions);
      }
      Object.assign(state, failed
        ? { ok: false, text: `failed at offset ${failed.firstBadOffset}: ${failed.reason}` }
        : { ok: true, text: `ok: ${number(checked)} records, offsets ${number(start)}–${number(end - 1)}` });
    }
  } catch (error) {
    Object.assign(state, { ok: false, text: `error: ${error.message}` });
  } finally {
    state.running = false;
    updatePartitions(partitions);
  }
}

// ---- Message browser ----
function fillPartitionSelect(list) {
  const select = $("partition");
  if (select.options.length === list.length) return;
  select.replaceChildren(...list.map(p => el("option", { value: p.partition }, p.partition)));
}

function showModeFields() {
  const mode = $("mode").value;
  for (const label of document.querySelectorAll("[data-mode]")) label.hidden = label.dataset.mode !== mode;
  $("partition").disabled = mode === "id" || mode === "search";
}

async function fetchMessages() {
  const mode = $("mode").value;
  const p = Number($("partition").value || 0);
  const info = partitions.find(x => x.partition === p);
  switch (mode) {
    case "newest": {
      if (!info || info.nextOffset === info.startOffset) return [];
      const from = Math.max(info.startOffset, info.nextOffset - PageSize);
      const batch = await api(`${base}/partitions/${p}/messages?from=${from}&max=${PageSize}`);
      return batch.messages.reverse();
    }
    case "offset": {
      const batch = await api(`${base}/partitions/${p}/messages?from=${Number($("offset").value)}&max=${PageSize}`);
      return batch.messages;
    }
    case "id":
      return [await api(`${base}/messages/by-id/${encodeURIComponent($("message-id").value)}`)];
    default: {
      const q = new URLSearchParams({ max: PageSize });
      if ($("data-type").value) q.set("dataType", $("data-type").value);
      if ($("message-group").value) q.set("messageGroup", $("message-group").value);
      if ($("property-name").value) q.set(`property.${$("property-name").value}`, $("property-value").value);
      return (await api(`${base}/search?${q}`)).messages;
    }
  }
}

function hex(buffer) {
  const bytesView = new Uint8Array(buffer);
  const lines = [];
  for (let i = 0; i < bytesView.length; i += 16) {
    const chunk = [...bytesView.slice(i, i + 16)];
    const hexPart = chunk.map(b => b.toString(16).padStart(2, "0")).join(" ").padEnd(48);
    const text = chunk.map(b => b >= 32 && b < 127 ? String.fromCharCode(b) : ".").join("");
    lines.push(`${i.toString(16).padStart(8, "0")}  ${hexPart}  ${text}`);
  }
  return lines.join("\n");
}

async function payloadView(m) {
  if ($("payload-view").value === "hex") {
    const response = await fetch(`${base}/partitions/${m.partition}/messages/${m.offset}?raw=true`);
    if (!response.ok) throw new Error(`${response.status} reading the payload of offset ${m.offset}`);
    return el("pre", { class: "payload hex" }, hex(await response.arrayBuffer()));
  }
  if (m.data !== undefined) return el("pre", { class: "payload json" }, JSON.stringify(m.data, null, 2));
  return el("pre", { class: "payload base64" }, m.dataBase64 ?? "");
}

async function showMessages() {
  const list = await fetchMessages();
  const cards = await Promise.all(list.map(async m => el("article", { class: "message", "data-offset": m.offset, "data-id": m.id },
    el("header", {},
      el("b", {}, `p${m.partition} @ ${number(m.offset)}`),
      el("span", { class: "mono" }, m.id),
      el("span", {}, new Date(m.timestamp).toLocaleString("en-GB")),
      m.dataType ? el("span", { class: "tag" }, m.dataType) : null,
      m.messageGroup ? el("span", { class: "tag group" }, `group ${m.messageGroup}`) : null,
      ...Object.entries(m.properties ?? {}).map(([k, v]) => el("span", { class: "tag prop" }, `${k}=${v}`))),
    await payloadView(m))));
  $("messages").replaceChildren(...cards);
  $("browser-status").textContent = list.length === 0 ? "No messages." : `${list.length} message${list.length === 1 ? "" : "s"}.`;
}

$("mode").addEventListener("change", showModeFields);
$("browser").addEventListener("submit", async event => {
  event.preventDefault();
  try {
    await showMessages();
    banner(null);
  } catch (error) {
    $("messages").replaceChildren();
    $("browser-status").textContent = error.message;
  }
});
showModeFields();
