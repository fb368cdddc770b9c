import { useState, type ChangeEvent } from 'react';
import { Link } from 'react-router';
import { api, ApiError, call, type FieldProblem, type Schemas } from '../../api/client';
import { useIdempotencyKey } from '../../api/idempotency-key';
import { downloadFile } from '../../api/download';
import { useErrorMessage } from '../../components/async';
import { Field } from '../../components/form';
import { fieldErrorText } from '../../i18n/api-messages';
import { useI18n } from '../../i18n/i18n-context';
import { bulkColumnOf, csvColumnOf, type CsvDelimiter, csvFileText, parseCsv, toCsv } from './csv';
import { PickupRequest } from './pickup-request';

type Shipment = Schemas['ShipmentDto'];

/** One data row of the uploaded file and what became of it. */
interface BulkRow {
  /** Its place among the data rows, from 1 (the header not counted). */
  row: number;
  /** Its row in the seller's spreadsheet (the header is 1, blank lines count): the number shown. */
  line: number;
  values: Record<string, string>;
  created?: Shipment;
  /** The API's complaints about the row, each naming its field. */
  problems?: FieldProblem[];
}

/**
 * The API's problems with a row, by the CSV column each names (`''`: about the whole row), in the
 * reader's language as the single Kirim form says them. A column's problem is shown under its column; one
 * about the row names its field, which the Indonesian wording leaves out.
 */
function errorsByColumn(
  details: FieldProblem[],
  header: readonly string[],
  say: (message: string) => string,
): Record<string, string> {
  const byColumn: Record<string, string> = {};
  for (const d of details) {
    const column = csvColumnOf(d.field);
    // The file's own spelling of the column (`Recipient Name` for recipientName), as the API matched it.
    const at = header.find((name) => bulkColumnOf(name) === column) ?? '';
    const text = say(d.message);
    const said = at || text === d.message || column === 'row' ? text : `${column}: ${text}`;
    byColumn[at] = byColumn[at] ? `${byColumn[at]}; ${said}` : said;
  }
  return byColumn;
}

/**
 * Sends rows to POST /v1/shipments/bulk as CSV (the file's header, these rows) and applies the answer to
 * them: the API numbers the rows it got from 1, so its row n is `rows[n - 1]`; the created shipments come
 * in the order of the rows that had no error.
 */
async function sendRows(
  header: string[],
  delimiter: CsvDelimiter,
  rows: BulkRow[],
  key: string,
): Promise<BulkRow[]> {
  const answer = await call(
    api.POST('/v1/shipments/bulk', {
      params: { header: { 'content-type': 'text/csv', 'Idempotency-Key': key } },
      body: toCsv(
        header,
        rows.map((r) => r.values),
        delimiter,
      ) as never,
      bodySerializer: (csv: unknown) => csv as string,
    }),
  );
  // The schema types each detail loosely (an object); the API sends { field, message }.
  const failed = new Map(answer.errors.map((e) => [e.row, e.details as unknown as FieldProblem[]]));
  const created = [...answer.created];
  // A row the API names is the n-th it got; the seller knows it by its row in the spreadsheet.
  const spreadsheetRow = (details: FieldProblem[]) =>
    details.map((d) => ({
      ...d,
      message: d.message.replace(
        /^appears again \(first in row (\d+)\)$/,
        (said, n: string) => `appears again (first in row ${rows[Number(n) - 1]?.line ?? n})`,
      ),
    }));
  return rows.map((r, i) => {
    const details = failed.get(i + 1);
    if (details) return { ...r, created: undefined, problems: spreadsheetRow(details) };
    return { ...r, created: created.shift(), problems: undefined };
  });
}

