/**
 * Screenshots of the main screens for the README and docs/web.md:
 * `node --import tsx tests/e2e/screenshots.ts` (builds the web app, starts the stack in memory, registers demo rows).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../../packages/local/src/paths.ts";
import {
  apiCall,
  apiToken,
  buildWeb,
  cell,
  displayedRowIDs,
  launch,
  pasteText,
  registerIndividuals,
  signIn,
  startStack,
} from "./support.ts";

const out = join(repoRoot, "docs", "screenshots");
mkdirSync(out, { recursive: true });
buildWeb();
const stack = await startStack();
const browser = await launch();
try {
  const admin = await apiToken(stack.url, "admin@example.org");
  const ids = await registerIndividuals(stack.url, admin, 60, "");
  await apiCall(stack.url, admin, "PATCH", "/api/individuals", {
    rows: [
      {
        id: ids[0],
        version: 1,
        changes: { specificNeeds: ["WR", "SM-CI"], phone: "+525512345678", legalStatus: "refugee" },
      },
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1440, height: 860 } });
  page.on("dialog", (d) => void d.accept());
  await page.goto(`${stack.url}/`);
  await page.getByLabel(/password/i).waitFor();
  await page.screenshot({ path: join(out, "signin.png") });
  await signIn(page, stack.url, "admin@example.org");
  const rows = await displayedRowIDs(page);
  await cell(page, rows[1]!, "givenName").click();
  await pasteText(page, "María José\tHernández\tMujer\n");
  await cell(page, rows[3]!, "nationality").dblclick();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("Mexico");
  await page.keyboard.press("Enter");
  await cell(page, rows[3]!, "nationality").click();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, "individuals.png") });
  await page.getByRole("button", { name: "Discard" }).click();

  await page.getByRole("button", { name: "Import…" }).click();
  const dialog = page.getByRole("dialog");
  const csv =
    "Given name,Family name,Sex,Date of birth,Nationality\nLuz,Ortega,Mujer,1991-02-03,HND\nJosé,Ramos,male,12/11/1985,SLV\nPaz,Díaz,banana,1990-01-01,HTI\n";
  await dialog
    .locator('input[type="file"]')
    .setInputFiles({ name: "people.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await dialog.getByRole("button", { name: "Check (dry run)" }).click();
  await page.waitForTimeout(200);
  await page.screenshot({ path: join(out, "import.png") });
  await dialog.getByRole("button", { name: "Close" }).click();

  await page.locator(`.ag-row[row-id="${ids[0]}"] .ag-cell[col-id="registrationNumber"] a`).click();
  await page.getByRole("heading", { name: "History" }).waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(out, "record.png") });

  await page.goto(`${stack.url}/individuals`);
  await page.locator(".ag-row").first().waitFor();
  await page.getByLabel("Language").selectOption("ar");
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(out, "individuals-ar.png") });
} finally {
  await browser.close();
  await stack.stop();
}
