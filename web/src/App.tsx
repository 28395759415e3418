import { lazy, Suspense, useCallback, useEffect, useState } from "react";
import { api, loadSession, setUnauthorizedHandler, storeSession, type Session } from "./api/client.ts";
import { homeFor, resourceByKey } from "./domains/resources.ts";
import { navigate, usePath } from "./nav.ts";
import { RegistryPage } from "./pages/RegistryPage.tsx";
import { Shell, type Office } from "./pages/Shell.tsx";
import { SignIn } from "./pages/SignIn.tsx";
import { InvitePage } from "./accounts/InvitePage.tsx";
import { may } from "./domains/resources.ts";
import { pageByKey } from "./pages/pages.tsx";
import { useI18n } from "./i18n/i18n.tsx";
import { PageErrorBoundary } from "./components/PageErrorBoundary.tsx";

// a record page is its own chunk (with every panel it may show), fetched when the first record is opened
const RecordPage = lazy(() => import("./pages/RecordPage.tsx").then((m) => ({ default: m.RecordPage })));

/** What a page shows while its code arrives (the first time it is opened). */
function Loading() {
  const { t } = useI18n();
  return (
    <p role="status" className="muted">
      {t("related.loading")}
    </p>
  );
}

export function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const [offices, setOffices] = useState<Office[]>([]);
  const [officeID, setOfficeID] = useState<string | null>(null);
  const path = usePath();
  const onSession = useCallback((s: Session | null) => {
    storeSession(s);
    setSession(s);
    setOfficeID(null);
  }, []);
  useEffect(() => setUnauthorizedHandler(() => onSession(null)), [onSession]);
  useEffect(() => {
    if (!session) return;
    api<{ items: Office[] }>("GET", "/api/offices")
      .then((r) => setOffices(r.items))
      .catch(() => setOffices([]));
  }, [session]);

  const [, key, id] = path.split("/");
  const resource = key ? resourceByKey(key) : undefined;
  // work surfaces, desks, reports and admin screens (web/src/pages/pages.tsx), only for roles that may use them
  const candidate = key && !resource ? pageByKey(key) : undefined;
  const page =
    candidate && session && candidate.shown((a) => may(session.me, a), session.me) ? candidate : undefined;
  useEffect(() => {
    if (session && !resource && !page && key !== "invite") navigate(homeFor(session.me), { replace: true });
  }, [session, resource, page, key]);

  // a one-time link (invitation, password reset) works signed out: accounts/InvitePage.tsx
  if (key === "invite" && id) return <InvitePage token={id} />;
  if (!session) return <SignIn onSignedIn={onSession} />;
  return (
    <Shell
      session={session}
      offices={offices}
      officeID={officeID}
      setOfficeID={setOfficeID}
      onSession={onSession}
    >
      <PageErrorBoundary resetKey={path}>
        <Suspense fallback={<Loading />}>
          {page?.render({ session, offices, officeID, id })}
          {resource && id && <RecordPage resource={resource} id={id} offices={offices} />}
        </Suspense>
        {resource && !id && (
          <RegistryPage resource={resource} session={session} offices={offices} officeID={officeID} />
        )}
      </PageErrorBoundary>
    </Shell>
  );
}
