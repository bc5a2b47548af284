// The private check of a login and password (docs/private-check.md): the
// WebAssembly client slow-hashes and blinds the pair here, the server
// answers the blinded request, and the client checks the server's proof and
// finds the answer here. The password never leaves the page.
"use strict";
(function () {
  const form = document.getElementById("login-form");
  if (!form) return;
  const out = document.getElementById("login-result");
  let ready = null;
  function load() {
    if (!ready) {
      ready = (async () => {
        const go = new Go();
        const resp = await fetch("/static/privatecheck.wasm", { credentials: "omit" });
        const { instance } = await WebAssembly.instantiateStreaming(resp, go.importObject);
        go.run(instance);
        if (!window.leakwatchPrivate) throw new Error("the client did not start");
      })();
      ready.catch(() => { ready = null; });
    }
    return ready;
  }
  const messages = {
    "leaked": ["bad", "This exact login and password are in a leak: change this password everywhere you used it, and turn on two-factor sign-in."],
    "similar": ["bad", "A password similar to this one leaked with this login: change it, and do not move to another variant of it."],
    "username-only": ["warn", "This login is in a leak, but not with this password or a similar one."],
    "not found": ["ok", "Not found: neither this login nor this password is in the leaks this server holds."],
  };
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    out.className = "result";
    out.textContent = "Checking privately… (hashing in your browser)";
    try {
      const pr = await fetch("/api/private/v1/params", { cache: "no-store", credentials: "omit" });
      if (pr.status === 404) throw new Error("this server has not enabled the private check (leakwatch private enable)");
      if (!pr.ok) throw new Error("the server answered " + pr.status);
      const params = await pr.text();
      await load();
      const r = window.leakwatchPrivate.request(params, document.getElementById("login").value, document.getElementById("login-pw").value);
      if (r.error) throw new Error(r.error);
      const resp = await fetch("/private-check", {
        method: "POST", body: r.request, credentials: "omit", cache: "no-store", referrerPolicy: "no-referrer",
        headers: { "Content-Type": "application/x-leakwatch-private" },
      });
      if (!resp.ok) {
        let msg = "the server answered " + resp.status;
        try { msg = (await resp.json()).error || msg; } catch (e) { /* not JSON */ }
        throw new Error(msg);
      }
      const a = window.leakwatchPrivate.answer(r.id, new Uint8Array(await resp.arrayBuffer()));
      if (a.error) throw new Error(a.error);
      const [cls, text] = messages[a.result] || ["", a.result];
      out.className = "result " + cls;
      out.textContent = text;
    } catch (e) {
      out.textContent = "The private check failed: " + e.message + ".";
    }
  });
})();
