import { compareStrings } from 'src/common/sort-order';
import type { Order } from './order-stream';
import type { AlertRecord, FinalOrder } from './policy-run';
import { endOf, orderMoney, type PairedDifference, type PolicyFigures, type Report } from './report';

const COLORS: Record<string, string> = {
  kirim: '#0f766e',
  'no-actions': '#65a30d',
  cheapest: '#dc2626',
  single: '#9333ea',
  oracle: '#475569',
  informed: '#0891b2',
};
/** The references computed outside the service (expectations), drawn dashed. */
const REFERENCES = new Set(['oracle', 'informed']);
/** A share as a percentage; `–` for none (a "from week 3" figure of a run with no order that late). */
const percent = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)} %`);
/** Two decimals. */
const percent2 = (x: number) => `${(100 * x).toFixed(2)} %`;

/**
 * Whole numbers for `values` that add up to their sum rounded, each its value rounded down or up (the largest
 * remainders up): parts printed rounded that add up to their whole as printed, where rounding each alone can
 * be one off for every part (the references' figures are expectations, in fractions of a rupiah).
 */
export function roundedToSum(values: readonly number[]): number[] {
  const out = values.map((v) => Math.floor(v));
  let left = Math.round(values.reduce((s, v) => s + v, 0)) - out.reduce((s, v) => s + v, 0);
  const byRemainder = values
    .map((v, i) => ({ i, remainder: v - Math.floor(v) }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    out[i] += 1;
    left -= 1;
  }
  return out;
}
const rupiah = (x: number) => `Rp ${Math.round(x).toLocaleString('id-ID')}`;
/** A difference in rupiah with its sign: +Rp 1.200, −Rp 800. */
const signedRupiah = (x: number) =>
  `${Math.round(x) < 0 ? '−' : '+'}Rp ${Math.abs(Math.round(x)).toLocaleString('id-ID')}`;
/** The run's title, as simulate() names it. */
const titleOf = (report: Report) =>
  typeof report.run.title === 'string' ? report.run.title : 'Kirim simulation';
const escapeXml = (s: string) =>
  s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

/** Where the learning curve's panels lie in the SVG (pixels): the plotted marks stay inside them. */
export const SVG_PANELS = {
  delivered: { left: 70, top: 70, width: 420, height: 320 },
  net: { left: 560, top: 70, width: 420, height: 320 },
  regret: { left: 70, top: 490, width: 420, height: 320 },
} as const;

/** Tick values from `low` to `high` every `step`, on multiples of the step (so 0 is one when in range). */
const ticksOf = (low: number, high: number, step: number) => {
  const out: number[] = [];
  for (let k = Math.ceil(low / step - 1e-9); k * step <= high + 1e-9; k += 1) out.push(k * step);
  return out;
};

/**
 * The learning curve as SVG: delivered share of each week's orders per policy (top left), seller net per
 * order (top right), the 90 % target dashed; below, each week's regret against the oracle before the dice
 * (what the choices were worth: the learning, without the week's luck and order mix), and beside it `kirim`
 * against the baselines in rupiah per order. Week numbers count from the first order. Every week's figure is
 * a dot, joined by a line when there are two weeks or more, so a one-week run shows its dots. Each panel's
 * scale holds all its values (the regret's goes below zero when a policy's choices were worth more than the
 * oracle's that week, with a zero line), so nothing is drawn outside its panel.
 */
export function learningCurveSvg(report: Report): string {
  const names = Object.keys(report.policies);
  const weeks = Math.max(1, ...names.map((n) => report.policies[n].weekly.length));
  const W = 1000;
  const H = 930;
  const P = SVG_PANELS;
  const delivered = names.flatMap((n) => report.policies[n].weekly.map((w) => w.delivered));
  const nets = names.flatMap((n) => report.policies[n].weekly.map((w) => w.sellerNetPerOrder));
  // Before the dice: the references are expectations already; a policy whose choices are valued has its own.
  const choiceRegret = (name: string, w: PolicyFigures['weekly'][number]) =>
    REFERENCES.has(name) ? (w.regretVsOracle ?? undefined) : w.choicesRegretVsOracle;
  const regretNames = names.filter((n) =>
    report.policies[n].weekly.some((w) => choiceRegret(n, w) !== undefined),
  );
  const regrets = regretNames.flatMap((n) =>
    report.policies[n].weekly.flatMap((w) => {
      const v = choiceRegret(n, w);
      return v === undefined ? [] : [v];
    }),
  );
  const dMin = Math.max(0, Math.floor(Math.min(0.8, ...delivered) * 20) / 20);
  // Zoomed to the policies' range (not from zero): the differences between them are the point.
  const nMin = Math.floor(Math.min(...nets) / 50_000) * 50_000 - 50_000;
  const nMax = Math.ceil(Math.max(...nets, 1) / 50_000) * 50_000;
  // From zero, or from below it when some week's choices were worth more than the oracle's.
  const rMin = Math.min(0, Math.floor(Math.min(...regrets, 0) * 200) / 200);
  const rMax = Math.max(rMin + 0.01, Math.ceil(Math.max(...regrets, 0) * 200) / 200);
  const x = (left: number, week: number) =>
    left + (weeks === 1 ? P.delivered.width / 2 : ((week - 1) / (weeks - 1)) * P.delivered.width);
  const y = (panel: { top: number; height: number }, low: number, high: number) => (v: number) =>
    panel.top + panel.height - ((v - low) / (high - low || 1)) * panel.height;
  const yD = y(P.delivered, dMin, 1);
  const yN = y(P.net, nMin, nMax);
  const yR = y(P.regret, rMin, rMax);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="13">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="26" text-anchor="middle" font-size="18" font-weight="bold">${escapeXml(titleOf(report))}</text>`,
  );
  const axes = (panel: keyof typeof SVG_PANELS, title: string, ticks: { y: number; label: string }[]) => {
    const { left, top, width, height } = P[panel];
    out.push(
      `<text x="${left + width / 2}" y="${top - 12}" text-anchor="middle" font-weight="bold">${escapeXml(title)}</text>`,
    );
    for (const t of ticks) {
      out.push(
        `<line x1="${left}" x2="${left + width}" y1="${t.y}" y2="${t.y}" stroke="#e5e7eb"/>`,
        `<text x="${left - 6}" y="${t.y + 4}" text-anchor="end" fill="#374151">${escapeXml(t.label)}</text>`,
      );
    }
    for (let w = 1; w <= weeks; w += 1)
      out.push(
        `<text x="${x(left, w)}" y="${top + height + 18}" text-anchor="middle" fill="#374151">${w}</text>`,
      );
    out.push(
      `<text x="${left + width / 2}" y="${top + height + 38}" text-anchor="middle" fill="#374151">week of order</text>`,
      `<rect data-panel="${panel}" x="${left}" y="${top}" width="${width}" height="${height}" fill="none" stroke="#9ca3af"/>`,
    );
  };
  axes(
    'delivered',
    'Delivered (share of the week’s COD orders)',
    ticksOf(dMin, 1, 0.05).map((v) => ({ y: yD(v), label: `${Math.round(v * 100)} %` })),
  );
  out.push(
    `<line x1="${P.delivered.left}" x2="${P.delivered.left + P.delivered.width}" y1="${yD(0.9)}" y2="${yD(0.9)}" stroke="#111827" stroke-dasharray="6 4"/>`,
    `<text x="${P.delivered.left + P.delivered.width - 4}" y="${yD(0.9) - 5}" text-anchor="end" fill="#111827">target 90 %</text>`,
  );
  const step = Math.max(25_000, Math.ceil((nMax - nMin) / 6 / 25_000) * 25_000);
  axes(
    'net',
    'Seller net per order (rupiah)',
    ticksOf(nMin, nMax, step).map((v) => ({ y: yN(v), label: `${Math.round(v / 1000)}k` })),
  );
  const rRange = rMax - rMin;
  const rStep = rRange <= 0.02 ? 0.0025 : rRange <= 0.05 ? 0.005 : rRange <= 0.2 ? 0.01 : 0.05;
  axes(
    'regret',
    'Regret against the oracle, before the dice',
    ticksOf(rMin, rMax, rStep).map((v) => ({
      y: yR(v),
      label: `${(Math.abs(v) < 1e-12 ? 0 : v * 100).toFixed(rStep < 0.005 ? 2 : 1)} %`,
    })),
  );
  if (rMin < 0)
    out.push(
      `<line data-zero="regret" x1="${P.regret.left}" x2="${P.regret.left + P.regret.width}" y1="${yR(0)}" y2="${yR(0)}" stroke="#111827"/>`,
    );
  // kirim's marks last, on top: where a baseline's week equals kirim's, kirim's dot is the one seen.
  for (const name of [...names.filter((n) => n !== 'kirim'), ...names.filter((n) => n === 'kirim')]) {
    const color = COLORS[name] ?? '#000000';
    const reference = REFERENCES.has(name);
    const dash = reference ? ' stroke-dasharray="3 3"' : '';
    const weekly = report.policies[name].weekly;
    const line = (
      panel: keyof typeof SVG_PANELS,
      yOf: (v: number) => number,
      value: (w: (typeof weekly)[number]) => number | undefined,
    ) => {
      const points = weekly.flatMap((w) => {
        const v = value(w);
        return v === undefined ? [] : [{ x: x(P[panel].left, w.week).toFixed(1), y: yOf(v).toFixed(1) }];
      });
      if (!points.length) return;
      out.push(`<g data-panel="${panel}" data-policy="${escapeXml(name)}">`);
      if (points.length >= 2)
        out.push(
          `<polyline fill="none" stroke="${color}" stroke-width="${name === 'kirim' ? 3 : 2}"${dash} points="${points.map((p) => `${p.x},${p.y}`).join(' ')}"/>`,
        );
      // A dot at each week's figure: the references' hollow, as their lines are dashed.
      for (const p of points)
        out.push(
          `<circle cx="${p.x}" cy="${p.y}" r="${name === 'kirim' ? 4 : 3.5}" fill="${reference ? '#ffffff' : color}" stroke="${color}" stroke-width="1.5"/>`,
        );
      out.push('</g>');
    };
    line('delivered', yD, (w) => w.delivered);
    line('net', yN, (w) => w.sellerNetPerOrder);
    if (regretNames.includes(name)) line('regret', yR, (w) => choiceRegret(name, w));
  }
  // Beside it, in words: kirim against each baseline, per order, with the dice and before them.
  const note: string[] = [];
  for (const [name, a] of Object.entries(report.kirimAgainst)) {
    if (REFERENCES.has(name) || !a.all) continue;
    note.push(`kirim − ${name}, per order (95 % interval):`);
    note.push(
      `  seller net ${signedRupiah(a.all.mean)} (${signedRupiah(a.all.low)} … ${signedRupiah(a.all.high)})`,
    );
    if (a.choicesWorth?.all)
      note.push(
        `  before the dice ${signedRupiah(a.choicesWorth.all.mean)} (${signedRupiah(a.choicesWorth.all.low)} … ${signedRupiah(a.choicesWorth.all.high)})`,
      );
  }
  if (names.includes('no-actions') && !regretNames.includes('no-actions'))
    note.push(
      'no-actions is not in the regret panel:',
      '  its choices are not valued, as the hidden odds',
      '  are a diligent seller’s and its sellers ignore alerts.',
    );
  note.forEach((text, i) =>
    out.push(
      `<text x="${P.net.left}" y="${P.regret.top + 10 + i * 20}" fill="#111827"${text.startsWith(' ') ? ' dx="16"' : ' font-weight="bold"'}>${escapeXml(text.trim())}</text>`,
    ),
  );
  // The legend: each policy's line, and its delivered share over all the run's orders.
  out.push(
    `<text x="20" y="${H - 36}" fill="#374151">Policies, with the share of all their orders delivered (the oracle’s and informed’s are expectations):</text>`,
  );
  const legendStep = Math.min(170, (W - 40) / names.length);
  names.forEach((name, i) => {
    const lx = 20 + i * legendStep;
    const ly = H - 12;
    out.push(
      `<line x1="${lx}" x2="${lx + 28}" y1="${ly - 4}" y2="${ly - 4}" stroke="${COLORS[name] ?? '#000'}" stroke-width="3"${REFERENCES.has(name) ? ' stroke-dasharray="3 3"' : ''}/>`,
      `<text x="${lx + 34}" y="${ly}">${escapeXml(`${name} ${percent(report.policies[name].delivered)}`)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/**
 * One line per policy `kirim` is set against: the mean difference per order and its 95 % interval, and
 * where both policies' choices are valued, the same of their worth before the dice.
 */
export function kirimAgainstLines(report: Report): string[] {
  const line = (d: PairedDifference) =>
    `${Math.round(d.mean)} per order (95 % interval ${Math.round(d.low)} to ${Math.round(d.high)})`;
  return Object.entries(report.kirimAgainst).flatMap(([name, a]) => [
    ...(a.all ? [`kirim - ${name}: ${line(a.all)}`] : []),
    ...(a.choicesWorth?.all
      ? [`kirim - ${name}, choices' worth before the dice: ${line(a.choicesWorth.all)}`]
      : []),
  ]);
}

