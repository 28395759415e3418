import { useCallback, useEffect, useState } from "react";
import { api, loadSession, setUnauthorizedHandler, storeSession, type Session } from "./api/client.ts";
import { homeFor, resourceByKey } from "./domains/resources.ts";
import { navigate, usePath } from "./nav.ts";
import { RecordPage } from "./pages/RecordPage.tsx";
import { RegistryPage } from "./pages/RegistryPage.tsx";
import { Shell, type Office } from "./pages/Shell.tsx";
import { SignIn } from "./pages/SignIn.tsx";
import { DashboardPage } from "./reports/DashboardPage.tsx";
import { DataQualityPage } from "./reports/DataQualityPage.tsx";
import { CalendarPage } from "./appointments/CalendarPage.tsx";
import { CaseloadPage } from "./work/CaseloadPage.tsx";
import { InterviewsPage } from "./work/InterviewsPage.tsx";
import { QueuePage } from "./work/QueuePage.tsx";
import { TodayPage } from "./work/TodayPage.tsx";

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
  const reportPage = key === "dashboard" || key === "data-quality";
  // work surfaces per role (the supervisor's queue, the caseload, the interpreter's interviews, a caseworker's day)
  const workPage =
    key === "queue" || key === "caseload" || key === "interviews" || key === "today" || key === "calendar";
  useEffect(() => {
    if (session && !resource && !reportPage && !workPage) navigate(homeFor(session.me), { replace: true });
  }, [session, resource, reportPage, workPage]);

  if (!session) return <SignIn onSignedIn={onSession} />;
  return (
    <Shell
      session={session}
      offices={offices}
      officeID={officeID}
      setOfficeID={setOfficeID}
      onSession={onSession}
    >
      {key === "dashboard" && <DashboardPage offices={offices} officeID={officeID} />}
      {key === "data-quality" && <DataQualityPage offices={offices} officeID={officeID} />}
      {key === "queue" && <QueuePage />}
      {key === "caseload" && <CaseloadPage officeID={officeID} />}
      {key === "interviews" && <InterviewsPage />}
      {key === "today" && <TodayPage officeID={officeID} />}
      {key === "calendar" && <CalendarPage officeID={officeID} />}
      {resource && id && <RecordPage resource={resource} id={id} offices={offices} />}
      {resource && !id && (
        <RegistryPage resource={resource} session={session} offices={offices} officeID={officeID} />
      )}
    </Shell>
  );
}
