import type { ColDef } from "ag-grid-community";
import {
  type BatchInfo,
  BatchStatusLabels,
  PaymentChanges,
  type PaymentInfo,
  PaymentPurposeLabels,
  PaymentStatusLabels,
} from "@waypoint/schema";
import { label, type Labels } from "@waypoint/schema";
import { z } from "zod";
import { columnsFor, moneyFormatter } from "../grid/fields.ts";
import { recordLink } from "../grid/RecordLink.tsx";
import { refColumn } from "../grid/RefCell.tsx";

/** Why a payment waits for a person (batch/flags.ts, reconciliation): shown in words, never as the code. */
const PaymentFlagLabels: Record<string, Labels> = {
  payee_changed: label(
    "Payee's details changed",
    "Datos del beneficiario cambiados",
    "Coordonnées du bénéficiaire modifiées",
    "تغيّرت بيانات المستفيد",
  ),
  reconcile_contradiction: label(
    "Contradictory bank report",
    "Informe bancario contradictorio",
    "Rapport bancaire contradictoire",
    "تقرير مصرفي متناقض",
  ),
};

const p = columnsFor<PaymentInfo>(PaymentChanges);

export const paymentColumns: ColDef<PaymentInfo>[] = [
  p.readonly("paymentID", { cellRenderer: recordLink, pinned: "left", width: 250 }),
  p.readonly("payeeID", {
    ...refColumn("payees", { name: "payeeName", readable: "payeeReadable" }),
    width: 250,
  }),
  p.enum("purpose", PaymentPurposeLabels),
  p.number("amount", { valueFormatter: moneyFormatter, width: 150 }),
  p.code("currency", { width: 100 }),
  p.enum("status", PaymentStatusLabels, { width: 120 }),
  p.readonly("batchID", { ...refColumn("payment-batches"), width: 250 }),
  p.enum("batchStatus", BatchStatusLabels, { editable: false, width: 140 }),
  p.enum("flag", PaymentFlagLabels, { editable: false, width: 180 }),
  p.text("note", { width: 240 }),
  p.datetime("timeUpdated"),
];

/** Batches move through their lifecycle by actions (submit, approve, export), never by grid edits. */
const b = columnsFor<BatchInfo>(z.object({}));

export const batchColumns: ColDef<BatchInfo>[] = [
  b.readonly("batchNumber", { cellRenderer: recordLink, pinned: "left", width: 190 }),
  b.readonly("name", { width: 200 }),
  b.enum("status", BatchStatusLabels, { width: 120 }),
  b.number("count", { width: 100 }),
  b.number("total", { valueFormatter: moneyFormatter, width: 160 }),
  b.code("currency", { width: 100 }),
  b.number("approvalsRequired", { width: 120 }),
  b.number("flaggedCount", { width: 110 }),
  b.number("paidCount", { width: 100 }),
  b.number("failedCount", { width: 100 }),
  b.date("executionDate"),
  b.datetime("timeUpdated"),
];