/** The report for a person: the policies side by side, week by week, then the alerts. */
export function reportMarkdown(report: Report): string {
  const names = Object.keys(report.policies);
  const lines: string[] = [];
  lines.push(`# ${titleOf(report)}`, '');
  lines.push(
    Object.entries(report.run)
      .filter(([k]) => k !== 'title')
      .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
      .join(' · '),
    '',
  );
  lines.push('![learning curve](learning-curve.svg)', '');
  lines.push('## Policies', '');
  lines.push(
    '| policy | orders | delivered | returned | delivered from week 3 | seller net / order | its choices’ worth / order | regret vs oracle | regret from week 3 | ended |',
  );
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const n of names) {
    const p = report.policies[n];
    const ended = Object.entries(p.ended)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    lines.push(
      `| ${n} | ${p.orders} | ${percent(p.delivered)} | ${percent(p.returned)} | ${percent(p.deliveredAfterTwoWeeks)} | ${rupiah(p.sellerNetPerOrder)} | ${p.choicesWorth ? rupiah(p.choicesWorth.perOrder) : '–'} | ${percent(p.regretVsOracle)} | ${percent(p.regretVsOracleFromWeek3)} | ${ended} |`,
    );
  }
  const shipped = names.filter((n) => !REFERENCES.has(n));
  if (shipped.length)
    lines.push(
      '',
      `Orders still travelling when the run stopped: ${shipped.map((n) => `${n} ${report.policies[n].unfinished}`).join(', ')}. Each counts as not delivered, in the delivered share and the seller net alike: the seller loses its margin, and it is charged nothing yet (nothing is invoiced before a parcel is delivered or returned).`,
    );
  lines.push('', '### Seller net, all orders (rupiah)', '');
  lines.push('| policy | COD collected | shipping | COD fee | return fee | cashback | lost margin | net |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const n of names) {
    const m = report.policies[n].sellerNet;
    // Rounded together, so that the row adds up as printed to its net rounded.
    const [cod, shipping, codFee, returnFee, cashback, lostMargin] = roundedToSum([
      m.codCollected,
      -m.shipping,
      -m.codFee,
      -m.returnFee,
      m.cashback,
      -m.lostMargin,
    ]);
    const net = cod + shipping + codFee + returnFee + cashback + lostMargin;
    lines.push(
      `| ${n} | ${rupiah(cod)} | ${rupiah(-shipping)} | ${rupiah(-codFee)} | ${rupiah(-returnFee)} | ${rupiah(cashback)} | ${rupiah(-lostMargin)} | ${rupiah(net)} |`,
    );
  }
  const against = Object.entries(report.kirimAgainst);
  if (against.length) {
    const diff = (d: PairedDifference | null) =>
      d ? `${signedRupiah(d.mean)} (${signedRupiah(d.low)} … ${signedRupiah(d.high)})` : '–';
    lines.push(
      '',
      '### `kirim` against each policy, order by order (seller net per order, 95 % interval)',
      '',
    );
    lines.push('| against | all orders | orders from week 3 |', '| --- | ---: | ---: |');
    for (const [name, a] of against) lines.push(`| ${name} | ${diff(a.all)} | ${diff(a.fromWeek3)} |`);
    lines.push(
      '',
      'Every policy meets the same orders — those that ship through Kirim ship each of them; the oracle and `informed` ship nothing, their figures being each order’s expectation under the hidden odds for the service they pick — so the difference is taken order by order; an interval that spans zero does not tell the two apart. The interval covers another draw of orders and outcomes, not run-to-run timing.',
    );
    const valued = against.filter(([, a]) => a.choicesWorth);
    if (valued.length) {
      lines.push('', "#### The same, of the choices' worth before the dice", '');
      lines.push('| against | all orders | orders from week 3 |', '| --- | ---: | ---: |');
      for (const [name, a] of valued)
        lines.push(`| ${name} | ${diff(a.choicesWorth!.all)} | ${diff(a.choicesWorth!.fromWeek3)} |`);
      lines.push(
        '',
        "Each order's choice valued at its expected seller net under the hidden odds (the oracle's arithmetic): where two policies chose alike the dice cannot part them, so this interval is narrower. It leaves out missed pickups and bookings shipped again, which the seller net above counts.",
      );
    }
  }
  const { kirim, informed, oracle, cheapest } = report.policies;
  // From week 3, as shares of the oracle's net there: the model's part, the choices', and the rest.
  const o = oracle?.sellerNetPerOrderFromWeek3 ?? null;
  const k = kirim?.sellerNetPerOrderFromWeek3 ?? null;
  const kWorth = kirim?.choicesWorth?.fromWeek3 ?? null;
  const i = informed?.sellerNetPerOrderFromWeek3 ?? null;
  if (o !== null && o !== 0 && k !== null && kWorth !== null && i !== null) {
    const share = (x: number) => percent2(x / Math.abs(o));
    // The three parts in hundredths of a percent, rounded together: they add up to the whole as printed.
    const hundredths = (x: number) => (10_000 * x) / Math.abs(o);
    const [model, choices, dice] = roundedToSum([
      hundredths(o - i),
      hundredths(i - kWorth),
      hundredths(kWorth - k),
    ]);
    const printed = (h: number) => `${(h / 100).toFixed(2)} %`;
    const rest = (p: PolicyFigures) => (p.choicesWorth?.fromWeek3 ?? 0) - (p.sellerNetPerOrderFromWeek3 ?? 0);
    lines.push(
      '',
      "### Where `kirim`'s regret comes from (orders from week 3)",
      '',
      `\`kirim\`'s regret, ${printed(model + choices + dice)} of the oracle's seller net, is ${printed(model)} that Kirim's cost model leaves even when told the hidden odds (\`informed\`: it weighs a failure at the seller's return fee and lost margin, where the seller net also counts the COD not collected), ${printed(choices)} that its choices lose to \`informed\`'s before the dice (what learning has not found), and ${printed(dice)} between what its choices were worth and what they earned (the dice, and what the expectation leaves out: missed pickups, bookings shipped again${cheapest?.choicesWorth ? `; for \`cheapest\` that part is ${share(rest(cheapest))}` : ''}).`,
    );
  }
  lines.push(
    '',
    '## Week by week (delivered · seller net per order · regret · regret of the choices before the dice)',
    '',
  );
  const weeks = Math.max(...names.map((n) => report.policies[n].weekly.length));
  lines.push(`| week | ${names.join(' | ')} |`, `| ---: | ${names.map(() => '---').join(' | ')} |`);
  for (let w = 0; w < weeks; w += 1) {
    const cells = names.map((n) => {
      const f = report.policies[n].weekly[w];
      const beforeDice = f?.choicesRegretVsOracle;
      return f
        ? `${percent(f.delivered)} · ${rupiah(f.sellerNetPerOrder)} · ${percent(f.regretVsOracle)}${beforeDice === undefined ? '' : ` · ${percent(beforeDice)}`}`
        : '';
    });
    lines.push(`| ${w + 1} | ${cells.join(' | ')} |`);
  }
  if (names.includes('no-actions'))
    lines.push(
      '',
      '`no-actions` has no regret of its choices before the dice (nor a line in the chart’s regret panel): the hidden odds are a diligent seller’s, and its sellers ignore alerts, so its choices are not valued.',
    );
  // Precision means "left alone, the parcel ended in trouble": only a run where nobody acts measures it.
  const where =
    report.alerts.measuredOn === 'no-actions'
      ? 'where nobody acts on them'
      : 'where sellers act on them, so a parcel they saved counts against the rule: run `no-actions` for precision';
  lines.push('', `## Alerts (measured on \`${report.alerts.measuredOn}\`, ${where})`, '');
  lines.push(
    '| rule | alerts | parcels | still travelling (left out) | precision | median hours before the return began |',
  );
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const [rule, f] of Object.entries(report.alerts.rules))
    lines.push(
      `| ${rule} | ${f.alerts} | ${f.parcels} | ${f.unfinished} | ${percent(f.precision)} | ${f.medianHoursBeforeReturn === null ? '–' : f.medianHoursBeforeReturn.toFixed(1)} |`,
    );
  lines.push('');
  const returnStarted = report.alerts.rules.return_started;
  // Near 100 % as a rule (raised once the return has begun), but a return its courier calls off ends delivered.
  if (returnStarted)
    lines.push(
      `\`return_started\` is raised once the return has begun, so it is precise unless a courier calls a return off and delivers the parcel after all: here ${percent(returnStarted.precision)}.`,
      '',
    );
  const beyond = report.alerts.deliveredBeyondCourierAttempts;
  const beyondAdded = report.alerts.deliveredAddedBeyondCourierAttempts;
  const points = (x: number) => `${(100 * x).toFixed(2)} points`;
  if (report.alerts.deliveredAddedByActing !== null)
    lines.push(
      `Acting on alerts added **${points(report.alerts.deliveredAddedByActing)}** of delivered orders (\`kirim\` against \`no-actions\`)${
        beyondAdded === null
          ? '.'
          : `, of which **${points(beyondAdded)}** are parcels delivered after more attempts than their courier makes on its own, on a re-attempt the seller asked for after the courier's last (\`kirim\` delivered ${percent2(beyond.kirim)} of its orders that way, \`no-actions\` ${percent2(beyond['no-actions'])}).`
      }`,
      '',
    );
  const beyondNames = Object.keys(beyond);
  if (beyondNames.length)
    lines.push(
      `Delivered after more attempts than the courier makes on its own (share of all orders): ${beyondNames
        .map((n) => `${n} ${percent2(beyond[n])}`)
        .join(', ')}.`,
      '',
    );
  lines.push(
    `Sellers' answers in \`kirim\`: ${
      Object.entries(report.alerts.answers)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    }.`,
    '',
  );
  const unanswered = Object.entries(report.alerts.unanswered);
  if (unanswered.length)
    lines.push(
      `Alerts nobody answered in \`kirim\`, by rule and why: ${unanswered
        .map(
          ([rule, why]) =>
            `${rule} (${Object.entries(why)
              .map(([k, v]) => `${k.replace(/_/g, ' ')} ${v}`)
              .join(', ')})`,
        )
        .join(
          '; ',
        )}. The seller looks at each step of the clock and answers once the alert's 1–6 hour delay has passed.`,
      '',
    );
  lines.push(
    'Precision: the share of alerted parcels truly in trouble — left alone, they never reached the buyer (returned, cancelled, lost, or never booked) — over the alerted parcels that finished; those still travelling when the run stopped are left out, and counted beside it. Lead time: the median over the alerted parcels that came back, one value each, the hours from the rule’s first alert on it to its return beginning. Seller net: COD collected − shipping − COD fee − return fee + cashback − the seller’s lost margin on every order not delivered (one still travelling when the run stopped among them). The oracle’s and `informed`’s figures are expectations under the hidden odds.',
    '',
  );
  return lines.join('\n');
}