function RowCard({
  row,
  header,
  onEdit,
}: {
  row: BulkRow;
  header: string[];
  onEdit: (column: string, value: string) => void;
}) {
  const { t, rupiah, language } = useI18n();
  const title = t('massal.rowTitle', { row: row.line, reference: row.values.reference || '–' });
  if (row.created)
    return (
      <li className="bulk-row bulk-row-created" data-testid={`bulk-row-${row.row}`}>
        <p>
          <strong>{title}</strong> <span className="badge badge-created">{t('massal.created')}</span>
        </p>
        <p className="sub">
          <Link to={`/pengiriman/${row.created.id}`}>{row.created.reference}</Link> ·{' '}
          {row.created.recipient.name}, {row.created.recipient.city} · {rupiah(row.created.codAmount)}
        </p>
      </li>
    );
  const errors = errorsByColumn(row.problems ?? [], header, (m) => fieldErrorText(language, m));
  return (
    <li className="bulk-row bulk-row-bad" data-testid={`bulk-row-${row.row}`}>
      <fieldset>
        <legend>
          <strong>{title}</strong> <span className="badge badge-risk">{t('massal.needsFix')}</span>
        </legend>
        {errors[''] && (
          <p className="form-error" role="alert">
            {errors['']}
          </p>
        )}
        <div className="bulk-fields">
          {header.map((column) => (
            <Field
              key={column}
              id={`row-${row.row}-${column}`}
              name={`row-${row.row}-${column}`}
              label={column}
              error={errors[column]}
              value={row.values[column] ?? ''}
              onChange={(e) => onEdit(column, e.target.value)}
              autoComplete="off"
            />
          ))}
        </div>
      </fieldset>
    </li>
  );
}

/**
 * Bulk upload: the template (GET /v1/shipments/bulk/template), a CSV read in the browser and sent as
 * text/csv, every row shown — created ones linked, bad ones editable in place beside the API's errors and
 * resent on their own — then one pickup for every shipment created.
 */
