/**
 * Parses delimited text as Excel, Google Sheets and LibreOffice put it on the clipboard (TSV) or write it to a
 * file (CSV): a cell that starts with a double quote is quoted and may hold the delimiter, line breaks and doubled
 * quotes; any other cell is taken literally. Line endings may be \n, \r\n or \r; one trailing line break (which
 * spreadsheets always add) does not make an extra row.
 */
export function parseDelimited(text: string, delimiter = "\t"): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  if (n === 0) return rows;
  while (i <= n) {
    let cell = "";
    if (text[i] === '"') {
      i++;
      while (i < n) {
        const ch = text[i]!;
        if (ch === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        cell += ch;
        i++;
      }
      // Text after a closing quote (malformed, e.g. `"a"b`) is kept rather than dropped.
      while (i < n && text[i] !== delimiter && text[i] !== "\n" && text[i] !== "\r") cell += text[i++];
    } else {
      while (i < n && text[i] !== delimiter && text[i] !== "\n" && text[i] !== "\r") cell += text[i++];
    }
    row.push(cell);
    if (i >= n) {
      rows.push(row);
      break;
    }
    const ch = text[i];
    if (ch === delimiter) {
      i++;
      if (i === n) {
        row.push("");
        rows.push(row);
        break;
      }
      continue;
    }
    // line break
    i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
    rows.push(row);
    row = [];
    if (i === n) break;
  }
  return rows;
}

/** A rectangular block: short rows are padded with empty cells so the block pastes as a rectangle. */
export function toBlock(rows: string[][]): string[][] {
  const width = Math.max(0, ...rows.map((r) => r.length));
  return rows.map((r) => (r.length < width ? [...r, ...Array(width - r.length).fill("")] : r));
}

/** Cells a spreadsheet would run as a formula are prefixed with ' (OWASP CSV injection guidance). */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function quote(value: string, delimiter: string): string {
  return /["\r\n]/.test(value) || value.includes(delimiter) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Writes rows as CSV (or TSV), every cell formula-neutralised and quoted when needed. */
export function writeDelimited(rows: readonly (readonly string[])[], delimiter = ","): string {
  return (
    rows.map((r) => r.map((c) => quote(neutraliseFormula(c), delimiter)).join(delimiter)).join("\r\n") +
    "\r\n"
  );
}
