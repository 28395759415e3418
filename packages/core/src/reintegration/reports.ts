import { LiveReturnStatuses, ReturnStatsQuery, type InconsistencyRow } from "@waypoint/schema/reintegration";
import { Readable } from "node:stream";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { loadExcel } from "../common/lazy.ts";
import { ObjectStore } from "../export/store.ts";
import { safeCell } from "../export/text.ts";
import { isChild } from "../common/age.ts";
import { batchGet } from "../common/batch-get.ts";
import { fn } from "../common/fn.ts";
import { IndividualEntity } from "../individual/individual.entity.ts";
import { InvoiceEntity, PlanEntity, ReturnEntity } from "./reintegration.entity.ts";
import { AvrrTally } from "./tally.ts";

type Item = {
  itemID: string;
  kind: "economic" | "social" | "psychosocial";
  status: string;
  budget?: number;
  description: string;
};

async function all(operationID: string) {
  const [returns, plans] = await Promise.all([
    ReturnEntity.query.byOperation({ operationID }).go({ pages: "all" }),
    PlanEntity.query.byOperation({ operationID }).go({ pages: "all" }),
  ]);
  const visible = returns.data.filter(
    (r) =>
      !r.deleted &&
      Actor.can("programme.read", { operationID, officeID: r.officeID, createdBy: r.createdBy }),
  );
  return { returns: visible, plans: new Map(plans.data.map((p) => [p.returnID, p])) };
}

/**
 * The AVRR reports: the monthly statistical table of returns under monitoring (per country of return, with
 * sex and child counts) and the data inconsistency report, each problem with a suggested fix.
 */
export namespace ReintegrationReports {
  /**
   * The month's table from the AVRR counters (tally.ts): a few hundred counters and the month's arrivals, whatever
   * the size of the register. Sex and children are counted for the people who arrived in the month, read from the
   * register as it is now.
   */
  export const monthly = fn(ReturnStatsQuery, async ({ month }) => {
    Actor.assert("report.read");
    const operationID = Actor.operationID();
    const offices = await AvrrTally.read(operationID, month);
    const ids = [
      ...new Set([...offices.values()].flatMap((o) => o.arrivals.flatMap((a) => a.individualIDs))),
    ];
    const people = new Map<string, Record<string, unknown>>();
    const found = await batchGet<Record<string, unknown> & { individualID: string }>(
      IndividualEntity,
      ids.map((individualID) => ({ individualID })),
      { attributes: ["individualID", "sex", "dateOfBirth", "estimatedAge", "timeCreated"] },
    );
    for (const p of found) people.set(p.individualID, p);
    const rows = new Map<string, ReturnType<typeof blank>>();
    const blank = (country: string) => ({
      countryOfReturn: country,
      returnedCases: 0,
      returnedIndividuals: 0,
      female: 0,
      male: 0,
      children: 0,
      underMonitoring: 0,
      visitsInMonth: 0,
      highVulnerability: 0,
      plansApproved: 0,
      itemsDelivered: { economic: 0, social: 0, psychosocial: 0 },
    });
    const row = (country: string) => {
      const r = rows.get(country) ?? blank(country);
      rows.set(country, r);
      return r;
    };
    const monthStart = new Date(`${month}-01T00:00:00Z`);
    for (const office of offices.values()) {
      for (const a of office.arrivals) {
        const r = row(a.countryOfReturn);
        r.returnedCases++;
        r.returnedIndividuals += a.individualIDs.length;
        for (const id of a.individualIDs) {
          const p = people.get(id);
          if (p?.sex === "female") r.female++;
          if (p?.sex === "male") r.male++;
          if (p && isChild(p as never, monthStart)) r.children++;
        }
      }
      for (const [key, n] of office.counters) {
        const [country, what, part] = key.split("|") as [string, string, string | undefined];
        const r = row(country);
        if (what === "monitoring" && part! <= month) r.underMonitoring += n;
        else if (what === "visits" && part === month) r.visitsInMonth += n;
        else if (what === "high") r.highVulnerability += n;
        else if (what === "plans") r.plansApproved += n;
        else if (what === "items" && part && part in r.itemsDelivered)
          r.itemsDelivered[part as keyof typeof r.itemsDelivered] += n;
      }
    }
    return [...rows.values()]
      .filter((r) => r.returnedCases || r.underMonitoring || r.visitsInMonth)
      .sort((a, b) => a.countryOfReturn.localeCompare(b.countryOfReturn));
  });

