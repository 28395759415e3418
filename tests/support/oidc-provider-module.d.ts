// oidc-provider ships no types (and @types/oidc-provider lags its major versions); the tests use a small part.
declare module "oidc-provider" {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- configuration and context objects of the provider
  type Any = any;
  export default class Provider {
    constructor(issuer: string, configuration: Any);
    listen(port: number): import("node:http").Server;
    Grant: Any;
  }
}
