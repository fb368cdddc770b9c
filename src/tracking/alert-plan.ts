import { severityRank, type RiskFinding, type RiskRuleCode } from './risk-rules';

/** What an open alert shows the seller, as a finding (plus its contact link) would set it. */
export interface AlertContent {
  rule: RiskRuleCode;
  ruleVersion: number;
  severity: RiskFinding['severity'];
  reason: string;
  message: string;
  messageIndonesian: string | null;
  suggestedAction: RiskFinding['suggestedAction'];
  whatsappUrl: string | null;
}

export interface AlertPlan<A, W> {
  /** Rules found with no open alert: open one each. */
  open: W[];
  /** Open alerts whose content changed; `severityRose` (or a later cause) clears the seller's acknowledgement. */
  update: { alert: A; wanted: W; severityRose: boolean }[];
  /** Open alerts whose rule no longer finds anything. */
  resolve: A[];
}

const SHOWN: (keyof AlertContent)[] = [
  'ruleVersion',
  'severity',
  'reason',
  'message',
  'suggestedAction',
  'whatsappUrl',
];

/**
 * The Indonesian wording changed. An alert opened before Indonesian was kept (null) gets it with its next
 * change: filling it in alone would tell every seller of every open alert again (`shipment.at_risk`).
 */
const wordedAnew = (alert: AlertContent, w: AlertContent) =>
  alert.messageIndonesian !== null && alert.messageIndonesian !== w.messageIndonesian;

/**
 * How to bring a shipment's open alerts in line with what the rules find now: open the new rules,
 * update changed ones (an alert keeps its identity and opening time), resolve the rules no longer found.
 * Two wanted alerts for one rule collapse to the more severe.
 */
export function planAlerts<A extends AlertContent, W extends AlertContent>(
  open: A[],
  wanted: W[],
): AlertPlan<A, W> {
  const byRule = new Map<RiskRuleCode, W>();
  for (const w of wanted) {
    const seen = byRule.get(w.rule);
    if (!seen || severityRank(w.severity) > severityRank(seen.severity)) byRule.set(w.rule, w);
  }
  const openByRule = new Map(open.map((a) => [a.rule, a]));
  const plan: AlertPlan<A, W> = { open: [], update: [], resolve: [] };
  for (const w of byRule.values()) {
    const alert = openByRule.get(w.rule);
    if (!alert) plan.open.push(w);
    else if (SHOWN.some((k) => alert[k] !== w[k]) || wordedAnew(alert, w))
      plan.update.push({
        alert,
        wanted: w,
        severityRose: severityRank(w.severity) > severityRank(alert.severity),
      });
  }
  plan.resolve = open.filter((a) => !byRule.has(a.rule));
  return plan;
}
