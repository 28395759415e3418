import { describe, expect, it } from "vitest";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { handler } from "../../functions/src/lambda.ts";
import { domains } from "../../functions/src/domains.ts";
import { app } from "@waypoint/functions";

/** A Function URL / API Gateway HTTP API (payload v2) event, as AWS sends it. */
function event(method: string, path: string, body?: unknown): APIGatewayProxyEventV2 {
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: "",
    headers: {
      host: "abc123.lambda-url.us-east-1.on.aws",
      "content-type": "application/json",
      "x-forwarded-proto": "https",
    },
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: "abc123.lambda-url.us-east-1.on.aws",
      domainPrefix: "abc123",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "203.0.113.9", userAgent: "test" },
      requestId: "req-1",
      routeKey: "$default",
      stage: "$default",
      time: "22/Nov/2026:12:00:00 +0000",
      timeEpoch: 1795348800000,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    isBase64Encoded: false,
  };
}

describe("Lambda entry", () => {
  it("answers a Function URL event like app.request does", async () => {
    const viaLambda = (await handler(event("GET", "/health") as never, {} as Context)) as {
      statusCode: number;
      body: string;
    };
    const direct = await app.request("/health");
    expect(viaLambda.statusCode).toBe(direct.status);
    expect(JSON.parse(viaLambda.body)).toEqual(await direct.json());
  });

  it("maps failures to the same problem+json through Lambda", async () => {
    const viaLambda = (await handler(
      event("POST", "/auth/login", { email: "x" }) as never,
      {} as Context,
    )) as { statusCode: number; body: string; headers: Record<string, string> };
    const direct = await app.request("/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "x" }),
    });
    expect(viaLambda.statusCode).toBe(422);
    expect(direct.status).toBe(422);
    expect(viaLambda.headers["content-type"]).toContain("application/problem+json");
    const a = JSON.parse(viaLambda.body);
    const b = (await direct.json()) as { errors: unknown };
    expect(a.errors).toEqual(b.errors);
  });

  it("answers a domain whose code fails to load with a 503 problem, and loads it on a later request", async () => {
    let attempts = 0;
    const registry = domains.find((d) => d.name === "registry")!;
    domains.push({
      name: "flaky-test-domain",
      prefixes: ["/api/flaky-test-domain"],
      load: async () => {
        attempts++;
        if (attempts === 1) throw new Error("chunk missing");
        return registry.load();
      },
    });
    try {
      const first = (await handler(event("GET", "/api/flaky-test-domain") as never, {} as Context)) as {
        statusCode: number;
        headers: Record<string, string>;
        body: string;
      };
      expect(first.statusCode).toBe(503);
      expect(first.headers["content-type"]).toBe("application/problem+json");
      expect(JSON.parse(first.body)).toMatchObject({ status: 503, code: "unavailable" });
      // Not cached as broken: the next request loads it (the registry's routes: no such path, 401 before 404).
      const second = (await handler(event("GET", "/api/flaky-test-domain") as never, {} as Context)) as {
        statusCode: number;
      };
      expect(second.statusCode).toBe(401);
      expect(attempts).toBe(2);
    } finally {
      domains.splice(
        domains.findIndex((d) => d.name === "flaky-test-domain"),
        1,
      );
    }
  });
});
