// The domain dashboard: the owner's API key goes only to this server's own
// API (the same answers as /api/v3/subscribeddomains, breacheddomain and
// stealerlogsbyemaildomain); results are written as text, never as HTML.
"use strict";
(function () {
  const form = document.getElementById("domain-form");
  if (!form) return;
  const keyInput = document.getElementById("apikey");
  const remember = document.getElementById("remember");
  const status = document.getElementById("domain-status");
  const results = document.getElementById("results");
  const saved = sessionStorage.getItem("lw-key");
  if (saved) { keyInput.value = saved; remember.checked = true; }

  const el = (tag, text, cls) => {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  };
  async function api(key, path) {
    const resp = await fetch(path, { headers: { "hibp-api-key": key }, cache: "no-store", credentials: "omit", referrerPolicy: "no-referrer" });
    if (resp.status === 404) return null;
    if (resp.status === 401) throw new Error("the API key is not valid");
    if (resp.status === 403) throw new Error("this key's owner has not verified that domain");
    if (!resp.ok) throw new Error("the server answered " + resp.status);
    return resp.json();
  }
  function table(caption, head, rows) {
    const t = el("table");
    t.appendChild(el("caption", caption));
    const tr = el("tr");
    for (const h of head) { const th = el("th", h); th.scope = "col"; tr.appendChild(th); }
    t.appendChild(el("thead")).appendChild(tr);
    const tb = t.appendChild(el("tbody"));
    for (const r of rows) {
      const row = tb.appendChild(el("tr"));
      for (const c of r) row.appendChild(el("td", c));
    }
    if (rows.length === 0) { const row = tb.appendChild(el("tr")); const td = row.appendChild(el("td", "Nothing found.")); td.colSpan = head.length; }
    return t;
  }
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const key = keyInput.value.trim();
    if (remember.checked) sessionStorage.setItem("lw-key", key); else sessionStorage.removeItem("lw-key");
    results.replaceChildren();
    status.textContent = "Loading…";
    try {
      const domains = (await api(key, "/api/v3/subscribeddomains")) || [];
      if (domains.length === 0) { status.textContent = "This key's owner has no verified domain."; return; }
      status.textContent = domains.length + " verified domain" + (domains.length === 1 ? "" : "s") + ".";
      for (const d of domains) {
        const sec = results.appendChild(el("section"));
        sec.appendChild(el("h2", d.DomainName));
        sec.appendChild(el("p", d.PwnCount.toLocaleString() + " breached address" + (d.PwnCount === 1 ? "" : "es") + " (" + d.PwnCountExcludingSpamLists.toLocaleString() + " excluding spam lists)."));
        const name = encodeURIComponent(d.DomainName);
        const aliases = (await api(key, "/api/v3/breacheddomain/" + name)) || {};
        sec.appendChild(table("Addresses in breaches", ["Address", "Breaches"],
          Object.keys(aliases).sort().map((a) => [a + "@" + d.DomainName, aliases[a].join(", ")])));
        const sites = (await api(key, "/api/v3/stealerlogsbyemaildomain/" + name)) || {};
        sec.appendChild(table("Stealer logs: websites addresses were caught signing in to", ["Address", "Websites"],
          Object.keys(sites).sort().map((a) => [a + "@" + d.DomainName, sites[a].join(", ")])));
      }
    } catch (e) {
      status.textContent = "Could not load: " + e.message + ".";
    }
  });
})();
