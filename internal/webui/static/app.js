// The password check: SHA-1 in the browser (WebCrypto), only the first five
// hex characters of the hash are sent (GET /range/PREFIX, padded answer);
// the comparison happens here. Nothing else about the password leaves the
// page.
"use strict";
(function () {
  const form = document.getElementById("pw-form");
  if (!form) return;
  const input = document.getElementById("pw");
  const out = document.getElementById("pw-result");
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    out.className = "result";
    const pw = input.value;
    if (!pw) return;
    if (!window.crypto || !crypto.subtle) {
      out.textContent = "This browser cannot hash here (the page must be served over HTTPS or from localhost).";
      return;
    }
    out.textContent = "Checking…";
    try {
      const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(pw));
      const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("").toUpperCase();
      const prefix = hex.slice(0, 5), suffix = hex.slice(5);
      const resp = await fetch("/range/" + prefix, { headers: { "Add-Padding": "true" }, cache: "no-store", referrerPolicy: "no-referrer", credentials: "omit" });
      if (!resp.ok) throw new Error("the server answered " + resp.status);
      let count = 0;
      for (const line of (await resp.text()).split("\n")) {
        const [s, n] = line.trim().split(":");
        if (s === suffix) { count = parseInt(n, 10) || 0; break; }
      }
      if (count > 0) {
        out.className = "result bad";
        out.textContent = "This password has appeared " + count.toLocaleString() + " time" + (count === 1 ? "" : "s") + " in breaches. Do not use it anywhere.";
      } else {
        out.className = "result ok";
        out.textContent = "This password was not found in the breaches this server holds.";
      }
    } catch (e) {
      out.textContent = "The check failed: " + e.message;
    }
  });
})();
