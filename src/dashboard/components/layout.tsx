import { useEffect, useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { useSession, type Me } from '../auth/session';
import { useI18n } from '../i18n/i18n-context';
import { LANGUAGES, type Language } from '../i18n/translate';
import { navFor } from '../nav';

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
  useEffect(() => setMenuOpen(false), [location.pathname]);
  const sections = navFor(me.user?.role ?? '');
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('skip.toContent')}
      </a>
      <header className="topbar">
        <button
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
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
