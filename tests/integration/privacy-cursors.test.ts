import { beforeAll, describe, expect, it } from "vitest";
import { Individual } from "@waypoint/core";
import { as, call, createTestOperation, type TestOperation } from "../support/fixtures.ts";

let t: TestOperation;
const family = "Zaragozaquintana";
beforeAll(async () => {
  t = await createTestOperation();
  for (const given of ["Adelina", "Benita", "Carmela"])
    await as(t.users.caseworker.actor, () =>
      Individual.create(
        {
          givenName: given,
          familyName: family,
          sex: "female",
          dateOfBirth: "1990-01-01",
          nationality: "HND",
          officeID: t.officeA,
          legalStatus: "asylum_seeker",
        },
        { overrideDuplicates: { reason: "cursor fixture" } },
      ),
    );
});

/** Everything a cursor reveals to whoever holds it: each part decoded as base64url, as text. */
const decoded = (cursor: string) =>
  cursor
    .split(/[.]/)
    .map((part) => Buffer.from(part, "base64url").toString("latin1"))
    .join(" ")
    .toLowerCase() + ` ${decodeURIComponent(cursor).toLowerCase()}`;

describe("list cursors carry no personal data", () => {
  it("a name-sorted page's cursor holds neither the last person's name nor the search text, and still pages", async () => {
    const token = t.users.caseworker.token;
    const first = await call("GET", `/api/individuals?q=zaragoza&sort=name&limit=1`, { token });
    expect(first.status).toBe(200);
    expect(first.json.items[0].givenName).toBe("Adelina");
    const cursor: string = first.json.nextCursor;
    expect(cursor).toBeTruthy();
    const seen = decoded(cursor);
    for (const word of ["zaragoza", family.toLowerCase(), "adelina", "searchname", "gsi3"])
      expect(seen).not.toContain(word);
    const second = await call(
      "GET",
      `/api/individuals?q=zaragoza&sort=name&limit=1&cursor=${encodeURIComponent(cursor)}`,
      { token },
    );
    expect(second.json.items[0].givenName).toBe("Benita");
    // a cursor of one query is refused on another
    const other = await call(
      "GET",
      `/api/individuals?q=zaragozaq&sort=name&limit=1&cursor=${encodeURIComponent(cursor)}`,
      { token },
    );
    expect(other.status).toBe(422);
  });

  it("a name search goes in the request body: the URL holds no name, the cursor holds none either", async () => {
    const token = t.users.caseworker.token;
    const first = await call("POST", "/api/individuals/search", {
      token,
      body: { q: "Zaragoza", sort: "name", limit: 2 },
    });
    expect(first.status).toBe(200);
    expect(first.json.items.map((i: { givenName: string }) => i.givenName)).toEqual(["Adelina", "Benita"]);
    expect(decoded(first.json.nextCursor)).not.toContain("zaragoza");
    expect(decoded(first.json.nextCursor)).not.toContain("benita");
    const next = await call("POST", "/api/individuals/search", {
      token,
      body: { q: "Zaragoza", sort: "name", limit: 2, cursor: first.json.nextCursor },
    });
    expect(next.json.items.map((i: { givenName: string }) => i.givenName)).toEqual(["Carmela"]);
  });
});
