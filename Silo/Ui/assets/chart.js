// A small SVG line chart for the Efflux pages: time on x, one or more series on y, no dependencies.
const NS = "http://www.w3.org/2000/svg";

function node(name, attributes, parent) {
  const element = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (parent) parent.appendChild(element);
  return element;
}

// A round step for the y axis: 1, 2 or 5 times a power of ten, giving at most about four ticks.
function niceStep(max) {
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  for (const m of [1, 2, 5, 10]) if (m * power >= rough) return m * power;
  return 10 * power;
}

function label(value) {
  if (value >= 1e6) return (value / 1e6).toFixed(value % 1e6 === 0 ? 0 : 1) + "M";
  if (value >= 1e3) return (value / 1e3).toFixed(value % 1e3 === 0 ? 0 : 1) + "k";
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/**
 * Draws series into a container (replacing what was there).
 * series: [{ name, color, points: [{ t: Date|string, v: number }] }]; options: { height, unit, minutes, compact }
 * (compact: a sparkline without axes or legend). The time axis spans the data, from one minute up to `minutes` (10).
 * A container not yet in the document is drawn on the next frame, once it has a width.
 */
export function lineChart(container, series, options = {}) {
  if (!container.isConnected) {
    requestAnimationFrame(() => { if (container.isConnected) lineChart(container, series, options); });
    return;
  }
  const compact = options.compact === true;
  const width = Math.max(container.clientWidth || 0, compact ? 120 : 320);
  const height = options.height ?? (compact ? 32 : 160);
  const pad = compact ? { left: 1, right: 1, top: 2, bottom: 2 } : { left: 44, right: 10, top: 10, bottom: 22 };
  const now = Date.now();
  const all = series.flatMap(s => s.points.map(p => ({ t: new Date(p.t).getTime(), v: p.v })));
  const oldest = Math.min(now, ...all.map(p => p.t));
  const span = Math.min((options.minutes ?? 10) * 60_000, Math.max(60_000, now - oldest));
  const max = Math.max(1, ...all.map(p => p.v));
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const x = t => pad.left + (width - pad.left - pad.right) * (1 - (now - t) / span);
  const y = v => pad.top + (height - pad.top - pad.bottom) * (1 - v / top);

  const svg = node("svg", { width, height, viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img" });
  node("title", {}, svg).textContent = series.map(s => s.name).join(", ") + (options.unit ? ` (${options.unit})` : "");
  for (let v = 0; !compact && v <= top + step / 2; v += step) {
    node("line", { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v), class: "grid" }, svg);
    node("text", { x: pad.left - 6, y: y(v) + 4, class: "axis", "text-anchor": "end" }, svg).textContent = label(v);
  }
  const tick = [10, 15, 30, 60, 120, 300].map(s => s * 1000).find(s => span / s <= 6) ?? 300_000;
  for (let back = 0; !compact && back <= span; back += tick) {
    const text = back === 0 ? "now" : back % 60_000 === 0 ? `-${back / 60_000}m` : `-${back / 1000}s`;
    node("text", { x: x(now - back), y: height - 6, class: "axis", "text-anchor": back === 0 ? "end" : "middle" }, svg).textContent = text;
  }
  for (const s of series) {
    const points = s.points.map(p => [x(new Date(p.t).getTime()), y(p.v)]).filter(([px]) => px >= pad.left);
    if (points.length === 0) continue;
    node("polyline", { points: points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(" "), class: "series", stroke: s.color, "data-series": s.name, "data-points": points.length }, svg);
  }
  if (compact) {
    container.replaceChildren(svg);
    return;
  }
  const legend = document.createElement("div");
  legend.className = "legend";
  for (const s of series) {
    const item = document.createElement("span");
    const swatch = document.createElement("i");
    swatch.style.background = s.color;
    item.append(swatch, s.name);
    legend.appendChild(item);
  }
  container.replaceChildren(svg, legend);
}
