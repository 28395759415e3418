import type { Server } from "node:http";
import Provider from "oidc-provider";
import { freePort } from "../../packages/local/src/dynamo-local.ts";

/** A person at the test identity provider: `login` is what they type on its sign-in page. */
export interface IdpAccount {
  login: string;
  email: string;
  name: string;
  groups: string[];
  emailVerified?: boolean;
}

export interface TestProvider {
  issuer: string;
  clientID: string;
  clientSecret: string;
  close: () => Promise<void>;
}

/**
 * A real OpenID provider (`oidc-provider`, certified) in this process on a free port: one confidential client
 * that must use PKCE, its development sign-in page (any password), consent granted without asking, and the given
 * accounts with e-mail and `groups` claims (the groups reach the relying party through the userinfo endpoint, as
 * with most providers).
 */
export async function startProvider(accounts: IdpAccount[], redirectURIs: string[]): Promise<TestProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientID = "waypoint-test";
  const clientSecret = "waypoint-test-secret-0123456789abcdef";
  const byLogin = new Map(accounts.map((a) => [a.login, a]));
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientID,
        client_secret: clientSecret,
        redirect_uris: redirectURIs,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    pkce: { required: () => true },
    cookies: { keys: ["test-cookie-key-0123456789"] },
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name"],
      groups: ["groups"],
    },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx: unknown, id: string) {
      const a = byLogin.get(id);
      if (!a) return undefined;
      return {
        accountId: id,
        async claims() {
          return {
            sub: id,
            email: a.email,
            email_verified: a.emailVerified ?? true,
            name: a.name,
            groups: a.groups,
          };
        },
      };
    },
    // first-party client: consent is granted without a page
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the provider's Koa context (no types shipped)
    async loadExistingGrant(ctx: any) {
      const grantId =
        ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId,
      });
      grant.addOIDCScope("openid email profile groups");
      grant.addOIDCClaims(["email", "email_verified", "name", "groups"]);
      await grant.save();
      return grant;
    },
  });
  const server: Server = provider.listen(port);
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  return {
    issuer,
    clientID,
    clientSecret,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A minimal cookie jar for driving the provider's pages with fetch. */
class Jar {
  private cookies = new Map<string, string>();
  take(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair!.indexOf("=");
      this.cookies.set(pair!.slice(0, i).trim(), pair!.slice(i + 1));
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

/**
 * Follows the provider's pages as a browser would: the authorization URL, its sign-in form (typing `login`), until
 * it redirects to a URL outside the provider (the relying party's callback), which is returned.
 */
export async function signInAtProvider(authorizationURL: string, login: string): Promise<URL> {
  const jar = new Jar();
  let url = new URL(authorizationURL);
  const origin = url.origin;
  let init: RequestInit = { method: "GET" };
  for (let hops = 0; hops < 20; hops++) {
    const res = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
    });
    jar.take(res);
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get("location")!, url);
      if (url.origin !== origin) return url;
      init = { method: "GET" };
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`provider answered ${res.status}: ${html.slice(0, 300)}`);
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`no form on the provider's page: ${html.slice(0, 300)}`);
    url = new URL(action.replace(/&amp;/g, "&"), url);
    const form = new URLSearchParams({ prompt, ...(prompt === "login" ? { login, password: "any" } : {}) });
    init = {
      method: "POST",
      body: form.toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    };
  }
  throw new Error("too many redirects at the provider");
}
