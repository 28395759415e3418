import { ApiError, api } from "../api/client.ts";

type Row = Record<string, unknown>;
interface RowResult {
  status: string;
  record?: Row;
  issues?: { path: string; code: string; message: string }[];
  message?: string;
  code?: string;
}

/**
 * Saves one record's changes through its collection's bulk PATCH (`{rows:[{id, version, changes}]}`), the way the
 * grid does, and turns the row's own outcome into the ApiError a RecordForm shows: invalid fields on their
 * questions, a conflict or a refusal as a sentence.
 */
export async function patchOne(collection: string, id: string, version: number, changes: Row): Promise<Row> {
  const res = await api<{ results: RowResult[] }>("PATCH", collection, { rows: [{ id, version, changes }] });
  const row = res.results[0];
  if (row?.status === "saved") return row.record ?? {};
  const status =
    row?.status === "invalid"
      ? 422
      : row?.status === "conflict"
        ? 409
        : row?.status === "forbidden"
          ? 403
          : 404;
  throw new ApiError(status, {
    type: `https://waypoint.dev/problems/${row?.status ?? "not_found"}`,
    title: row?.status ?? "not_found",
    status,
    detail: row?.message,
    code: row?.code,
    errors: row?.issues?.map((i) => ({ ...i, path: i.path.replace(/^(rows\.\d+\.)?(changes\.)?/, "") })),
  });
}