  /** Column headers of the monthly table in the four languages (the file is read by people, not programs). */
  const HEADERS: Record<"en" | "es" | "fr" | "ar", string[]> = {
    en: ["Country of return", "Returned cases", "Returned people", "Women and girls", "Men and boys", "Children", "Under monitoring", "Visits in the month", "High vulnerability", "Plans approved", "Economic items delivered", "Social items delivered", "Psychosocial items delivered"],
    es: ["País de retorno", "Casos retornados", "Personas retornadas", "Mujeres y niñas", "Hombres y niños", "Niños", "En seguimiento", "Visitas del mes", "Vulnerabilidad alta", "Planes aprobados", "Apoyos económicos entregados", "Apoyos sociales entregados", "Apoyos psicosociales entregados"],
    fr: ["Pays de retour", "Dossiers rentrés", "Personnes rentrées", "Femmes et filles", "Hommes et garçons", "Enfants", "En suivi", "Visites du mois", "Vulnérabilité élevée", "Plans approuvés", "Aides économiques livrées", "Aides sociales livrées", "Aides psychosociales livrées"],
    ar: ["بلد العودة", "الحالات العائدة", "الأشخاص العائدون", "النساء والفتيات", "الرجال والفتيان", "الأطفال", "قيد المتابعة", "زيارات الشهر", "هشاشة عالية", "الخطط الموافق عليها", "مساعدات اقتصادية مُسلَّمة", "مساعدات اجتماعية مُسلَّمة", "مساعدات نفسية اجتماعية مُسلَّمة"],
  };
  export const ExportQuery = ReturnStatsQuery.extend({
    format: z.enum(["csv", "xlsx"]).default("csv"),
    lang: z.enum(["en", "es", "fr", "ar"]).default("en"),
  });
  /**
   * The monthly table as a CSV (UTF-8 with a byte-order mark, so a spreadsheet reads accents and Arabic) or XLSX
   * file, headers in the reader's language; audited. On AWS handed over through the bucket (a 303 to a link).
   */
  export const monthlyExport = fn(ExportQuery, async ({ month, format, lang }) => {
    const rows = await monthly({ month });
    const table = rows.map((r) => [
      r.countryOfReturn,
      r.returnedCases,
      r.returnedIndividuals,
      r.female,
      r.male,
      r.children,
      r.underMonitoring,
      r.visitsInMonth,
      r.highVulnerability,
      r.plansApproved,
      r.itemsDelivered.economic,
      r.itemsDelivered.social,
      r.itemsDelivered.psychosocial,
    ]);
    await Audit.record({
      recordID: "avrr-monthly",
      recordType: "report",
      action: "export",
      operationID: Actor.operationID(),
      reason: `month=${month} format=${format}`,
    });
    const filename = `avrr-${month}.${format}`;
    let content: Buffer;
    if (format === "csv") {
      const field = (v: string | number) => {
        if (typeof v === "number") return String(v);
        const t = safeCell(v);
        return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
      };
      const lines = [HEADERS[lang], ...table].map((r) => r.map(field).join(","));
      content = Buffer.from(`\uFEFF${lines.join("\r\n")}\r\n`, "utf8");
    } else {
      const ExcelJS = await loadExcel();
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet(`AVRR ${month}`, { views: [{ rightToLeft: lang === "ar" }] });
      ws.addRow(HEADERS[lang]);
      for (const r of table) ws.addRow(r.map((v) => (typeof v === "string" ? safeCell(v) : v)));
      content = Buffer.from(await wb.xlsx.writeBuffer());
    }
    const contentType =
      format === "csv"
        ? "text/csv; charset=utf-8"
        : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    const link = await ObjectStore.offload(Readable.from([content]), { fileName: filename, contentType });
    return { filename, contentType, ...(link ? { link } : { content }) };
  });

