import { describe, expect, it } from "vitest";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { handler } from "../../functions/src/lambda.ts";
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
});
