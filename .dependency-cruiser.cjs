/**
 * The module rules of DESIGN.md and STYLE.md §2, checked in `npm test` (`npm run depcruise`).
 * Everything may import common/, database/ and config/; business modules call only the modules their
 * arrow names, always through the callee's exported service.
 */
const BUSINESS =
  'auth|sellers|couriers|scoring|shipments|tracking|ledger|invoicing|withdrawals|remittances|areas|dashboard';

/** Each business module and the only business modules it may import (DESIGN.md's dependency arrows). */
const ALLOWED = {
  auth: [],
  sellers: ['auth', 'areas'],
  couriers: ['areas'],
  scoring: ['couriers', 'sellers', 'areas'],
  shipments: ['scoring', 'couriers', 'sellers', 'areas'],
  tracking: ['shipments', 'couriers', 'ledger', 'sellers'],
  ledger: [],
  invoicing: ['ledger', 'shipments', 'sellers'],
  withdrawals: ['ledger', 'sellers'],
  // tracking: a remittance line finance resolves to a seller's parcel is credited by its COD credit posting;
  // sellers: and the seller is told (SellerNotifications), as the tracker tells a delivery's credit.
  remittances: ['ledger', 'shipments', 'tracking', 'sellers'],
  areas: [],
};

const edgeRules = Object.entries(ALLOWED).map(([module, allowed]) => {
  const forbidden = BUSINESS.split('|').filter((m) => m !== module && !allowed.includes(m));
  return {
    name: `${module}-imports-only-its-arrows`,
    comment: `${module} may import only ${allowed.length ? allowed.join(', ') : 'no business module'} (DESIGN.md)`,
    severity: 'error',
    from: { path: `^src/${module}/` },
    to: { path: `^src/(${forbidden.join('|')}|operations)/` },
  };
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'The dependency graph is acyclic (STYLE.md §2).',
      severity: 'error',
      from: { path: '^(src|config)/' },
      to: { circular: true },
    },
    {
      name: 'common-imports-no-module',
      comment: 'common/ holds the shared vocabulary and imports no module (STYLE.md §2).',
      severity: 'error',
      from: { path: '^src/common/' },
      to: { path: `^src/(${BUSINESS}|operations)/` },
    },
    {
      name: 'database-imports-no-module',
      comment: 'database/ is mechanics: config and common only.',
      severity: 'error',
      from: { path: '^src/database/' },
      to: { path: `^src/(${BUSINESS}|operations)/` },
    },
    {
      name: 'config-imports-nothing',
      comment: 'config/ turns the environment into AppConfig and imports no module.',
      severity: 'error',
      from: { path: '^config/' },
      to: { path: '^src/' },
    },
    {
      name: 'operations-imports-no-business-module',
      comment:
        'operations/ (health, metrics route, the job catalogue) finds jobs by metadata, not by import.',
      severity: 'error',
      from: { path: '^src/operations/' },
      to: { path: `^src/(${BUSINESS})/` },
    },
    {
      name: 'only-the-sandbox-imports-the-sandbox',
      comment:
        'The simulated couriers are reached through the courier port; only couriers.module.ts wires them.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/couriers/sandbox/', '^src/couriers/couriers\\.module\\.ts$'] },
      to: { path: '^src/couriers/sandbox/' },
    },
    {
      name: 'no-foreign-adapters',
      comment:
        "A courier's adapter folder is reached only through the registry (couriers/adapters/index.ts).",
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/couriers/' },
      to: { path: '^src/couriers/adapters/' },
    },
    {
      name: 'no-foreign-repositories',
      comment: "Another module's tables are reached through its exported service, never its repository.",
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/([^/]+)/.*\\.repository\\.ts$', pathNot: '^src/$1/' },
    },
    {
      name: 'dashboard-imports-no-server-code',
      comment:
        'The dashboard is browser code that talks to the service only over HTTP: its API types are generated from the OpenAPI document (npm run api:types), never imported from the server.',
      severity: 'error',
      from: { path: '^src/dashboard/' },
      to: { path: '^(src/|config/)', pathNot: '^src/dashboard/' },
    },
    {
      name: 'server-code-imports-no-dashboard',
      comment:
        'The service serves the built dashboard as files (common/dashboard-serving.ts); it never imports it.',
      severity: 'error',
      from: { path: '^(src|config)/', pathNot: '^src/dashboard/' },
      to: { path: '^src/dashboard/' },
    },
    ...edgeRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
