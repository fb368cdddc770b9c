import type { ReactElement } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { useSession } from './auth/session';
import { LoadingState } from './components/async';
import { Layout } from './components/layout';
import { homeFor, navFor, SELLER_NAV } from './nav';
import { LoginPage, SignupPage } from './pages/auth-pages';
import { BerandaPage } from './pages/beranda';
import { KirimPage } from './pages/kirim/kirim';
import { MassalPage } from './pages/kirim/massal';
import { NeracaPage } from './pages/keuangan/neraca';
import { PenarikanPage } from './pages/keuangan/penarikan';
import { RemitansiPage } from './pages/keuangan/remitansi';
import { TagihanPage } from './pages/keuangan/tagihan';
import { PengaturanPage } from './pages/pengaturan';
import { PengirimanPage, preloadShipmentList } from './pages/pengiriman';
import { PengirimanDetailPage } from './pages/pengiriman-detail';
import { PeringatanPage } from './pages/peringatan';
import { SaldoPage } from './pages/saldo';
import { NotFoundPage } from './pages/simple-pages';

/** The page of each navigation item, by path. */
const PAGES: Record<string, ReactElement> = {
  '/': <BerandaPage />,
  '/pengiriman': <PengirimanPage />,
  '/kirim': <KirimPage />,
  '/peringatan': <PeringatanPage />,
  '/saldo': <SaldoPage />,
  '/keuangan/tagihan': <TagihanPage />,
  '/keuangan/penarikan': <PenarikanPage />,
  '/keuangan/remitansi': <RemitansiPage />,
  '/keuangan/neraca': <NeracaPage />,
  '/pengaturan': <PengaturanPage />,
};

/** Data requested as a navigation link is followed, before its page renders. */
const PRELOADS: Record<string, () => void> = {
  '/pengiriman': preloadShipmentList,
};

function SignedInRoutes({ role }: { role: string }) {
  const sections = navFor(role);
  const home = homeFor(role);
  const isSeller = sections.includes(SELLER_NAV);
  return (
    <Routes>
      {sections.flatMap((section) =>
        section.items.map((item) => (
          <Route key={item.path} path={item.path} element={PAGES[item.path] ?? <NotFoundPage />} />
        )),
      )}
      {isSeller && <Route path="/pengiriman/:id" element={<PengirimanDetailPage />} />}
      {isSeller && <Route path="/kirim/massal" element={<MassalPage />} />}
      {!isSeller && <Route path="/" element={<Navigate to={home} replace />} />}
      {['/masuk', '/daftar'].map((path) => (
        <Route key={path} path={path} element={<Navigate to={home} replace />} />
      ))}
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}

/** The routes: the login and signup pages while signed out, the role's pages in the layout once signed in. */
export function App() {
  const { state } = useSession();
  if (state.status === 'starting') return <LoadingState />;
  if (state.status === 'signed-out')
    return (
      <BrowserRouter>
        <Routes>
          <Route path="/daftar" element={<SignupPage />} />
          <Route path="*" element={<LoginPage notice={state.notice} />} />
        </Routes>
      </BrowserRouter>
    );
  const role = state.me.user?.role ?? '';
  // Another person signed in from another tab: every page starts afresh, nothing of the first kept.
  return (
    <BrowserRouter key={state.me.user?.id}>
      <Routes>
        <Route element={<Layout me={state.me} preloads={PRELOADS} />}>
          <Route path="*" element={<SignedInRoutes role={role} />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
