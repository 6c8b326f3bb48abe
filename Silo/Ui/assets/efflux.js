// Shared by the Efflux pages: JSON calls with problem-details errors, the navigation bar, formatting and polling.

export const params = new URLSearchParams(location.search);

/** GET (or another method) a JSON document; a non-2xx answer throws an Error with the problem's title and detail. */
export async function api(path, init = {}) {
  const response = await fetch(path, { headers: { Accept: "application/json" }, ...init });
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const problem = body && (body.detail || body.title);
    throw new Error(`${response.status} ${problem || response.statusText}`);
  }
  return body;
}

/** Creates an element with attributes and children (strings become text, never HTML). */
export function el(name, attributes = {}, ...children) {
  const element = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "onclick" || key === "onchange" || key === "onsubmit") element.addEventListener(key.slice(2), value);
    else element.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export const number = n => (n ?? 0).toLocaleString("en-US");
export const rate = n => (n ?? 0) >= 100 ? Math.round(n).toLocaleString("en-US") : (n ?? 0).toFixed(1);

export function bytes(n) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = n ?? 0;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export const time = t => t ? new Date(t).toLocaleTimeString("en-GB", { hour12: false }) : "";
export const topicLink = (ns, topic, page = "topic.html") => `${page}?ns=${encodeURIComponent(ns)}&topic=${encodeURIComponent(topic)}`;

/** The navigation bar; the Orleans dashboard link only when the silo serves it. */
export async function nav(active) {
  let site = { silo: "", dashboard: false };
  try { site = await api("/ui/api/site"); } catch (error) { banner(error); }
  const dashboard = site.dashboard;
  const links = [["index.html", "Overview"], ["queries.html", "Queries"]];
  const bar = el("nav", {},
    el("a", { href: "index.html", class: "brand" }, "Efflux"),
    links.map(([href, text]) => el("a", { href, class: active === href ? "active" : undefined }, text)),
    el("span", { class: "spacer" }),
    dashboard ? el("a", { href: "/dashboard/", id: "orleans-dashboard" }, "Orleans dashboard") : null,
    el("a", { href: "/swagger" }, "REST API"),
    el("span", { class: "silo", title: "the silo serving these pages" }, site.silo),
    el("span", { id: "live", title: "time of the last update" }, "connecting…"));
  document.body.prepend(bar);
}

/** Shows an error in the page's banner (or clears it). */
export function banner(error) {
  let box = document.getElementById("error");
  if (!box) {
    box = el("div", { id: "error", class: "error", role: "alert" });
    document.querySelector("main").prepend(box);
  }
  box.textContent = error ? String(error.message ?? error) : "";
  box.hidden = !error;
}

/** Calls refresh now and every interval; errors go to the banner, and the next success clears it. */
export function poll(refresh, interval = 2000) {
  const tick = async () => {
    try {
      await refresh();
      banner(null);
      const live = document.getElementById("live");
      if (live) live.textContent = "updated " + time(new Date());
    } catch (error) {
      banner(error);
    }
    setTimeout(tick, interval);
  };
  tick();
}

/** Replaces the rows of a table body. */
export function rows(tbody, list) {
  tbody.replaceChildren(...list);
}