/** The columns of `orders.csv`: an order's end under a policy, and the parts its seller net adds up from. */
export const ORDERS_CSV_COLUMNS = [
  'policy',
  'order',
  'day',
  'status',
  'ended',
  'courier',
  'service',
  'attempts',
  'courier_max_attempts',
  'cod_amount',
  'destination',
  'cod_collected',
  'shipping',
  'cod_fee',
  'return_fee',
  'cashback',
  'lost_margin',
  'seller_net',
  'note',
] as const;

/**
 * `orders.csv`: one row per order and policy that shipped and was asked for (a policy run only for the
 * references' quotes is left out, as it is of the report), with Kirim's last status, how the report counts
 * it (`ended`), the courier and service, its attempts and the courier's own limit on the lane, and the seller
 * net with its parts: cod_collected − shipping − cod_fee − return_fee + cashback − lost_margin = seller_net.
 */
export function ordersCsv(input: {
  orders: Order[];
  outcomes: { policy: string; orders: FinalOrder[] }[];
  /** The policies asked for (`--policies`). */
  policies: readonly string[];
  courierMaxAttempts?: (order: Order, end: FinalOrder) => number | null;
}): string {
  const rows = input.outcomes
    .filter((x) => input.policies.includes(x.policy))
    .flatMap((x) =>
      x.orders.map((f, i) => {
        const order = input.orders[i];
        if (order.id !== f.orderId) throw new Error(`${x.policy}: outcome ${i} is not order ${order.id}`);
        const ended = endOf(f.status);
        const m = orderMoney(order, { ...f, status: ended });
        return [
          x.policy,
          f.orderId,
          order.day,
          f.status,
          ended,
          f.courier ?? '',
          f.service ?? '',
          f.attempts,
          input.courierMaxAttempts?.(order, f) ?? '',
          f.codAmount,
          order.recipient.regencyCode,
          m.codCollected,
          m.shipping,
          m.codFee,
          m.returnFee,
          m.cashback,
          m.lostMargin,
          m.net,
          csvCell(f.note ?? ''),
        ].join(',');
      }),
    );
  return [ORDERS_CSV_COLUMNS.join(','), ...rows].join('\n') + '\n';
}

