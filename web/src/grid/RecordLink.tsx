import type { CustomCellRendererProps } from "ag-grid-react";
import { navigate } from "../nav.ts";
import type { GridContext } from "./fields.ts";
import { isRawID } from "./RefCell.tsx";

/** The record's readable number, linking to its page (with its history). */
export function recordLink(p: CustomCellRendererProps) {
  const ctx = p.context as GridContext & { resourceKey: string; idField: string };
  const id = p.data?.[ctx.idField] as string | undefined;
  if (!id || p.data.__new) return <span>{String(p.value ?? "")}</span>;
  const href = `/${ctx.resourceKey}/${id}`;
  return (
    <a
      href={href}
      onClick={(e) => {
        e.preventDefault();
        navigate(href);
      }}
    >
      {/* a record without a readable number opens from an "Open" link, not from its internal ID */}
      {p.value === undefined || p.value === null || isRawID(p.value)
        ? ctx.i18n.t("common.open")
        : String(p.value)}
    </a>
  );
}
