import type { CustomCellRendererProps } from "ag-grid-react";
import { navigate } from "../nav.ts";
import type { GridContext } from "./fields.ts";

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
      {String(p.value ?? id)}
    </a>
  );
}