export function MassalPage() {
  const { t, count, language } = useI18n();
  const message = useErrorMessage();
  const [header, setHeader] = useState<string[]>([]);
  const [delimiter, setDelimiter] = useState<CsvDelimiter>(',');
  const [rows, setRows] = useState<BulkRow[]>([]);
  const [fileName, setFileName] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; details: FieldProblem[] }>();
  const [downloadError, setDownloadError] = useState<string>();
  // The shipments of each pickup already asked for; rows fixed later get a pickup of their own.
  const [pickups, setPickups] = useState<string[][]>([]);
  const key = useIdempotencyKey();

  /** Sends `which` of the rows `all` and shows the answer on them (the rest stay as they were). */
  const send = (columns: string[], separator: CsvDelimiter, all: BulkRow[], which: BulkRow[]) => {
    setBusy(true);
    setError(undefined);
    sendRows(columns, separator, which, key.current)
      .then((answered) => {
        const byRow = new Map(answered.map((r) => [r.row, r]));
        setRows(all.map((r) => byRow.get(r.row) ?? r));
        key.settle();
      })
      .catch((e: unknown) => {
        setError({ text: message(e), details: e instanceof ApiError ? e.details : [] });
        key.settle(e);
      })
      .finally(() => setBusy(false));
  };

  const upload = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    // Emptied, so choosing the same file again (fixed on disk) uploads it again.
    event.target.value = '';
    if (!file) return;
    setFileName(file.name);
    const table = parseCsv(csvFileText(new Uint8Array(await file.arrayBuffer())));
    // A row whose cells do not line up is shown with why, to be fixed in place before it is sent: sent
    // as read, its values would go under the wrong columns (an address's comma shifting a weight).
    const read: BulkRow[] = table.rows.map((values, i) => {
      const why = table.misaligned[i];
      return {
        row: i + 1,
        line: table.lines[i],
        values,
        ...(why ? { problems: [{ field: 'row', message: why }] } : {}),
      };
    });
    setHeader(table.header);
    setDelimiter(table.delimiter);
    setRows(read);
    const aligned = read.filter((r) => !r.problems);
    if (read.length === 0) setError({ text: t('massal.noRows'), details: [] });
    else if (aligned.length) send(table.header, table.delimiter, read, aligned);
  };

  const edit = (row: number) => (column: string, value: string) =>
    setRows((all) =>
      all.map((r) => (r.row === row ? { ...r, values: { ...r.values, [column]: value } } : r)),
    );

  const created = rows.flatMap((r) => (r.created ? [r.created] : []));
  const bad = rows.filter((r) => !r.created && r.problems);
  const references = Object.fromEntries(created.map((s) => [s.id, s.reference]));
  const asked = new Set(pickups.flat());
  const notAsked = created.map((s) => s.id).filter((id) => !asked.has(id));
  // Keyed by position: the pickup being asked for keeps its place (and state) once it joins the asked ones.
  const groups = notAsked.length ? [...pickups, notAsked] : pickups;

  return (
    <>
      <p>
        <Link to="/kirim">← {t('massal.back')}</Link>
      </p>
      <h1>{t('massal.title')}</h1>
      <section className="panel" aria-labelledby="massal-file-heading">
        <h2 id="massal-file-heading">{t('massal.fileTitle')}</h2>
        <p>{t('massal.intro')}</p>
        <p>
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              setDownloadError(undefined);
              downloadFile('/v1/shipments/bulk/template', 'kirim-template-pengiriman.csv').catch(
                (e: unknown) => setDownloadError(message(e)),
              );
            }}
          >
            {t('massal.template')}
          </button>
        </p>
        {downloadError && (
          <p className="form-error" role="alert">
            {downloadError}
          </p>
        )}
        <div className="field">
          <label htmlFor="massal-file">{t('massal.file')}</label>
          <input
            id="massal-file"
            type="file"
            accept=".csv,text/csv"
            disabled={busy}
            onChange={(e) => void upload(e)}
            aria-describedby="massal-file-hint"
          />
          <p className="field-hint" id="massal-file-hint">
            {fileName ? t('massal.fileChosen', { name: fileName }) : t('massal.fileHint')}
          </p>
        </div>
        <div role="status" aria-live="polite">
          {busy && <p className="state state-loading">{t('massal.sending')}</p>}
          {!busy && rows.length > 0 && !error && (
            <p className="notice">
              {t('massal.summary', { created: count(created.length), bad: count(bad.length) })}
            </p>
          )}
        </div>
        {error && (
          <div className="form-error" role="alert">
            <p>{error.text}</p>
            {error.details.length > 0 && (
              <ul>
                {error.details.map((d, i) => (
                  <li key={i}>
                    {d.field.replace(/^body\.?/, '') || t('massal.file')}:{' '}
                    {fieldErrorText(language, d.message)}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </section>

      {rows.length > 0 && (
        <section className="panel" aria-labelledby="massal-rows-heading">
          <h2 id="massal-rows-heading">{t('massal.rowsTitle', { n: count(rows.length) })}</h2>
          <ol className="bulk-rows">
            {rows.map((r) => (
              <RowCard key={r.row} row={r} header={header} onEdit={edit(r.row)} />
            ))}
          </ol>
          {bad.length > 0 && (
            <button
              type="button"
              className="button primary"
              disabled={busy}
              aria-busy={busy}
              onClick={() => send(header, delimiter, rows, bad)}
            >
              {busy ? t('form.submitting') : t('massal.resend', { n: count(bad.length) })}
            </button>
          )}
        </section>
      )}

      {groups.length > 0 && (
        <section className="panel" aria-labelledby="massal-pickup-heading">
          <h2 id="massal-pickup-heading">{t('massal.pickupTitle')}</h2>
          {groups.map((ids, i) => (
            <PickupRequest
              key={i}
              shipmentIds={ids}
              references={references}
              label={t('massal.pickup', { n: count(ids.length) })}
              onAccepted={(accepted) => setPickups((done) => [...done, accepted])}
            />
          ))}
        </section>
      )}
    </>
  );
}
