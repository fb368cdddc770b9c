import { useEffect, useRef, useState } from 'react';
import { api, ApiError, call, type Schemas } from '../../api/client';
import { idempotencyKey } from '../../api/idempotency-key';
import { Async, StaleNotice, useErrorMessage, useLoad } from '../../components/async';
import {
  Field,
  FormError,
  FormProblem,
  formText,
  ReasonForm,
  SubmitButton,
  useApiForm,
} from '../../components/form';
import { ListFooter, usePagedList } from '../../components/paged-list';
import { TableScroll } from '../../components/table-scroll';
import { apiErrorText, fieldErrorText } from '../../i18n/api-messages';
import { type I18n, useI18n } from '../../i18n/i18n-context';
import type { MessageKey } from '../../i18n/id';
import { COURIERS, courierName } from '../shipment-query';
import { csvFileText } from '../kirim/csv';

type Remittance = Schemas['RemittanceDto'];
type Courier = Remittance['courier'];
type Line = Schemas['RemittanceLineDto'];

const OUTCOMES: { key: 'matched' | 'amountMismatches' | 'unmatched' | 'duplicates'; label: MessageKey }[] = [
  { key: 'matched', label: 'remitansi.matched' },
  { key: 'amountMismatches', label: 'remitansi.mismatches' },
  { key: 'unmatched', label: 'remitansi.unmatched' },
  { key: 'duplicates', label: 'remitansi.duplicates' },
];

/** The report's columns as the API names them in its problems (`row 3: remitted date`, `body.awb`). */
const COLUMNS: Record<string, MessageKey> = {
  awb: 'remitansi.column.awb',
  amount: 'remitansi.column.amount',
  'remitted date': 'remitansi.column.remittedDate',
};

/**
 * The API names a report's problems by the body (`body`, `row 3: amount`, `body.awb`): all of them are the
 * file's, shown together by the file input in the reader's language (`Baris 3, jumlah COD: …`), as Kirim
 * massal says its rows' problems; the courier keeps its own.
 */
function problemsOfFile(e: ApiError, t: I18n['t'], say: (message: string) => string): ApiError {
  const ofFile = e.details.filter((d) => d.field !== 'courier');
  if (ofFile.length === 0) return e;
  const column = (name: string) => (name in COLUMNS ? t(COLUMNS[name]) : name);
  const where = (field: string) => {
    const row = /^row (\d+)(?:: (.+))?$/.exec(field);
    if (row)
      return row[2]
        ? t('remitansi.rowProblem', { row: row[1], column: column(row[2]) })
        : t('remitansi.rowWhole', { row: row[1] });
    const header = /^body\.(.+)$/.exec(field);
    return header ? t('remitansi.columnProblem', { column: column(header[1]) }) : field;
  };
  const said = ofFile.map((d) =>
    d.field === 'body' ? say(d.message) : `${where(d.field)}: ${say(d.message)}`,
  );
  // Sentences (Indonesian) follow one another; the API's bare phrases are listed with semicolons.
  const message = said.join(said.every((s) => s.endsWith('.')) ? ' ' : '; ');
  const rest = e.details.filter((d) => d.field === 'courier');
  return new ApiError(e.status, e.code, e.message, [...rest, { field: 'file', message }], e.requestId);
}