/** The columns of `alerts.csv`: one alert a row, as the simulated seller saw and answered it. */
export const ALERTS_CSV_COLUMNS = [
  'policy',
  'order',
  'rule',
  'reason',
  'opened_at',
  'answers',
  'hours_before_return',
  'unanswered',
] as const;

/**
 * `alerts.csv`: every alert Kirim raised in each policy asked for, with the seller's answers (`+` between
 * them; empty when none) and the hours before the return began (returned parcels only). With `orders.csv`
 * (an order's `ended`), each rule's alerts, parcels and precision in the report can be rebuilt.
 */
export function alertsCsv(input: {
  outcomes: { policy: string; alerts: AlertRecord[] }[];
  policies: readonly string[];
}): string {
  // In a set order (the API lists alerts opened at one moment in no set order), so two runs' files compare.
  const byOpening = (a: AlertRecord, b: AlertRecord) =>
    compareStrings(a.openedAt, b.openedAt) ||
    compareStrings(a.orderId, b.orderId) ||
    compareStrings(a.rule, b.rule);
  const rows = input.outcomes
    .filter((x) => input.policies.includes(x.policy))
    .flatMap((x) =>
      [...x.alerts]
        .sort(byOpening)
        .map((a) =>
          [
            x.policy,
            a.orderId,
            a.rule,
            a.reason,
            a.openedAt,
            a.answers.join('+'),
            a.hoursBeforeReturn ?? '',
            a.unanswered ?? '',
          ]
            .map(csvCell)
            .join(','),
        ),
    );
  return [ALERTS_CSV_COLUMNS.join(','), ...rows].join('\n') + '\n';
}

/** A cell quoted when it holds a separator, a quote or a line end (the service's reasons are free text). */
function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