  export const InconsistencyQuery = z.object({ today: z.string().optional() });
  export const inconsistencies = fn(InconsistencyQuery, async ({ today = new Date()
      .toISOString()
      .slice(0, 10) }) => {
    Actor.assert("programme.read");
    const operationID = Actor.operationID();
    const { returns, plans } = await all(operationID);
    const out: InconsistencyRow[] = [];
    const add = (row: InconsistencyRow) => out.push(row);
    // One person in two live returns: each of the returns is reported, naming the person and the other returns.
    const live = new Map<string, string[]>();
    for (const r of returns)
      if (LiveReturnStatuses.includes(r.status))
        for (const id of new Set(r.individualIDs)) live.set(id, [...(live.get(id) ?? []), r.returnID]);
    for (const [individualID, ids] of live)
      if (ids.length > 1)
        for (const returnID of ids)
          add({
            recordType: "return",
            recordID: returnID,
            returnID,
            code: "person.twoLiveReturns",
            field: "individualIDs",
            individualID,
            relatedReturnIDs: ids.filter((x) => x !== returnID),
            problem: "The same person is in another return that is still going on",
            suggestedFix: "Cancel the duplicate return, or take the person off the one they are not travelling with",
          });
    for (const r of returns) {
      const ret = { recordType: "return" as const, recordID: r.returnID, returnID: r.returnID };
      const after = ["returned", "monitoring", "closed"].includes(r.status);
      if (!r.vulnerability && r.status !== "registered" && r.status !== "cancelled")
        add({
          ...ret,
          code: "missing.vulnerability",
          field: "vulnerability",
          problem: "No vulnerability assessment recorded",
          suggestedFix: "Record the vulnerability assessment from the counselling notes",
        });
      if (after && !r.arrivedOn)
        add({
          ...ret,
          code: "missing.arrivedOn",
          field: "arrivedOn",
          problem: "Returned without an arrival date",
          suggestedFix: "Enter the arrival date from the movement manifest",
        });
      if (!r.plannedReturnDate && !after && r.status !== "cancelled")
        add({
          ...ret,
          code: "missing.plannedReturnDate",
          field: "plannedReturnDate",
          problem: "No planned return date",
          suggestedFix: "Agree a travel date with the returnee and enter it",
        });
      if (r.arrivedOn && r.departedOn && r.arrivedOn < r.departedOn)
        add({
          ...ret,
          code: "dates.arrivalBeforeDeparture",
          field: "arrivedOn",
          problem: "Arrival is before departure",
          suggestedFix: "Check the two dates against the travel documents; they are probably swapped",
        });
      if (r.arrivedOn && r.arrivedOn > today)
        add({
          ...ret,
          code: "dates.futureArrival",
          field: "arrivedOn",
          problem: "Arrival date is in the future",
          suggestedFix: "Use the planned return date for future travel; set the arrival date after arrival",
        });
      for (const v of (r.monitoring ?? []) as { date: string }[])
        if (r.arrivedOn && v.date < r.arrivedOn)
          add({
            ...ret,
            code: "dates.visitBeforeArrival",
            field: "monitoring",
            problem: `A monitoring visit (${v.date}) precedes arrival`,
            suggestedFix: "Correct the visit date or the arrival date",
          });
      if (r.status === "monitoring" && r.arrivedOn && (r.monitoring ?? []).length === 0)
        add({
          ...ret,
          code: "missing.monitoring",
          field: "monitoring",
          problem: "Under monitoring but no visit recorded",
          suggestedFix: "Record the first monitoring visit or move the case back to returned",
        });
      const plan = plans.get(r.returnID);
      if (after && !plan)
        add({
          ...ret,
          code: "missing.plan",
          field: "plan",
          problem: "Returned without a reintegration plan",
          suggestedFix: "Draft the reintegration plan with the returnee",
        });
      if (!plan) continue;
      const invoices = (
        await InvoiceEntity.query.byReturn({ returnID: r.returnID }).go({ pages: "all" })
      ).data.filter((i) => !i.deleted);
      for (const it of plan.items as Item[]) {
        const inv = invoices.filter((i) => i.itemID === it.itemID);
        const approved = inv.filter((i) => i.status === "approved");
        const base = {
          recordType: "plan" as const,
          recordID: plan.planID,
          returnID: r.returnID,
          field: `items.${it.itemID}`,
        };
        if (it.budget && inv.length === 0 && it.status !== "cancelled")
          add({
            ...base,
            code: "plan.itemWithoutInvoice",
            problem: `Plan item "${it.description}" has a budget but no pro-forma invoice`,
            suggestedFix: "Collect three quotes and create the invoice, or cancel the item",
          });
        if (it.status === "delivered" && approved.length === 0)
          add({
            ...base,
            code: "plan.deliveredWithoutApproval",
            problem: `Plan item "${it.description}" is delivered without an approved invoice`,
            suggestedFix: "Approve the invoice or set the item back to in progress",
          });
        for (const i of approved)
          if (it.budget && (i.amount ?? 0) > it.budget)
            add({
              recordType: "invoice",
              recordID: i.invoiceID,
              returnID: r.returnID,
              code: "invoice.overBudget",
              field: "amount",
              problem: "The approved amount exceeds the item's budget",
              suggestedFix: "Revise the plan budget (and have it approved) or select another quote",
            });
      }
      for (const i of invoices)
        if (i.status !== "approved" && (i.quotes as unknown[]).length < 3 && !i.waiverReason)
          add({
            recordType: "invoice",
            recordID: i.invoiceID,
            returnID: r.returnID,
            code: "invoice.quotesMissing",
            field: "quotes",
            problem: `Only ${(i.quotes as unknown[]).length} quote(s) and no waiver`,
            suggestedFix: "Add quotes from other suppliers or record why a waiver applies",
          });
    }
    return out;
  });
}