/** What a report did: each outcome's count and rupiah. */
function Outcomes({ r }: { r: Pick<Remittance, (typeof OUTCOMES)[number]['key']> }) {
  const { t, rupiah, count } = useI18n();
  return (
    <dl className="figures">
      {OUTCOMES.map((o) => (
        <div key={o.key} className="figure" data-testid={`outcome-${o.key}`}>
          <dt>{t(o.label)}</dt>
          <dd className="amount">{count(r[o.key].count)}</dd>
          <dd className="figure-hint">{rupiah(r[o.key].amount)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Courier + CSV file → POST /v1/finance/remittances?courier= (text/csv); a bad row's message by the file input. */
function UploadForm({ onUploaded }: { onUploaded: () => void }) {
  const { t, rupiah, count, language } = useI18n();
  const [result, setResult] = useState<Remittance>();
  const form = useApiForm(async (data) => {
    setResult(undefined);
    const courier = formText(data, 'courier') as Courier;
    const file = data.get('file');
    // Decoded as the API would read the file's bytes (UTF-16 by its mark, Windows-1252 when not UTF-8), sent as UTF-8.
    const csv = file instanceof File ? csvFileText(new Uint8Array(await file.arrayBuffer())) : '';
    const done = await call(
      api.POST('/v1/finance/remittances', {
        params: { query: { courier }, header: { 'Idempotency-Key': idempotencyKey() } },
        body: csv,
        bodySerializer: (body: string) => body,
        headers: { 'content-type': 'text/csv; charset=utf-8' },
      }),
    ).catch((e: unknown) => {
      if (!(e instanceof ApiError)) throw e;
      // The same report again: the code says it in the seller's language (the detail names an id in English).
      if (e.code === 'REMITTANCE_ALREADY_UPLOADED')
        throw new ApiError(
          e.status,
          e.code,
          e.message,
          [{ field: 'file', message: apiErrorText(language, e.code, e.message) }],
          e.requestId,
        );
      throw problemsOfFile(e, t, (m) => fieldErrorText(language, m));
    });
    setResult(done);
    onUploaded();
  });
  const fileError = form.fieldError('file');
  return (
    <section aria-labelledby="upload-heading" className="panel">
      <h2 id="upload-heading">{t('remitansi.upload')}</h2>
      <form onSubmit={form.onSubmit} noValidate>
        <FormError form={form} />
        <div className="field">
          <label htmlFor="remit-courier">{t('remitansi.courier')}</label>
          <select id="remit-courier" name="courier" defaultValue="jne">
            {COURIERS.map((c) => (
              <option key={c} value={c}>
                {courierName(c)}
              </option>
            ))}
          </select>
        </div>
        <div className={fileError ? 'field field-invalid' : 'field'}>
          <label htmlFor="remit-file">{t('remitansi.file')}</label>
          <input
            id="remit-file"
            name="file"
            type="file"
            accept=".csv,text/csv"
            required
            aria-invalid={fileError ? true : undefined}
            aria-describedby={fileError ? 'remit-file-hint remit-file-error' : 'remit-file-hint'}
          />
          <p className="field-hint" id="remit-file-hint">
            {t('remitansi.fileHint')}
          </p>
          {fileError && (
            <p className="field-error" id="remit-file-error">
              {fileError}
            </p>
          )}
        </div>
        <SubmitButton form={form}>{t('remitansi.submit')}</SubmitButton>
      </form>
      {result && (
        <div className="notice" role="status" data-testid="remittance-result">
          <p>
            {t('remitansi.done', {
              lines: count(result.lineCount),
              amount: rupiah(result.totalAmount),
              courier: courierName(result.courier),
            })}
          </p>
          <Outcomes r={result} />
        </div>
      )}
    </section>
  );
}

/**
 * Voids a report taken by mistake, with a reason (POST /v1/finance/remittances/{id}/void): its cash is
 * reversed and its parcels are owed again. The API's refusal shows by the field.
 */
function VoidForm({
  r,
  onDone,
  onCancel,
}: {
  r: Remittance;
  /** Voided now, or found voided already (by another finance user meanwhile). */
  onDone: (already: boolean) => void;
  onCancel: () => void;
}) {
  const { t, rupiah, dateTime } = useI18n();
  return (
    <ReasonForm
      id="void-reason"
      testId="void-form"
      intro={t('remitansi.voidWhat', {
        courier: courierName(r.courier),
        at: dateTime(r.createdAt),
        amount: rupiah(r.totalAmount),
      })}
      label={t('remitansi.voidReason')}
      submitLabel={t('remitansi.voidSubmit')}
      cancelLabel={t('remitansi.voidCancel')}
      onCancel={onCancel}
      onSubmit={async (reason) => {
        try {
          await call(
            api.POST('/v1/finance/remittances/{id}/void', {
              params: { path: { id: r.id } },
              body: { reason },
            }),
          );
        } catch (e) {
          if (e instanceof ApiError && e.code === 'REMITTANCE_ALREADY_VOIDED') return onDone(true);
          throw e;
        }
        onDone(false);
      }}
    />
  );
}

/**
 * The reports taken, newest first, 20 at a time. `version` moves with an upload (the list starts again
 * from the top); `changed` with a change to reports already listed (a void, a line resolved): the rows
 * shown load again in place.
 */
function Uploaded({
  version,
  changed,
  onVoided,
}: {
  version: number;
  changed: number;
  onVoided: () => void;
}) {
  const { t, rupiah, count, dateTime } = useI18n();
  const [voiding, setVoiding] = useState<Remittance>();
  const [notice, setNotice] = useState<string>();
  const noticeRef = useRef<HTMLParagraphElement>(null);
  // The form is gone: the keyboard goes on from what it said, or back to the button that opened it.
  useEffect(() => noticeRef.current?.focus(), [notice]);
  const name = (r: Remittance) => ({ courier: courierName(r.courier), at: dateTime(r.createdAt) });
  const list = usePagedList<Remittance>(
    (cursor) =>
      call(
        api.GET('/v1/finance/remittances', {
          params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } },
        }),
      ),
    [version],
  );
  const { refresh } = list;
  const seen = useRef(changed);
  // Not on mount: the first load is the list's own.
  useEffect(() => {
    if (seen.current === changed) return;
    seen.current = changed;
    refresh();
  }, [changed, refresh]);
  return (
    <section aria-labelledby="uploaded-heading" className="panel">
      <StaleNotice failed={list.first.refreshFailed} retry={refresh} />
      <h2 id="uploaded-heading">{t('remitansi.uploaded')}</h2>
      {notice && (
        <p className="notice" role="status" tabIndex={-1} ref={noticeRef}>
          {notice}
        </p>
      )}
      <Async loaded={list.first} isEmpty={(p) => p.items.length === 0} empty={t('remitansi.noneUploaded')}>
        {() => (
          <>
            <TableScroll label={t('remitansi.uploaded')}>
              <table className="money-table">
                <thead>
                  <tr>
                    <th scope="col">{t('remitansi.uploadedAt')}</th>
                    <th scope="col">{t('remitansi.courier')}</th>
                    <th scope="col" className="num">
                      {t('remitansi.lines')}
                    </th>
                    <th scope="col" className="num">
                      {t('remitansi.total')}
                    </th>
                    {OUTCOMES.map((o) => (
                      <th key={o.key} scope="col" className="num">
                        {t(o.label)}
                      </th>
                    ))}
                    <th scope="col">{t('remitansi.state')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.items.map((r) => (
                    <tr key={r.id} data-testid="remittance-row">
                      <th scope="row" data-label={t('remitansi.uploadedAt')}>
                        {dateTime(r.createdAt)}
                      </th>
                      <td data-label={t('remitansi.courier')}>{courierName(r.courier)}</td>
                      <td className="num" data-label={t('remitansi.lines')}>
                        {count(r.lineCount)}
                      </td>
                      <td className="num" data-label={t('remitansi.total')}>
                        {rupiah(r.totalAmount)}
                      </td>
                      {OUTCOMES.map((o) => (
                        <td key={o.key} className="num" data-label={t(o.label)}>
                          {count(r[o.key].count)}
                        </td>
                      ))}
                      <td data-label={t('remitansi.state')}>
                        {r.voidedAt ? (
                          <>
                            {t('remitansi.voided', { at: dateTime(r.voidedAt) })}
                            <span className="sub courier-words">{r.voidReason}</span>
                          </>
                        ) : (
                          <button
                            type="button"
                            id={`void-${r.id}`}
                            className="button secondary"
                            aria-label={t('remitansi.voidOf', name(r))}
                            onClick={() => {
                              setNotice(undefined);
                              setVoiding(r);
                            }}
                          >
                            {t('remitansi.void')}
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
            <ListFooter
              list={list}
              shown={t('remitansi.uploadedShown', { count: count(list.items.length) })}
            />
          </>
        )}
      </Async>
      {voiding && (
        <VoidForm
          key={voiding.id}
          r={voiding}
          onCancel={() => {
            setVoiding(undefined);
            document.getElementById(`void-${voiding.id}`)?.focus();
          }}
          onDone={(already) => {
            setVoiding(undefined);
            setNotice(t(already ? 'remitansi.voidAlready' : 'remitansi.voidDone', name(voiding)));
            // A void decides other reports' duplicate lines again: every row shown loads again (`changed`).
            onVoided();
          }}
        />
      )}
    </section>
  );
}

type Resolution = NonNullable<Line['resolution']>;
const RESOLUTIONS: Resolution[] = ['refund_courier', 'write_off', 'credit_seller'];

/**
 * Finance resolves a line whose cash waits in suspense (POST /v1/finance/remittances/{id}/lines/{row}/resolve):
 * refunded to the courier, kept as income, or credited to the seller of a shipment named by its id, with a
 * required note. The API's refusal shows by its field (the shipment, the note) or above the form.
 */
function ResolveForm({
  line,
  onResolved,
  onCancel,
}: {
  line: Line;
  onResolved: (resolved: Line) => void;
  onCancel: () => void;
}) {
  const { t, rupiah, language } = useI18n();
  const [resolution, setResolution] = useState<Resolution>('refund_courier');
  const id = `resolve-${line.remittanceId}-${line.row}`;
  useEffect(() => document.getElementById(`${id}-resolution`)?.focus(), [id]);
  const form = useApiForm(async (data) => {
    const chosen = formText(data, 'resolution') as Resolution;
    try {
      onResolved(
        await call(
          api.POST('/v1/finance/remittances/{id}/lines/{row}/resolve', {
            params: { path: { id: line.remittanceId, row: line.row } },
            body: {
              resolution: chosen,
              note: formText(data, 'note'),
              ...(chosen === 'credit_seller' ? { shipmentId: formText(data, 'shipmentId').trim() } : {}),
            },
          }),
        ),
      );
    } catch (e) {
      // A refusal of the resolution itself (resolved elsewhere meanwhile, the report voided) names no field
      // of this form: said above it, in the reader's language.
      if (e instanceof ApiError && !e.details.some((p) => p.field === 'note' || p.field === 'shipmentId'))
        throw new FormProblem(apiErrorText(language, e.code, e.message));
      throw e;
    }
  });
  return (
    <form onSubmit={form.onSubmit} className="reject-form" noValidate data-testid="resolve-form">
      <p>{t('remitansi.resolveWhat', { awb: line.awb, amount: rupiah(line.amount) })}</p>
      <FormError form={form} />
      <div className="field">
        <label htmlFor={`${id}-resolution`}>{t('remitansi.resolution')}</label>
        <select
          id={`${id}-resolution`}
          name="resolution"
          value={resolution}
          onChange={(e) => setResolution(e.target.value as Resolution)}
        >
          {RESOLUTIONS.map((r) => (
            <option key={r} value={r}>
              {t(`remitansi.resolution.${r}`)}
            </option>
          ))}
        </select>
      </div>
      {resolution === 'credit_seller' && (
        <Field
          id={`${id}-shipment`}
          label={t('remitansi.resolveShipment')}
          hint={t('remitansi.resolveShipmentHint')}
          name="shipmentId"
          required
          autoComplete="off"
          spellCheck={false}
          error={form.fieldError('shipmentId')}
        />
      )}
      <Field
        id={`${id}-note`}
        label={t('remitansi.resolveNote')}
        name="note"
        required
        maxLength={500}
        error={form.fieldError('note')}
      />
      <div className="button-row">
        <SubmitButton form={form}>{t('remitansi.resolveSubmit')}</SubmitButton>
        <button type="button" className="button secondary" onClick={onCancel}>
          {t('penarikan.cancel')}
        </button>
      </div>
    </form>
  );
}

function LineList({
  title,
  lines,
  testId,
  onResolved,
}: {
  title: string;
  lines: Line[];
  testId: string;
  onResolved: (resolved: Line) => void;
}) {
  const { t, rupiah, date } = useI18n();
  const [resolving, setResolving] = useState<string | null>(null);
  const keyOf = (l: Line) => `${l.remittanceId}-${l.row}`;
  return (
    <>
      <h3>{title}</h3>
      {lines.length === 0 ? (
        <p className="state state-empty">{t('remitansi.none')}</p>
      ) : (
        <ul className="plain-list" data-testid={testId}>
          {lines.map((l) => (
            <li key={keyOf(l)}>
              <span className="mono">{l.awb}</span> · {courierName(l.courier)} · {rupiah(l.amount)}
              {/* A duplicate of the right amount has nothing to correct: "should be" the same amount misleads. */}
              {l.expectedAmount !== null &&
                l.expectedAmount !== l.amount &&
                ` (${t('remitansi.expected', { amount: rupiah(l.expectedAmount) })})`}
              <span className="sub">
                {t('remitansi.row', { row: l.row })} · {date(`${l.remittedOn}T12:00:00+07:00`)}
                {l.reason && ` · ${t(`remitansi.reason.${l.reason}`)}`}
              </span>
              {resolving === keyOf(l) ? (
                <ResolveForm
                  line={l}
                  onCancel={() => {
                    setResolving(null);
                    requestAnimationFrame(() => document.getElementById(`resolve-open-${keyOf(l)}`)?.focus());
                  }}
                  onResolved={(resolved) => {
                    setResolving(null);
                    onResolved(resolved);
                  }}
                />
              ) : (
                <div className="button-row">
                  <button
                    type="button"
                    id={`resolve-open-${keyOf(l)}`}
                    className="button secondary"
                    aria-label={t('remitansi.resolveOf', { awb: l.awb, row: l.row })}
                    onClick={() => setResolving(keyOf(l))}
                  >
                    {t('remitansi.resolve')}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

type Overdue = Schemas['NotRemittedDto'];

/** GET /v1/finance/reconciliation: what does not match, what is overdue (cursor), each courier's receivable. */
function Reconciliation({ version, onResolved }: { version: number; onResolved: () => void }) {
  const { t, rupiah, count, date } = useI18n();
  // What the last resolution on this page did: the line leaves the lists, its notice stays.
  const [resolved, setResolved] = useState<Line>();
  const noticeRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (resolved) noticeRef.current?.focus();
  }, [resolved]);
  const lineResolved = (line: Line) => {
    setResolved(line);
    onResolved();
  };
  const report = useLoad(() => call(api.GET('/v1/finance/reconciliation')), [version]);
  const [more, setMore] = useState<{ version: number; items: Overdue[]; cursor: string | null }>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>();
  const message = useErrorMessage();
  const loadMore = (cursor: string) => {
    setLoadingMore(true);
    setMoreError(undefined);
    call(api.GET('/v1/finance/reconciliation', { params: { query: { cursor } } }))
      .then((r) =>
        setMore({
          version,
          items: [...(more?.version === version ? more.items : []), ...r.notRemitted],
          cursor: r.notRemittedCursor,
        }),
      )
      // The rows loaded stay; the failure is said, and the button asks again.
      .catch((e: unknown) => setMoreError(e))
      .finally(() => setLoadingMore(false));
  };
  return (
    <section aria-labelledby="recon-heading" className="panel">
      <h2 id="recon-heading">{t('remitansi.reconciliation')}</h2>
      {resolved?.resolution && (
        <p className="notice" role="status" tabIndex={-1} ref={noticeRef} data-testid="resolve-result">
          {t(`remitansi.resolved.${resolved.resolution}`, {
            awb: resolved.awb,
            amount: rupiah(resolved.amount),
          })}
        </p>
      )}
      <Async loaded={report}>
        {(r) => {
          const extra = more?.version === version ? more : undefined;
          const overdue = extra ? [...r.notRemitted, ...extra.items] : r.notRemitted;
          const cursor = extra ? extra.cursor : r.notRemittedCursor;
          return (
            <>
              <p className="muted">{t('remitansi.asOf', { date: date(r.asOf), days: r.overdueDays })}</p>
              <dl className="figures">
                {Object.entries(r.receivable).map(([courier, amount]) => (
                  <div key={courier} className="figure">
                    <dt>{t('remitansi.receivable', { courier: courierName(courier) })}</dt>
                    <dd className="amount">{rupiah(amount)}</dd>
                  </div>
                ))}
                <div className="figure">
                  <dt>{t('remitansi.suspense')}</dt>
                  <dd className="amount">{rupiah(r.suspense)}</dd>
                </div>
              </dl>
              <LineList
                title={t('remitansi.unmatchedTitle', { count: count(r.totals.unmatched.count) })}
                lines={r.unmatched}
                testId="recon-unmatched"
                onResolved={lineResolved}
              />
              <LineList
                title={t('remitansi.mismatchTitle', { count: count(r.totals.amountMismatches.count) })}
                lines={r.amountMismatches}
                testId="recon-mismatches"
                onResolved={lineResolved}
              />
              <LineList
                title={t('remitansi.duplicateTitle', { count: count(r.totals.duplicates.count) })}
                lines={r.duplicates}
                testId="recon-duplicates"
                onResolved={lineResolved}
              />
              <h3>{t('remitansi.overdueTitle', { count: count(r.totals.notRemitted.count) })}</h3>
              {overdue.length === 0 ? (
                <p className="state state-empty">{t('remitansi.none')}</p>
              ) : (
                <ul className="plain-list" data-testid="recon-overdue">
                  {overdue.map((o) => (
                    <li key={o.shipmentId}>
                      <span className="mono">{o.awb}</span> · {courierName(o.courier)} · {rupiah(o.codAmount)}
                      <span className="sub">{t('remitansi.daysSince', { days: o.daysSinceDelivery })}</span>
                    </li>
                  ))}
                </ul>
              )}
              {moreError !== undefined && (
                <p className="form-error" role="alert">
                  {message(moreError)}
                </p>
              )}
              {cursor && (
                <button
                  type="button"
                  className="button secondary"
                  disabled={loadingMore}
                  aria-busy={loadingMore}
                  onClick={() => loadMore(cursor)}
                >
                  {loadingMore ? t('state.loading') : t('remitansi.more')}
                </button>
              )}
            </>
          );
        }}
      </Async>
    </section>
  );
}

type Discrepancy = Schemas['CodDiscrepancyDto'];
type Settlement = Schemas['CodSettlementDto'];
type Decision = Settlement['decision'];

/** What the courier's word was, in a line: other cash, none, or the delivery taken back (and what is held). */
function discrepancyText(d: Discrepancy, { t, rupiah }: I18n): string {
  if (d.kind === 'taken_back')
    return d.heldAmount > 0
      ? t('remitansi.codSaidTakenBack', { held: rupiah(d.heldAmount) })
      : t('remitansi.codSaidTakenBackReleased', { asked: rupiah(d.codAmount) });
  if (d.kind === 'none' || d.reportedAmount === null)
    return t('remitansi.codSaidNone', { asked: rupiah(d.codAmount) });
  return t('remitansi.codSaidOther', { asked: rupiah(d.codAmount), said: rupiah(d.reportedAmount) });
}

/**
 * Refusals saying the parcel has nothing left to settle (settled otherwise meanwhile, delivered again, never
 * credited): it leaves the list, rather than stay with a form that can only be refused again.
 */
const SETTLED_ELSEWHERE = new Set([
  'COD_SETTLEMENT_ALREADY_SETTLED',
  'COD_SETTLEMENT_ALERT_CHANGED',
  'COD_SETTLEMENT_NOT_TAKEN_BACK',
  'COD_SETTLEMENT_NO_CREDIT',
]);

/**
 * Finance's decision on a delivery its courier took back (POST /v1/finance/cod-discrepancies/{id}/settle):
 * release the held credit, or reverse it, each with a reason kept for audit. The API's refusal (the seller
 * already withdrew it, the courier already remitted it) shows by the reason; one saying there is nothing
 * left to settle goes to `onGone`, in the reader's language.
 */
function SettleTakenBack({
  d,
  onSettled,
  onGone,
}: {
  d: Discrepancy;
  onSettled: (s: Settlement) => void;
  onGone: (refusal: string) => void;
}) {
  const { t, rupiah, language } = useI18n();
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const release = useRef<HTMLButtonElement>(null);
  const reverse = useRef<HTMLButtonElement>(null);
  // Cancelled, the keyboard goes back to the button that opened the form (it was gone meanwhile).
  const [returnTo, setReturnTo] = useState<Decision | null>(null);
  useEffect(() => {
    if (returnTo) (returnTo === 'release' ? release : reverse).current?.focus();
  }, [returnTo]);
  if (deciding)
    return (
      <ReasonForm
        id={`settle-reason-${d.shipmentId}`}
        testId="settle-form"
        label={t('remitansi.settleReason')}
        intro={t(`remitansi.settleIntro.${deciding}`, {
          held: rupiah(d.heldAmount),
          amount: rupiah(d.codAmount),
        })}
        submitLabel={t(`remitansi.settle.${deciding}`)}
        cancelLabel={t('penarikan.cancel')}
        onCancel={() => {
          setReturnTo(deciding);
          setDeciding(null);
        }}
        onSubmit={async (reason) => {
          let settlement: Settlement;
          try {
            settlement = await call(
              api.POST('/v1/finance/cod-discrepancies/{id}/settle', {
                params: { path: { id: d.shipmentId } },
                body: { decision: deciding, reason, ...(d.alertId ? { alertId: d.alertId } : {}) },
              }),
            );
          } catch (e) {
            // A refusal of the decision itself (settled otherwise meanwhile, the cash withdrawn or remitted)
            // names no field of this form: it is said above the reason, in the reader's language.
            if (e instanceof ApiError && !e.details.some((p) => p.field === 'reason')) {
              const refusal = apiErrorText(language, e.code, e.message);
              if (SETTLED_ELSEWHERE.has(e.code)) return onGone(refusal);
              throw new FormProblem(refusal);
            }
            throw e;
          }
          onSettled(settlement);
        }}
      />
    );
  const open = (decision: Decision) => {
    setReturnTo(null);
    setDeciding(decision);
  };
  return (
    <div className="button-row">
      <button ref={release} type="button" className="button secondary" onClick={() => open('release')}>
        {t('remitansi.settle.release')}
      </button>
      <button ref={reverse} type="button" className="button secondary" onClick={() => open('reverse')}>
        {t('remitansi.settle.reverse')}
      </button>
    </div>
  );
}

/**
 * GET /v1/ops/cod-discrepancies: COD parcels their courier delivered with other cash than asked, or none,
 * as its tracking said — seen here before a remittance report shows the difference; and deliveries their
 * courier took back, which finance settles here.
 */
function CodDiscrepancies() {
  const i18n = useI18n();
  const { t, rupiah, count, dateTime } = i18n;
  // From couriers' tracking: no upload or void on this page changes it; a settlement does.
  const list = useLoad(() => call(api.GET('/v1/ops/cod-discrepancies')), []);
  // What the last decision on this page came to: taken, or refused as settled elsewhere.
  const [settled, setSettled] = useState<
    { settlement: Settlement; awb: string } | { refusal: string; awb: string } | null
  >(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    // The settled parcel leaves the list with its form: the keyboard goes on from what happened.
    if (settled) noticeRef.current?.focus();
  }, [settled]);
  return (
    <section aria-labelledby="cod-said-heading" className="panel">
      <Async loaded={list}>
        {({ items }) => (
          <>
            <h2 id="cod-said-heading">{t('remitansi.codSaidTitle', { count: count(items.length) })}</h2>
            <p className="muted">{t('remitansi.codSaidHelp')}</p>
            {settled && (
              <p className="notice" role="status" tabIndex={-1} ref={noticeRef} data-testid="settle-result">
                {'refusal' in settled
                  ? t('remitansi.settledElsewhere', { awb: settled.awb, refusal: settled.refusal })
                  : settled.settlement.decision === 'release'
                    ? t('remitansi.settled.release', { awb: settled.awb })
                    : t('remitansi.settled.reverse', {
                        awb: settled.awb,
                        fromPending: rupiah(settled.settlement.fromPending),
                        fromAvailable: rupiah(settled.settlement.fromAvailable),
                      })}
              </p>
            )}
            {items.length === 0 ? (
              <p className="state state-empty">{t('remitansi.none')}</p>
            ) : (
              <ul className="plain-list" data-testid="cod-discrepancies">
                {items.map((d) => (
                  <li key={d.shipmentId}>
                    <span className="mono">{d.awb}</span> · {courierName(d.courier)} · {d.reference}
                    <span className="sub">
                      {discrepancyText(d, i18n)} · {dateTime(d.deliveredAt)}
                    </span>
                    {d.kind === 'taken_back' && (
                      <SettleTakenBack
                        d={d}
                        onSettled={(settlement) => {
                          setSettled({ settlement, awb: d.awb });
                          list.refresh();
                        }}
                        onGone={(refusal) => {
                          setSettled({ refusal, awb: d.awb });
                          list.refresh();
                        }}
                      />
                    )}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </Async>
    </section>
  );
}

/** Finance's remittance page: upload a courier's report, the reports taken, the reconciliation report. */
export function RemitansiPage() {
  const { t } = useI18n();
  // Bumped by an upload: the list starts again from the top. Bumped by a void or a resolution: the rows
  // shown load again in place. The reconciliation loads again after either.
  const [version, setVersion] = useState(0);
  const [changed, setChanged] = useState(0);
  return (
    <>
      <h1>{t('remitansi.title')}</h1>
      <UploadForm onUploaded={() => setVersion((v) => v + 1)} />
      <Uploaded version={version} changed={changed} onVoided={() => setChanged((v) => v + 1)} />
      <Reconciliation version={version + changed} onResolved={() => setChanged((v) => v + 1)} />
      <CodDiscrepancies />
    </>
  );
}
