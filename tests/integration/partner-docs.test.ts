import crypto from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { signatureHeader } from "@waypoint/core/webhook/sign";

/** The webhook check partners copy from docs/partner-api.md, run as written. */
function docsVerifier(): (header: string, secret: string, rawBody: string) => boolean {
  const md = readFileSync(join(__dirname, "../../docs/partner-api.md"), "utf8");
  const section = md.slice(md.indexOf("## Webhooks"));
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code) throw new Error("docs/partner-api.md has no js snippet under Webhooks");
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the snippet under test is our own documentation
  const run = new Function("crypto", "Buffer", "header", "secret", "rawBody", `${code}\nreturn ok;`);
  return (header, secret, rawBody) => run(crypto, Buffer, header, secret, rawBody) as boolean;
}

describe("partner docs: webhook signature check", () => {
  const secret = "whsec_test";
  const body = JSON.stringify({ type: "referral.accepted", referralID: "ref_1" });

  it("accepts a fresh signature made by the server", () => {
    expect(docsVerifier()(signatureHeader(secret, body), secret, body)).toBe(true);
  });

  it("refuses a tampered body and a stale timestamp", () => {
    const verify = docsVerifier();
    expect(verify(signatureHeader(secret, body), secret, `${body} `)).toBe(false);
    const old = Math.floor(Date.now() / 1000) - 3600;
    expect(verify(signatureHeader(secret, body, old), secret, body)).toBe(false);
  });

  it("refuses a short or missing signature without throwing (a receiver must not crash)", () => {
    const verify = docsVerifier();
    const t = Math.floor(Date.now() / 1000);
    expect(() => verify(`t=${t},v1=abc`, secret, body)).not.toThrow();
    expect(verify(`t=${t},v1=abc`, secret, body)).toBe(false);
    expect(verify(`t=${t},v1=`, secret, body)).toBe(false);
    expect(verify(`t=${t}`, secret, body)).toBe(false);
  });
});
