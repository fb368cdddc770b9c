import type { MessageKey } from './i18n/id';

export interface NavItem {
  path: string;
  label: MessageKey;
  /** Shown in the phone's bottom bar (the rest are under the menu). */
  primary?: boolean;
}

export interface NavSection {
  label: MessageKey;
  items: NavItem[];
}

export const SELLER_NAV: NavSection = {
  label: 'nav.seller',
  items: [
    { path: '/', label: 'nav.beranda', primary: true },
    { path: '/kirim', label: 'nav.kirim', primary: true },
    { path: '/pengiriman', label: 'nav.pengiriman', primary: true },
    { path: '/peringatan', label: 'nav.peringatan', primary: true },
    { path: '/saldo', label: 'nav.saldo' },
    { path: '/pengaturan', label: 'nav.pengaturan' },
  ],
};

export const FINANCE_NAV: NavSection = {
  label: 'nav.finance',
  items: [
    { path: '/keuangan/tagihan', label: 'nav.tagihan' },
    { path: '/keuangan/penarikan', label: 'nav.penarikan' },
    { path: '/keuangan/remitansi', label: 'nav.remitansi' },
    { path: '/keuangan/neraca', label: 'nav.neraca' },
  ],
};

const SELLER_ROLES = ['seller_owner', 'seller_staff'];
const FINANCE_ROLES = ['finance', 'admin'];

/** The sections a user of this role sees: sellers their shop, finance staff and admins the finance pages. */
export function navFor(role: string): NavSection[] {
  return [
    ...(SELLER_ROLES.includes(role) ? [SELLER_NAV] : []),
    ...(FINANCE_ROLES.includes(role) ? [FINANCE_NAV] : []),
  ];
}

/** Where a user lands after logging in: a seller on the overview, finance staff on the invoices. */
export function homeFor(role: string): string {
  return SELLER_ROLES.includes(role) ? '/' : FINANCE_ROLES.includes(role) ? FINANCE_NAV.items[0].path : '/';
}
