import { useEffect, useRef, useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { useSession, type Me } from '../auth/session';
import { useI18n } from '../i18n/i18n-context';
import { LANGUAGES, type Language } from '../i18n/translate';
import { navFor, type NavItem, type NavSection } from '../nav';
import type { MessageKey } from '../i18n/id';

export function LanguageSwitch() {
  const { t, language, setLanguage } = useI18n();
  return (
    <label className="language">
      <span className="visually-hidden">{t('language.label')}</span>
      <select value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`language.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * The signed-in frame: a header (brand, language, log out), the navigation for the user's role — a side
 * column on a desktop, a menu button on a phone — and the page. `preloads` start a page's data as its
 * link is followed.
 */
export function Layout({ me, preloads = {} }: { me: Me; preloads?: Readonly<Record<string, () => void>> }) {
  const { t } = useI18n();
  const { logout } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  const sections = navFor(me.user?.role ?? '');
  const menuButton = useRef<HTMLButtonElement>(null);
  const main = useRef<HTMLElement>(null);
  const arrived = useRef(false);
  useEffect(() => {
    setMenuOpen(false);
    // After following a link the keyboard and a screen reader go on from the new page, not the old link
    // (not on the first page shown: the browser starts at the top as it should).
    if (arrived.current) main.current?.focus({ preventScroll: true });
    arrived.current = true;
  }, [location.pathname]);
  // Each page its own tab title: the section the path is under ("Pengiriman · Kirim" on a shipment too).
  const title = pageTitle(sections, location.pathname);
  useEffect(() => {
    document.title = title ? `${t(title)} · ${t('app.name')}` : t('app.name');
  }, [title, t]);
  // Signed out, no page of the shop's is open.
  useEffect(() => () => void (document.title = t('app.name')), [t]);
  // Escape closes the phone's menu, as it closes any menu, and gives the keyboard back to its button.
  useEffect(() => {
    if (!menuOpen) return;
    const close = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setMenuOpen(false);
      menuButton.current?.focus();
    };
    document.addEventListener('keydown', close);
    return () => document.removeEventListener('keydown', close);
  }, [menuOpen]);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('skip.toContent')}
      </a>
      <header className="topbar">
        <button
          ref={menuButton}
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen((open) => !open)}
        >
          <span aria-hidden="true">☰</span> {t('nav.menu')}
        </button>
        <span className="brand">{t('app.name')}</span>
        <span className="who">
          {me.seller?.name ?? t('auth.signedInAs', { email: me.user?.email ?? '' })}
        </span>
        <LanguageSwitch />
        <button type="button" className="button secondary" onClick={() => void logout()}>
          {t('auth.logout')}
        </button>
      </header>
      <nav id="main-nav" className={menuOpen ? 'sidenav open' : 'sidenav'} aria-label={t('nav.label')}>
        {sections.map((section) => (
          <div key={section.label} className="nav-section">
            <h2 className="nav-heading">{t(section.label)}</h2>
            <ul>
              {section.items.map((item) => (
                <li key={item.path}>
                  <NavLink to={item.path} end={item.path === '/'} onClick={preloads[item.path]}>
                    {t(item.label)}
                  </NavLink>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
      <main id="main" tabIndex={-1} ref={main}>
        <Outlet />
      </main>
    </div>
  );
}

/** The label of the navigation item the path is under (the longest path that begins it), if any. */
function pageTitle(sections: NavSection[], path: string): MessageKey | undefined {
  let best: NavItem | undefined;
  for (const item of sections.flatMap((s) => s.items)) {
    const under = item.path === '/' ? path === '/' : path === item.path || path.startsWith(`${item.path}/`);
    if (under && (!best || item.path.length > best.path.length)) best = item;
  }
  return best?.label;
}
