import { Hono } from "hono";

/**
 * Interactive API docs at /v1/docs. Swagger UI (`@hono/swagger-ui`) loads its scripts from a CDN, which offline
 * deployments and partners behind strict proxies cannot reach; this page is self-contained (no external
 * requests): it reads /v1/openapi.json, lists every operation with its parameters, schemas and examples, and
 * lets a developer send a request with their key from the browser.
 */
const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Waypoint partner API</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
header{background:#0b3d5c;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}
main{max-width:1000px;margin:0 auto;padding:16px}
details{background:#fff;border:1px solid #d0d7de;border-radius:6px;margin:8px 0}
summary{cursor:pointer;padding:8px 12px;font-family:ui-monospace,monospace}
.m{display:inline-block;min-width:64px;font-weight:700}.get{color:#0969da}.post{color:#1a7f37}.put{color:#9a6700}.delete{color:#cf222e}
section{padding:0 12px 12px}pre{background:#f6f8fa;padding:8px;overflow:auto;max-height:320px;font-size:12px}
textarea,input{width:100%;box-sizing:border-box;font-family:ui-monospace,monospace}button{margin-top:6px}
</style></head><body>
<header><h1>Waypoint partner API</h1><div id="desc"></div></header>
<main><p><label>API key <input id="key" type="password" autocomplete="off" placeholder="wpk_..."></label></p><div id="ops">Loading...</div></main>
<script>
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;"}[c]));
fetch("openapi.json").then((r) => r.json()).then((doc) => {
  document.getElementById("desc").textContent = doc.info.description || "";
  const out = [];
  for (const [path, item] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(item)) {
    const body = op.requestBody && op.requestBody.content && Object.values(op.requestBody.content)[0];
    const example = body ? JSON.stringify(body.example ?? {}, null, 2) : "";
    const params = (op.parameters || []).map((p) => "<li><code>" + esc(p.name) + "</code> (" + esc(p.in) + ")" + (p.required ? " required" : "") + (p.description ? ": " + esc(p.description) : "") + "</li>").join("");
    out.push('<details><summary><span class="m ' + method + '">' + method.toUpperCase() + "</span>" + esc(path) + " &mdash; " + esc(op.summary || "") + "</summary><section>" +
      "<p>" + esc(op.description || "") + "</p>" + (params ? "<ul>" + params + "</ul>" : "") +
      (body ? "<p>Request body schema</p><pre>" + esc(JSON.stringify(body.schema, null, 2)) + "</pre>" : "") +
      "<p>Responses</p><pre>" + esc(JSON.stringify(op.responses, null, 2)) + "</pre>" +
      '<p>Try it: path</p><input class="p" value="' + esc("/v1" + path) + '">' + (body ? '<textarea class="b" rows="8">' + esc(example) + "</textarea>" : "") +
      '<button data-m="' + method + '">Send</button><pre class="r"></pre></section></details>');
  }
  const ops = document.getElementById("ops");
  ops.innerHTML = out.join("");
  ops.addEventListener("click", async (e) => {
    const b = e.target.closest("button"); if (!b) return;
    const s = b.parentElement, key = document.getElementById("key").value, t = s.querySelector(".b");
    const res = await fetch(s.querySelector(".p").value, { method: b.dataset.m.toUpperCase(), headers: { authorization: "Bearer " + key, ...(t ? { "content-type": "application/json" } : {}) }, body: t ? t.value : undefined });
    s.querySelector(".r").textContent = res.status + "\\n" + (await res.text());
  });
});
</script></body></html>`;

export const v1Docs = new Hono().get("/docs", (c) =>
  c.html(page, 200, {
    "content-security-policy": "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'",
  }),
);
