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
  /**
   * Open alerts alike but for their Indonesian wording (one kept before Indonesian was, or words changed):
   * written without telling the seller again (`shipment.at_risk`) or counting as a change.
   */
  reword: { alert: A; wanted: W }[];
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
 * How to bring a shipment's open alerts in line with what the rules find now: open the new rules,
 * update changed ones (an alert keeps its identity and opening time), resolve the rules no longer found.
 * Two wanted alerts for one rule collapse to the more severe. `asked`: the rules the findings answer for (all
 * by default); an open alert of another rule is left as it is.
 */
export function planAlerts<A extends AlertContent, W extends AlertContent>(
  open: A[],
  wanted: W[],
  asked?: readonly RiskRuleCode[],
): AlertPlan<A, W> {
  const byRule = new Map<RiskRuleCode, W>();
  for (const w of wanted) {
    const seen = byRule.get(w.rule);
    if (!seen || severityRank(w.severity) > severityRank(seen.severity)) byRule.set(w.rule, w);
  }
  const openByRule = new Map(open.map((a) => [a.rule, a]));
  const plan: AlertPlan<A, W> = { open: [], update: [], resolve: [], reword: [] };
  for (const w of byRule.values()) {
    const alert = openByRule.get(w.rule);
    if (!alert) plan.open.push(w);
    else if (SHOWN.some((k) => alert[k] !== w[k]))
      plan.update.push({
        alert,
        wanted: w,
        severityRose: severityRank(w.severity) > severityRank(alert.severity),
      });
    else if (alert.messageIndonesian !== w.messageIndonesian) plan.reword.push({ alert, wanted: w });
  }
  plan.resolve = open.filter((a) => !byRule.has(a.rule) && (!asked || asked.includes(a.rule)));
  return plan;
}
