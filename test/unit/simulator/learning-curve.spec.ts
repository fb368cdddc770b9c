import { orderStream } from '../../../simulator/order-stream';
import type { FinalOrder } from '../../../simulator/policy-run';
import { buildReport, type Report } from '../../../simulator/report';
import { learningCurveSvg, reportMarkdown, SVG_PANELS } from '../../../simulator/report-files';
import { svgMarks } from './svg-marks';

describe('the learning curve', () => {
  const outcome = (orders: ReturnType<typeof orderStream>, policy: string, shift: number) => ({
    policy,
    alerts: [],
    orders: orders.map((o, i): FinalOrder => ({
      orderId: o.id,
      status: (i + shift) % 5 === 0 ? 'returned' : 'delivered',
      courier: 'sap',
      service: 'UDRREG',
      attempts: 1,
      codAmount: o.codAmount,
      codCollected: (i + shift) % 5 !== 0,
      charges: { shipping: 15_000, codFee: 4_000, cashback: 1_500, returnFee: 7_500 },
    })),
  });
  const reportOf = (days: number): Report => {
    const orders = orderStream({ seed: 'curve', days, ordersPerDay: 30 });
    const report = buildReport({
      run: {},
      orders,
      outcomes: [outcome(orders, 'kirim', 0), outcome(orders, 'cheapest', 2)],
      oracle: null,
    });
    // Choices valued as simulate() values them: each week's regret before the dice.
    for (const p of Object.values(report.policies))
      p.weekly.forEach((w, i) => (w.choicesRegretVsOracle = 0.01 * (i + 1)));
    return report;
  };

  it('draws a dot at each week’s figure, so a one-week run shows every policy', () => {
    const report = reportOf(2);
    expect(report.policies.kirim.weekly).toHaveLength(1);
    const marks = svgMarks(learningCurveSvg(report));
    for (const panel of ['delivered', 'net', 'regret'])
      for (const name of ['kirim', 'cheapest']) {
        const m = marks.get(`${panel}/${name}`);
        // One point: no line to draw, one dot.
        expect({ panel, name, lines: m?.lines.length, dots: m?.dots.length }).toEqual({
          panel,
          name,
          lines: 0,
          dots: 1,
        });
      }
    // kirim's marks are drawn last, on top of a baseline's equal figure.
    const order = [
      ...learningCurveSvg(report).matchAll(/<g data-panel="delivered" data-policy="([^"]+)"/g),
    ].map(([, name]) => name);
    expect(order).toEqual(['cheapest', 'kirim']);
    // Three weeks: a line through three dots.
    const three = svgMarks(learningCurveSvg(reportOf(21))).get('delivered/kirim')!;
    expect(three.lines.map((l) => l.length)).toEqual([3]);
    expect(three.dots).toEqual(three.lines[0]);
  });

  it('scales the regret panel to hold a negative week, with a zero line, and draws nothing outside it', () => {
    const report = reportOf(21);
    report.policies.kirim.weekly[1].choicesRegretVsOracle = -0.042;
    report.policies.cheapest.weekly[2].choicesRegretVsOracle = 0.137;
    const svg = learningCurveSvg(report);
    const panel = SVG_PANELS.regret;
    const ys = [...svgMarks(svg).entries()]
      .filter(([key]) => key.startsWith('regret/'))
      .flatMap(([, m]) => [...m.lines.flat(), ...m.dots].map((p) => p.y));
    expect(ys).toHaveLength(2 * (3 + 3));
    for (const y of ys) {
      expect(y).toBeGreaterThanOrEqual(panel.top);
      expect(y).toBeLessThanOrEqual(panel.top + panel.height);
    }
    // The lowest point is the negative week, above the panel's bottom edge; the zero line lies inside.
    const zero = /<line data-zero="regret" [^>]*y1="([-\d.]+)"/.exec(svg);
    expect(zero).not.toBeNull();
    expect(Number(zero![1])).toBeGreaterThan(panel.top);
    expect(Number(zero![1])).toBeLessThan(panel.top + panel.height);
    expect(Math.max(...ys)).toBeGreaterThan(Number(zero![1]));
    // Every other panel's marks stay inside theirs too.
    for (const [key, m] of svgMarks(svg)) {
      const p = SVG_PANELS[key.split('/')[0] as keyof typeof SVG_PANELS];
      for (const pt of [...m.lines.flat(), ...m.dots]) {
        expect(pt.y).toBeGreaterThanOrEqual(p.top);
        expect(pt.y).toBeLessThanOrEqual(p.top + p.height);
        expect(pt.x).toBeGreaterThanOrEqual(p.left);
        expect(pt.x).toBeLessThanOrEqual(p.left + p.width);
      }
    }
    // Without a negative week there is no zero line: the axis starts at zero.
    expect(learningCurveSvg(reportOf(21))).not.toContain('data-zero');
  });

  it('labels the legend’s percentages and says why no-actions has no regret line', () => {
    const report = reportOf(21);
    const withNoActions = {
      ...report,
      policies: {
        ...report.policies,
        'no-actions': {
          ...report.policies.kirim,
          weekly: report.policies.kirim.weekly.map((w) => ({ ...w, choicesRegretVsOracle: undefined })),
        },
      },
    };
    const svg = learningCurveSvg(withNoActions);
    expect(svg).toContain('with the share of all their orders delivered');
    expect(svg).toContain('no-actions is not in the regret panel');
    expect(svgMarks(svg).has('regret/no-actions')).toBe(false);
    expect(learningCurveSvg(report)).not.toContain('no-actions is not in the regret panel');
    // The report says so too, and does not call the references' expectations shipments.
    const md = reportMarkdown(withNoActions);
    expect(md).toContain('`no-actions` has no regret of its choices before the dice');
    expect(md).not.toContain('shipped by every policy');
    expect(md).toContain('the oracle and `informed` ship nothing');
  });
});
